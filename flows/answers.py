"""Reading a person's answer to one question: a value to store, a list of options, or a friendly error.

Answers are read the way people type them: dates in any common order or with a written month (English or
French), numbers with units and currencies, labelled language scores, a yes or no at the start of a sentence,
a country for a job's location. Everything here is a pure function of the text, the answers so far and today's
date; the vocabularies are tables, the place names a data file.

When two readings are possible (12/06/1997) the answer becomes :class:`Options` whose choice ids are the
values to store; when the person does not know, :class:`Unsure` (an :class:`Invalid`) explains the question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from flows.faq_replies import looks_like_question
from flows.i18n import N_, Msg, default_languages
from flows.questions import QUESTIONS, SCORE_HINT, Choice, Question, choices_for, hint_for
from knowledge.deadlines import default_validity
from knowledge.language import (
    ABILITIES,
    LanguageScoreError,
    LanguageTest,
    convert,
    default_language_tables,
    tef_scale_unclear,
)
from knowledge.profile import LANGUAGE_VALIDITY_YEARS, add_years
from knowledge.programs.noc import NocIndex
from knowledge.provenance import DATA_DIR
from knowledge.vocabulary import PARTNERED

MAX_TEXT = 200
SCORE_EXAMPLES = {
    "ielts": "8 7.5 7 6.5",
    "celpip": "9 8 8 9",
    "pte_core": "82 78 79 84",
    "tef_canada": "480 470 460 500",
    "tcf_canada": "520 510 12 12",
}
PLACES_FILE = DATA_DIR / "places" / "countries.yaml"
FRENCH_ANSWERS_FILE = Path(__file__).parent / "locale" / "fr" / "answers.yaml"


# --- outcomes ---------------------------------------------------------------------------------------------
@dataclass
class Accepted:
    value: Any
    note: str = ""  # e.g. the CLB levels the scores correspond to, or how a month without a day was read
    msg: Msg | None = field(default=None, compare=False)  # ``note`` to translate


@dataclass
class Invalid:
    message: str
    msg: Msg | None = field(default=None, compare=False)  # ``message`` to translate


@dataclass
class Options:
    """The answer needs one more tap: pick among these (NOC matches for a job title, two readings of a date).

    Each choice's id is the value to store when it is tapped.
    """

    message: str
    choices: list[Choice] = field(default_factory=list)
    msg: Msg | None = field(default=None, compare=False)  # ``message`` to translate


@dataclass
class Unsure(Options):
    """The person does not know ("not sure", "idk"): what the question means and where to find the answer.

    ``choices`` stays empty, so a dialogue that knows nothing of ``Unsure`` shows the message and asks the same
    question again with its usual buttons (and does not send "not sure" to the knowledge base, which would
    answer something else); one that does can offer ``best_guess`` (the choice most unsure people turn out to
    have) first. Nothing is ever stored from it.
    """

    best_guess: Choice | None = None


Outcome = Accepted | Invalid | Options


def _invalid(message: Msg) -> Invalid:
    return Invalid(message.english(), msg=message)


def _noted(value: Any, note: Msg) -> Accepted:
    return Accepted(value, note=note.english(), msg=note)


# --- words ------------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and spaces made plain."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'").replace("\u00a0", " ").replace("\u202f", " "))
    return "".join(c for c in text if not unicodedata.combining(c))


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text`` for matching: "B.Tech" -> btech, "don't" -> dont, "Ph.D." -> phd."""
    folded = re.sub(r"(?<=[a-z])\.(?=[a-z])|'", "", _fold(text))
    return tuple(re.findall(r"[a-z0-9]+", folded))


def _norm(text: str) -> str:
    return " ".join(_words(text))


def _has(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _set(words: str) -> frozenset[str]:
    """A set of words written as one string (vocabulary tables stay readable)."""
    return frozenset(words.split())


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_words(t) for t in texts)


NEGATIONS = _set(
    "no not dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt never none cant cannot wont "
    "neither nor nothing non pas nope nah without aucun aucune jamais rien ni sans"
)
CONTRAST = _set(
    "but however although though except unless maybe perhaps probably depends partly partially "
    "mais sauf sinon cependant pourtant peut peutetre probablement depend partiellement"  # French: "oui mais..."
)
YES_WORDS = _set("yes yeah yep yup ya yah yea oui ouais ouaip")
FILLERS_AT_START = _set("well um umm uh uhm hmm ok okay oh actually honestly so")

YES_LEADS = _phrases(
    "yes", "y", "yeah", "yea", "ya", "yah", "yep", "yup", "sure", "of course", "ofcourse", "definitely",
    "certainly", "absolutely", "correct", "true", "affirmative", "indeed", "oui", "si",
    # French
    "ouais", "ouaip", "bien sur", "absolument", "tout a fait", "evidemment", "bien entendu", "exact", "exactement",
    "certainement", "c'est ça",
)  # fmt: skip
# "i have" says yes to "do you have...?" but "i have a cousin" does not say yes to "a brother or sister?":
# a statement counts only when at most a couple of plain words follow it
YES_STATEMENTS = _phrases(
    "i do", "i have", "i did", "we do", "we have", "he does", "she does", "they do", "i think so", "i believe so",
    "he is", "she is", "i am",
    "j'en ai un", "j'en ai une", "j'en ai", "il l'est", "elle l'est", "je l'ai",
)  # fmt: skip
STATEMENT_TAIL = _set("one it that so yet too a an them already now")
NO_LEADS = _phrases(
    "no", "n", "nope", "nah", "naw", "non", "not yet", "not really", "not at all", "never", "none", "nothing",
    "negative", "false", "no more", "i dont", "i do not", "i dont have", "i do not have", "i have not", "i havent",
    "i have no", "we have no", "i am not", "im not", "i did not", "i didnt", "we dont", "we do not", "he is not",
    "she is not", "hes not", "shes not", "he isnt", "she isnt", "they are not", "they arent", "it is not",
    "its not", "i dont think so", "pas encore", "not anymore", "not now", "i have none", "he doesnt", "she doesnt",
    # French
    "nan", "pas du tout", "aucun", "aucune", "jamais", "rien", "j'en ai pas", "je n'en ai pas", "j'en ai aucun",
    "j'en ai aucune", "je n'ai pas", "j'ai pas", "pas d'offre", "pas vraiment", "non merci", "il n'est pas",
    "elle n'est pas", "je ne suis pas", "je suis pas", "pas pour l'instant", "nn",
)  # fmt: skip
UNSURE = _phrases(
    "idk", "i dont know", "dont know", "do not know", "dunno", "not sure", "unsure", "no idea", "not certain",
    "dont remember", "do not remember", "cant remember", "cannot remember", "i forgot", "forgot", "no clue",
    "ne sais pas", "sais pas", "aucune idee", "pas sur", "pas sure", "idek", "help", "what", "huh",
)  # fmt: skip
QUESTION_OPENERS = _phrases(
    "tell me", "explain", "i want to know", "i would like to know", "id like to know", "i wonder", "wondering",
    "can you", "could you", "please explain", "whats", "what", "how", "why", "which", "who", "define", "meaning",
    "what does", "what is",
)  # fmt: skip


def _lead(words: tuple[str, ...], leads: tuple[tuple[str, ...], ...]) -> int:
    """The length of the longest of ``leads`` that ``words`` begin with (0 if none)."""
    return max((len(p) for p in leads if words[: len(p)] == p), default=0)


def _skip_fillers(words: tuple[str, ...]) -> tuple[str, ...]:
    while words and words[0] in FILLERS_AT_START and len(words) > 1:
        words = words[1:]
    return words


def yes_or_no(text: str) -> str | None:
    """ "yes", "no", "unclear" (a yes with a but or a negation) or None (no yes or no at the start).

    "yes my sister" -> yes; "nope" -> no; "no more" -> no; "no, but my brother does" -> unclear.
    """
    words = _skip_fillers(_words(text))
    if not words:
        return None
    yes, no = _lead(words, YES_LEADS), _lead(words, NO_LEADS)
    statement = _lead(words, YES_STATEMENTS)
    if statement > yes and len(words) - statement <= 2 and set(words[statement:]) <= STATEMENT_TAIL:
        yes = statement
    if not yes and not no:
        return None
    if CONTRAST & set(words):
        return "unclear"
    if no >= yes:
        return "unclear" if YES_WORDS & set(words[no:]) else "no"
    return "unclear" if NEGATIONS & set(words[yes:]) else "yes"


