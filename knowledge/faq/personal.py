"""Personal answers: a question about the person, answered from their own answers by the rule engines.

"Will my score go down when I turn 42?", "when does my PTE expire?", "is my score enough for a French draw?":
the knowledge base holds the general rule; when the chat's answers already hold the facts, the answer is
computed for this person (the scorer, the age and validity dates of :mod:`knowledge.deadlines`, the funds
table, the category lists, the rounds of invitations), with the rule's source and the date it was checked.

The intents are a table (``knowledge/data/faq/personal.yaml``): which entries and trigger words each one
serves, and which facts it needs; the functions here compute. Nothing is guessed: a fact the answers do not
establish yet (``Facts.known``) makes :func:`answer` return :class:`Missing`, naming what to answer first.
A compound question ("how many points for my age and when does my test expire?") is split by
:func:`split_question`; the caller answers it in parts only when every part resolves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge import deadlines
from knowledge.crs import whatif
from knowledge.crs.scoring import Scorer
from knowledge.draws.rounds import PROGRAM_PATTERNS, Draws, RouteRounds
from knowledge.faq.french import fold
from knowledge.language import ABILITIES, TEST_LABEL, LanguageTest
from knowledge.profile import LanguageResult, Profile, Spouse, years_between
from knowledge.programs.categories import CategoryFit, CategoryReport
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.provenance import DATA_DIR
from knowledge.vocabulary import EDUCATION_LABELS, EDUCATION_LEVELS, EducationLevel
from knowledge.wording import Joined, Phrase, Text

PERSONAL_FILE = DATA_DIR / "faq" / "personal.yaml"
DRAWS_SOURCE_FILE = DATA_DIR / "draws" / "source.json"
CHECK_SCORE_PAGE = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score.html"
)
MARK = Phrase("Computed from your answers")

# The facts an intent can need, and how a missing one is named to the person.
Fact = Literal[
    "age", "column", "education", "languages", "second_language", "family_size", "work", "score", "everything"
]
FACT_WORDS: dict[str, Phrase] = {
    "age": Phrase("your date of birth"),
    "column": Phrase(
        "your marital status (and, with a partner, whether they are a Canadian citizen or PR and come with you)"
    ),
    "education": Phrase("your education (and whether it has an ECA)"),
    "languages": Phrase("your language tests (which test, its date and your scores)"),
    "second_language": Phrase("your test in the other official language (or that you have none)"),
    "family_size": Phrase("your family size"),
    "work": Phrase("your work history (each job, then 'no more jobs')"),
    "score": Phrase("every question that counts for the CRS score"),
    "everything": Phrase("the whole questionnaire"),
}


class DatedTest(BaseModel):
    """A language test whose test and date are answered (its scores maybe not yet)."""

    model_config = ConfigDict(frozen=True)

    test: LanguageTest
    test_date: date

    @property
    def label(self) -> str:
        return TEST_LABEL[self.test]


# the questionnaire's answers behind each test slot (flows/questions.py: lang1_test, lang1_date, ...)
TEST_SLOTS = {"first": "lang1", "second": "lang2", "spouse": "spouse"}


def dated_tests(answers: Mapping[str, Any]) -> dict[str, DatedTest]:
    """The tests whose test and date the answers hold (``Facts.tests``), whether their scores are answered or not."""
    found: dict[str, DatedTest] = {}
    for slot, prefix in TEST_SLOTS.items():
        test, day = answers.get(f"{prefix}_test"), answers.get(f"{prefix}_date")
        try:
            found[slot] = DatedTest(test=LanguageTest(test), test_date=date.fromisoformat(day))
        except (TypeError, ValueError):  # no test ("none"), no date yet, or a date not answered as one
            continue
    return found


class Facts(BaseModel):
    """What the chat's answers establish so far. ``known`` lists the facts that are answered, never defaulted:
    ``profile`` fills what is not answered with "nothing" (as /score does), so read it only for known facts."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    today: date
    known: frozenset[str] = frozenset()
    date_of_birth: date | None = None
    with_spouse: bool | None = None  # scored in the with-spouse columns (a partner who counts)
    partnered: bool | None = None
    partner_canadian: bool | None = None
    family_size: int | None = None
    funds: int | None = None
    funds_exempt: bool | None = None  # authorized to work in Canada and holding a job offer
    profile: Profile | None = None  # the answers so far as a profile (None until date of birth and education)
    eca_issued: date | None = None  # the ECA's issue date, when the answers hold it (asked by /dates)
    # the language tests whose test and date are answered, scores or not yet ("first", "second", "spouse"): an
    # expiry needs only those (see :func:`dated_tests`)
    tests: dict[str, DatedTest] = Field(default_factory=dict)
    next_question: dict[str, str] = Field(default_factory=dict)  # fact -> the question still to answer for it

    def has(self, *facts: str) -> bool:
        return all(f in self.known for f in facts)


@dataclass(frozen=True)
class PersonalEngines:
    """The engines an answer is computed with (the same ones the results use)."""

    scorer: Scorer
    eligibility: EligibilityEngine

    @property
    def draws(self) -> Draws:
        return self.eligibility.categories.draws


class Cited(BaseModel):
    url: str
    checked: date | None = None


class Computed(BaseModel):
    """A computed answer: its text, the rules' sources, and the general entries behind it."""

    intent: str
    text: Text  # a Phrase (or Joined lines of them): English, and said in the chat's language at the edge
    sources: list[Cited]
    entries: list[str] = Field(default_factory=list)


class Missing(BaseModel):
    """The question is about the person, but the answers do not hold what it needs yet."""

    intent: str
    needs: list[str]  # fact names
    words: list[Text]  # how they are named to the person
    entries: list[str] = Field(default_factory=list)
    note: Text | None = None  # what to say instead of "once I have ..." (e.g. which change is meant)


