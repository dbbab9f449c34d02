"""Knowledge-base answers inside the dialogue: telling a question from an answer, and the replies.

Button data: ``q:<entry id>`` shows one entry, ``t:<tag>`` lists a topic's entries, ``t:`` lists the
topics. The dialogue re-asks its pending question after any of these.

Personal answers: when the dialogue passes the chat's answers (an :class:`Asker`), a question about the
person whose facts the answers hold is answered for them (:mod:`knowledge.faq.personal`), marked
"Computed from your answers" with the rule's source; the general entry stays a button under it. A fact
not answered yet is named ("tell me X and I can compute it"), never guessed. A compound question is
answered in its parts when every part resolves.

Languages: a question is searched in the language it is written in (:func:`knowledge.faq.language.
detect_language`, the chat's language deciding a tie) and answered in that language, the entry's own French
text and French source page included; the framing sentences come from the chat's catalog (:mod:`flows.i18n`).
A computed answer is said in that language too: knowledge builds it as phrases (:mod:`knowledge.wording`),
said here with the language's translator (:func:`flows.result_terms.term`); a rule's source is shown as the
French page the knowledge base gives for it (an entry's French ``source`` for the same English page), when any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.i18n import N_, SOURCE_LANGUAGE, Languages, Translator, default_languages
from flows.profile_builder import NotEnoughAnswers, build_profile
from flows.questions import BY_ID, QUESTIONS, Question
from flows.replies import Button, Reply
from flows.result_terms import term
from knowledge.faq import personal
from knowledge.faq.entries import FaqEntry, LocalizedText
from knowledge.faq.language import detect_language
from knowledge.faq.personal import Computed, Facts, Missing, PersonalEngines, PersonalTable
from knowledge.faq.retriever import FaqResult, FaqRetriever
from knowledge.faq.topics import Topic, load_topics
from knowledge.vocabulary import PARTNERED

# where a question outside Express Entry is sent: canada.ca's immigration and citizenship pages, which lead to
# visas, permits, citizenship and sponsorship (a stranger was sent to the Express Entry page for a visitor visa)
IMMIGRATION_PAGE = "https://www.canada.ca/en/services/immigration-citizenship.html"
IMMIGRATION_PAGE_FR = "https://www.canada.ca/fr/services/immigration-citoyennete.html"
BROWSE = N_("Browse what I can answer")


def _known(language: str | None) -> Any:
    """A chat language the knowledge base has (English or French), else None."""
    return language if language in ("en", "fr") else None


_QUESTION_WORDS = frozenset(
    {
        "what",
        "whats",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "does",
        "do",
        "did",
        "is",
        "are",
        "am",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "must",
        "has",
        "have",
        "if",
        "explain",
        "tell",
        "wat",
        "hw",
        # French (a personal question mid-questionnaire, typed without its "?": "combien de points pour mon âge")
        "combien",
        "quand",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "comment",
        "pourquoi",
        "est-ce",
        "qu'est-ce",
        "puis-je",
        "dois-je",
        "suis-je",
        "ai-je",
        "serai-je",
        "vais-je",
    }
)


# French questions open with a phrase rather than a word, often typed without "?" ("c'est quoi la CEC"), and
# "est-ce que" also asks from the middle ("j'ai 45 ans est-ce que j'ai une chance")
# (and as typed on a phone: "quest ce que la FEER", "kesk un ECA", "c koi le CRS", "cest koi")
_QUESTION_OPENINGS = (
    "c'est quoi ",
    "cest quoi ",
    "c'est koi ",
    "cest koi ",
    "c quoi ",
    "c koi ",
    "qu'est ce ",
    "qu est ce ",
    "qu est-ce ",
    "quest ce ",
    "quest-ce ",
    "questce ",
    "kesk",
    "keske ",
    "est ce que ",
    "et si ",  # a what-if: "et si jai mon eca"
    "what if ",
)
_QUESTION_INSIDE = (" est-ce que ", " est ce que ", " est-ce qu'", " est ce qu'")


def _day(t: Translator, day: date) -> str:
    """ISO in English (as it always was), "22 novembre 2026" in French."""
    return day.isoformat() if t.language == SOURCE_LANGUAGE else t.format_date(day)


# A question asked after a statement, typed without "?": "i have 15000 is that enough", "since 2019 does it
# count", "i turn 42 next year will my score go down". An auxiliary then its subject (the inverted order of a
# question), mid-sentence, after a word that is not a subject itself ("i do it part time" is a statement)
_AUXILIARIES = frozenset(
    {"do", "does", "did", "can", "could", "should", "would", "will", "is", "are", "am", "was", "were", "must"}
)
_INVERTED_SUBJECTS = frozenset({"i", "it", "this", "that", "you", "we", "they", "he", "she"})
_PAST = frozenset({"was", "were", "am"})  # "35 hours, was full time" is an answer
_WH_AFTER_COMMA = frozenset({"what", "whats", "how", "which", "why", "when", "where", "who"})
_MY_AFTER = frozenset({"do", "does", "did", "can", "could", "should", "would", "will"})  # "will my score go down"
_NOT_BEFORE = frozenset(
    {"i", "you", "we", "they", "he", "she", "it", "that", "this", "which", "who", "what", "there", "if", "whether"}
)
# question phrases that ask from the middle of a sentence ("i got invited what happens now"), English and French
_ASKING_INSIDE = (
    " what happens ",
    " what now ",
    " what can i ",
    " what do i ",
    " what should i ",
    " how many ",
    " how much ",
    " how long ",
    " how do i ",
    " how can i ",
    " which one ",
    " what is the ",
    " what are the ",
    " what does ",
    " can someone ",
    " can anyone ",
    " does anyone ",
    " anyone know ",
    " anyone knows ",
    " any idea ",
    " ai je ",
    " suis je ",
    " dois je ",
    " puis je ",
    " faut il ",
    " faut-il ",
    " y a t il ",
    " y a-t-il ",
    " est il ",
    " est-il ",
    " doit il ",
    " doit-il ",
    " peut on ",
    " peut-on ",
    " que se passe ",
    " combien ",
    " still valid ",
    " ca compte ",
    " ça compte ",
    " compte pour ",
    " compte comme ",
    " encore valide ",
    " toujours valide ",
    " ca donne ",
    " ça donne ",
    " quel ",
    " quelle ",
    " quels ",
    " quelles ",
    " lequel ",
    " laquelle ",
)
# words that ask for an explanation, never part of an answer to the questionnaire ("fsw requirements", "clb meaning")
_ASKING_WORDS = frozenset(
    {
        "meaning",
        "requirements",
        "requirement",
        "difference",
        "vs",
        "versus",
        "definition",
        "explain",
        "signification",
        "exigences",
        "expliquer",
        "explique",
        "expliquez",
    }
)
# greetings and apologies before a question ("hi, is wes the only option"): the question word comes after them
_GREETINGS = frozenset({"hi", "hello", "hey", "sorry", "ok", "okay", "please", "pls", "bonjour", "salut", "svp"})
# French questions opening with a word that is one in English too rarely ("que veut dire IPD", "ou donner mes
# empreintes", "qui de nous deux doit etre demandeur principal")
_FRENCH_OPENERS = frozenset({"que", "qui", "ou", "où", "lequel", "laquelle", "lesquels", "quoi"})


def _inverted(words: list[str]) -> bool:
    """An auxiliary before its subject in the middle of the text, with something after them."""
    bare = [w.strip("?,.!;:") for w in words]
    for i in range(1, len(bare) - 2):
        aux, subject, before = bare[i], bare[i + 1], bare[i - 1]
        if aux not in _AUXILIARIES or before in _NOT_BEFORE or before in _AUXILIARIES:
            continue
        if subject in _INVERTED_SUBJECTS or (subject == "my" and aux in _MY_AFTER):
            return True
        if subject == "there" and aux in ("is", "are") and words[i - 1].endswith(","):  # "..., is there a draw"
            return True
    # a question clause after a comma: "my wife is a citizen, what family size", "..., is ielts required"
    for i in range(1, len(bare) - 2):
        if words[i - 1].endswith(",") and (bare[i] in _AUXILIARIES - _PAST or bare[i] in _WH_AFTER_COMMA):
            return True
    return False


def looks_like_question(text: str) -> bool:
    """A question mark after two words or more, or three words or more opening with a question word or phrase,
    asking from the middle of the text ("..., do i need a pcc from there"), or asking for a meaning."""
    words = text.strip().lower().replace("’", "'").split()
    if len(words) >= 2 and text.strip().endswith("?"):
        return True
    while len(words) > 3 and words[0].strip(",.!") in _GREETINGS:
        words = words[1:]
    first = words[0].replace("'s", "").strip("?,.!") if words else ""
    joined = " ".join(words) + " "
    spaced = " " + " ".join(w.strip("?,.!;:") for w in words) + " "
    if len(words) >= 2 and _ASKING_WORDS & set(spaced.split()):
        return True
    return len(words) >= 3 and (
        first in _QUESTION_WORDS
        or first in _FRENCH_OPENERS
        or joined.startswith(_QUESTION_OPENINGS)
        or any(inside in f" {joined}" for inside in _QUESTION_INSIDE)
        or any(inside in spaced for inside in _ASKING_INSIDE)
        or _inverted(words)
        or _OR_WHICH.search(joined) is not None
    )


# a choice asked after naming the options: "celpip or ielts which is easier", "cec or fsw, which one is faster"
_OR_WHICH = re.compile(r"\bor\b.+\bwhich\b")


# --- the facts the chat's answers establish -------------------------------------------------------------
JOB_ADD = "job_add"
# questions whose answers do not change the CRS score (eligibility, funds and the FSW grid only)
NOT_SCORED = frozenset(
    {"family_size", "funds", "relative", "study_two_years", "spouse_study", "authorized", "job_offer", "job_offer_noc"}
)
# questions about documents' dates only (asked on demand by /dates, where that exists): they decide nothing else
DATES_ONLY = frozenset({"eca_date", "ee_profile"})
# the questions behind each fact (in table order): a fact is known when none of them is still needed
FACT_QUESTIONS: dict[str, tuple[str, ...]] = {
    "age": ("dob",),
    "column": ("marital", "spouse_citizen", "spouse_coming"),
    "education": ("education", "education_proof"),
    "languages": tuple(q.id for q in QUESTIONS if q.id.startswith("lang1_")),
    "second_language": tuple(q.id for q in QUESTIONS if q.id.startswith(("lang1_", "lang2_"))),
    "family_size": ("family_size",),
    "work": (JOB_ADD,),
    "score": tuple(q.id for q in QUESTIONS if not q.in_job_loop and q.id not in NOT_SCORED | DATES_ONLY),
    "everything": tuple(q.id for q in QUESTIONS if not q.in_job_loop and q.id not in DATES_ONLY),
}
YES = "yes"


def _still_needed(answers: dict[str, Any], ids: tuple[str, ...]) -> list[Question]:
    from flows.conversation import Rules  # the questions' predicates (conversation imports this module)

    rules = Rules(answers)
    needed = []
    for qid in ids:
        question = BY_ID[qid]
        if qid == JOB_ADD:  # the work history is complete once "no more jobs" is answered
            if answers.get(JOB_ADD) != "no" or answers.get("job_draft"):
                needed.append(question)
        elif rules.applies(question) and qid not in answers:
            needed.append(question)
    return needed


def facts_from_answers(answers: dict[str, Any], today: date) -> Facts:
    """What the answers establish: a fact is known only when every question behind it that applies is answered."""
    known, next_question = set(), {}
    for fact, ids in FACT_QUESTIONS.items():
        needed = _still_needed(answers, ids)
        if fact in ("score", "everything") and _still_needed(answers, (JOB_ADD,)):
            needed = needed or [BY_ID[JOB_ADD]]
        if needed:
            next_question[fact] = needed[0].label
        else:
            known.add(fact)
    try:
        profile = build_profile(answers, today)
    except NotEnoughAnswers:
        profile = None
    marital = answers.get("marital")
    partnered = None if marital is None else marital in PARTNERED
    partner_canadian = None
    if partnered and "spouse_citizen" in answers:
        partner_canadian = answers["spouse_citizen"] == YES
    with_spouse = None
    if "column" in known:
        with_spouse = bool(partnered) and answers.get("spouse_citizen") != YES and answers.get("spouse_coming") == YES
    exempt = None
    if answers.get("job_offer") == "no" or answers.get("authorized") == "no":
        exempt = False
    elif answers.get("job_offer") == YES and answers.get("authorized") == YES:
        exempt = True
    return Facts(
        today=today,
        known=frozenset(known),
        date_of_birth=date.fromisoformat(answers["dob"]) if "age" in known else None,
        with_spouse=with_spouse,
        partnered=partnered,
        partner_canadian=partner_canadian,
        family_size=answers.get("family_size"),
        funds=int(answers["funds"]) if "funds" in answers else None,
        funds_exempt=exempt,
        profile=profile,
        eca_issued=_iso_date(answers.get("eca_date")),
        tests=personal.dated_tests(answers),
        next_question=next_question,
    )


def _iso_date(value: Any) -> date | None:
    """A stored date answer, or None (not answered, or a choice such as "I don't know it")."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Asker:
    """Who asks: the chat's answers so far, the day, and the engines the personal answers are computed with."""

    answers: dict[str, Any]
    today: date
    engines: PersonalEngines
    language: str | None = None  # the chat's language: decides when the question's own words do not