UNSURE_MAX_WORDS = 6  # "I don't know the code but I was a cook" is an answer, not "I don't know"


def is_unsure(text: str) -> bool:
    """ "I don't know", "not sure", "idk", a lone "?"."""
    if text.strip() and not text.strip().strip("?!. "):
        return True
    words = _words(text)
    if words == ("what",):
        return True
    return len(words) <= UNSURE_MAX_WORDS and any(_has(words, p) for p in UNSURE if p != ("what",))


def asks_something(text: str) -> bool:
    """A question or a request for an explanation rather than an answer ("what is an ECA?", "how is age scored")."""
    words = _words(text)
    if len(words) < 2 or ("?" not in text and parse_date_parts(text) is not None):  # "May 17 1994"
        return False
    asked = "?" in text and len(re.findall(r"[^\W\d_]{2,}", text)) >= 2  # "40 hours?" is still an answer
    return asked or looks_like_question(text) or _lead(words, QUESTION_OPENERS) > 0


# --- fixed choices ----------------------------------------------------------------------------------------
@cache
def places() -> dict[str, tuple[str, ...]]:
    """The place-name table: ``canada`` (the country, provinces, cities) and ``abroad`` (every other country)."""
    raw = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    return {key: tuple(names) for key, names in raw.items()}


@cache
def french_names() -> dict[str, dict[str, tuple[str, ...]]]:
    """Question -> choice -> French ways of naming it (flows/locale/fr/answers.yaml) and its French button label."""
    raw = yaml.safe_load(FRENCH_ANSWERS_FILE.read_text(encoding="utf-8"))
    labels = default_languages().get("fr")
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for question in QUESTIONS:
        names = raw.get(question.id, {})
        found[question.id] = {
            c.id: (*names.get(c.id, ()), *([labels(c.label)] if labels.has(c.label) else ())) for c in question.choices
        }
    return found


EXTRA_NAMES: dict[str, dict[str, str]] = {"job_where": {"canada": "canada", "abroad": "abroad"}}  # choice -> table
SHORT_NAME_AFTER = frozenset({"in", "the", "from", "at", "a", "an", "my"})  # a two-letter name: first or after these
# names that are also common words inside a sentence: a mention only after one of these (alone, they are exact)
ARTICLE_NAMES = frozenset({("des",)})
ARTICLE_NAME_AFTER = frozenset({"un", "mon", "le", "a", "an", "my", "the"})


def _names(question: Question, answers: dict[str, Any]) -> tuple[tuple[tuple[str, ...], Choice], ...]:
    """Every name of every choice offered, as words, with its choice (the first choice to claim a name keeps it)."""
    return _names_of(question, choices_for(question, answers))


@cache
def _names_of(question: Question, choices: tuple[Choice, ...]) -> tuple[tuple[tuple[str, ...], Choice], ...]:
    found: dict[tuple[str, ...], Choice] = {}
    extra = EXTRA_NAMES.get(question.id, {})
    french = french_names().get(question.id, {})
    for choice in choices:
        more = places()[extra[choice.id]] if choice.id in extra else ()
        for name in (choice.id.replace("_", " "), choice.label, *choice.synonyms, *more, *french.get(choice.id, ())):
            found.setdefault(_words(name), choice)
    return tuple((name, choice) for name, choice in found.items() if name)


def _exact_choice(question: Question, text: str, answers: dict[str, Any]) -> Choice | None:
    """A choice named exactly (by id, label or synonym, ignoring case, accents and punctuation)."""
    words = _words(text)
    return dict(_names(question, answers)).get(words) if words else None


def _close_choice(question: Question, text: str, answers: dict[str, Any]) -> Choice | None:
    """A choice named with a spelling mistake ("singel", "marride"), never one that adds or drops a "not"."""
    words = _words(text)
    negated = NEGATIONS & set(words)
    joined = {" ".join(name): choice for name, choice in _names(question, answers) if NEGATIONS & set(name) == negated}
    best = process.extractOne(" ".join(words), list(joined), scorer=fuzz.ratio, score_cutoff=82)
    return joined[best[0]] if best else None


def _mentioned(question: Question, words: tuple[str, ...], answers: dict[str, Any]) -> set[str] | None:
    """The ids of the choices named inside ``words`` (longest names win); None when a name is negated."""
    spans: list[tuple[int, int, Choice]] = []
    for name, choice in _names(question, answers):
        n = len(name)
        for i in range(len(words) - n + 1):
            if words[i : i + n] != name:
                continue
            if n == 1 and len(name[0]) <= 2 and i > 0 and words[i - 1] not in SHORT_NAME_AFTER:
                continue
            if name in ARTICLE_NAMES and (words[i - 1] not in ARTICLE_NAME_AFTER if i else len(words) > 3):
                continue  # "des" in a French sentence is an article: Québec's DES is "un DES", "DES du Québec"
            spans.append((i, i + n, choice))
    kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in spans)]
    inside = {i for start, end, _ in kept for i in range(start, end)}
    if kept and any(word in NEGATIONS and i not in inside for i, word in enumerate(words)):
        return None  # "I don't have WES", "bachelor not completed": a name negated somewhere
    return {choice.id for _, _, choice in kept}


# everyday words one letter away from a choice's name: never read as it misspelt ("person" is not "Pearson")
NOT_MISSPELT = _set("person persons personne personnes")


def _fuzzy_mentioned(question: Question, words: tuple[str, ...], answers: dict[str, Any]) -> set[str]:
    """Misspelt one-word names of six letters or more ("philipines", "bachelr")."""
    long_names = {name[0]: choice for name, choice in _names(question, answers) if len(name) == 1 and len(name[0]) >= 6}
    found: set[str] = set()
    for word in words:
        if len(word) >= 6 and word not in NOT_MISSPELT:
            best = process.extractOne(word, list(long_names), scorer=fuzz.ratio, score_cutoff=86)
            if best:
                found.add(long_names[best[0]].id)
    return found


def _lead_choice(question: Question, answer: str, answers: dict[str, Any]) -> Choice | None:
    """The choice a plain yes or no stands for: ``yes``/``no``, or ``none`` for a no."""
    wanted = {"yes": ("yes",), "no": ("no", "none")}[answer]
    offered = {c.id: c for c in choices_for(question, answers)}
    return next((offered[i] for i in wanted if i in offered), None)


def match_choice(question: Question, text: str, answers: dict[str, Any] | None = None) -> Choice | None:
    """A typed answer to a fixed choice: by id, label or synonym, close spelling, a yes/no lead, or a mention."""
    answers = answers or {}
    exact = _exact_choice(question, text, answers)
    if exact is not None or asks_something(text):
        return exact
    close = _close_choice(question, text, answers)
    if close is not None:
        return close
    lead = yes_or_no(text)
    if lead == "unclear":
        return None
    if lead is not None and question.kind == "yesno":
        return _lead_choice(question, lead, answers)
    words = _skip_fillers(_words(text))
    if CONTRAST & set(words):
        return None
    mentioned = _mentioned(question, words, answers)
    if mentioned is None:
        return None
    if not mentioned and not NEGATIONS & set(words):
        mentioned = _fuzzy_mentioned(question, words, answers)
    if len(mentioned) == 1:
        (only,) = mentioned
        return next(c for c in choices_for(question, answers) if c.id == only)
    if not mentioned and lead is not None:
        return _lead_choice(question, lead, answers)
    return None


NOT_COMPLETED = _set("doing pursuing studying currently ongoing incomplete unfinished dropped enrolled final")
CAVEATS: dict[str, tuple[frozenset[str], str]] = {  # words that make a choice not count, and what to say
    qid: (
        NOT_COMPLETED,
        N_(
            "Only a completed credential counts here: which is the highest one you have finished? "
            "(You can update your profile when the new one is complete.)"
        ),
    )
    for qid in ("education", "spouse_education")
}