class Intent(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    needs: list[Fact]
    entries: list[str]
    triggers: list[str] = Field(default_factory=list)
    guard: str | None = None  # picked through an entry: the question must also match this
    requires: str | None = None  # picked at all (trigger or entry): the question must match this...
    unless: str | None = None  # ...and must not match this (e.g. a child's age is not the person's)

    def allows(self, text: str) -> bool:
        return (self.requires is None or _search(self.requires, text)) and not (
            self.unless is not None and _search(self.unless, text)
        )


class LevelWords(BaseModel):
    """How a language level is asked in words (``what_if_levels``): the level, whose results, which abilities."""

    model_config = ConfigDict(frozen=True)

    level: str  # group 1: the level
    partner: str
    french: str
    english: str
    abilities: dict[str, str]


class PersonalTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    checked: date
    personal_words: str
    intents: list[Intent]
    category_words: dict[str, str]
    category_entries: dict[str, str]
    any_category: str = "$^"
    categories_entry: str = "categories-2026"  # the entry on every category: for a question naming none
    program_words: dict[str, str]
    test_words: dict[str, str]
    what_if_moves: dict[str, str]
    what_if_levels: LevelWords

    def entry_ids(self) -> set[str]:
        return {e for intent in self.intents for e in intent.entries}


def load_table(path: Path = PERSONAL_FILE) -> PersonalTable:
    table = PersonalTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    # a what-if is one only when it names a change Maple can make: so it never promises what it cannot compute
    moves = "|".join(f"(?:{p})" for p in table.what_if_moves.values())
    intents = [i.model_copy(update={"requires": moves}) if i.id == "what_if" else i for i in table.intents]
    table = table.model_copy(update={"intents": intents})
    for pattern in _patterns(table):
        re.compile(pattern)  # a broken pattern fails at load time, not on a person's question
    return table


def _patterns(table: PersonalTable) -> Iterable[str]:
    yield table.personal_words
    for intent in table.intents:
        yield from intent.triggers
        yield from (p for p in (intent.guard, intent.requires, intent.unless) if p)
    for words in (table.category_words, table.program_words, table.test_words, table.what_if_moves):
        yield from words.values()
    levels = table.what_if_levels
    yield from (levels.level, levels.partner, levels.french, levels.english, *levels.abilities.values())


@lru_cache(maxsize=1)
def default_table() -> PersonalTable:
    return load_table()


# French typed without its apostrophes and hyphens ("jai", "j ai", "jaurai", "est ce que", "vais je"): read as
# written ("j'ai", "j'aurai", "est-ce que", "vais-je"), so the French triggers, written with them, match either way
_ELIDED = re.compile(
    r"\bj ?(ai|aie|aurai|aurais|avais|atteindrai|atteins|obtiens|obtiendrai|obtenais|ameliore|ajoute|etais|habite)\b"
)
_EST_CE = re.compile(r"\best ce\b")
_INVERTED = re.compile(
    r"\b(suis|vais|puis|serai|serais|dois|devrais|ai|aurai|aurais|pourrai|pourrais|peux|devons|faut|est|sont|sera"
    r"|serait|vont) (je|il|elle|on|nous)\b"
)
_INVERTED_T = re.compile(r"\b(va|a|sera|aura)[ -]t[ -](il|elle|on)\b")


def _clean(question: str) -> str:
    """Lower case, accents folded away (French is typed with and without them: "âge", "age"), one space, and
    French elisions and inversions typed without their apostrophe or hyphen written with it ("jai": "j'ai")."""
    text = " ".join(fold(question).split())
    text = _ELIDED.sub(r"j'\1", text)
    text = _EST_CE.sub("est-ce", text)
    text = _INVERTED_T.sub(r"\1-t-\2", text)
    return _INVERTED.sub(r"\1-\2", text)


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def is_personal(question: str, table: PersonalTable) -> bool:
    """Whether a question is about the person who asks (my, I, me...)."""
    return _search(table.personal_words, _clean(question))


def pick_intent(
    question: str, entry_ids: list[str], table: PersonalTable, about_person: bool | None = None
) -> Intent | None:
    """The intent a question is for: by its trigger words, or by the entry the retriever picked (for a question
    about the person, and within the intent's guard words). ``about_person`` overrides the personal-word test
    (a part of a compound question whose other part says "my")."""
    text = _clean(question)
    allowed = [i for i in table.intents if i.allows(text)]
    for intent in allowed:
        if any(_search(t, text) for t in intent.triggers):
            return intent
    personal = is_personal(question, table) if about_person is None else about_person
    if not entry_ids or not personal:
        return None
    for intent in allowed:
        if set(entry_ids) & set(intent.entries) and (intent.guard is None or _search(intent.guard, text)):
            return intent
    return None


# --- splitting a compound question -------------------------------------------------------------------
_OPENERS = (
    "what|whats|what's|how|when|where|which|who|why|is|are|am|does|do|did|will|would|can|could|should|shall|"
    "has|have|may|must|"
    # French: "combien de points pour mon âge et quand expire mon TEF ?"
    "combien|quand|quel|quelle|quels|quelles|est-ce|comment|pourquoi|suis-je|puis-je|ai-je|dois-je|serai-je|"
    "et si|mon|ma|mes"
)
_SPLIT = re.compile(rf"\?+\s*|[;,]?\s+(?:and|also|plus|&|et|aussi)\s+(?=(?:{_OPENERS})\b)", re.I)


_OPENS = re.compile(rf"(?:{_OPENERS})\b", re.I)


def split_question(question: str) -> list[str]:
    """The parts of a compound question: split on question marks, and on 'and' before a question word ("how
    many points for age and when does my test expire?"); a piece that is no question is context for the one
    before ("does it count? it is a 6-month certificate"). One part: not compound."""
    parts: list[str] = []
    for piece in (p.strip(" ,;.") for p in _SPLIT.split(question)):
        if not piece:
            continue
        if parts and (len(piece.split()) < 2 or not _OPENS.match(piece)):
            parts[-1] += ". " + piece  # not a question of its own: context for the one before ("it is 6 months")
        else:
            parts.append(piece)
    return parts


# --- the answer ----------------------------------------------------------------------------------------
Outcome = Computed | Missing


@dataclass(frozen=True)
class Asked:
    """The question as the computations read it: lower-cased, and the entries the retriever picked."""

    text: str
    entry_ids: list[str]
    answered: bool = False  # the retriever answered with entry_ids[0] (not merely suggested it)


def answer(
    question: str,
    entry_ids: list[str],
    facts: Facts,
    engines: PersonalEngines,
    table: PersonalTable | None = None,
    about_person: bool | None = None,
    answered: bool = False,
) -> Outcome | None:
    """The personal answer to ``question`` (``entry_ids``: what the retriever picked or suggested, best first),
    Missing when the answers lack a fact it needs, or None when the question is not one of the intents."""
    table = table or default_table()
    intent = pick_intent(question, entry_ids, table, about_person)
    if intent is None:
        return None
    needs = [f for f in _needs(intent, question, table) if f not in facts.known]
    if intent.id == "language_expiry" and "first" in facts.tests:
        needs = [f for f in needs if f != "languages"]  # its date needs the test and its date, not the scores
    entries = [e for e in entry_ids if e in intent.entries] or intent.entries[:1]
    if intent.id == "category_fit" and not _named(table.category_words, _clean(question)):
        entries = [table.categories_entry]  # "is my job in a category": the categories, not the one the words recalled
    if needs:
        return Missing(intent=intent.id, needs=needs, words=[FACT_WORDS[f] for f in needs], entries=entries)
    try:
        computed = COMPUTE[intent.id](Asked(_clean(question), entry_ids, answered), facts, engines, table)
    except (ValueError, LookupError):  # a changed profile that does not validate, a date outside every rule set
        return None  # the knowledge base's general answer then: never a half-computed figure
    return None if computed is None else computed.model_copy(update={"entries": entries})


def _needs(intent: Intent, question: str, table: PersonalTable) -> list[str]:
    needs: list[str] = list(intent.needs)
    if intent.id == "funds" and _asked_size(_clean(question)) is not None:
        needs.remove("family_size")  # "how much for 4 people": the question gives its own family size
    if intent.id in ("category_fit", "draw_chances") and _named(table.category_words, _clean(question)) == ["french"]:
        needs.append("languages")  # the French category is judged on the French results, not the jobs
        if intent.id == "category_fit":
            needs.remove("work")
    return needs


def _named(words: dict[str, str], text: str) -> list[str]:
    return [key for key, pattern in words.items() if _search(pattern, text)]


def _rules_note(scorer: Scorer, day: date) -> Phrase | None:
    pending = scorer.book.caveats_for(day)
    if not pending:
        return None
    return Phrase(
        "A CRS change reported for {day} is not confirmed by any official text yet: this uses the grid in force "
        "before it.",
        day=pending[0].reported_effective,
    )


def _noted(sentence: str, scorer: Scorer, day: date) -> str:
    """``sentence``, followed by the note on an unconfirmed CRS change when there is one."""
    note = _rules_note(scorer, day)
    return sentence if note is None else Joined(" ", [sentence, note])


def _lines(lines: Iterable[str]) -> Joined:
    """An answer's sentences, one a line."""
    return Joined("\n", lines)


def _column(with_spouse: bool) -> Phrase:
    return Phrase("scored with a spouse or partner") if with_spouse else Phrase("scored as single")


def _signed(n: int) -> str:
    return f"{n:+d}"


def _figure(n: int) -> str:
    """A score or a count of days as knowledge always wrote it: no thousands separator."""
    return str(n)


# --- age ----------------------------------------------------------------------------------------------
_TARGET_AGE = re.compile(
    r"\b(?:turn|turning|become|reach|reaching|be|at|aged?|when i'?m|when i am)\s+(\d{2})\b"
    r"|\b(\d{2})(?:\s*(?:years?|yrs?)\s*old|th birthday)\b"
    r"|\b(?:j'aurai|j'atteindrai|avoir|a|de)\s+(\d{2})\s*ans\b"  # French, folded: "quand j'aurai 45 ans"
)


def _age_profile(facts: Facts) -> Profile:
    """The profile whose age points are asked: the answers' own when they make one, else just the date of
    birth and the scoring column (age points read nothing else)."""
    if facts.profile is not None:
        return facts.profile
    assert facts.date_of_birth is not None and facts.with_spouse is not None
    spouse = Spouse(canadian_citizen_or_pr=False, accompanying=True) if facts.with_spouse else None
    return Profile(
        profile_date=facts.today,
        date_of_birth=facts.date_of_birth,
        education="less_than_secondary",
        marital_status="married" if facts.with_spouse else "never_married",
        spouse=spouse,
    )


def _age_points(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    text = asked.text
    scorer, today = engines.scorer, facts.today
    profile = _age_profile(facts)
    assert profile.date_of_birth is not None
    age = years_between(profile.date_of_birth, today)
    rules = scorer.book.for_date(today)
    points = {row.age: row.pick(profile.scored_with_spouse) for row in rules.core.age}
    now = points[min(max(age, 17), 45)]
    match = _TARGET_AGE.search(text)
    target = int(next(g for g in match.groups() if g)) if match else None
    # the changes up to the age asked about (one per birthday at most), or the next one
    wanted = max(1, min((target or 0) - age, 30))
    changes = deadlines.age_changes(profile, today, count=wanted, scorer=scorer)
    with_totals = facts.has("score")
    lines: list[str] = [
        Phrase(
            "You are {age} today ({today}; born {born}, as you told me): {points} age points, {column}.",
            age=age,
            today=today,
            born=profile.date_of_birth,
            points=now,
            column=_column(profile.scored_with_spouse),
        )
    ]
    sources = [Cited(url=rules.sources[0].url, checked=rules.checked)]
    if target is not None and target <= age:
        lines.append(Phrase("You are already {age}, so turning {target} is behind you.", age=age, target=target))
    elif target is not None:
        birthday = deadlines.add_years(profile.date_of_birth, target)
        change = next((d for d in changes if d.age_after == target), None)
        if change is not None:
            lines.append(_change_line(change, with_totals, now).upper_first())
        else:
            later = points[min(max(target, 17), 45)]
            same = dict(target=target, day=birthday, later=later)
            lines.append(
                Phrase(
                    "You turn {target} on {day}: that birthday does not change the age points (they are {later} at "
                    "{target}).",
                    **same,
                )
                if later == now
                else Phrase(
                    "You turn {target} on {day}: that birthday does not change the age points (they are {later} at "
                    "{target}, against {now} now).",
                    **same,
                    now=now,
                )
            )
    first = changes[0] if changes else None
    if first is not None and first.age_after != target:
        lines.append(Phrase("Next change: {change}", change=_change_line(first, with_totals, now)))
    if first is None and age >= 45:
        lines.append(Phrase("From 45 on the age points are 0: there is nothing left to lose."))
    rule = Phrase(
        "The score uses your age on the day it is computed, and once you are invited, your age on the day of the "
        "invitation."
    )
    lines.append(_noted(rule, scorer, today))
    if not with_totals and changes:
        lines.append(Phrase("(Your total score is not final yet, so I show the age points only.)"))
    return Computed(intent="age_points", text=_lines(lines), sources=sources)


def _change_line(change: deadlines.Deadline, with_totals: bool, now: int) -> Phrase:
    assert change.points_before is not None and change.points_after is not None
    said = dict(
        day=change.day,
        age=change.age_after,
        before=change.points_before,
        after=change.points_after,
        change=_signed(change.points_after - change.points_before),
    )
    if with_totals and change.total_before is not None:
        return Phrase(
            "on {day} you turn {age}: age points {before} -> {after} ({change}), your total {total_before} -> "
            "{total_after} if nothing else changes.",
            **said,
            total_before=_figure(change.total_before),
            total_after=str(change.total_after),
        )
    return Phrase("on {day} you turn {age}: age points {before} -> {after} ({change}).", **said)


# --- language results' expiry -------------------------------------------------------------------------
_WHOSE_PARTNER = re.compile(
    r"\b(partner|wife|husband|spouse)'?s?\b|\b(mon|ma|notre) (conjointe?|partenaire|epoux|epouse|mari|femme)\b"
)


def _language_expiry(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    text = asked.text
    profile, today = facts.profile, facts.today
    results = {"first": profile.first_language, "second": profile.second_language} if profile else {}
    if profile is not None and profile.spouse is not None and profile.spouse.language is not None:
        results["spouse"] = profile.spouse.language
    held: dict[str, LanguageResult | DatedTest] = {slot: r for slot, r in results.items() if r is not None}
    for slot, dated in facts.tests.items():  # a test and its date answered, its scores not yet: dated all the same
        held.setdefault(slot, dated)
    period = deadlines.default_validity().periods["language"]
    sources = [Cited(url=period.source, checked=period.checked)]
    if not held:
        return Computed(
            intent="language_expiry",
            text=Phrase(
                "You told me you have no language test result yet. Results count for {years} years from the test "
                "date, so a test you take today would count until {day}.",
                years=period.years,
                day=deadlines.add_years(today, period.years),
            ),
            sources=sources,
        )
    named = _named(table.test_words, text)
    partner = _WHOSE_PARTNER.search(text) is not None
    wanted = {s: r for s, r in held.items() if (not named or r.test.value in named) and (not partner or s == "spouse")}
    lines: list[str] = []
    if not wanted:
        if named:
            names = _or([TEST_LABEL[LanguageTest(n)] for n in named])
            lines.append(Phrase("Your answers hold no {names} result; here are the results you gave me.", names=names))
        else:
            lines.append(Phrase("Your answers hold no partner's result; here are the results you gave me."))
        wanted = held
    for slot, result in wanted.items():
        partners = slot == "spouse"
        if result.test_date is None:
            lines.append(
                Phrase(
                    "Your partner's {test} result has no test date in your answers, so I cannot date it."
                    if partners
                    else "Your {test} result has no test date in your answers, so I cannot date it.",
                    test=result.label,
                )
            )
            continue
        # as knowledge.deadlines.language_expiries: the period's years after the test date, past from that day on
        expires = deadlines.add_years(result.test_date, period.years)
        left = (expires - today).days
        when = (
            Phrase("expired on {day} ({days} days ago): they no longer count", day=expires, days=_figure(-left))
            if left <= 0
            else Phrase("expire on {day}, in {days} days", day=expires, days=_figure(left))
        )
        said = dict(test=result.label, day=result.test_date, when=when)
        line: str = (
            Phrase("Your partner's {test} results (test date {day}) {when}.", **said)
            if partners
            else Phrase("Your {test} results (test date {day}) {when}.", **said)
        )
        if result.test_date.day == 1:
            line = Joined(
                " ", [line, Phrase("(If you gave only the month, I took its 1st: the real date can only be later.)")]
            )
        lines.append(line)
    if "second_language" not in facts.known and held.get("second") is None:
        lines.append(
            Phrase("(A test in your other official language, if you have one, is still to come in the questions.)")
        )
    lines.append(period.rule)
    return Computed(intent="language_expiry", text=_lines(lines), sources=sources)


def _or(items: list[str]) -> str:
    """The tests named, "IELTS or CELPIP or PTE" (each "or" translatable)."""
    said = items[0]
    for item in items[1:]:
        said = Phrase("{one} or {other}", one=said, other=item)
    return said


_PARTNER_WORDS = (
    r"\b(partner|spouse|wife|husband|pr|citizen|permanent resident"
    r"|conjointe?|partenaire|epoux|epouse|mari|femme|rp|citoyenne?|resident permanent)\b"
)


# --- the ECA's expiry -------------------------------------------------------------------------------------
def _eca_expiry(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    assert facts.profile is not None
    period = deadlines.default_validity().periods["eca"]
    sources = [Cited(url=period.source, checked=period.checked)]
    proof = facts.profile.education_proof
    if proof != "eca":
        why = {
            "canadian": Phrase("You told me your education is Canadian: it needs no ECA, so nothing expires."),
            "none": Phrase(
                "You told me your education has no ECA yet: once you have one, it counts until it is 5 years old."
            ),
        }.get(str(proof), Phrase("You told me you have no credential in your answers that needs an ECA."))
        return Computed(intent="eca_expiry", text=_lines([why, period.rule]), sources=sources)
    if facts.eca_issued is None:
        return Missing(
            intent="eca_expiry",
            needs=["eca_date"],
            words=[Phrase("your ECA's issue date")],
            note=Phrase(
                "Your answers do not hold your ECA's issue date, so I cannot date its expiry: an ECA counts until it "
                "is {years} years old.",
                years=period.years,
            ),
        )
    deadline = deadlines.eca_expiry(facts.eca_issued, facts.today)
    said = dict(issued=facts.eca_issued, years=period.years, day=deadline.day)
    text = (
        Phrase("Your ECA (issued {issued}) turned {years} years old on {day}: it no longer counts.", **said)
        if deadline.status == "past"
        else Phrase(
            "Your ECA (issued {issued}) turns {years} years old on {day}, in {days} days: it must be younger than "
            "that when it is used.",
            **said,
            days=_figure(deadline.days_left),
        )
    )
    return Computed(intent="eca_expiry", text=_lines([text, period.rule]), sources=sources)


# --- proof of funds -----------------------------------------------------------------------------------
# a family size and an amount named in the question itself ("how much for 4 people", "is 15000 enough", "j'ai 20k")
_ASKED_SIZE = re.compile(
    r"\b(?:family of|for|with|pour|famille de|a)\s+(\d{1,2})\s*(?:people|persons?|members|of us|personnes|membres)\b"
    r"|\bfamily of (\d{1,2})\b|\bfamille de (\d{1,2})\b"
)
_ASKED_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[, ]\d{3})+|\d{4,7}|\d{1,3}(?:\.\d)?\s?k)\b")


# "for me and my wife", "moi et mon mari et nos 2 enfants": the asker, a partner, children
_ASKED_COUPLE = re.compile(
    r"\b(me|myself|i) (and|&) my (wife|husband|spouse|partner|fiancee?|girlfriend|boyfriend)\b"
    r"|\bmoi et (ma|mon) (femme|mari|epouse|epoux|conjointe?|partenaire)\b"
)
_ASKED_SOLO = re.compile(r"\b(me|myself|moi) (and|&|et) (my|mes|nos) (\d{1,2}|one|two|three|four) ")
_ASKED_CHILDREN = re.compile(
    r"\b(\d{1,2}|one|two|three|four|un|une|deux|trois|quatre) (kids?|children|child|enfants?)\b"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4}


def _asked_size(text: str) -> int | None:
    found = _ASKED_SIZE.search(text)
    if found is not None:
        size = int(next(g for g in found.groups() if g))
        return size if 1 <= size <= 20 else None
    children = _ASKED_CHILDREN.search(text)
    kids = 0 if children is None else int(_NUMBER_WORDS.get(children.group(1), children.group(1) or 0))
    if _ASKED_COUPLE.search(text):
        return 2 + kids if kids <= 18 else None
    if _ASKED_SOLO.search(text) and kids:
        return 1 + kids if kids <= 19 else None
    return None


def _asked_amount(text: str) -> int | None:
    """An amount of money the question names: 1,000 or more (a 3-digit number is a score), not a year."""
    for found in _ASKED_AMOUNT.finditer(text):
        raw = found.group(1).replace(",", "").replace(" ", "")
        amount = round(float(raw[:-1]) * 1000) if raw.endswith("k") else int(raw)
        if amount >= 1000 and not (len(raw) == 4 and 1900 <= amount <= 2100):
            return amount
    return None


def _funds(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    programs = engines.eligibility.programs
    asked_size = _asked_size(asked.text)
    size = asked_size if asked_size is not None else facts.family_size
    assert size is not None
    today = facts.today
    amount = _asked_amount(asked.text)
    required, rules = programs.funds_required(size, today)
    checked = date.fromisoformat(str(programs.funds["checked"]))
    sources = [Cited(url=rules["sources"][0]["url"], checked=checked)]
    said = dict(size=size, amount=_cad(required), since=_day(rules["effective_from"]))
    lines: list[str] = [
        Phrase(
            "For a family of {size} (as you ask), FSW and FST need CAD {amount} (the table in force from {since}).",
            **said,
        )
        if asked_size is not None
        else Phrase(
            "For your family of {size} person (as you told me), FSW and FST need CAD {amount} (the table in force "
            "from {since}).",
            **said,
        )
        if size == 1
        else Phrase(
            "For your family of {size} people (as you told me), FSW and FST need CAD {amount} (the table in force "
            "from {since}).",
            **said,
        )
    ]
    if facts.partnered and size < 2 and asked_size is None:
        at_least, _ = programs.funds_required(2, today)
        lines.append(
            Phrase(
                "But you have a spouse or partner: they count in the family size even if they are a Canadian citizen "
                "or PR or are not coming, so your family is at least 2 and the amount at least CAD {amount}. /edit "
                "changes your family size.",
                amount=_cad(at_least),
            )
        )
    elif facts.partnered and (facts.partner_canadian or _search(_PARTNER_WORDS, asked.text)):
        lines.append(
            Phrase(
                "Your spouse or partner counts in that family size even if they are a Canadian citizen or PR or are "
                "not coming (the CRS scores you as single; the funds table does not)."
            )
            if facts.partner_canadian
            else Phrase(
                "Your spouse or partner counts in that family size even if they are a Canadian citizen or PR or are "
                "not coming."
            )
        )
    if amount is not None:
        if amount >= required:
            lines.append(Phrase("CAD {amount} is enough.", amount=_cad(amount)))
        else:
            lines.append(
                Phrase("CAD {amount} is CAD {short} short.", amount=_cad(amount), short=_cad(required - amount))
            )
    elif facts.funds is not None and not (facts.partnered and size < 2):
        if facts.funds >= required:
            lines.append(Phrase("You said you can show CAD {amount}: that is enough.", amount=_cad(facts.funds)))
        else:
            lines.append(
                Phrase(
                    "You said you can show CAD {amount}: CAD {short} short.",
                    amount=_cad(facts.funds),
                    short=_cad(required - facts.funds),
                )
            )
    if "official" not in str(rules["sources"][0].get("status", "")):
        lines.append(Phrase("(This table was read through agreeing copies of the official page, not the page itself.)"))
    if facts.funds_exempt:
        lines.append(
            Phrase(
                "You are authorized to work in Canada and have a job offer: with a valid offer you need no proof of "
                "funds at all."
            )
        )
    else:
        lines.append(Phrase("The Canadian Experience Class needs no proof of funds."))
    return Computed(intent="funds", text=_lines(lines), sources=sources)


def _day(value: object) -> date | str:
    """A table's date (read as text from its file): a date, said in the person's language at the edge."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _cad(amount: int) -> int:
    """An amount of Canadian dollars, written "CAD 15,263" by the templates (a plain number, formatted per language)."""
    return int(amount)


# --- categories ---------------------------------------------------------------------------------------
def _asked_categories(text: str, report: CategoryReport, table: PersonalTable, entry_ids: list[str]) -> list[str]:
    named = _named(table.category_words, text)
    if not named and not _search(table.any_category, text):
        named = [table.category_entries[e] for e in entry_ids if e in table.category_entries][:1]
    present = {f.key for f in report.fits}
    return [n for n in named if n in present] if named else []


def _category_fit(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    text = asked.text
    assert facts.profile is not None
    report = engines.eligibility.categories.assess(facts.profile)
    if report is None:
        return Computed(intent="category_fit", text=Phrase("No category rules apply on this date."), sources=[])
    wanted = _asked_categories(text, report, table, asked.entry_ids if asked.answered else [])
    fits = [f for f in report.fits if f.key in wanted] if wanted else report.fits
    nocs = sorted({w.noc for w in facts.profile.work_periods})
    lines: list[str] = []
    if any(f.key not in ("french", "military") for f in fits):  # the occupation categories read the jobs
        lines.append(
            Phrase("Your jobs' NOC codes: {codes}.", codes=", ".join(nocs)) if nocs else Phrase("You gave me no job.")
        )
    for fit in fits:
        lines.append(_fit_line(fit))
    named_missing = [n for n in _named(table.category_words, text) if n not in {f.key for f in report.fits}]
    if named_missing:
        lines.append(
            Phrase(
                "There is no {names} category in {rules} (from {since}).",
                names=Joined(", ", named_missing),
                rules=report.rules,
                since=report.rules_effective_from,
            )
        )
    lines.append(report.meaning)
    return Computed(
        intent="category_fit", text=_lines(lines), sources=[Cited(url=report.sources[0], checked=report.checked)]
    )


_VERDICTS = {True: Phrase("yes"), False: Phrase("no"), None: Phrase("cannot tell")}


def _fit(fit: CategoryFit) -> Phrase:
    """A category's verdict and its reason (kept whole: a phrase when it is one), without the bullet."""
    said = dict(label=fit.label, verdict=_VERDICTS[fit.fits], reason=fit.reason)
    if fit.reason.endswith("."):
        return Phrase("{label}: {verdict}: {reason}", **said)
    return Phrase("{label}: {verdict}: {reason}.", **said)


def _fit_line(fit: CategoryFit) -> Phrase:
    return Phrase("• {line}", line=_fit(fit))


# --- programs -----------------------------------------------------------------------------------------
_PROGRAM_STATUS = {
    "eligible": Phrase("eligible"),
    "not_eligible": Phrase("not eligible"),
    "unknown": Phrase("cannot tell from your answers"),
}


def _program_eligibility(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    """FSW, CEC and FST judged on the whole questionnaire (the programs named, else all three): each verdict with the
    requirements not met or not known, and the FSW selection grid's total."""
    assert facts.profile is not None
    report = engines.eligibility.assess(facts.profile)
    named = [p for p in _named(table.program_words, asked.text) if p in ("fsw", "cec", "fst")]
    lines: list[str] = []
    sources: list[Cited] = []
    checked = date.fromisoformat(str(engines.eligibility.programs.minimums["checked"]))
    for verdict in report.programs:
        if named and verdict.program not in named:
            continue
        lines.append(Phrase("{label}: {status}.", label=verdict.label, status=_PROGRAM_STATUS[verdict.status]))
        lines += [Phrase("• {detail}", detail=c.detail) for c in verdict.checks if c.ok is not True]
        if verdict.grid is not None:
            lines.append(
                Phrase(
                    "• selection grid: {total} of 100 points ({needed} needed)",
                    total=_figure(verdict.grid.total),
                    needed=_figure(verdict.grid.pass_mark),
                )
            )
        cited = Cited(url=verdict.source, checked=checked)
        if cited not in sources:
            sources.append(cited)
    if not lines:
        return None
    return Computed(intent="program_eligibility", text=_lines(lines), sources=sources)


# --- draws --------------------------------------------------------------------------------------------
def _draw_chances(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    """The score against the rounds of the last 12 months: the rounds named, or (with the whole questionnaire
    answered) the rounds that could invite this person: their programs', all-program ones, their categories'."""
    text = asked.text
    profile, today, draws = facts.profile, facts.today, engines.draws
    assert profile is not None
    result = engines.scorer.score(profile)
    score = result.total
    sources = [_draws_source(), Cited(url=result.sources[0], checked=result.rules_checked)]
    everything = engines.eligibility.assess(profile) if facts.has("everything") else None
    report = everything.categories if everything is not None else engines.eligibility.categories.assess(profile)
    fits = {f.key: f for f in report.fits} if report is not None else {}
    categories = [c for c in _named(table.category_words, text) if c in fits]
    programs = [p for p in _named(table.program_words, text) if p in PROGRAM_PATTERNS]
    verdicts = everything.programs if everything is not None else None
    eligible = [v for v in verdicts or [] if v.eligible]
    lines: list[str] = [_noted(Phrase("Your CRS score: {score}.", score=_figure(score)), engines.scorer, today)]
    for key in categories:
        fit = fits[key]
        lines.append(_route_sentence(_rounds(fit.label), draws.category_route(key, today, score), score))
        if key == "french" or facts.has("work"):
            lines.append(
                Phrase("Do you fit it? {fit}", fit=_fit(fit))
                if fit.fits is not False
                else Phrase("Do you fit it? {fit} So these rounds could not invite you.", fit=_fit(fit))
            )
    for key in programs:
        lines.append(_route_sentence(PROGRAM_LABELS[key], draws.program_route(key, today, score), score))
        verdict = next((v for v in verdicts or [] if v.program == key), None)
        if verdict is not None and not verdict.eligible:
            lines.append(
                Phrase(
                    "But you are not eligible for the {program} yet, so these rounds could not invite you.",
                    program=verdict.label,
                )
            )
    if not categories and not programs:
        if verdicts is None:
            lines.append(_route_sentence(PROGRAM_LABELS["all"], draws.program_route("all", today, score), score))
            lines.append(
                Phrase(
                    "Which other rounds could invite you depends on your eligibility for FSW, CEC or FST, judged once "
                    "the questionnaire is finished (next to answer: {question}).",
                    question=facts.next_question.get("everything", "?"),
                )
            )
        else:
            for verdict in eligible:
                route = draws.program_route(verdict.program, today, score)
                lines.append(_route_sentence(PROGRAM_LABELS[verdict.program], route, score))
            if eligible:
                lines.append(_route_sentence(PROGRAM_LABELS["all"], draws.program_route("all", today, score), score))
                for fit in fits.values():
                    if fit.fits:
                        route = draws.category_route(fit.key, today, score)
                        lines.append(_route_sentence(_rounds(fit.label), route, score))
    if verdicts is not None:
        lines.append(
            Phrase("You are eligible for {programs}.", programs=Joined(", ", [v.label for v in eligible]))
            if eligible
            else Phrase(
                "You are not eligible for FSW, CEC or FST yet, so no round can invite you (your result says why)."
            )
        )
    elif categories or programs:
        lines.append(
            Phrase("Whether you are eligible for FSW, CEC or FST (needed to be invited) is judged at the end.")
        )
    lines.append(Phrase("Past cut-offs do not promise future ones (rounds known to {day}).", day=draws.snapshot_to))
    return Computed(intent="draw_chances", text=_lines(lines), sources=sources)


def _rounds(category: str) -> Phrase:
    return Phrase("{category} rounds", category=category)


# --- the score itself -------------------------------------------------------------------------------------
def _my_score(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    assert facts.profile is not None
    result = engines.scorer.score(facts.profile)
    parts = Joined(
        ", ",
        [
            Phrase("{section} {points}", section=_SECTIONS.get(s.label, s.label.lower()), points=_figure(s.points))
            for s in result.sections
        ],
    )
    score = Phrase(
        "Your CRS score: {total} of {most} ({parts}).",
        total=_figure(result.total),
        most=_figure(result.max_total),
        parts=parts,
    )
    text = _lines([_noted(score, engines.scorer, facts.today), Phrase("/score shows every line of it.")])
    return Computed(intent="my_score", text=text, sources=[Cited(url=result.sources[0], checked=result.rules_checked)])


# the score's sections (knowledge.crs.scoring) as named inside a sentence
_SECTIONS: dict[str, Phrase] = {
    "Core / human capital": Phrase("core / human capital"),
    "Spouse or common-law partner": Phrase("spouse or common-law partner"),
    "Skill transferability": Phrase("skill transferability"),
    "Additional points": Phrase("additional points"),
}


@lru_cache(maxsize=1)
def _draws_source() -> Cited:
    """The official rounds page, with the date the shipped table was checked (data/draws/source.json)."""
    info = json.loads(DRAWS_SOURCE_FILE.read_text(encoding="utf-8"))
    page = next((s["url"] for s in info["sources"] if s["url"].endswith(".html")), info["sources"][0]["url"])
    return Cited(url=page, checked=date.fromisoformat(info["checked"]))


PROGRAM_LABELS = {
    "cec": Phrase("Canadian Experience Class rounds"),
    "fsw": Phrase("Federal Skilled Worker rounds"),
    "fst": Phrase("Federal Skilled Trades rounds"),
    "pnp": Phrase("Provincial Nominee Program rounds"),
    "all": Phrase("General (all-program) rounds"),
}


def _route_sentence(label: str, route: RouteRounds, score: int) -> Phrase:
    if not route.rounds:
        return Phrase("• {label}: none in the 12 months to {day}.", label=label, day=route.snapshot_to)
    last = route.last
    assert last is not None
    high = max(d.min_crs for d in route.rounds)
    return Phrase(
        "• {label}: {score} would have cleared {cleared} of the {rounds} in the last 12 months (cut-offs {lowest} to "
        "{highest}; the last, on {day}: {last}).",
        label=label,
        score=_figure(score),
        cleared=route.cleared,
        rounds=len(route.rounds),
        lowest=_figure(route.lowest),
        highest=_figure(high),
        day=last.date,
        last=_figure(last.min_crs),
    )


# --- an online or distance credential -----------------------------------------------------------------
# a credential's length and level, in English and (folded) French: "6-month", "2 years", "6 mois", "deux ans"
_NUMBER_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9, "twelve": 12}
_NUMBER_WORDS |= {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "neuf": 9, "douze": 12}
_MONTH_WORDS = frozenset({"month", "mois"})
_DURATION = re.compile(rf"\b(\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})[- ]?(month|year|mois|an|annee)s?\b")
_LEVEL_WORDS: tuple[tuple[str, EducationLevel], ...] = (
    (r"\b(phd|doctorate|doctoral|doctorat)\b", "doctoral"),
    (r"\b(master'?s?|mba|msc|m\.sc|maitrise)\b", "masters"),
    (r"\b(bachelor'?s?|undergraduate degree|bsc|b\.sc|baccalaureat|licence)\b", "bachelors"),
)
ONLINE_WORDS = r"\b(online|distance|e-learning|elearning|remote|en ligne)"


# the education levels (knowledge.vocabulary.EDUCATION_LABELS) as named inside a sentence: lower case
_LEVEL: dict[str, Phrase] = {
    "less_than_secondary": Phrase("less than secondary school"),
    "secondary": Phrase("secondary diploma (high school)"),
    "one_year": Phrase("one-year post-secondary credential"),
    "two_year": Phrase("two-year post-secondary program"),
    "bachelors": Phrase("bachelor's degree or a 3+ year program"),
    "two_or_more": Phrase("two or more credentials, one of 3+ years"),
    "masters": Phrase("master's or entry-to-practice professional degree"),
    "doctoral": Phrase("doctoral degree (phd)"),
}


def _credential_level(text: str) -> tuple[EducationLevel | None, str] | None:
    """The CRS level a described credential would have: (None, why) below one year; None when the question
    does not say enough (no length, no degree named)."""
    for pattern, level in _LEVEL_WORDS:
        if _search(pattern, text):
            return level, _LEVEL[level]
    found = _DURATION.search(text)
    if found is None:
        return None
    amount = found.group(1)
    number = int(amount) if amount.isdigit() else _NUMBER_WORDS[amount]
    months = number * (1 if found.group(2) in _MONTH_WORDS else 12)
    if months < 12:
        return None, Phrase(
            "a {months}-month program is below the one-year level, the lowest post-secondary level", months=months
        )
    level: EducationLevel = "one_year" if months < 24 else "two_year" if months < 36 else "bachelors"
    return level, Phrase("a {years}-year program counts at most as: {level}", years=months // 12, level=_LEVEL[level])


def _combined(current: EducationLevel, added: EducationLevel) -> EducationLevel:
    """The level with one more credential: the higher of the two, or 'two or more' (two post-secondary
    credentials, one of 3+ years) when that is higher (CRS criteria, education)."""
    best = max(current, added, key=EDUCATION_LEVELS.index)
    post = EDUCATION_LEVELS.index("one_year")
    three_years = {"bachelors", "two_or_more", "masters", "doctoral"}
    both_post = EDUCATION_LEVELS.index(current) >= post and EDUCATION_LEVELS.index(added) >= post
    if both_post and (current in three_years or added in three_years):
        return max(best, "two_or_more", key=EDUCATION_LEVELS.index)
    return best


def _online_credential(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    text = asked.text
    assert facts.profile is not None and facts.with_spouse is not None
    profile, scorer = facts.profile, engines.scorer
    rules = scorer.book.for_date(facts.today)
    points = {row.key: row.pick(profile.scored_with_spouse) for row in rules.core.education}
    described = _credential_level(text)
    if described is None:
        return Missing(
            intent="online_credential",
            needs=["credential"],
            words=[Phrase("the credential's length")],
            note=Phrase(
                "Tell me how long the program is (e.g. a 6-month certificate, a 2-year diploma) or which degree it "
                "is, and I will work out what it changes for you."
            ),
        )
    level, why = described
    current = profile.scored_education
    lines: list[str] = [
        Phrase(
            "Your education as you gave it: {level} ({points} points).",
            level=EDUCATION_LABELS[current],
            points=points[current],
        )
    ]
    if profile.education_proof == "none":
        lines[0] = Phrase(
            "Your education ({level}) has no ECA yet, so it earns {points} points.",
            level=EDUCATION_LABELS[profile.education],
            points=points[current],
        )
    new = current if level is None else _combined(current, level)
    lines.append(Phrase("This credential: {why}.", why=why))
    if new == current:
        lines.append(
            Phrase("Your {level} already counts as much or more: no education points gained.", level=_LEVEL[current])
        )
    else:
        lines.append(
            Phrase(
                "With it (a Canadian one, or a foreign one with an ECA), your level would be {level}: {points} points "
                "({change}).",
                level=_LEVEL[new],
                points=points[new],
                change=_signed(points[new] - points[current]),
            )
        )
    if _search(ONLINE_WORDS, text):
        lines.append(
            Phrase(
                "Studied online or from outside Canada, it earns no Canadian-study bonus (that needs 8 months enrolled "
                "full-time and physically present in Canada; programs done between March 2020 and August 2022 are "
                "the exception)."
            )
        )
    if facts.has("score"):
        before = scorer.score(profile).total
        after = before
        if new != current:  # re-scored with the new level (proven: a Canadian credential or an ECA)
            data = profile.model_dump(mode="json", exclude_unset=True)
            data["education"] = new
            if data.get("education_proof") == "none":
                data["education_proof"] = "eca"
            after = scorer.score(Profile.model_validate(data)).total
        lines.append(
            Phrase("So your score stays {score}.", score=_figure(before))
            if after == before
            else Phrase(
                "So your score would go from {before} to {after}.", before=_figure(before), after=_figure(after)
            )
        )
    elif new == current:
        lines.append(Phrase("So it does not change your score."))
    return Computed(
        intent="online_credential",
        text=_lines(lines),
        sources=[Cited(url=rules.sources[0].url, checked=rules.checked), Cited(url=CHECK_SCORE_PAGE)],
    )


# --- what if: the what-if engine (knowledge/crs/whatif.py) re-scores a changed copy of the profile ---------
def _what_if(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    text, profile = asked.text, facts.profile
    assert profile is not None
    key = _level_move(text, profile, table.what_if_levels)
    if key is None:
        key = next((k for k, pattern in table.what_if_moves.items() if _search(pattern, text)), None)
    if key is None or (key == "first_all" and _other_language(text, profile, table.what_if_levels)):
        return None  # a change Maple has no move for: the knowledge base's answer is the better one
    scorer = engines.scorer
    before = scorer.score(profile)
    rules = Cited(url=before.sources[0], checked=before.rules_checked)
    if key == "nomination":
        return _with_nomination(profile, before.total, scorer, rules)
    found = whatif.what_if(profile, key, scorer, engines.eligibility, engines.draws)
    if found is None and key == "first_all":
        first = profile.first_language
        valid = first is not None and not first.expired_on(profile.profile_date)
        target = 9 if first is not None and first.lowest < 9 else whatif.TOP_LEVEL  # as the engine's first_all
        below = [a for a in ABILITIES if valid and first is not None and first.levels[a] < target]
        # no valid result yet: what a first test would give; one ability one level below: that ability up one
        fallback = "first_test" if not valid else f"first:{below[0]}" if len(below) == 1 else None
        if fallback is not None:
            found = whatif.what_if(profile, fallback, scorer, engines.eligibility, engines.draws)
    if found is None:
        why = _not_applicable(key, profile)
        if why is None:
            return None  # Maple cannot compute that change: never "it stays", the knowledge base answers
        return Computed(
            intent="what_if",
            text=Phrase(
                "{why}, so it does not change your score: it stays {score}.",
                why=why.upper_first(),
                score=_figure(before.total),
            ),
            sources=[rules],
        )
    change = Phrase(
        "your score {before} -> {after} ({gain})",
        before=_figure(found.before),
        after=_figure(found.after),
        gain=_signed(found.gain),
    )
    lines: list[str] = [
        Phrase("With {change} ({detail}): {score}.", change=found.label, detail=found.detail, score=change)
        if "->" in found.detail
        else Phrase("With {change}: {score}.", change=found.label, score=change)
    ]
    if found.by_then != found.after:
        lines.append(
            Phrase(
                "It takes about {months} months (Maple's estimate); with your age by then it would be {score}.",
                months=found.months,
                score=_figure(found.by_then),
            )
        )
    if found.opens_programs:
        programs = Joined(", ", [_PROGRAMS[p] for p in found.opens_programs])
        lines.append(Phrase("It would make you eligible for {programs}.", programs=programs))
    if found.opens_categories:
        categories = Joined(", ", found.opens_categories)
        lines.append(Phrase("It would fit you into: {categories}.", categories=categories))
    lines.append(_rules_note(scorer, facts.today) or Phrase("Only that change; everything else as you answered."))
    sources = [rules] if found.source == rules.url else [Cited(url=found.source), rules]
    return Computed(intent="what_if", text=_lines(lines), sources=sources)


_PROGRAMS = {
    "cec": Phrase("the Canadian Experience Class"),
    "fsw": Phrase("the Federal Skilled Worker Program"),
    "fst": Phrase("the FST"),
}
NOT_APPLICABLE = {
    "partner_eca": Phrase("your partner's education already counts as you answered, or your partner is not scored"),
    "partner_test": Phrase("your partner already has a test in your answers, or your partner is not scored"),
    "french": Phrase("your answers already hold French at NCLC 7 or more (or French is your first language)"),
    "coq": Phrase("you already have a certificate, or none of your jobs is a trade it could be in"),
    "canadian_year": Phrase("you have no ongoing skilled job in Canada in your answers to continue"),
    "masters": Phrase("you already have a master's degree or higher"),
    "second_credential": Phrase("your education is already at that level or higher"),
    "first_all": Phrase("your first-language results are already at the top level (CLB 10 in all four)"),
}


def _level_move(text: str, profile: Profile, words: LevelWords) -> str | None:
    """The level move a question asks ("NCLC 9 partout", "CLB 9 in writing", "my wife got CLB 9"), or None when
    it names no level. The language is the one the words name (NCLC or a French test: French; an English test:
    English; CLB alone: the first language), as the first or the second language, whichever the person's it is."""
    found = re.search(words.level, text)
    if found is None:
        return None
    level = int(found.group(1))
    if _search(words.partner, text):
        return whatif.level_key("partner", level)
    named = [a for a, pattern in words.abilities.items() if _search(pattern, text)]
    abilities = tuple(a for a in ABILITIES if a in named) or ABILITIES
    language = "french" if _search(words.french, text) else "english" if _search(words.english, text) else None
    first = profile.first_language
    which = "first" if language is None or first is None or first.language == language else "second"
    return whatif.level_key(which, level, abilities)


def _other_language(text: str, profile: Profile, words: LevelWords) -> bool:
    """Whether the question names a language (English, French or one of their tests) that is not the person's
    first language: "what if I improve my English?" from someone whose first language is French."""
    first = profile.first_language
    named = "french" if _search(words.french, text) else "english" if _search(words.english, text) else None
    return named is not None and first is not None and first.language != named


def _already(key: str, profile: Profile) -> bool:
    """Whether the change asked is already in the answers (so the score truly stays): the only case a what-if
    that does not apply may say "it stays". Anything else Maple cannot compute is left to the knowledge base."""
    sp, first, second = profile.spouse, profile.first_language, profile.second_language
    partner_scored = profile.scored_with_spouse and sp is not None
    if key.startswith(whatif.LEVEL_MOVES):
        which, _, rest = key.partition("_level:")
        level_text, _, names = rest.partition(":")
        result = {"first": first, "second": second}.get(which) if which != "partner" else (sp.language if sp else None)
        if which == "partner" and not partner_scored:
            return True  # a partner who is not scored: their results earn nothing either way
        abilities = names.split(",") if names else list(ABILITIES)
        return (
            level_text.isdigit()
            and result is not None
            and not result.expired_on(profile.profile_date)
            and all(result.levels[a] >= int(level_text) for a in abilities)
        )
    checks: dict[str, Callable[[], bool]] = {
        "eca": lambda: profile.education_proof in ("eca", "canadian") or profile.education == "less_than_secondary",
        "partner_eca": lambda: not partner_scored or (sp is not None and sp.education_proof in ("eca", "canadian")),
        "partner_test": lambda: not partner_scored,  # a test the partner has: what a new one gives is not known
        "french": lambda: (
            first is not None
            and first.language != "french"
            and second is not None
            and not second.expired_on(profile.profile_date)
            and second.lowest >= 7
        ),
        "coq": lambda: profile.certificate_of_qualification,
        "masters": lambda: profile.education in ("masters", "doctoral"),
        "second_credential": lambda: profile.education in ("two_or_more", "masters", "doctoral"),
        "first_all": lambda: (
            first is not None and not first.expired_on(profile.profile_date) and first.lowest >= whatif.TOP_LEVEL
        ),
    }
    check = checks.get(key)
    return check is not None and bool(check())


def _not_applicable(key: str, profile: Profile) -> Phrase | None:
    """Why a what-if does not change the score, when the answers already hold the change; None otherwise."""
    if not _already(key, profile):
        return None
    if key.startswith("partner_level:"):
        if not profile.scored_with_spouse:
            return NOT_APPLICABLE["partner_test"]
        return Phrase("your partner's results are already at level {level} or higher", level=_key_level(key))
    if key.startswith(whatif.LEVEL_MOVES):
        return Phrase("your results are already at level {level} or higher there", level=_key_level(key))
    if key == "eca":
        if profile.education == "less_than_secondary":
            return Phrase("you have no credential in your answers for an ECA to assess")
        return {
            "eca": Phrase("you told me your education already has an ECA"),
            "canadian": Phrase("your education is Canadian, and a Canadian credential needs no ECA"),
        }.get(str(profile.education_proof), Phrase("your education already counts as you answered"))
    return NOT_APPLICABLE[key]


def _key_level(key: str) -> int:
    return int(key.partition(":")[2].partition(":")[0])


def _with_nomination(profile: Profile, before: int, scorer: Scorer, rules: Cited) -> Outcome:
    if profile.provincial_nomination:
        text = Phrase("You already have a nomination in your answers: your score stays {score}.", score=_figure(before))
    else:
        after = scorer.with_nomination(profile)
        text = Phrase(
            "With a provincial nomination: your score {before} -> {after} ({gain}).",
            before=_figure(before),
            after=_figure(after),
            gain=_signed(after - before),
        )
    return Computed(intent="what_if", text=text, sources=[rules])


# --- a partner who is not scored: their results add nothing -------------------------------------------------
# what a question about the partner asks about (the first match wins)
_PARTNER_FACTORS: tuple[tuple[str, str], ...] = (
    ("test", r"\b(ielts|celpip|pte|tef|tcf|clb|nclc|language|langue|tests?|exams?|examen)\b"),
    ("education", r"\b(eca|wes|education|degree|diploma|ede|etudes|diplomes?)\b"),
    ("work", r"\b(work|experience|travail)\b"),
)
_PARTNER_ADDS_NOTHING = {
    "test": Phrase("Their language test adds no CRS points in your case."),
    "education": Phrase("Their education (and its ECA) adds no CRS points in your case."),
    "work": Phrase("Their Canadian work experience adds no CRS points in your case."),
    None: Phrase("Their education, language results and Canadian work add no CRS points in your case."),
}


def _partner_not_scored(asked: Asked, facts: Facts, engines: PersonalEngines, table: PersonalTable) -> Outcome | None:
    """A question about the partner's test (or education, or work) from someone whose partner is not scored: a
    Canadian citizen or PR, or not coming. A partner who is scored gets the knowledge base's answer (None)."""
    if not facts.partnered or facts.with_spouse is not False:
        return None
    rules = engines.scorer.book.for_date(facts.today)
    factor = next((key for key, pattern in _PARTNER_FACTORS if _search(pattern, asked.text)), None)
    why = (
        Phrase(
            "You told me your spouse or partner is a Canadian citizen or permanent resident, so you are scored as "
            "single."
        )
        if facts.partner_canadian
        else Phrase("You told me your spouse or partner is not coming with you to Canada, so you are scored as single.")
    )
    rule = Phrase(
        "A spouse or partner who is a Canadian citizen or permanent resident, or who will not come with you, is not "
        "scored: you are scored in the single columns and no spouse points apply. /edit changes your answers if that "
        "is not so."
    )
    lines = [Joined(" ", [why, _PARTNER_ADDS_NOTHING[factor]]), _noted(rule, engines.scorer, facts.today)]
    return Computed(
        intent="partner_not_scored",
        text=_lines(lines),
        sources=[Cited(url=rules.sources[0].url, checked=rules.checked)],
    )


COMPUTE: dict[str, Callable[[Asked, Facts, PersonalEngines, PersonalTable], Outcome | None]] = {
    "age_points": _age_points,
    "language_expiry": _language_expiry,
    "funds": _funds,
    "category_fit": _category_fit,
    "draw_chances": _draw_chances,
    "online_credential": _online_credential,
    "what_if": _what_if,
    "my_score": _my_score,
    "eca_expiry": _eca_expiry,
    "partner_not_scored": _partner_not_scored,
    "program_eligibility": _program_eligibility,
}