ENGLISH_PAGE_ONLY = N_("the official page is in English only (no French version of it was found).")


def _note_for_people(entry: FaqEntry, text: LocalizedText) -> str | None:
    """What a person should know about the source: the English notes say how the facts were read (through copies,
    not the live page...); the French ones record how the French address was found (for maintainers), so a French
    chat is told only when the page cited is the English one."""
    note = text.source_note
    if note is None or text is not entry.fr:
        return note
    return ENGLISH_PAGE_ONLY if note.startswith("Page anglaise citée") else None


class FaqReplies:
    """Formats what the retriever found; the retriever, the topics and the personal-answer table are injected."""

    def __init__(
        self,
        retriever: FaqRetriever,
        topics: list[Topic] | None = None,
        personal_table: PersonalTable | None = None,
        languages: Languages | None = None,
    ) -> None:
        self.retriever = retriever
        self.topics = topics if topics is not None else load_topics()
        self.personal_table = personal_table or personal.default_table()
        self.languages = languages or default_languages()

    def ask(self, question: str, asker: Asker | None = None) -> tuple[FaqResult, Reply]:
        """The reply to a question, in its language; with ``asker``, computed for the person when their
        answers allow it (in the question's language)."""
        language = detect_language(question, _known(asker.language if asker else None))
        result = self.retriever.ask(question, language)
        if asker is not None:
            reply = self._personal(question, result, asker)
            if reply is not None:
                return result, reply
        return result, self.show(result)

    # --- personal answers -----------------------------------------------------------------------------
    def _personal(self, question: str, result: FaqResult, asker: Asker) -> Reply | None:
        facts: Facts | None = None
        parts = personal.split_question(question)
        if len(parts) >= 2 and personal.is_personal(question, self.personal_table):
            facts = facts_from_answers(asker.answers, asker.today)
            compound = self._compound(question, parts, facts, asker.engines, result.language)
            if compound is not None:
                return compound
        ids = _ids(result)
        if personal.pick_intent(question, ids, self.personal_table) is None:
            return None  # not about the person: the facts are not even built
        facts = facts or facts_from_answers(asker.answers, asker.today)
        answered = result.kind == "answer"
        outcome = personal.answer(question, ids, facts, asker.engines, self.personal_table, answered=answered)
        if isinstance(outcome, Computed):
            return self._computed(outcome, result)
        if isinstance(outcome, Missing):
            return self._missing(outcome, result, facts)
        return None

    def _compound(
        self, question: str, parts: list[str], facts: Facts, engines: PersonalEngines, language: str
    ) -> Reply | None:
        """Each part answered on its own (computed, or the knowledge base's answer), or None when one part
        does not resolve, or none of them is about the person."""
        about_person = personal.is_personal(question, self.personal_table)
        t = self.languages.get(language)
        texts, buttons, sources, computed = [], [], [], 0
        for part in parts:
            result = self.retriever.ask(part, _known(language) or SOURCE_LANGUAGE)
            answered = result.kind == "answer"
            outcome = personal.answer(part, _ids(result), facts, engines, self.personal_table, about_person, answered)
            if isinstance(outcome, Computed):
                computed += 1
                texts.append(f"› {part}?\n{term(t, outcome.text)}")
                sources += [s for s in outcome.sources if s not in sources]
                buttons += self._entry_buttons(outcome.entries, result.language)
            elif isinstance(outcome, Missing):
                texts.append(f"› {part}?\n{self._missing(outcome, result, facts).text}")
                buttons += self._entry_buttons(outcome.entries, result.language)
            elif result.kind == "answer" and result.entry is not None:
                entry, said = result.entry, result.entry.text(result.language)
                source = said.source or entry.source
                cited = t("Source: {url} (checked {day})", url=source, day=entry.checked.isoformat())
                texts.append(f"› {part}?\n{said.answer}\n{cited}")
                buttons.append(Button(f"❓ {said.question}", f"q:{entry.id}"))
            else:
                return None
        if not computed:
            return None
        texts.append(self._mark(sources, t))
        return Reply("\n\n".join(texts), _unique(buttons))

    def _computed(self, outcome: Computed, result: FaqResult) -> Reply:
        t, language = self.languages.get(result.language), result.language
        buttons = self._entry_buttons(outcome.entries, language)
        if result.kind == "answer":
            buttons += [
                Button(f"❓ {e.text(language).question}", f"q:{e.id}") for e in [result.entry, *result.related] if e
            ]
        return Reply(term(t, outcome.text) + "\n\n" + self._mark(outcome.sources, t), _unique(buttons))

    def _missing(self, outcome: Missing, result: FaqResult, facts: Facts) -> Reply:
        t = self.languages.get(result.language)
        if outcome.note:
            note = term(t, outcome.note)
        else:
            nexts = [facts.next_question[n] for n in outcome.needs if n in facts.next_question]
            words = _and(t, [term(t, w) for w in outcome.words])
            note = (
                t(
                    "I can compute this for you once I have {facts} (next to answer: {question}).",
                    facts=words,
                    question=t(nexts[0]),
                )
                if nexts
                else t("I can compute this for you once I have {facts}.", facts=words)
            )
            if "score" in outcome.needs:
                note += " " + t("/score shows your result so far.")
        if result.kind == "answer" and result.entry is not None and result.entry.id in outcome.entries:
            shown = self.show(result)
            return Reply(shown.text + "\n\n" + note, shown.buttons)
        return Reply(
            t("That depends on your own answers. {note} The general rule is behind the button below.", note=note),
            self._entry_buttons(outcome.entries, result.language),
        )

    def _entry_buttons(self, ids: list[str], language: str = SOURCE_LANGUAGE) -> list[Button]:
        entries = [self.retriever.by_id[i] for i in ids if i in self.retriever.by_id]
        return [Button(f"❓ {e.text(_known(language) or SOURCE_LANGUAGE).question}", f"q:{e.id}") for e in entries]

    def _mark(self, sources: list[personal.Cited], t: Translator) -> str:
        """ "Computed from your answers. Source: ..." in ``t``'s language, each source as that language's page
        when the knowledge base has one."""
        cited = "; ".join(
            t("{url} (checked {day})", url=t.page(s.url), day=_day(t, s.checked)) if s.checked else t.page(s.url)
            for s in sources
        )
        return t("{mark}. Source: {sources}", mark=t.say(personal.MARK), sources=cited)

    # --- the knowledge base's own answers -------------------------------------------------------------
    def show(self, result: FaqResult) -> Reply:
        language = result.language
        t = self.languages.get(language)
        if result.kind == "answer" and result.entry is not None:
            answer = self.entry(result.entry, language)  # answered directly; the nearest entries offered under it
            return Reply(answer.text, [Button(f"❓ {e.text(language).question}", f"q:{e.id}") for e in result.related])
        if result.kind == "suggest":
            return Reply(
                t(
                    "I am not sure I have the answer to that. The closest questions I can answer are below; "
                    "tap one, or ask in other words."
                ),
                [Button(e.text(language).question, f"q:{e.id}") for e in result.suggestions],
            )
        browse = [Button(t(BROWSE), "t:")]
        if result.kind == "out_of_scope":
            page = IMMIGRATION_PAGE_FR if language == "fr" else IMMIGRATION_PAGE
            return Reply(
                t(
                    "That is outside what I know: I only cover Canada's Express Entry (the CRS score, the "
                    "Federal Skilled Worker, Federal Skilled Trades and Canadian Experience Class programs, and "
                    "their draws). For other questions, IRCC's pages start here: {page}",
                    page=page,
                ),
                browse,
            )
        return Reply(
            t(
                "I don't know the answer to that one, and I would rather say so than guess. "
                "You can browse the questions I can answer, or ask in other words."
            ),
            browse,
        )

    def entry(self, entry: FaqEntry, language: str | None = None) -> Reply:
        """One entry in ``language`` (English where it has no translation), with its source and date checked."""
        text, t = entry.text(_known(language) or SOURCE_LANGUAGE), self.languages.get(language)
        checked = (text.checked if text.source is not None and text.checked else None) or entry.checked
        source = text.source or entry.source
        cited = t("Source: {url} (checked {day})", url=source, day=checked.isoformat())
        lines = [text.question, "", text.answer, "", cited]
        note = _note_for_people(entry, text)
        if note:
            lines.append(t("About this source: {note}", note=t(note) if note == ENGLISH_PAGE_ONLY else note))
        return Reply("\n".join(lines))

    def topic_list(self, language: str | None = None) -> Reply:
        """/topics: a button per topic, its label in the chat's language (the labels are msgids of the catalog,
        enumerated from knowledge/data/faq/topics.yaml by flows/i18n/extract.py)."""
        t = self.languages.get(language)
        return Reply(
            t("Pick a topic, or type your question at any moment (for example: what is an ECA?)."),
            [Button(t(topic.label), f"t:{topic.tag}") for topic in self.topics],
        )

    def topic(self, tag: str, language: str | None = None) -> Reply | None:
        """A topic's entries, each a button with its question in the chat's language (English without one)."""
        t, known = self.languages.get(language), _known(language) or SOURCE_LANGUAGE
        label = next((topic.label for topic in self.topics if topic.tag == tag), None)
        entries = self.retriever.kb.tagged(tag)
        if label is None or not entries:
            return None
        buttons = [Button(e.text(known).question, f"q:{e.id}") for e in entries]
        return Reply(t("{topic}: tap a question.", topic=t(label)), buttons)

    def by_button(self, data: str, language: str | None = None) -> Reply | None:
        """The reply for a ``q:`` or ``t:`` button (an entry in the chat's language), or None when it points at
        nothing (an old button)."""
        kind, _, rest = data.partition(":")
        if kind == "q":
            entry = self.retriever.by_id.get(rest)
            return self.entry(entry, language) if entry is not None else None
        if kind == "t":
            return self.topic_list(language) if not rest else self.topic(rest, language)
        return None


def _ids(result: FaqResult) -> list[str]:
    """The entries the retriever picked (its answer) or offered (its suggestions), best first."""
    if result.kind == "answer" and result.entry is not None:
        return [result.entry.id]
    return [e.id for e in result.suggestions[:1]]


def _and(t: Translator, words: list[str]) -> str:
    return words[0] if len(words) == 1 else t("{items} and {last}", items=", ".join(words[:-1]), last=words[-1])


def _unique(buttons: list[Button]) -> list[Button]:
    seen: set[str] = set()
    return [b for b in buttons if not (b.data in seen or seen.add(b.data))]