# A word that names different levels in different countries: the person picks, nothing is assumed.
# "Baccalauréat" is a university bachelor's degree in Canada (Québec) but the end of secondary school in France and
# much of the French-speaking world; a DESS is a master's-level degree in France (bac+5) and a graduate diploma after
# a bachelor's in Québec (so two credentials, one of 3+ years). Words that already tell which one it is skip this.
AMBIGUOUS_LEVELS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "baccalaureat": (
        N_("“Baccalauréat” means different levels in different countries: which one do you have?"),
        (
            ("bachelors", N_("A university bachelor's degree (a baccalauréat in Canada)")),
            ("secondary", N_("The end of secondary school (a baccalauréat in France and elsewhere)")),
        ),
    ),
    "dess": (
        N_("A DESS means different levels in different places: which one do you have?"),
        (
            ("masters", N_("A master's-level degree (a DESS from France, 5 years after secondary school)")),
            ("two_or_more", N_("A graduate diploma after a bachelor's degree (a DESS from Québec)")),
        ),
    ),
}
AMBIGUOUS_LEVELS["bac"] = AMBIGUOUS_LEVELS["baccalaureat"]
BAC_FIVE = (  # "bac+4", "bac+5": a master's in France's system, or a long first degree: asked, not assumed
    N_("Four or five years after the baccalauréat: which one is it?"),
    (
        ("masters", N_("A master's-level degree (Master, diplôme d'ingénieur, grande école)")),
        ("bachelors", N_("A bachelor's degree or another program of 3 years or more, not a master's")),
    ),
)
LEVEL_TELLERS = _set(
    "universitaire universite university secondaire lycee high school college programme program ans years trois three"
)
LEVEL_QUESTIONS = frozenset({"education", "spouse_education"})


def _ambiguous_level(question: Question, text: str) -> Options | None:
    words = set(_words(text))
    bac = BAC_PLUS.search(_fold(text))
    if question.id in LEVEL_QUESTIONS and bac is not None and int(bac.group(1)) >= 4 and not LEVEL_NAMES & words:
        which = Msg(BAC_FIVE[0])
        return Options(which.english(), [Choice(id=level, label=label) for level, label in BAC_FIVE[1]], msg=which)
    if question.id not in LEVEL_QUESTIONS or words & LEVEL_TELLERS or any(w.isdigit() for w in words):
        return None  # "baccalauréat universitaire", "bac+5", "baccalauréat de 3 ans" say which one it is
    found = next((AMBIGUOUS_LEVELS[w] for w in _words(text) if w in AMBIGUOUS_LEVELS), None)
    if found is None:
        return None
    which = Msg(found[0])
    return Options(which.english(), [Choice(id=level, label=label) for level, label in found[1]], msg=which)


# "3 years program", "2-year diploma", "un programme de 3 ans": the length decides the level (the grid's own terms:
# one-year, two-year, three or more years), unless the text also names a level ("3-year bachelor", "1 year master's").
PROGRAM_LENGTH = re.compile(
    r"\b(\d|one|two|three|four|five|un|une|deux|trois|quatre|cinq)[\s-]*(?:years?|yrs?|yr|ans?|annees?)\b"
)
ARTICLE_ONE = {"un": 1, "une": 1}  # "un an": an article elsewhere, so not among NUMBER_WORDS
LEVEL_NAMES = _set(
    "master masters maitrise mba phd doctorate doctoral doctorat bachelor bachelors licence degrees double two "
    "secondary highschool school lycee deux diplomes credentials"
)


BY_LENGTH: dict[str, tuple[str, str, str]] = {  # question -> the level of 1, 2, and 3+ years
    "education": ("one_year", "two_year", "bachelors"),
    "spouse_education": ("one_year", "two_year", "bachelors"),
    "canadian_study": ("one_or_two_years", "one_or_two_years", "three_plus_years"),
}


# French ways of saying a length after secondary school: "bac+3" (three years after the baccalauréat), and the
# two-year diplomas of France (BTS, DUT, DEUG, DEUST). Read by length, on the safe side (bac+5 is "3+ years" unless
# a master's is named), and said back so that the person can correct it.
BAC_PLUS = re.compile(r"\bbac\s*(?:\+|plus)\s*(\d)\b")
TWO_YEAR_DIPLOMAS = _set("bts dut deug deust")


def _years_said(text: str) -> int | None:
    folded = _fold(text)
    bac = BAC_PLUS.search(folded)
    if bac is not None:
        return int(bac.group(1))
    if TWO_YEAR_DIPLOMAS & set(_words(text)):
        return 2
    found = PROGRAM_LENGTH.search(folded)
    if found is None:
        return None
    word = found.group(1)
    return int(word) if word.isdigit() else int(NUMBER_WORDS.get(word) or ARTICLE_ONE[word])


def _level_by_length(question: Question, text: str, answers: dict[str, Any]) -> Accepted | None:
    if question.id not in BY_LENGTH or LEVEL_NAMES & set(_words(text)):
        return None
    years = _years_said(text)
    if years is None:
        return None
    level = BY_LENGTH[question.id][min(years, 3) - 1] if years >= 1 else None
    choice = next((c for c in choices_for(question, answers) if c.id == level), None)
    if choice is None:
        return None
    return _noted(choice.id, Msg("Noted: {choice}.", choice=Msg(choice.label)))


# An ECA applied for but not issued yet does not count: "not yet, WES in progress" is "no ECA yet".
ECA_PENDING = _set("progress pending applied applying waiting submitted processing cours attente demande envoye")
PROOF_QUESTIONS = frozenset({"education_proof", "spouse_education_proof"})
# FSW's relatives (shared reference programs-categories-faq.md, FSW adaptability): a cousin is not one of them
RELATIVES = _set(
    "parent parents mother father mom dad mum grandparent grandparents grandmother grandfather grandma grandpa "
    "child children son daughter grandchild grandson granddaughter aunt uncle niece nephew "
    "mere pere grandmere grandpere enfant fils fille tante oncle niece neveu"
)
NOT_RELATIVES = _set("cousin cousins cousine cousines friend friends ami amie amis inlaw")


# Tests Express Entry does not accept (knowledge base entry ``accepted-tests``, IRCC's language-test page, checked
# 2026-11-22): the words a person types -> (the test's name, the message that says so). "variant": the same brand as
# an accepted test but not the accepted version. The longest phrase found wins; the refusal stands only when no
# accepted test is named elsewhere in the answer ("IELTS General and TOEFL" is an IELTS answer).
TEST_QUESTIONS = frozenset({"lang1_test", "lang2_test", "spouse_test"})
REFUSED_TEST_MESSAGES: dict[str, str] = {
    "variant": N_(
        "{test} is not the version Express Entry accepts. IRCC accepts only CELPIP-General, IELTS General Training "
        "or PTE Core for English, and TEF Canada or TCF Canada for French, so a {test} result cannot be used: you "
        "would need to take one of these tests. Until then, you can tap “No test (yet)”."
    ),
    "other": N_(
        "{test} is not accepted for Express Entry. IRCC accepts only CELPIP-General, IELTS General Training or PTE "
        "Core for English, and TEF Canada or TCF Canada for French, so a {test} result cannot be used: you would "
        "need to take one of these tests. Until then, you can tap “No test (yet)”."
    ),
    "academic": N_(
        "Which academic test? IELTS Academic and PTE Academic are not accepted for Express Entry: IRCC accepts only "
        "CELPIP-General, IELTS General Training or PTE Core for English, and TEF Canada or TCF Canada for French. "
        "If you took one of these, tap it; if your result is from an academic test, tap “No test (yet)” for now."
    ),
}
REFUSED_TESTS: dict[tuple[str, ...], tuple[str, str]] = {
    _words(words): found
    for found, all_words in {
        ("IELTS Academic", "variant"): ("ielts academic", "academic ielts", "ielts academique", "ilets academic"),
        ("PTE Academic", "variant"): ("pte academic", "academic pte", "pte academique", "pearson academic"),
        ("PTE General", "variant"): ("pte general", "pearson general"),
        ("CELPIP-General LS", "variant"): ("celpip ls", "celpip general ls", "celpip g ls", "celpip-ls"),
        ("TCF tout public", "variant"): ("tcf tp", "tcf tout public", "tcf-tp", "tcftp"),
        ("TCF Québec", "variant"): ("tcf quebec", "tcfq", "tcf q"),
        ("TEF Québec (TEFAQ)", "variant"): ("tef quebec", "tefaq", "tef aq"),
        ("TOEFL", "other"): ("toefl", "tofel", "toefel", "toefl ibt"),
        ("TOEIC", "other"): ("toeic",),
        ("Duolingo English Test", "other"): ("duolingo", "det", "duolingo english test"),
        ("Cambridge English", "other"): ("cambridge", "cae", "fce", "cpe", "c1 advanced", "c2 proficiency"),
        ("OET", "other"): ("oet",),
        ("DELF", "other"): ("delf",),
        ("DALF", "other"): ("dalf",),
        ("", "academic"): ("academic", "academique"),
    }.items()
    for words in all_words
}


def _refused_test(question: Question, text: str, answers: dict[str, Any]) -> Invalid | None:
    """ "IELTS Academic", "TOEFL", "TCF tout public": a test Express Entry does not accept, named as such."""
    words = _words(text)
    if question.id not in TEST_QUESTIONS or NEGATIONS & set(words):
        return None  # "not academic, general training": read as usual
    spans = [
        (len(p), i, p) for p in REFUSED_TESTS for i in range(len(words) - len(p) + 1) if words[i : i + len(p)] == p
    ]
    if not spans:
        return None
    n, start, phrase = max(spans)
    if _mentioned(question, words[:start] + words[start + n :], answers):
        return None  # an accepted test named too
    test, key = REFUSED_TESTS[phrase]
    return _invalid(Msg(REFUSED_TEST_MESSAGES[key], test=test) if test else Msg(REFUSED_TEST_MESSAGES[key]))


# A certificate of qualification is issued in Canada (knowledge base entry ``foreign-trade-certificate``): a yes that
# names another country (the ``abroad`` table of knowledge/data/places/countries.yaml) or a foreign credential, and no
# Canadian place, is not taken as a yes.
COQ_QUESTIONS = frozenset({"coq"})
FOREIGN_WORDS = _phrases(
    # where: not a country name (those come from the places table)
    "abroad", "overseas", "foreign", "outside canada", "home country", "my country", "back home", "etranger",
    "etrangere", "mon pays", "hors du canada",
    # foreign trade credentials
    "cap", "bep", "cqp", "nvq", "svq", "btec", "city and guilds", "iti", "nctvt", "tesda", "gesellenbrief",
    "meisterbrief", "meister",
    # nationalities people name a certificate by (not "English" or "French": a Canadian certificate is in one)
    "polish", "british", "scottish", "irish", "indian", "pakistani", "bangladeshi", "nepali", "sri lankan",
    "filipino", "philippine", "nigerian", "ghanaian", "kenyan", "south african", "mexican", "brazilian", "colombian",
    "german", "italian", "spanish", "portuguese", "romanian", "ukrainian", "russian", "turkish", "iranian",
    "chinese", "vietnamese", "korean", "japanese", "american", "australian", "moroccan", "algerian", "tunisian",
    "egyptian", "lebanese", "polonais", "polonaise", "marocain", "marocaine", "algerien", "algerienne", "tunisien",
    "tunisienne", "senegalais", "ivoirien", "camerounais", "belge", "suisse", "haitien", "libanais", "allemand",
    "italien", "espagnol", "portugais", "roumain", "indien", "americain",
)  # fmt: skip
CANADIAN_WORDS = _phrases("red seal", "sceau rouge", "canadien", "canadienne")
COQ_FOREIGN = N_(
    "A certificate of qualification is issued by a Canadian province, territory or federal authority (for example "
    "Skilled Trades Ontario, or a Red Seal) after its trade exam: a certificate from another country does not count "
    "on its own. It may help you get the Canadian one, though: the province's or territory's trade authority may "
    "accept it as proof of your training or experience. Do you have a certificate issued in Canada?"
)


def _place_words(text: str) -> tuple[str, ...]:
    """Words for place names: French elisions split ("de l'Inde" -> de l inde), hyphens as spaces."""
    return tuple(re.findall(r"[a-z0-9]+", _fold(text)))


def _names_a_place(words: tuple[str, ...], names: tuple[tuple[str, ...], ...]) -> bool:
    for name in names:
        for i in range(len(words) - len(name) + 1):
            if words[i : i + len(name)] == name and (
                len(name) > 1 or len(name[0]) > 2 or i == 0 or words[i - 1] in SHORT_NAME_AFTER
            ):
                return True
    return False


@cache
def _place_names(table: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_place_words(name) for name in places()[table])


def _foreign_certificate(question: Question, text: str) -> Invalid | None:
    if question.id not in COQ_QUESTIONS or yes_or_no(text) == "no":
        return None
    words = _place_words(text)
    if not _names_a_place(words, (*_place_names("abroad"), *FOREIGN_WORDS)):
        return None
    if _names_a_place(words, (*_place_names("canada"), *CANADIAN_WORDS)):
        return None  # "yes, from Ontario (I also had a Polish one)": issued in Canada
    return _invalid(Msg(COQ_FOREIGN))


def _read_special(question: Question, text: str) -> Outcome | None:
    """Answers that name the situation rather than the choice: an ECA under way, a relative by name."""
    words = set(_words(text))
    if question.id in PROOF_QUESTIONS and words & ECA_PENDING:
        return _noted("none", Msg("Noted: no ECA yet (one under way counts once it is issued)."))
    if question.id == "relative" and not NEGATIONS & words:
        if words & NOT_RELATIVES:
            return _invalid(
                Msg(
                    "A cousin or a friend does not count here: only a parent, grandparent, child, grandchild, aunt, "
                    "uncle, niece or nephew. Please tap Yes or No."
                )
            )
        if words & RELATIVES:
            return Accepted("yes")
    if question.id == "sibling" and words & NOT_RELATIVES and not NEGATIONS & words:
        return _invalid(Msg("Only a brother or sister counts here (a cousin does not). Please tap Yes or No."))
    return None


# Words about the score, never in an answer to a fixed choice: "spouse factors points", "minimum ielts for express
# entry", "points for 2 year college diploma" ask about points (a choice that names one itself keeps it: "score")
SCORE_WORDS = _set("points point pts crs minimum maximum max")


def _asks_about_points(question: Question, text: str, answers: dict[str, Any]) -> bool:
    words = _words(text)
    said = SCORE_WORDS & set(words)
    if len(words) < 3 or not said or question.id.endswith("_tef_scale"):  # "out of 699 points" answers a scale
        return False
    if question.id in TEST_QUESTIONS and any(w.isdigit() for w in words):
        return False  # "TEF Canada 450 points": the test, with a score
    return not any(said & set(name) for name, _ in _names(question, answers))


def _read_choice(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    if _asks_about_points(question, text, answers):
        return _invalid(Msg(A_QUESTION))
    caveat_words, caveat = CAVEATS.get(question.id, (frozenset(), ""))
    if caveat_words & set(_words(text)):
        return _invalid(Msg(caveat))
    special = (
        _read_special(question, text) or _refused_test(question, text, answers) or _foreign_certificate(question, text)
    )
    if special is not None:
        return special
    exact = _exact_choice(question, text, answers)  # a label, a synonym, a French name: as it is
    if exact is not None:
        return Accepted(exact.id)
    ambiguous = _ambiguous_level(question, text)
    if ambiguous is not None:
        return ambiguous
    by_length = _level_by_length(question, text, answers)
    if by_length is not None:
        return by_length
    choice = match_choice(question, text, answers)
    if choice is not None:
        if question.id in LEVEL_QUESTIONS:
            return _noted(choice.id, Msg("Noted: {choice}.", choice=Msg(choice.label)))  # read from words: say how
        return Accepted(choice.id)
    if question.kind == "yesno" and yes_or_no(text) == "unclear":
        return _invalid(Msg("I can't tell whether that is a yes or a no: please tap Yes or No."))
    options = [Msg(c.label) for c in choices_for(question, answers)]
    return _invalid(Msg("Please tap a button or type one of: {options}.", options=options))


# --- dates ------------------------------------------------------------------------------------------------
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS: dict[str, int] = {
    **{name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)},
    **{name.lower()[:3]: n for n, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
    # French, accents removed
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "decembre": 12,
}  # fmt: skip
DATE_FILLERS = _set(
    "the of on in le la du de en a at born i was am my date is it its dob birth st nd rd th er re eme e "
    "around about approx approximately since from started start starting ended end ending until till took "
    "taken test exam sat wrote written ne nee il was were we he she they year month day left quit finished "
    "joined began stopped resigned graduated worked got je suis birthday anniversaire mon ma"
)
AGE_WORDS = _set(
    "i am im age aged years year yrs yr y o yo old ans j ai jai turning turned turn will be almost nearly just "
    "currently now my is"
)


@dataclass(frozen=True)
class ParsedDate:
    """What a date text says: one date, two readings (day/month or month/day), or a month without a day."""

    candidates: tuple[date, ...]
    month_only: bool = False


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _year(token: str, today: date | None) -> int | None:
    if len(token) == 4 and token[0] in "12":
        return int(token)
    if len(token) == 2 and today is not None:  # 97 -> 1997, 25 -> 2025 (not after this year)
        century = 2000 if 2000 + int(token) <= today.year else 1900
        return century + int(token)
    return None


def _from_numbers(numbers: list[str], today: date | None) -> ParsedDate | None:
    if len(numbers) == 1 and len(numbers[0]) == 8 and numbers[0][:2] in ("19", "20"):  # 19970612
        made = _make(int(numbers[0][:4]), int(numbers[0][4:6]), int(numbers[0][6:]))
        return ParsedDate((made,)) if made else None
    if len(numbers) == 2:  # 2026-02, 02/2026
        year_first = _year(numbers[0], None)
        year, month = (numbers[0], numbers[1]) if year_first else (numbers[1], numbers[0])
        y = _year(year, None)
        made = _make(y, int(month), 1) if y and len(month) <= 2 else None
        return ParsedDate((made,), month_only=True) if made else None
    if len(numbers) != 3 or any(len(n) > 4 for n in numbers):
        return None
    a, b, c = numbers
    if len(a) == 4:  # year first: Y-M-D
        y = _year(a, None)
        made = _make(y, int(b), int(c)) if y and len(b) <= 2 and len(c) <= 2 else None
        return ParsedDate((made,)) if made else None
    y = _year(c, today)
    if y is None or len(a) > 2 or len(b) > 2:
        return None
    first, second = int(a), int(b)
    readings = [_make(y, second, first), _make(y, first, second)]  # day/month first, then month/day
    found = tuple(dict.fromkeys(d for d in readings if d is not None))
    return ParsedDate(found) if found else None


def _with_month(month: int, numbers: list[str], today: date | None) -> ParsedDate | None:
    if len(numbers) == 1:  # June 1997
        y = _year(numbers[0], None)
        made = _make(y, month, 1) if y else None
        return ParsedDate((made,), month_only=True) if made else None
    if len(numbers) != 2:
        return None
    four = [i for i, n in enumerate(numbers) if len(n) == 4]
    year_at = four[0] if len(four) == 1 else 1  # two short numbers: 12 june 97
    year, day = numbers[year_at], numbers[1 - year_at]
    y = _year(year, today)
    made = _make(y, month, int(day)) if y and len(day) <= 2 else None
    return ParsedDate((made,)) if made else None


def parse_date_parts(text: str, today: date | None = None) -> ParsedDate | None:
    """Read a date typed in any common way; None if it is not one.

    ISO and Y/M/D; D/M/Y and M/D/Y with / - . or spaces (both readings when both are valid); a written month
    in English or French ("12 june 1997", "June 12, 1997", "1er mars 1985"); a month and year without a day
    ("feb 2026", "2026-02", "02/2026"). Two-digit years are read only when ``today`` is given.
    """
    tokens = re.findall(r"\d+|[a-z]+", _fold(text))
    numbers = [t for t in tokens if t.isdigit()]
    months = [MONTHS[t] for t in tokens if t in MONTHS]
    unknown = [t for t in tokens if not t.isdigit() and t not in MONTHS and t not in DATE_FILLERS]
    if unknown or len(months) > 1 or not numbers:
        return None
    return _with_month(months[0], numbers, today) if months else _from_numbers(numbers, today)


def parse_date(text: str, today: date | None = None) -> date | None:
    """The one full date ``text`` names, or None (not a date, a month without a day, or two readings)."""
    parsed = parse_date_parts(text, today)
    if parsed is None or parsed.month_only or len(parsed.candidates) != 1:
        return None
    return parsed.candidates[0]


def parse_age(text: str) -> int | None:
    """An age given instead of a birth date: "29", "i am 29", "29 years old", "j'ai 29 ans"."""
    tokens = re.findall(r"\d+|[a-z]+", _fold(text).replace("'", ""))
    numbers = [t for t in tokens if t.isdigit()]
    if len(numbers) != 1 or len(numbers[0]) > 3 or any(not t.isdigit() and t not in AGE_WORDS for t in tokens):
        return None
    age = int(numbers[0])
    return age if 1 <= age <= 120 else None


def spoken(day: date) -> str:
    """12 June 1997."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# The chat's language, in the context an answer is read against (not an answer: never stored). In these
# languages a date written with numbers is day first (08/03/1985: 8 March), as the convention is; said back.
READ_IN = "_reading_language"
DAY_FIRST = frozenset({"fr"})


@dataclass(frozen=True)
class DateRule:
    example: str  # fits the question: a birth date for the birth date
    month_enough: bool = False
    month_end: bool = False  # a month without a day means its last day (a job's start), else its 1st


TEST_DATE = DateRule(N_("15 March 2025 (or 2025-03-15)"), month_enough=True)
DATE_RULES: dict[str, DateRule] = {
    "dob": DateRule(N_("17 May 1994 (or 1994-05-17)")),
    "lang1_date": TEST_DATE,
    "lang2_date": TEST_DATE,
    "spouse_date": TEST_DATE,
    # a month without a day is read on the safe side: never more work experience, never a later expiry, than real
    "job_start": DateRule(N_("March 2021, or 2021-03-15"), month_enough=True, month_end=True),
    "job_end": DateRule(N_("December 2024, or 2024-12-20"), month_enough=True),
    "eca_date": DateRule(N_("March 2023, or 2023-03-15"), month_enough=True),
    "ee_profile": DateRule(N_("June 2026, or 2026-06-15"), month_enough=True),
}
AGE_MESSAGE = N_(
    "I need your exact date of birth rather than your age: age points change on your birthday, so a profile "
    "can gain or lose points on that day. Please send it like {example}."
)


def _date_problem(question: Question, day: date, answers: dict[str, Any], today: date) -> Msg | None:
    """Why ``day`` cannot be the answer to ``question``, or None."""
    if day > today:
        return Msg("That date is in the future (today is {today}). Please check it.", today=today.isoformat())
    if question.id == "dob":
        age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        if not 16 <= age <= 100:
            return Msg(
                "That makes you {age} years old; please send a date of birth for an age from 16 to 100.", age=age
            )
    if question.id == "job_end":
        start = date.fromisoformat(answers.get("job_draft", {}).get("job_start", "0001-01-01"))
        if day < start:
            return Msg("The end date is before the start ({start}). Please check it.", start=start.isoformat())
    if question.id == "job_start" and day.year < today.year - 30:
        return Msg(
            "Only work in the last 10 years counts; please send a start date after {year}.", year=str(today.year - 30)
        )
    return None


def _month_day(rule: DateRule, first: date, today: date) -> tuple[date, Msg]:
    """The day a month without a day stands for, on the safe side, and the note that says so: a test's, an ECA's
    or a job's end on the 1st (expiring sooner, no extra experience), a job's start on the last day."""
    if not rule.month_end:
        return first, Msg(
            "I'll use {day}, the 1st of that month (the safe side). Send the exact date if you have it.", day=first
        )
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    day = min(last, today)  # this month: it started today at the latest
    return day, Msg(
        "I'll count it as starting on {day}, the last day of that month I can be sure of (the safe side: no more "
        "experience than you have). Send the exact date if you have it.",
        day=day,
    )


def _read_date(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    rule = DATE_RULES.get(question.id, DateRule(N_("15 March 2021 (or 2021-03-15)")))
    parsed = parse_date_parts(text, today)
    if parsed is None and question.choices:
        choice = match_choice(question, text, answers)
        if choice is not None:
            return Accepted(choice.id)
    if parsed is None:
        if question.id == "dob" and parse_age(text) is not None:
            return _invalid(Msg(AGE_MESSAGE, example=Msg(rule.example)))
        years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
        if len(years) == 1 and len(re.findall(r"\d+", text)) == 1:
            if rule.month_enough:
                return _invalid(
                    Msg(
                        "Which month of {year}? Please send it like {example}.",
                        year=years[0],
                        example=Msg(rule.example),
                    )
                )
            return _invalid(
                Msg(
                    "Which day and month of {year}? Please send it like {example}.",
                    year=years[0],
                    example=Msg(rule.example),
                )
            )
        example = Msg(rule.example)
        return _invalid(Msg("I could not read that as a date. Please send it like {example}.", example=example))
    note: Msg | None = None
    candidates = parsed.candidates
    if parsed.month_only:
        if not rule.month_enough:
            return _invalid(Msg("Please send the day too, like {example}.", example=Msg(rule.example)))
        day, note = _month_day(rule, candidates[0], today)
        if question.id == "job_end":  # ended the month it started: on its start, not before it
            start = answers.get("job_draft", {}).get("job_start")
            if isinstance(start, str) and start[:7] == day.isoformat()[:7]:
                day = max(day, date.fromisoformat(start))
        candidates = (day,)
    problems = {day: _date_problem(question, day, answers, today) for day in candidates}
    valid = [day for day, problem in problems.items() if problem is None]
    if not valid:
        return _invalid(next(p for p in problems.values() if p))
    if len(valid) == 2 and answers.get(READ_IN) in DAY_FIRST:  # 08/03/1985 in French is the 8th of March
        valid = valid[:1]
    if len(valid) == 2:
        which = Msg("Is that {first} or {second}?", first=valid[0], second=valid[1])
        return Options(which.english(), [Choice(id=day.isoformat(), label=spoken(day)) for day in valid], msg=which)
    if len(candidates) == 2:
        note = Msg("I read that as {day}.", day=valid[0])
    expired = (
        _expiry_note(valid[0], today)
        if question.id in TEST_DATE_QUESTIONS
        else _eca_expiry_note(valid[0], today)
        if question.id == "eca_date"
        else None
    )
    if note is not None and expired is not None:
        note = Msg("{first} {second}", first=note, second=expired)
    note = note or expired
    return _noted(valid[0].isoformat(), note) if note is not None else Accepted(valid[0].isoformat())


TEST_DATE_QUESTIONS = frozenset({"lang1_date", "lang2_date", "spouse_date"})


def _expiry_note(taken: date, today: date) -> Msg | None:
    """Language results are valid for 2 years from the test date (knowledge.profile.LANGUAGE_VALIDITY_YEARS)."""
    expiry = add_years(taken, LANGUAGE_VALIDITY_YEARS)
    if today < expiry:
        return None
    return Msg(
        "Careful: test results are valid for 2 years, so this one expired on {day} and cannot be "
        "used in a new profile. I will count it so you see what it gives, but plan a new test.",
        day=expiry,
    )


def _eca_expiry_note(issued: date, today: date) -> Msg | None:
    """An ECA counts for 5 years from its issue date (knowledge/data/validity/validity.json, with its source)."""
    expiry = add_years(issued, default_validity().periods["eca"].years)
    if today < expiry:
        return None
    return Msg(
        "Careful: an ECA counts for 5 years from its issue date, so this one reached 5 years on {day}: a new "
        "profile needs a new ECA. I will count it so you see what it gives, but plan a new assessment.",
        day=expiry,
    )


# --- numbers ----------------------------------------------------------------------------------------------
NUMBER_WORDS: dict[str, float] = {
    word: n
    for n, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen twenty"
        )
    )
} | {"thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60}
# French (not "un"/"une", which are also articles: "j'ai une somme de 30 000")
NUMBER_WORDS |= {
    word: n
    for n, word in enumerate(
        _words("deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"), 2
    )
} | {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
ZERO_WORDS = frozenset({"none", "no", "nil", "nothing", "zero", "aucun", "aucune", "rien", "non"})
MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "grand": 1e3, "m": 1e6, "million": 1e6, "millions": 1e6,
    "mil": 1e6, "mn": 1e6, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7,
    "cr": 1e7, "mille": 1e3, "milles": 1e3,
}  # fmt: skip
INDIAN_MULTIPLIERS = frozenset({"lakh", "lakhs", "lac", "lacs", "crore", "crores", "cr"})
CAD_WORDS = frozenset({"$", "cad", "cdn", "dollar", "dollars", "bucks", "canadian", "ca", "canadien", "canadiens"})
FOREIGN_CURRENCIES: dict[str, str] = {
    "usd": "US dollars", "us": "US dollars", "american": "US dollars", "eur": "euros", "euro": "euros",
    "euros": "euros", "€": "euros", "gbp": "pounds", "pound": "pounds", "pounds": "pounds", "£": "pounds",
    "sterling": "pounds", "inr": "rupees", "rs": "rupees", "rupee": "rupees", "rupees": "rupees", "₹": "rupees",
    "pkr": "rupees", "npr": "rupees", "lkr": "rupees", "aed": "dirhams", "dirham": "dirhams", "dirhams": "dirhams",
    "sar": "riyals", "riyal": "riyals", "riyals": "riyals", "qar": "riyals", "ngn": "naira", "naira": "naira",
    "₦": "naira", "php": "pesos", "peso": "pesos", "pesos": "pesos", "₱": "pesos", "mxn": "pesos",
    "cny": "yuan", "rmb": "yuan", "yuan": "yuan", "jpy": "yen", "yen": "yen", "¥": "yen", "aud": "Australian dollars",
    "australian": "Australian dollars", "nzd": "New Zealand dollars", "sgd": "Singapore dollars",
    "hkd": "Hong Kong dollars", "bdt": "taka", "taka": "taka", "egp": "Egyptian pounds", "brl": "reais",
    "reais": "reais", "chf": "Swiss francs", "krw": "won", "kes": "shillings", "shillings": "shillings",
    "zar": "rand", "rand": "rand", "vnd": "dong", "dong": "dong", "idr": "rupiah", "rupiah": "rupiah",
    "myr": "ringgit", "ringgit": "ringgit", "thb": "baht", "baht": "baht", "kwd": "dinars", "dinar": "dinars",
    "dinars": "dinars", "lira": "lira", "ghs": "cedis", "cedis": "cedis", "cfa": "CFA francs",
    "xof": "CFA francs", "xaf": "CFA francs", "mad": "dirhams",
}  # fmt: skip
NUMBER_FILLERS = _set(
    "about around approx approximately roughly nearly almost close to over more than at least i we have has can "
    "could show it its is was are my our total in the a of per each just only exactly like maybe savings bank "
    "balance money funds cash available with me some or so ok okay "
    # French
    "environ a peu pres autour de du des le la les nous sommes on est j ai avons il y en banque economies epargne "
    "au moins plus dans mon ma mes notre nos compte disponible somme fonds argent total presque"
)


@dataclass(frozen=True)
class Units:
    """What may follow a number for one question, and what it means."""

    words: frozenset[str] = frozenset()
    scale: dict[str, float] = field(default_factory=dict)  # a unit that converts ("18 months" -> 1.5 years)
    wrong: dict[str, str] = field(default_factory=dict)  # a unit that is the wrong one, and what to say
    money: bool = False


PER_WEEK = N_("Please send the hours per week (e.g. 8 hours a day, 5 days a week is 40).")
NUMBER_UNITS: dict[str, Units] = {
    "job_hours": Units(
        words=_set("hours hour hrs hr h week weeks weekly wk w pw p every paid heures heure par semaine remunerees"),
        wrong={
            w: PER_WEEK
            for w in _set("day days daily month months monthly year years yearly annually jour jours mois an ans annee")
        },
    ),
    "family_size": Units(
        words=_set(
            "people persons person members member family of including myself total us personnes personne nous "
            "sommes on est famille de en tout avec moi"
        )
    ),
    "spouse_work": Units(
        words=_set("years year yrs yr y experience work ans an annee annees"),
        scale={"months": 1 / 12, "month": 1 / 12, "mos": 1 / 12, "mois": 1 / 12},
    ),
    "funds": Units(money=True),
}
NUMBER_TOKEN = re.compile(
    r"\d+(?:,\d{2,3})*,\d{3}(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+|,\d{1,2}(?!\d))?|\d+,\d{1,2}(?!\d)"
    r"|\d+(?:\.\d+)?|\.\d+|[a-z]+|[$€£₹¥₦₱]"
)
DOT_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+)(,\d{1,2})?(?![\d.,])")
DECIMAL_COMMA = re.compile(r"[\d ]+,\d{1,2}")  # "37,5", "25 000,50": the French decimal comma


@dataclass(frozen=True)
class Quantity:
    value: float
    currency: str = ""  # "" none given, "CAD", or a foreign currency's name


def parse_quantity(text: str, units: Units | None = None) -> Quantity | str:
    """One number with its unit or currency, or why not: "many" (several numbers), "none", "word", or a message.

    "40 hours", "40h", "$25,000", "25 000 $", "about 30k CAD", "₹ 20 lakh" (a foreign currency).
    """
    units = units or Units()
    folded = re.sub(r"\b(?:c|ca|can|cdn)\s*\$", " cad ", _fold(text))
    if units.money:  # "25.000 $", "12.500,00 $": a dot between thousands, as in French and elsewhere
        folded = DOT_THOUSANDS.sub(lambda m: m.group(1).replace(".", "") + (m.group(2) or "").replace(",", "."), folded)
    folded = re.sub(r"\bus\s*\$", " usd ", folded)
    folded = re.sub(r"\ba(?:u)?\s*\$", " aud ", folded)
    values: list[float] = []
    currency = ""
    for token in NUMBER_TOKEN.findall(folded):
        if token[0].isdigit() or token[0] == ".":
            decimal = token.replace(",", ".") if DECIMAL_COMMA.fullmatch(token) else token.replace(",", "")
            values.append(float(decimal.replace(" ", "")))
        elif token in NUMBER_WORDS:
            values.append(NUMBER_WORDS[token])
        elif token in MULTIPLIERS and values:
            values[-1] *= MULTIPLIERS[token]
            if token in INDIAN_MULTIPLIERS and not currency:
                currency = "rupees"
        elif token in units.scale and values:
            values[-1] *= units.scale[token]
        elif token in units.wrong:
            return units.wrong[token]
        elif token in units.words or token in NUMBER_FILLERS:
            continue
        elif units.money and token in FOREIGN_CURRENCIES:
            currency = FOREIGN_CURRENCIES[token]
        elif units.money and token in CAD_WORDS:
            currency = currency if currency and currency != "CAD" and token != "cad" else "CAD"
        else:
            return "word"
    if len(values) > 1:
        return "many"
    if not values:
        return "none"
    return Quantity(values[0], currency)


def parse_number(text: str) -> float | None:
    """A plain number, as typed ("25,000", "25k", "$25 000"); None for anything else."""
    found = parse_quantity(text, Units(money=True))
    return found.value if isinstance(found, Quantity) and found.currency in ("", "CAD") else None


NUMBER_EXAMPLES = {"job_hours": "40", "family_size": "3", "funds": "25000", "spouse_work": "2"}


ONE_PERSON = frozenset(
    _words(t) for t in ("just me", "only me", "me", "myself", "me only", "me alone", "alone", "i am alone", "moi",
                        "juste moi", "moi seul", "moi seule", "seul", "seule", "je suis seul", "je suis seule")
)  # fmt: skip


def _read_number(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    if question.id == "family_size" and _words(text) in ONE_PERSON:
        return Accepted(1)
    units = NUMBER_UNITS.get(question.id, Units())
    low, high = question.minimum or 0, question.maximum or 1e12
    words = _words(text)
    found: Quantity | str = (
        Quantity(0) if low == 0 and words and set(words) <= ZERO_WORDS else parse_quantity(text, units)
    )
    example = NUMBER_EXAMPLES.get(question.id, f"{low:g}")
    if isinstance(found, str):
        if found == "many":
            return _invalid(Msg("Please send one number (e.g. {example}), not a range or a list.", example=example))
        if found not in ("none", "word"):
            return _invalid(Msg(found))
        return _invalid(
            Msg("Please send a number from {low} to {high}, e.g. {example}.", low=low, high=high, example=example)
        )
    if found.currency not in ("", "CAD"):
        return _invalid(
            Msg(
                "That looks like an amount in {currency}. Please send it in Canadian dollars (CAD): convert it "
                "at today's rate (the Bank of Canada publishes exchange rates).",
                currency=found.currency,
            )
        )
    value = found.value
    if not low <= value <= high:
        return _invalid(
            Msg("Please send a number from {low} to {high}, e.g. {example}.", low=low, high=high, example=example)
        )
    if question.id == "family_size" and value != int(value):
        return _invalid(Msg("Please send a whole number of people."))
    stored = int(value) if value == int(value) else value
    if units.money and _norm(text) != f"{value:g}":
        return _noted(stored, Msg("I'll count CAD {amount}.", amount=round(value)))
    return Accepted(stored)


# --- language scores --------------------------------------------------------------------------------------
SCORE_LABELS: dict[tuple[str, ...], str] = {
    phrase: ability
    for ability, names in {
        "listening": ("l", "listening", "listen", "lis", "list", "co", "comprehension orale", "comprehension de l oral",
                      "comprehension oral", "oral comprehension", "ecoute"),
        "reading": ("r", "reading", "read", "rea", "ce", "comprehension ecrite", "comprehension de l ecrit",
                    "comprehension des ecrits", "lecture"),
        "writing": ("w", "writing", "write", "wri", "ee", "expression ecrite", "ecrit", "redaction"),
        "speaking": ("s", "speaking", "speak", "spe", "eo", "expression orale", "oral", "parler"),
    }.items()
    for phrase in _phrases(*names)
}  # fmt: skip
IGNORED_SCORE_LABELS = _phrases("overall", "total", "average", "moyenne", "global", "score", "note")
SCORE_NUMBER = {False: r"\d+(?:\.\d+)?", True: r"\d+(?:[.,]\d+)?"}  # with or without the decimal comma (7,5)


def _label_of(words: tuple[str, ...]) -> str | None:
    """The ability the words before a score name: "CE", "listening band", "compréhension de l'oral"."""
    for i in range(len(words)):
        if words[i:] in SCORE_LABELS:
            return SCORE_LABELS[words[i:]]
    return next((SCORE_LABELS[(w,)] for w in reversed(words) if len(w) > 2 and (w,) in SCORE_LABELS), None)


def _score_items(text: str, decimal_comma: bool) -> list[tuple[str | None, float]]:
    """Each number with the ability its label names (None when unlabelled); overall scores left out."""
    folded = re.sub(r"\b([ld])'", r"\1 ", _fold(text)).replace("'", "")
    items: list[tuple[str | None, float]] = []
    label: list[str] = []
    for token in re.findall(SCORE_NUMBER[decimal_comma] + r"|[a-z]+", folded):
        if not token[0].isdigit():
            label.append(token)
            continue
        words = tuple(label)
        label = []
        ability = _label_of(words)
        if ability is None and any(words[i:] in IGNORED_SCORE_LABELS for i in range(len(words))):
            continue
        items.append((ability, float(token.replace(",", "."))))
    return items


def parse_scores(text: str) -> dict[str, float] | str:
    """:func:`parse_scores_msg` with its problem in English."""
    found = parse_scores_msg(text)
    return found.english() if isinstance(found, Msg) else found


def _joined(words: list[str], how: str) -> Msg:
    """ "listening", "listening and reading", "listening and reading and writing" (``how``: "and" or "or")."""
    if len(words) == 1:
        return Msg(words[0])
    first, rest = Msg(words[0]), _joined(words[1:], how)
    return (
        Msg("{first} and {rest}", first=first, rest=rest)
        if how == "and"
        else Msg("{first} or {rest}", first=first, rest=rest)
    )


def parse_scores_msg(text: str) -> dict[str, float] | Msg | str:
    """The four scores in listening, reading, writing, speaking order, or what is wrong with them.

    Labelled in any order ("R 7.5 L 8 S 7 W 7", "L:8, R:7.5", "CE 575, CO 612, EE 590, EO 640") or four plain
    numbers in the order listening, reading, writing, speaking.
    """
    best: Msg | str = "four"
    for decimal_comma in (False, True):
        items = _score_items(text, decimal_comma)
        labelled = [a for a, _ in items if a is not None]
        if not labelled:
            if len(items) == 4:
                return dict(zip(ABILITIES, [v for _, v in items], strict=True))
            continue
        if len(labelled) != len(items):
            best = Msg("I could not tell which ability one of the scores is for: label all four or none.")
            continue
        twice = sorted({a for a in labelled if labelled.count(a) > 1}, key=ABILITIES.index)
        missing = [a for a in ABILITIES if a not in labelled]
        if twice:
            if missing:
                best = Msg("I see {twice} twice and no {missing}.", twice=_joined(twice, "and"),
                           missing=_joined(missing, "or"))  # fmt: skip
            else:
                best = Msg("I see {twice} twice.", twice=_joined(twice, "and"))
            continue
        if missing:
            best = Msg("I am missing {missing}: please send all four scores.", missing=_joined(missing, "and"))
            continue
        return {a: v for a in ABILITIES for label, v in items if label == a}
    return best


def scores_prefix(question_id: str) -> str:
    return {"lang1_scores": "lang1", "lang2_scores": "lang2", "spouse_scores": "spouse"}[question_id]


def _test_of(question: Question, answers: dict[str, Any]) -> tuple[str, date | None]:
    prefix = scores_prefix(question.id)
    test_date = answers.get(f"{prefix}_date")
    return answers[f"{prefix}_test"], date.fromisoformat(test_date) if test_date else None


def score_hint(question: Question, answers: dict[str, Any]) -> str:
    return score_hint_msg(question, answers).english()


def score_hint_msg(question: Question, answers: dict[str, Any]) -> Msg:
    test, _ = _test_of(question, answers)
    return Msg(SCORE_HINT, example=SCORE_EXAMPLES.get(test, "8 7 7 7"))


def _read_scores(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    test, test_date = _test_of(question, answers)
    scores = parse_scores_msg(text)
    if scores == "four":
        return _invalid(Msg("I need exactly four numbers. {hint}", hint=score_hint_msg(question, answers)))
    if isinstance(scores, Msg | str):
        problem = scores if isinstance(scores, Msg) else Msg(scores)
        return _invalid(Msg("{problem} {hint}", problem=problem, hint=score_hint_msg(question, answers)))
    tables = default_language_tables()
    unit = "NCLC" if test in ("tef_canada", "tcf_canada") else "CLB"
    if test == "tef_canada" and tef_scale_unclear(tables, scores, test_date):
        return Accepted(scores)  # the next question asks which column of the certificate they are from
    try:
        levels = convert(tables, LanguageTest(test), scores, test_date)
    except LanguageScoreError as exc:
        return _invalid(Msg("{problem}. {hint}", problem=str(exc), hint=score_hint_msg(question, answers)))
    return _noted(scores, Msg("That is {levels}.", levels=levels_msg(unit, levels)))


def shown_levels(unit: str, levels: tuple[int, ...] | None) -> str:
    found = levels_msg(unit, levels)
    return found.english() if isinstance(found, Msg) else ", ".join(m.english() for m in found)


def levels_msg(unit: str, levels: tuple[int, ...] | None) -> Msg | list[Msg]:
    """Each ability's level ("listening CLB 9"); in French every unit is NCLC (IRCC's French name for both)."""
    if levels is None:
        return Msg("not readable")
    return [
        Msg("{ability} {unit} {level}", ability=Msg(a), unit=Msg(unit), level=str(lv))
        if lv >= 4
        else Msg("{ability} below {unit} 4", ability=Msg(a), unit=Msg(unit))
        for a, lv in zip(ABILITIES, levels, strict=True)
    ]


# --- occupations ------------------------------------------------------------------------------------------
def _read_noc(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    code = re.sub(r"\D", "", text) if re.fullmatch(r"\s*(?:noc\s*)?\d{5}\s*", text, re.IGNORECASE) else ""
    if code:
        group = noc.get(code)
        if group is None:
            return _invalid(
                Msg("{code} is not a NOC 2021 code. Send the job title instead and I will look it up.", code=code)
            )
        title = group.localised_title  # shown in the chat's language
        found = Msg("NOC {code}: {title} (TEER {teer}).", code=group.code, title=title, teer=str(group.teer))
        return _noted(group.code, found)
    if len(_norm(text)) < 2:
        return _invalid(Msg("Please type the job title (e.g. 'software developer') or its 5-digit NOC code."))
    matches = noc.search(text, limit=5)
    if not matches:
        return _invalid(Msg("I could not find that job title in NOC 2021. Try other words, or the 5-digit NOC code."))
    closest = Msg("Which of these is closest to the job's main duties?")
    return Options(
        closest.english(),
        [Choice(id=m.code, label=f"{m.code} {m.title} (TEER {m.teer})") for m in matches],
        msg=closest,
    )


# --- one answer -------------------------------------------------------------------------------------------
Reader = Callable[[Question, str, dict[str, Any], date, NocIndex], Outcome]
READERS: dict[str, Reader] = {
    "choice": _read_choice,
    "yesno": _read_choice,
    "date": _read_date,
    "number": _read_number,
    "scores": _read_scores,
    "noc": _read_noc,
}
A_QUESTION = N_(
    "That sounds like a question rather than an answer: send it with /ask and I will look it up. "
    "To go on, please answer the question below."
)


def unsure(question: Question, answers: dict[str, Any]) -> Unsure:
    """What to say to someone who does not know the answer: what it means, where to find it, the likely choice."""
    guess = next((c for c in choices_for(question, answers) if c.id == question.likely), None)
    hint = Msg(hint_for(question, answers) or N_("Send your best answer; you can change it later with /edit."))
    if guess is None:
        said = Msg("No problem. {hint}", hint=hint)
    else:
        said = Msg(
            "No problem. {hint} If you are not sure, it is most likely “{label}”.", hint=hint, label=Msg(guess.label)
        )
    return Unsure(said.english(), msg=said, best_guess=guess)


def read_answer(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    """Validate ``text`` as an answer to ``question``."""
    text = text.strip()[:MAX_TEXT]
    if _exact_choice(question, text, answers) is None:
        if is_unsure(text):
            return unsure(question, answers)
        if asks_something(text):
            return _invalid(Msg(A_QUESTION))
    return _family_size_fits(question, READERS[question.kind](question, text, answers, today, noc), answers)


PARTNER_COUNTS = N_(
    "With a spouse or common-law partner, your family is at least 2: it counts you, your spouse or partner (even if "
    "they are not coming with you or are a Canadian citizen or permanent resident) and your dependent children. "
    "Please send 2 or more."
)


def _family_size_fits(question: Question, outcome: Outcome, answers: dict[str, Any]) -> Outcome:
    """A married or common-law person's family size counts the partner (FAQ entry proof-of-funds-canadian-spouse):
    1 is refused, and the question asked again."""
    if question.id != "family_size" or not isinstance(outcome, Accepted) or answers.get("marital") not in PARTNERED:
        return outcome
    return outcome if outcome.value >= 2 else _invalid(Msg(PARTNER_COUNTS))


# --- a sanity check across the two tests ---------------------------------------------------------------------
LANGUAGE_GAP = 3  # levels: a first-language result this far below the second one is worth a second look
LANGUAGE_PREFIXES = ("lang1", "lang2")
LANGUAGE_RESULT_QUESTIONS = frozenset(f"{p}_{q}" for p in LANGUAGE_PREFIXES for q in ("scores", "tef_scale"))


def _levels_of(answers: dict[str, Any], prefix: str) -> tuple[int, ...] | None:
    """The levels of a stored result, on the column the person chose; None while not yet known."""
    test, scores, day = answers.get(f"{prefix}_test"), answers.get(f"{prefix}_scores"), answers.get(f"{prefix}_date")
    if not isinstance(scores, dict) or not isinstance(test, str) or test == "none":
        return None
    test_date = date.fromisoformat(day) if isinstance(day, str) else None
    tables = default_language_tables()
    variant = answers.get(f"{prefix}_tef_scale") if test == "tef_canada" else None
    if variant is None and test == "tef_canada" and tef_scale_unclear(tables, scores, test_date):
        return None  # the column question comes first
    try:
        return convert(tables, LanguageTest(test), scores, test_date, variant)
    except (LanguageScoreError, ValueError, KeyError):
        return None


def language_gap_note(answers: dict[str, Any]) -> str:
    """:func:`language_gap_msg` in English ("" when there is nothing to say)."""
    found = language_gap_msg(answers)
    return found.english() if found is not None else ""


def language_gap_msg(answers: dict[str, Any]) -> Msg | None:
    """When the first official language reads far below the second, say so: a misread column or a swap.

    The first official language earns more points per ability than the second and is the one skill
    transferability uses (shared reference crs-rules.md §1.4 and §3, checked 2026-12-01); a French native's TEF
    read on the wrong column of the certificate also shows up this way.
    """
    first, second = (_levels_of(answers, p) for p in LANGUAGE_PREFIXES)
    if first is None or second is None:
        return None
    gap = sum(second) / 4 - sum(first) / 4
    if gap < LANGUAGE_GAP:
        return None
    units = ["NCLC" if answers.get(f"{p}_test") in ("tef_canada", "tcf_canada") else "CLB" for p in LANGUAGE_PREFIXES]
    ranges = {
        "first": Msg("{unit} {low}-{high}", unit=Msg(units[0]), low=str(min(first)), high=str(max(first))),
        "second": Msg("{unit} {low}-{high}", unit=Msg(units[1]), low=str(min(second)), high=str(max(second))),
    }
    if answers.get("lang1_test") == "tef_canada":
        return Msg(
            "Please check: your first test ({first}) reads well below your second ({second}). On a TEF Canada "
            "certificate, make sure the numbers and the column match (the score out of 699, or the 'Équivalence "
            "ancien score'). Your first official language earns the most points and is the one that counts for skill "
            "transferability: if the second test is really your stronger one, make it your first (/edit).",
            **ranges,
        )
    return Msg(
        "Please check: your first test ({first}) reads well below your second ({second}). Your first official "
        "language earns the most points and is the one that counts for skill transferability: if the second "
        "test is really your stronger one, make it your first (/edit).",
        **ranges,
    )
