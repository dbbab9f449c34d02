"""The dialogue: a ``transitions`` state machine over the question table, and the replies it makes.

Nothing here knows Telegram: the edges (console, Telegram, tests) pass a :class:`Session` and the
person's text or button, get :class:`Reply` objects back (one per turn, the final result aside), and
store the session.

Navigation, with one invariant: the next question is a function of the answers, never of a history.
- ``resume`` (every accepted answer, Keep, /restart's "No") enters the table at its first question;
  on entering a question that does not apply (its ``when`` predicate is false) or is already
  answered, the machine ``advance``s, so it stops at the FIRST needed-but-unanswered question in
  table order, and reaches DONE only when every needed question is answered.
- /back goes to the previous answered question in table order (the job loop walked job by job):
  its answer is set aside, shown with a Keep button, and restored by Keep.
- /edit shows every answer with its current value; choosing one asks it again with a Keep button,
  the answer staying in place until a new one is given. A changed answer sets aside the answers that
  depend on it, which ``resume`` then asks again, each with its earlier answer behind a Keep button (offered
  only while the question applies and the answer, read as if typed, is not refused), before returning to where
  the person was. /summary, /edit and /score list set-aside answers as to be confirmed (not counted until kept).
- The work history is a list of jobs: each one's details are changed, a job deleted or one added,
  one at a time. Buttons name questions and jobs (index plus a fingerprint), never positions.
- /restart asks for confirmation first; its "yes" button is only good for the answers it was asked about.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from transitions import Machine

from flows.answers import (
    DAY_FIRST,
    LANGUAGE_RESULT_QUESTIONS,
    READ_IN,
    Accepted,
    Invalid,
    Options,
    Unsure,
    asks_something,
    language_gap_msg,
    read_answer,
    score_hint_msg,
)
from flows.faq_replies import Asker, FaqReplies, looks_like_question
from flows.i18n import LANGUAGE_NAMES, LANGUAGES, N_, SOURCE_LANGUAGE, Languages, Translator, default_languages
from flows.profile_builder import job_period
from flows.questions import (
    BY_ID,
    DONE,
    JOB_LOOP,
    LATER_SECTIONS,
    NO,
    QUESTIONS,
    SECTION_OF,
    SECTIONS,
    YES,
    Choice,
    Question,
    choices_for,
    partner_scored,
    prompt_for,
)
from flows.replies import Button, Reply, merge
from flows.results import Results
from knowledge.faq.language import detect_language
from knowledge.faq.personal import PersonalEngines
from knowledge.language import LanguageScoreError, LanguageTest, convert, default_language_tables, tef_scale_unclear
from knowledge.programs.federal import default_program_rules
from knowledge.vocabulary import EDUCATION_LEVELS, PARTNERED
from knowledge.work import WorkPeriod, counts_for_crs_canadian, years_of

START = "start"
DATES_ASKED = "dates_asked"  # an answers key (not a question): /dates was used, so its questions apply
DATE_QUESTIONS = ("eca_date", "ee_profile")
FRENCH_OFFERED = "offered:fr"  # a notes_seen key: the French offer was made in this chat
OFFER_FRENCH = N_("I speak French too: tap Français, or send /langue (your answers are kept).")
SCHEMA_VERSION = 1
FIRST = QUESTIONS[0].id
JOB_ADD = "job_add"
AFTER_LOOP = QUESTIONS[[q.id for q in QUESTIONS].index(JOB_LOOP[-1]) + 1].id
STATES = [START, *(q.id for q in QUESTIONS), DONE]
ORDER = {q.id: index for index, q in enumerate(QUESTIONS)}


def _transitions() -> list[dict[str, Any]]:
    """States and transitions as data: a chain through the table, the job loop, resume and restart."""
    ids = [q.id for q in QUESTIONS]
    out: list[dict[str, Any]] = [{"trigger": "advance", "source": START, "dest": FIRST}]
    for index, qid in enumerate(ids):
        following = ids[index + 1] if index + 1 < len(ids) else DONE
        if qid == JOB_ADD:
            out.append({"trigger": "advance", "source": qid, "dest": JOB_LOOP[0], "conditions": "adding_job"})
            out.append({"trigger": "advance", "source": qid, "dest": AFTER_LOOP, "unless": "adding_job"})
        elif qid == JOB_LOOP[-1]:
            out.append({"trigger": "advance", "source": qid, "dest": JOB_ADD, "before": "close_job"})
        else:
            out.append({"trigger": "advance", "source": qid, "dest": following})
    # from anywhere to the first needed-but-unanswered question (the skips do the walking)
    out.append({"trigger": "resume", "source": "*", "dest": FIRST})
    out.append({"trigger": "restart", "source": "*", "dest": FIRST, "before": "clear_all"})
    return out


TRANSITIONS = _transitions()


class Session(BaseModel):
    """Everything stored for one chat. New fields have defaults, so sessions stored before them load."""

    chat_id: int
    state: str = START
    answers: dict[str, Any] = Field(default_factory=dict)
    history: list[str] = Field(default_factory=list)  # no longer read: the next question comes from the answers
    pending: list[Choice] = Field(default_factory=list)
    editing: str | None = None  # the question /edit is asking again (its answer stays until a new one)
    asking: bool = False  # after a bare /ask: the next message is a question for the knowledge base
    # the edge's recently handled update ids, so an update delivered again after a crash is not applied twice
    # (a set, not a maximum: Telegram may restart its ids at random after a week of silence)
    recent_updates: list[int] = Field(default_factory=list)
    version: int = SCHEMA_VERSION
    set_aside: dict[str, Any] = Field(default_factory=dict)  # answers /back took away, offered again by Keep
    editing_job: int | None = None  # the filed job whose detail (``editing``) is being changed
    language: str | None = None  # "en"/"fr": from Telegram's language_code on first contact, then /language
    notes_seen: list[str] = Field(default_factory=list)  # notes told once per chat (an unconfirmed rule change)
    forget_asked: bool = False  # a /forget confirmation is open: its Yes deletes; No closes it (an old Yes: stale)


class Rules:
    """The questions' ``when`` predicates, named as the question table names them, over a chat's answers."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers

    def applies(self, question: Question) -> bool:
        return question.when is None or bool(getattr(self, question.when)())

    def is_partnered(self) -> bool:
        return self.answers.get("marital") in PARTNERED

    def partner_not_canadian(self) -> bool:
        return self.is_partnered() and self.answers.get("spouse_citizen") == "no"

    def partner_counts(self) -> bool:
        return partner_scored(self.answers)

    def partner_has_test(self) -> bool:
        return self.partner_counts() and self.answers.get("spouse_test", "none") != "none"

    def partner_has_education(self) -> bool:
        """A partner's credential that can earn points (a foreign one, secondary school included, only with an
        ECA, as the principal's: crs-rules.md §7.2), so whether it is Canadian or assessed is asked."""
        return self.partner_counts() and self.answers.get("spouse_education", "less_than_secondary") != (
            "less_than_secondary"
        )

    def has_education(self) -> bool:
        return self.answers.get("education", "less_than_secondary") != "less_than_secondary"

    # --- a TEF Canada result whose numbers fit both columns of the certificate ---
    def _tef_unclear(self, prefix: str) -> bool:
        scores = self.answers.get(f"{prefix}_scores")
        if self.answers.get(f"{prefix}_test") != "tef_canada" or not isinstance(scores, dict):
            return False
        day = self.answers.get(f"{prefix}_date")
        return tef_scale_unclear(default_language_tables(), scores, date.fromisoformat(day) if day else None)

    def lang1_tef_unclear(self) -> bool:
        return self.has_lang1() and self._tef_unclear("lang1")

    def lang2_tef_unclear(self) -> bool:
        return self.has_lang2() and self._tef_unclear("lang2")

    def spouse_tef_unclear(self) -> bool:
        return self.partner_has_test() and self._tef_unclear("spouse")

    # --- questions that can change nothing for this person are not asked ---
    def _jobs(self) -> list[dict[str, Any]]:
        return [j for j in self.answers.get("jobs", []) if isinstance(j, dict) and j.get("job_noc")]

    def fsw_possible(self) -> bool:
        """FSW needs a year of skilled (TEER 0-3) work: without any, its adaptability points cannot matter.
        (The second digit of a NOC 2021 code is its TEER.)"""
        return any(str(j["job_noc"])[1:2] in ("0", "1", "2", "3") for j in self._jobs())

    def _latest_date(self) -> date | None:
        """The latest date in the answers: today is at least that (no answer may be a future date)."""
        found = [
            v
            for v in [*self.answers.values(), *(x for j in self._jobs() for x in j.values())]
            if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[:4].isdigit()
        ]
        return date.fromisoformat(max(found)) if found else None

    def adaptability_capped(self) -> bool:
        """A year of Canadian work already gives the FSW adaptability maximum (10 points, the grid's own rule:
        ``Profile.canadian_years`` >= 1), so a relative or Canadian study adds nothing. The years are counted by
        knowledge.work up to the latest date in the answers (an ongoing job no further), so never overstated."""
        latest = self._latest_date()
        if latest is None:
            return False
        try:
            periods = [WorkPeriod.model_validate(job_period(j)) for j in self._jobs()]
        except (KeyError, ValueError):
            return False  # a job not complete yet: asked, as before
        return years_of(periods, counts_for_crs_canadian, latest) >= 1.0

    def relative_can_matter(self) -> bool:
        return self.no_sibling() and self.fsw_possible() and not self.adaptability_capped()

    def study_can_matter(self) -> bool:
        return self.fsw_possible() and not self.adaptability_capped()

    def spouse_study_can_matter(self) -> bool:
        return self.partner_counts() and self.fsw_possible() and not self.adaptability_capped()

    def coq_can_matter(self) -> bool:
        """A certificate of qualification earns CRS points only with CLB 5+ in every first-language ability,
        and opens FST only with work in a skilled trade: with neither, it cannot change anything."""
        trades = default_program_rules()
        if any(trades.is_trade(str(j["job_noc"])) for j in self._jobs()):
            return True
        scores = self.answers.get("lang1_scores")
        if not self.has_lang1() or not isinstance(scores, dict):
            return False
        day = self.answers.get("lang1_date")
        variant = self.answers.get("lang1_tef_scale")
        try:
            levels = convert(
                default_language_tables(),
                LanguageTest(self.answers["lang1_test"]),
                scores,
                date.fromisoformat(day) if day else None,
                variant,
            )
        except (LanguageScoreError, ValueError):
            return True  # cannot tell: ask
        return min(levels) >= 5

    def has_post_secondary(self) -> bool:
        level = self.answers.get("education")
        return level is not None and EDUCATION_LEVELS.index(level) >= EDUCATION_LEVELS.index("one_year")

    def has_lang1(self) -> bool:
        return self.answers.get("lang1_test", "none") != "none"

    def has_lang2(self) -> bool:
        return self.has_lang1() and self.answers.get("lang2_test", "none") != "none"

    def has_coq(self) -> bool:
        return self.answers.get("coq") == "yes"

    def has_offer(self) -> bool:
        return self.answers.get("job_offer") == "yes"

    def no_sibling(self) -> bool:
        return self.answers.get("sibling") == "no"

    def needs_funds(self) -> bool:
        return not (self.has_offer() and self.answers.get("authorized") == "yes")

    def adding_job(self) -> bool:
        return self.answers.get(JOB_ADD) == "yes"

    def dates_wanted(self) -> bool:
        """The person asked for their dates (/dates): the documents' dates are then worth asking."""
        return self.answers.get(DATES_ASKED) in ("yes", "after_result")

    def has_eca(self) -> bool:
        """An ECA declared: its issue date is asked (it counts for 5 years: knowledge/data/validity)."""
        return self.has_education() and self.answers.get("education_proof") == "eca"

    def answered(self, question: Question) -> bool:
        if question.in_job_loop:
            return question.id in self.answers.get("job_draft", {})
        return question.id in self.answers

    def needed(self, question: Question) -> bool:
        """Asked now: it applies, is not answered, and (in the job loop) a job is being added."""
        if not self.applies(question) or self.answered(question):
            return False
        return self.adding_job() if question.in_job_loop else True


class Conversation(Rules):
    """The ``transitions`` model for one chat: the predicates, the callbacks, no I/O."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.answers)
        self.session = session
        self.state: str = session.state

    def bind(self, session: Session) -> None:
        """Be the model of ``session`` (the machine's one model serves every chat in turn)."""
        self.answers = session.answers
        self.session = session
        self.state = session.state

    # --- callbacks ---
    def skip_if_not_needed(self) -> None:
        if self.state in BY_ID and not self.needed(BY_ID[self.state]):
            self.advance()  # type: ignore[attr-defined]  # trigger added by transitions

    def close_job(self) -> None:
        """Past the last question of a job: file the job, and ask 'add a job?' again."""
        draft = self.answers.pop("job_draft", {})
        self.answers.setdefault("jobs", []).append(draft)
        self.answers.pop(JOB_ADD, None)
        _drop_loop_set_aside(self.session)

    def clear_all(self) -> None:
        session = self.session
        session.answers.clear()
        session.history.clear()
        session.pending.clear()
        session.set_aside.clear()
        session.editing = None
        session.editing_job = None


class ConversationMachine:
    """One ``transitions`` machine for every chat, with one model: each move binds the model to the chat's
    session, sets it at its saved state and fires one trigger; nothing of the chat is kept between moves.
    (Adding and removing a model per move cost two thirds of a move; a machine per move 4x more.) One move
    at a time, as the machine's queue of transitions already requires."""

    def __init__(self) -> None:
        self._model = Conversation(Session(chat_id=0))
        self._idle = Session(chat_id=0)
        self.machine = Machine(
            model=self._model,
            states=[{"name": s, "on_enter": "skip_if_not_needed"} for s in STATES],
            transitions=TRANSITIONS,
            initial=START,
            auto_transitions=False,
            queued=True,
            ignore_invalid_triggers=False,
        )

    def fire(self, session: Session, trigger: str) -> None:
        conversation = self._model
        try:
            conversation.bind(session)
            self.machine.set_state(session.state, model=conversation)
            getattr(conversation, trigger)()
            state = conversation.state
        finally:
            conversation.bind(self._idle)
        session.state = state


def dependents(question_id: str) -> set[str]:
    """The questions that depend on ``question_id``, directly or through others."""
    found: set[str] = set()
    frontier = {question_id}
    while frontier:
        new = {q.id for q in QUESTIONS if set(q.depends_on) & frontier} - found
        found |= new
        frontier = new
    return found


def _drop_loop_set_aside(session: Session) -> None:
    for field in JOB_LOOP:
        session.set_aside.pop(field, None)


def job_ref(index: int, job: dict[str, Any]) -> str:
    """A job's id in buttons: its index and a fingerprint of what it is, so a button made before a
    deletion or a change cannot land on another job."""
    mark = zlib.crc32(f"{job.get('job_noc')}|{job.get('job_start')}".encode()) & 0xFFFF
    return f"{index}-{mark:04x}"


HELP = N_(
    "I ask the Express Entry questions one at a time, then compute your CRS score with every point "
    "explained, check the Federal Skilled Worker, Federal Skilled Trades and Canadian Experience Class "
    "minimums, and the category-based draws you fit.\n\n"
    'Ask me a question at any moment ("what is an ECA?", "does my online degree count?"): I answer from a '
    "curated list with its official source, then we go back to the questionnaire.\n\n"
    "Commands: /back the previous question, /edit change an earlier answer, /summary all your answers on one "
    "screen, /score your result so far, /ask a question, /topics browse the questions I can answer, "
    "/dates your deadlines (birthdays that change your points, test and ECA expiry), /remind reminders and "
    "draw alerts, /restart start again (I ask first), /cancel pause (your answers stay), /forget delete "
    "everything I stored for this chat, /help this message.\n\n"
    "I am a rules-based tool, not legal advice: check the official pages on canada.ca before you act."
)
ALL_DONE = N_(
    "You have answered every question. /score shows your result, /edit or /summary changes an answer, "
    "and you can ask me a question at any time."
)
STALE = N_("That button belongs to an earlier question.")
WELCOME = N_("You're welcome! /score shows your result again, /dates your dates; ask me anything about Express Entry.")
# a thank-you after the result ("thanks!", "merci beaucoup"): answered as one, not with the questionnaire's state
_THANKS = re.compile(
    r"((ok|okay|great|cool|perfect|parfait|super) )?(thanks?( you)?|thank u|thx|ty|tysm|cheers|merci( beaucoup)?)"
    r"( (so much|a lot|very much|bot|maple|beaucoup))*( (ok|okay|great))?"
)
STALE_WHAT_IF = N_("That what-if belongs to an earlier result: your answers have changed since.")
LANGUAGE_HELP = N_("Language: /language (en français : /langue).")
BACK = Button(N_("« Back"), "nav:back")
CONTINUE = Button(N_("Continue where I was"), "go:continue")


class Dialogue:
    """Turns a person's messages into replies and session changes, with injected services."""

    def __init__(
        self,
        results: Results,
        noc_index: Any,
        today: Callable[[], date],
        faq: FaqReplies | None = None,
        machine: ConversationMachine | None = None,
        languages: Languages | None = None,
    ) -> None:
        self.results = results
        self.noc = noc_index
        self.today = today
        self.faq = faq
        self.machine = machine or ConversationMachine()
        self.languages = languages or default_languages()
        self.personal = PersonalEngines(results.scorer, results.eligibility)  # personal answers: the same engines

    def _t(self, session: Session) -> Translator:
        """The chat's translator (English until a language is set)."""
        return self.languages.get(session.language)

    def _help_reply(self, session: Session) -> list[Reply]:
        """/help: the commands, then the pending question again (as after every other aside)."""
        return [self._with_question(session, Reply(self._help(session)))]

    def _help(self, session: Session) -> str:
        t = self._t(session)
        return f"{t(HELP)}\n\n{t(LANGUAGE_HELP)}"

    # --- entry points -------------------------------------------------------------------------
    def start(self, session: Session) -> list[Reply]:
        t = self._t(session)
        if session.state == START or (session.state != DONE and not session.answers and not session.set_aside):
            # nothing answered yet (a first /start, or /start again after the greeting or a first message):
            # a new person is greeted as new, never "welcome back"
            self._resume(session)
            return [merge(Reply(t("Hello! I am Maple.") + " " + self._help(session)), self.ask(session))]
        if session.state == DONE:
            return [
                Reply(
                    t(
                        "Welcome back! You have answered everything. /score shows your result, /edit or /summary "
                        "changes an answer, /restart starts again."
                    )
                )
            ]
        return [merge(Reply(t("Welcome back! Let's continue where you stopped.")), self.ask(session))]

    def text(self, session: Session, text: str) -> list[Reply]:
        return self._offer_french(session, text, self._text(session, text))

    def _offer_french(self, session: Session, text: str, replies: list[Reply]) -> list[Reply]:
        """French typed in a chat that is not French ("bonjour, vous parlez français ?"): once per chat, say in
        French that Maple speaks it, with the button that switches (the answers are kept)."""
        if session.language == "fr" or FRENCH_OFFERED in session.notes_seen or not replies:
            return replies
        if detect_language(text) != "fr":
            return replies
        session.notes_seen.append(FRENCH_OFFERED)
        first = replies[0]
        offered = merge(Reply(self.languages.get("fr")(OFFER_FRENCH)), first)
        offered.buttons = [*first.buttons, Button(LANGUAGE_NAMES["fr"], "lang:fr")]  # the question's come first
        return [offered, *replies[1:]]

    def _text(self, session: Session, text: str) -> list[Reply]:
        if session.asking:
            session.asking = False
            return [self._with_question(session, self._faq_reply(text, session))]
        # a question by its form, or by the answer readers' own test (a "?" inside: "anyone know the wait? submitted
        # in june"): the two agree, so a text the readers refuse as a question is the knowledge base's
        asked = self.faq is not None and (looks_like_question(text) or asks_something(text))
        if session.state == START:
            if not asked:
                return self.start(session)
            answer = self._faq_reply(text, session)
            greeting = self.start(session)[0]  # the first question's buttons first, the entries' after them
            return [Reply(merge(answer, greeting).text, self.ask(session, extra=answer.buttons).buttons)]
        if session.state == DONE:
            if _THANKS.fullmatch(_folded(text)):
                return [Reply(self._t(session)(WELCOME))]
            if self.faq is not None:
                result, shown = self.faq.ask(text, self._asker(session))
                if asked or result.kind != "dont_know":
                    return [shown]
            return [Reply(self._t(session)(ALL_DONE))]
        question = BY_ID[session.state]
        if session.pending:
            choice = _match_pending(session.pending, text)
            if choice is not None:
                return self._accept(session, question, Accepted(choice.id, note=choice.label))
        if self.faq is not None and _word_asked(text):  # "eca?" at "do you have an ECA?": asked, not answered
            _, shown = self.faq.ask(text, self._asker(session))
            return [self._with_question(session, shown)]
        translated = self._translated_choice(session, question, text)  # a choice typed as its button reads
        if translated is not None:
            return self._accept(session, question, Accepted(translated.id))
        # the answer first: the knowledge base only hears what is not an answer to the pending question
        outcome = read_answer(question, text, self._context(session), self.today(), self.noc)
        if isinstance(outcome, Accepted):
            return self._accept(session, question, outcome)
        if text.strip().lower() == "keep" and self._kept(session) is not None:
            return self._keep(session, question.id)
        if self.faq is not None:
            result, shown = self.faq.ask(text, self._asker(session))  # the knowledge base is asked once per message
            if asked and (isinstance(outcome, Invalid) or result.kind != "dont_know"):
                return [self._with_question(session, shown)]
            if isinstance(outcome, Invalid) and (_wordy(text) or _one_word(text)):
                if (result.kind == "answer" and result.entry is not None) or result.kind == "out_of_scope":
                    # a topic typed without "?" ("ielts validity", "noc", "study permit for my son"): no answer, and the
                    # knowledge base is sure of its reply (or that it is outside Express Entry): that reply, then
                    # the same question, nothing stored
                    return [self._with_question(session, shown)]
                if result.kind == "suggest" and result.suggestions:
                    # not sure: the closest entries offered under the question, not instead of it
                    offers = [Button(f"❓ {e.text(result.language).question}", f"q:{e.id}") for e in result.suggestions]
                    return [merge(Reply(self._said(session, outcome)), self.ask(session, extra=offers))]
            if (
                (isinstance(outcome, Invalid) or (isinstance(outcome, Options) and not isinstance(outcome, Unsure)))
                and result.kind == "answer"
                and result.entry is not None
                and len(re.findall(r"[^\W\d_]{2,}", text)) >= 3
            ):
                # words that are no answer, but that an entry answers: offer it under the question, not instead of it
                # (under the readings offered too: "noc code for software developer" at the job title)
                offer = Button(f"❓ {result.entry.text(result.language).question}", f"q:{result.entry.id}")
                if isinstance(outcome, Options):
                    session.pending = outcome.choices
                return [merge(Reply(self._said(session, outcome)), self.ask(session, extra=[offer]))]
        return self._handle(session, question, outcome)

    def button(self, session: Session, data: str) -> list[Reply]:
        kind, _, rest = data.partition(":")
        if kind == "nav" or (kind == "go" and rest in ("summary", "continue", "edit")):
            return self.command(session, rest)  # nav: the /back button; go: the menus' own buttons
        if kind == "lang":
            return self._set_language(session, rest)
        if kind in ("q", "t") and self.faq is not None:
            shown = self.faq.by_button(data, session.language)
            if shown is None:
                gone = Reply(self._t(session)("That topic is no longer there: /topics lists the current ones."))
                return [self._with_question(session, gone)]
            return [self._with_question(session, shown) if kind == "q" else shown]
        handlers: dict[str, Callable[[Session, str], list[Reply]]] = {
            "e": self._edit_one,
            "k": self._keep,
            "r": self._restart_answer,
            "j": self._job_screen,
            "jf": self._edit_job_field,
            "jd": self._delete_job_ask,
            "jx": self._delete_job,
            "ja": lambda s, _: self._add_job(s),
            "res": self._result_detail,
            "wi": self._what_if,
        }
        if kind in handlers:
            return handlers[kind](session, rest)
        qid, _, value = rest.partition(":")
        if kind != "a" or session.state != qid or qid not in BY_ID:
            return [self._with_question(session, Reply(self._t(session)(STALE)))]
        question = BY_ID[qid]
        choice = next((c for c in [*choices_for(question, session.answers), *session.pending] if c.id == value), None)
        if choice is None:
            return [self._with_question(session, Reply(self._t(session)(STALE)))]
        note = self._label(self._t(session), question, choice) if session.pending else ""
        return self._accept(session, question, Accepted(choice.id, note=note))

    def command(self, session: Session, name: str, args: str = "") -> list[Reply]:
        if name == "ask":
            return self._ask(session, args)
        handlers: dict[str, Callable[[Session], list[Reply]]] = {
            "start": self.start,
            "help": self._help_reply,
            "language": self._language_menu,
            "langue": self._language_menu,
            "back": self._back,
            "edit": self._edit_menu,
            "summary": self._summary,
            "continue": lambda s: [self._where(s)],
            "restart": self._restart,
            "cancel": self._cancel,
            "score": self._score,
            "topics": self._topics,
            "dates": self._dates,
        }
        handler = handlers.get(name)
        if handler is None:
            return [Reply(self._t(session)("I don't know that command. /help lists them."))]
        return handler(session)

    # --- the person's language ----------------------------------------------------------------
    def _language_menu(self, session: Session) -> list[Reply]:
        buttons = [Button(LANGUAGE_NAMES[lang], f"lang:{lang}") for lang in LANGUAGES]
        return [Reply(self._t(session)("Which language do you want? / Quelle langue voulez-vous ?"), buttons)]

    def _set_language(self, session: Session, language: str) -> list[Reply]:
        """Change the chat's language: every answer stays, the pending question is asked again in it."""
        if language in LANGUAGES:
            session.language = language
        return [merge(Reply(self._t(session)("I will speak English from now on.")), self._where(session))]

    def _translated_choice(self, session: Session, question: Question, text: str) -> Choice | None:
        """A choice typed exactly as its translated button reads ("Célibataire (jamais marié·e)")."""
        t = self._t(session)
        if t.language == "en":
            return None
        typed = _folded(text)
        offered = session.pending or choices_for(question, session.answers)
        return next((c for c in offered if typed and _folded(self._label(t, question, c)) == typed), None)

    def _label(self, t: Translator, question: Question, choice: Choice) -> str:
        """A choice's label in the chat's language (a label made from a table's, e.g. a TEF column's, keeps
        what was added to it)."""
        base = next((c.label for c in question.choices if c.id == choice.id and choice.label.startswith(c.label)), "")
        if base:
            return t(base) + choice.label[len(base) :]
        if question.kind == "noc" and (group := self.noc.get(choice.id)) is not None:  # titled in the chat's language
            title = group.title_for(t.language)
            return t("{code} {title} (TEER {teer})", code=group.code, title=title, teer=str(group.teer))
        if question.kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", choice.id):  # a reading of a typed date
            return t.format_date(date.fromisoformat(choice.id))
        return t(choice.label)

    def _said(self, session: Session, outcome: Accepted | Invalid | Options) -> str:
        """An answer reader's message in the chat's language."""
        t = self._t(session)
        if outcome.msg is not None:
            return t.render(outcome.msg)
        return t(outcome.note if isinstance(outcome, Accepted) else outcome.message)

    # --- asking -------------------------------------------------------------------------------
    def ask(self, session: Session, extra: list[Button] | None = None) -> Reply:
        """The pending question: the progress line, the prompt, the current answer if any, its buttons."""
        t = self._t(session)
        if session.state not in BY_ID:
            return Reply(t("All done."))
        question = BY_ID[session.state]
        prompt = t(prompt_for(question, session.answers))
        if question.kind == "scores":
            prompt += "\n" + t.render(score_hint_msg(question, session.answers))
        if question.in_job_loop:
            prompt = t("Job {number}: {prompt}", number=self._job_number(session), prompt=prompt)
        lines = [self._progress(session, question), prompt]
        buttons: list[Button] = []
        kept = self._kept(session)
        if kept is not None:
            shown = self._shown(question, kept, t)
            if session.editing == question.id:
                lines.append(t("Current answer: {answer}. Tap Keep, or send the new one.", answer=shown))
            else:
                lines.append(t("Your earlier answer: {answer}. Tap Keep, or send a new one.", answer=shown))
            buttons.append(Button(t("Keep: {answer}", answer=shown), f"k:{question.id}"))
        offered = session.pending or choices_for(question, session.answers)
        buttons.extend(Button(self._label(t, question, c), f"a:{question.id}:{c.id}") for c in offered)
        buttons.extend(extra or [])  # offers (❓ entries) after the question's own, so its choices keep their numbers
        if session.editing_job is not None or self._back_step(session) is not None:
            buttons.append(Button(t(BACK.label), BACK.data))
        return Reply("\n".join(lines), buttons)

    def _progress(self, session: Session, question: Question) -> str:
        # answers /back set aside still count, so the number of steps does not flicker on the way back
        rules, name = Rules({**session.set_aside, **session.answers}), SECTION_OF[question.id]
        if name in LATER_SECTIONS:
            return self._t(session)(name)
        shown = [
            s
            for s, ids in SECTIONS
            if s not in LATER_SECTIONS and (s == name or any(rules.applies(BY_ID[i]) for i in ids))
        ]
        return self._t(session)(
            "Step {step} of {total} · {section}",
            step=shown.index(name) + 1,
            total=len(shown),
            section=self._t(session)(name),
        )

    def _where(self, session: Session) -> Reply:
        """Where the person is: the pending question, or the closing line."""
        if session.state in BY_ID:
            return self.ask(session)
        if session.state == DONE:
            return Reply(self._t(session)(ALL_DONE))
        return Reply(self._t(session)("Send /start to begin."))

    def _with_question(self, session: Session, *replies: Reply) -> Reply:
        """The replies and the pending question as one message: the replies' texts, then the question's; the
        question's own buttons (Keep, its choices) first and the replies' after them (❓ entries, a result's
        details), so a choice keeps its number on the console whatever is offered with it."""
        said = merge(*replies, all_buttons=True)
        if session.state in BY_ID:
            return merge(Reply(said.text, html=said.html), self.ask(session, extra=said.buttons))
        return said

    def _job_number(self, session: Session) -> int:
        if session.editing_job is not None:
            return session.editing_job + 1
        return len(session.answers.get("jobs", [])) + 1

    # --- answering ----------------------------------------------------------------------------
    def _context(self, session: Session) -> dict[str, Any]:
        """The answers an answer is read against (a filed job's details when one of them is changed)."""
        jobs = session.answers.get("jobs", [])
        extra: dict[str, Any] = {READ_IN: session.language} if session.language in DAY_FIRST else {}
        if session.editing_job is not None and session.editing_job < len(jobs):
            extra["job_draft"] = jobs[session.editing_job]
        return {**session.answers, **extra} if extra else session.answers

    def _kept(self, session: Session) -> Any | None:
        """The answer a Keep button would keep for the pending question, if there is one."""
        qid = session.state
        if qid not in BY_ID:
            return None
        jobs = session.answers.get("jobs", [])
        if session.editing_job is not None:
            return jobs[session.editing_job].get(qid) if session.editing_job < len(jobs) else None
        if session.editing == qid and qid in session.answers:
            return session.answers[qid]
        return self._set_aside_answer(session, BY_ID[qid])

    def _set_aside_answer(self, session: Session, question: Question, rules: Rules | None = None) -> Any | None:
        """An answer /back or an edit set aside, if it can still be kept: the question applies to the answers
        as they are now (or to ``rules``), and the answer, read as if typed again, is not refused (a family size
        of 1 after a new marital status of married is not offered)."""
        value = session.set_aside.get(question.id)
        if value is None or question.id in session.answers:
            return None
        rules = rules or Rules(session.answers)
        if not rules.applies(question):
            return None
        if question.in_job_loop:
            return value
        context = {**rules.answers, **self._context(session)}  # what it applies to fills what is set aside
        outcome = read_answer(question, _as_text(value), context, self.today(), self.noc)
        return None if isinstance(outcome, Invalid) else value

    def _handle(self, session: Session, question: Question, outcome: Accepted | Invalid | Options) -> list[Reply]:
        if isinstance(outcome, Invalid):
            return [merge(Reply(self._said(session, outcome)), self.ask(session))]
        if isinstance(outcome, Unsure):  # explained, and the likely answer marked on its button (never assumed)
            question_reply = self.ask(session)
            if outcome.best_guess is not None:
                guess = f"a:{question.id}:{outcome.best_guess.id}"
                for button in question_reply.buttons:
                    if button.data == guess:
                        button.label = self._t(session)("Best guess: {label}", label=button.label)
            return [merge(Reply(self._said(session, outcome)), question_reply)]
        if isinstance(outcome, Options):
            session.pending = outcome.choices
            return [merge(Reply(self._said(session, outcome)), self.ask(session))]
        return self._accept(session, question, outcome)

    def _accept(self, session: Session, question: Question, outcome: Accepted) -> list[Reply]:
        answers, qid, value = session.answers, question.id, outcome.value
        if session.editing_job is not None and question.in_job_loop:
            jobs = answers.get("jobs", [])
            if session.editing_job >= len(jobs):
                return self._stale_job(session)
            job = jobs[session.editing_job]
            end = job.get("job_end")
            if qid == "job_start" and end not in (None, "ongoing") and str(value) > str(end):
                after = self._t(session)("That is after the job's end ({end}). Please check it.", end=str(end))
                return [merge(Reply(after), self.ask(session))]
            job[qid] = value
        elif question.in_job_loop:
            if answers.get(JOB_ADD) != "yes":  # no job is being added: a filed job's detail whose index was lost
                self._resume(session)
                lost = self._t(session)("That change could not be applied: /edit changes a job.")
                return [merge(Reply(lost), self._where(session))]
            answers.setdefault("job_draft", {})[qid] = value
            session.set_aside.pop(qid, None)
        else:
            before = answers.get(qid, session.set_aside.get(qid))
            answers[qid] = value
            session.set_aside.pop(qid, None)
            if before != value:  # its dependents are asked again, each offering its earlier answer (Keep)
                for other in dependents(qid):
                    if other in answers:
                        session.set_aside[other] = answers.pop(other)
            if qid == JOB_ADD:
                answers.pop("job_draft", None)
                if value == "yes":
                    answers["job_draft"] = {}
                else:
                    _drop_loop_set_aside(session)
        session.pending = []
        self._resume(session)
        gap_msg = language_gap_msg(answers) if qid in LANGUAGE_RESULT_QUESTIONS else None
        gap = self._t(session).render(gap_msg) if gap_msg is not None else ""
        notes = [self._said(session, outcome) if outcome.note else "", gap]
        note = [Reply(" ".join(n for n in notes if n))] if any(notes) else []
        if session.state == DONE:
            final = self._final_or_dates(session, qid)
            return [merge(*note, final[0]), *final[1:]] if final else note
        return [merge(*note, self.ask(session))]

    def _keep(self, session: Session, qid: str) -> list[Reply]:
        value = self._kept(session) if qid == session.state else None
        if value is None:
            return [self._with_question(session, Reply(self._t(session)(STALE)))]
        question = BY_ID[qid]
        shown = self._shown(question, value)
        if session.editing_job is not None or session.editing == qid:
            self._resume(session)  # the answer never left: back to where the person was
            return [merge(Reply(self._t(session)("Kept: {answer}.", answer=shown)), self._where(session))]
        # an answer /back set aside: read again, as the answers before it may have changed since
        outcome = read_answer(question, _as_text(value), self._context(session), self.today(), self.noc)
        if isinstance(outcome, Accepted):
            return self._accept(session, question, Accepted(value))
        session.set_aside.pop(qid, None)
        return self._handle(session, question, outcome)

    def _resume(self, session: Session) -> None:
        """To the first needed-but-unanswered question in table order (or DONE)."""
        session.editing = None
        session.editing_job = None
        session.pending = []
        self.machine.fire(session, "resume")

    # --- navigation ---------------------------------------------------------------------------
    def _back_step(self, session: Session) -> tuple[str, str] | None:
        """What /back goes to: ("draft", field) of the job being added, ("reopen", field) of the last
        filed job, or ("answer", question) for the previous answered question in table order."""
        answers, state = session.answers, session.state
        draft = answers.get("job_draft") or {}
        if state in JOB_LOOP and answers.get(JOB_ADD) == "yes":
            earlier = [f for f in JOB_LOOP[: JOB_LOOP.index(state)] if f in draft]
            return ("draft", earlier[-1]) if earlier else ("answer", JOB_ADD)
        if state == JOB_ADD and JOB_ADD not in answers and answers.get("jobs"):
            filled = [f for f in JOB_LOOP if f in answers["jobs"][-1]]
            if filled:
                return ("reopen", filled[-1])
        rules = Rules(answers)
        for question in reversed(QUESTIONS[: ORDER.get(state, len(QUESTIONS))]):
            if not question.in_job_loop and question.id in answers and rules.applies(question):
                return ("answer", question.id)
        return None

    def _back(self, session: Session) -> list[Reply]:
        session.pending = []
        if session.editing_job is not None:  # leave the job's detail as it was
            self._resume(session)
            return [merge(Reply(self._t(session)("The job is unchanged.")), self._where(session))]
        step = self._back_step(session)
        if step is None:
            first = self._t(session)("This is the first question: there is nothing to go back to.")
            return [self._with_question(session, Reply(first))]
        kind, qid = step
        answers = session.answers
        if kind == "draft":
            session.set_aside[qid] = answers["job_draft"].pop(qid)
        elif kind == "reopen":
            job = answers["jobs"].pop()
            _drop_loop_set_aside(session)
            session.set_aside[qid] = job.pop(qid)
            answers["job_draft"] = job
            answers[JOB_ADD] = "yes"
        else:
            session.set_aside[qid] = answers.pop(qid)
            if qid == JOB_ADD:  # the job being added is set aside with it, detail by detail
                for field, value in (answers.pop("job_draft", None) or {}).items():
                    session.set_aside[field] = value
        session.editing = None
        session.state = qid
        return [self.ask(session)]

    def _answered(self, session: Session) -> list[Question]:
        """The answered questions that apply, in table order (the work history stands in for its loop)."""
        rules, answers = Rules(session.answers), session.answers
        shown = []
        for question in QUESTIONS:
            if question.id == JOB_ADD:
                if answers.get("jobs") or JOB_ADD in answers:
                    shown.append(question)
            elif not question.in_job_loop and question.id in answers and rules.applies(question):
                shown.append(question)
        return shown

    def _to_confirm(self, session: Session) -> list[Question]:
        """The questions whose earlier answer /back or an edit set aside and that still offer it with Keep,
        in table order (not counted in the score until kept or answered anew). One that applies once the others
        are kept is listed too (the ECA's date after the ECA itself)."""
        rules = Rules({**session.set_aside, **session.answers})
        return [q for q in QUESTIONS if not q.in_job_loop and self._set_aside_answer(session, q, rules) is not None]

    def _edit_menu(self, session: Session) -> list[Reply]:
        answered = self._answered(session)
        waiting = self._to_confirm(session)
        if not answered and not waiting:
            return [self._with_question(session, Reply(self._t(session)("There is nothing to change yet.")))]
        t = self._t(session)
        buttons = [
            Button(t("{label}: {answer}", label=t(q.label), answer=self._current(session, q)), f"e:{q.id}")
            for q in answered
        ]
        buttons += [
            Button(
                t("{label}: {answer} (to confirm)", label=t(q.label), answer=self._pending_shown(session, q)),
                f"e:{q.id}",
            )
            for q in waiting
        ]
        buttons += [Button(t("See all my answers"), "go:summary"), Button(t(CONTINUE.label), CONTINUE.data)]
        return [Reply(t("Which answer do you want to change? Each one shows its current value."), buttons)]

    def _summary(self, session: Session) -> list[Reply]:
        answered = self._answered(session)
        waiting = self._to_confirm(session)
        if not answered and not waiting:
            return [self._with_question(session, Reply(self._t(session)("You have not answered anything yet.")))]
        t = self._t(session)
        lines, buttons, section = [t("Your answers (tap one to change it):")], [], ""
        jobs = session.answers.get("jobs", [])
        for question in answered:
            if SECTION_OF[question.id] != section:
                section = SECTION_OF[question.id]
                lines.append(f"\n{t(section)}")
            if question.id != JOB_ADD:
                lines.append(
                    "  " + t("{label}: {answer}", label=t(question.label), answer=self._current(session, question))
                )
                buttons.append(Button(t("Change: {label}", label=t(question.label)), f"e:{question.id}"))
                continue
            lines.append(
                "  " + t("{label}: {answer}", label=t(question.label), answer=self._current(session, question))
            )
            for index, job in enumerate(jobs):
                lines.append("  " + t("Job {number}: {prompt}", number=index + 1, prompt=self._job_text(job, t)))
                buttons.append(Button(t("Change: job {number}", number=index + 1), f"j:{job_ref(index, job)}"))
        if waiting:
            lines.append("\n" + t("To confirm (asked again with your earlier answer; not counted until kept):"))
            for question in waiting:
                answer = self._pending_shown(session, question)
                lines.append("  " + t("{label}: {answer}", label=t(question.label), answer=answer))
                buttons.append(Button(t("Confirm: {label}", label=t(question.label)), f"e:{question.id}"))
        buttons.append(Button(t(CONTINUE.label), CONTINUE.data))
        return [Reply("\n".join(lines), buttons)]

    def _edit_one(self, session: Session, qid: str) -> list[Reply]:
        if qid == JOB_ADD:
            return [self._jobs_screen(session)]
        question = BY_ID.get(qid)
        if question is not None and question in self._to_confirm(session):
            if self._set_aside_answer(session, question) is None:  # it applies once earlier ones are confirmed
                self._resume(session)
                return [self._where(session)]
            session.pending = []
            session.editing = None  # not answered: asked with the set-aside answer behind Keep
            session.editing_job = None
            session.state = qid
            return [self.ask(session)]
        if question is None or question not in self._answered(session):
            menu = self._edit_menu(session)[0]
            gone = self._t(session)("That answer is not there any more: here is the list as it is now.")
            return [merge(Reply(gone), menu)]
        session.pending = []
        session.editing = qid
        session.editing_job = None
        session.state = qid
        return [self.ask(session)]

    def _restart(self, session: Session) -> list[Reply]:
        if not session.answers and not session.set_aside:
            return self._restart_answer(session, f"yes:{_answers_mark(session)}")
        mark, t = _answers_mark(session), self._t(session)
        return [
            Reply(
                t("Start again from the first question? All your answers will be cleared."),
                [Button(t("Yes, start again"), f"r:yes:{mark}"), Button(t("No, keep my answers"), "r:no")],
            )
        ]

    def _restart_answer(self, session: Session, choice: str) -> list[Reply]:
        """The confirmation's buttons: "yes" carries a mark of the answers it was asked about, so an old
        confirmation tapped after the answers changed clears nothing."""
        if choice == f"yes:{_answers_mark(session)}":
            self.machine.fire(session, "restart")
            return [merge(Reply(self._t(session)("Starting again from the first question.")), self.ask(session))]
        if choice == "no":
            return [merge(Reply(self._t(session)("Nothing changed: your answers are kept.")), self._where(session))]
        stale = Reply(self._t(session)("That button is out of date: nothing changed. /restart starts again."))
        return [merge(stale, self._where(session))]

    def _cancel(self, session: Session) -> list[Reply]:
        session.pending = []
        return [
            Reply(
                self._t(session)(
                    "Paused. Your answers are kept: send any message or /start to continue, or /forget to delete them."
                )
            )
        ]

    # --- the work history, one job at a time ----------------------------------------------------
    def _job_text(self, job: dict[str, Any], t: Translator) -> str:
        """One line for a job: what, where, when, how much, as what."""
        shown = {f: self._shown(BY_ID[f], job[f], t) for f in JOB_LOOP if f in job}
        parts = [shown.get("job_noc", "?"), shown.get("job_where", "?")]
        parts.append(t("{start} to {end}", start=shown.get("job_start", "?"), end=shown.get("job_end", "?")))
        parts += [t("{hours} h/week", hours=shown.get("job_hours", "?")), shown.get("job_kind", "?")]
        return ", ".join(parts)

    def _jobs_screen(self, session: Session, note: str = "") -> Reply:
        jobs, t = session.answers.get("jobs", []), self._t(session)
        lines = [t(note)] if note else []
        lines.append(t("Your work history: {jobs}.", jobs=_count(len(jobs), t)))
        lines.extend(f"{i + 1}. {self._job_text(job, t)}" for i, job in enumerate(jobs))
        buttons = [
            Button(t("Job {number}: {prompt}", number=i + 1, prompt=self._job_text(job, t)), f"j:{job_ref(i, job)}")
            for i, job in enumerate(jobs)
        ]
        if session.answers.get(JOB_ADD) == "yes":
            lines.append(t("Job {number} is being added: Continue finishes it.", number=len(jobs) + 1))
        else:
            buttons.append(Button(t("Add a job"), "ja:"))
        lines.append(t("Tap a job to change or delete it."))
        buttons += [Button(t("« All my answers"), "go:edit"), Button(t(CONTINUE.label), CONTINUE.data)]
        return Reply("\n".join(lines), buttons)

    def _job_at(self, session: Session, ref: str) -> int | None:
        jobs = session.answers.get("jobs", [])
        head, _, _ = ref.partition("-")
        if not head.isdigit() or int(head) >= len(jobs) or job_ref(int(head), jobs[int(head)]) != ref:
            return None
        return int(head)

    def _stale_job(self, session: Session) -> list[Reply]:
        note = N_("That job has changed since that button was made: here is the list as it is now.")
        return [self._jobs_screen(session, note)]

    def _job_screen(self, session: Session, ref: str) -> list[Reply]:
        index = self._job_at(session, ref)
        if index is None:
            return self._stale_job(session)
        job, t = session.answers["jobs"][index], self._t(session)
        buttons = [
            Button(
                t("{label}: {answer}", label=t(BY_ID[f].label), answer=self._shown(BY_ID[f], job.get(f, "-"), t)),
                f"jf:{ref}:{f}",
            )
            for f in JOB_LOOP
        ]
        buttons += [
            Button(t("Delete job {number}", number=index + 1), f"jd:{ref}"),
            Button(t("« All jobs"), "e:job_add"),
        ]
        said = t("Job {number}: {prompt}", number=index + 1, prompt=self._job_text(job, t))
        return [Reply(f"{said}\n{t('Tap a detail to change it.')}", buttons)]

    def _edit_job_field(self, session: Session, data: str) -> list[Reply]:
        ref, _, field = data.partition(":")
        index = self._job_at(session, ref)
        if index is None or field not in JOB_LOOP:
            return self._stale_job(session)
        session.pending = []
        session.editing = field
        session.editing_job = index
        session.state = field
        return [self.ask(session)]

    def _delete_job_ask(self, session: Session, ref: str) -> list[Reply]:
        index = self._job_at(session, ref)
        if index is None:
            return self._stale_job(session)
        job, t = session.answers["jobs"][index], self._t(session)
        return [
            Reply(
                t(
                    "Delete job {number} ({job})? Its details will be gone.",
                    number=index + 1,
                    job=self._job_text(job, t),
                ),
                [Button(t("Yes, delete it"), f"jx:{ref}"), Button(t("No, keep it"), f"j:{ref}")],
            )
        ]

    def _delete_job(self, session: Session, ref: str) -> list[Reply]:
        index = self._job_at(session, ref)
        if index is None:
            return self._stale_job(session)
        session.answers["jobs"].pop(index)
        if session.editing_job is not None:  # the jobs after it moved up: leave that change
            self._resume(session)
        return [self._jobs_screen(session, self._t(session)("Job {number} deleted.", number=index + 1))]

    def _add_job(self, session: Session) -> list[Reply]:
        if session.answers.get(JOB_ADD) != "yes":
            session.answers[JOB_ADD] = "yes"
            session.answers["job_draft"] = {}
            _drop_loop_set_aside(session)
        self._resume(session)
        return [self._where(session)]

    # --- the knowledge base -------------------------------------------------------------------
    def _asker(self, session: Session) -> Asker:
        """The chat's answers, for answers computed for the person (never changed by a question)."""
        return Asker(session.answers, self.today(), self.personal, session.language)

    def _faq_reply(self, text: str, session: Session) -> Reply:
        if self.faq is None:
            return Reply(N_("I cannot answer questions right now."))
        return self.faq.ask(text, self._asker(session))[1]

    def _ask(self, session: Session, question: str) -> list[Reply]:
        if self.faq is None:
            return [self._with_question(session, Reply(self._t(session)("I cannot answer questions right now.")))]
        if not question.strip():
            session.asking = True
            return [
                Reply(
                    self._t(session)(
                        "What is your question? Type it in your own words, e.g. does my online degree count?"
                    )
                )
            ]
        return [self._with_question(session, self._faq_reply(question, session))]

    def _topics(self, session: Session) -> list[Reply]:
        if self.faq is None:
            return [self._with_question(session, Reply(self._t(session)("I cannot answer questions right now.")))]
        return [self.faq.topic_list(session.language)]

    def _result_detail(self, session: Session, key: str) -> list[Reply]:
        """A detail of the result (breakdown, programs, categories, moves, notes), behind its button."""
        details = self.results.detail(key, session.answers, self.today(), session.language)
        if session.state in BY_ID:  # tapped on an old result while answering: the question stays in view
            if details[-1].chart is not None:  # a picture keeps its own message: the question follows it
                return [*details, self.ask(session)]
            return [*details[:-1], self._with_question(session, details[-1])]
        return details

    def _final_or_dates(self, session: Session, qid: str) -> list[Reply]:
        """On reaching the end: the result; after a date asked by /dates once the result was seen, the dates."""
        if qid in DATE_QUESTIONS and session.answers.get(DATES_ASKED) == "after_result":
            return self.results.dates(session.answers, self.today(), session.language)
        return self.results.final(session.answers, self.today(), session.notes_seen, session.language)

    def _dates(self, session: Session) -> list[Reply]:
        """/dates: the person's dates; then the dates still to ask (the ECA's, the profile's), if any."""
        replies = self.results.dates(session.answers, self.today(), session.language)
        if "dob" in session.answers and DATES_ASKED not in session.answers:
            # asked after the result: answering the dates' questions then shows the dates, not the result again
            session.answers[DATES_ASKED] = "after_result" if session.state == DONE else "yes"
            if session.state == DONE:
                self._resume(session)
        return [self._with_question(session, *replies)]

    def _what_if(self, session: Session, key: str) -> list[Reply]:
        """A what-if under the result: computed on a copy, the answers untouched; a button made for answers
        that have changed since (an edit, a restart) gets the what-ifs that fit them now."""
        replies = self.results.what_if(key, session.answers, self.today(), session.language)
        if replies is None:
            replies = self.results.what_if_menu(session.answers, self.today(), STALE_WHAT_IF, session.language)
        if session.state in BY_ID:  # the question being answered stays in view
            return [*replies[:-1], self._with_question(session, replies[-1])]
        return replies

    def _score(self, session: Session) -> list[Reply]:
        """/score: the whole result (verdict, details, what-ifs) once every question is answered; before that,
        the score so far with the pending question."""
        if session.state == DONE:
            return self.results.final(session.answers, self.today(), session.notes_seen, session.language)
        if session.answers.get(DATES_ASKED) == "after_result":
            # every question was answered; /dates then asked for a document's date: the whole result, then that
            # question again (it was "your result so far", as if answers were missing)
            final = self.results.final(session.answers, self.today(), session.notes_seen, session.language)
            return [*final[:-1], self._with_question(session, final[-1])]
        replies = self.results.partial(session.answers, self.today(), session.notes_seen, session.language)
        waiting = self._to_confirm(session)
        if waiting:  # set-aside answers count once confirmed: said, so the total is not a surprise
            t = self._t(session)
            names = ", ".join(t(q.label) for q in waiting)
            replies.append(Reply(t("Not counted until you confirm them (Keep or a new answer): {names}.", names=names)))
        return [self._with_question(session, *replies)]

    # --- showing answers ----------------------------------------------------------------------
    def _current(self, session: Session, question: Question) -> str:
        """A question's current answer as shown in /edit and /summary (the work history as its jobs)."""
        t = self._t(session)
        if question.id == JOB_ADD:
            return _count(len(session.answers.get("jobs", [])), t)
        return self._shown(question, session.answers.get(question.id), t)

    def _pending_shown(self, session: Session, question: Question) -> str:
        """A set-aside answer as /summary and /edit show it."""
        return self._shown(question, session.set_aside.get(question.id), self._t(session))

    def _shown(self, question: Question, value: Any, t: Translator | None = None) -> str:
        for choice in question.choices:
            if choice.id == value:
                return t(choice.label) if t is not None else choice.label
        if question.kind == "noc" and isinstance(value, str):
            group = self.noc.get(value)
            return f"{value} {group.title_for(t.language if t is not None else None)}" if group is not None else value
        local = t is not None and t.language != SOURCE_LANGUAGE  # English shows what it always showed
        if local and question.kind == "date" and isinstance(value, str) and ISO_DAY.fullmatch(value):
            return t.format_date(date.fromisoformat(value))  # "8 mars 1985"
        if local and isinstance(value, dict):
            return " ".join(t.format_number(v) for v in value.values())  # "7,5 7 6,5 7"
        if local and isinstance(value, int | float) and not isinstance(value, bool):
            return t.format_number(value)  # "25 000"
        return _as_text(value)


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _answers_mark(session: Session) -> str:
    """A short fingerprint of everything /restart would clear."""
    text = json.dumps([session.answers, session.set_aside], sort_keys=True, default=str)
    return f"{zlib.crc32(text.encode()) & 0xFFFFFF:06x}"


def _count(jobs: int, t: Translator) -> str:
    return t("no jobs") if jobs == 0 else t("1 job") if jobs == 1 else t("{count} jobs", count=jobs)


def _as_text(value: Any) -> str:
    """A stored answer as the text that gives it again (to read a set-aside answer anew)."""
    if isinstance(value, dict):
        return " ".join(f"{v:g}" for v in value.values())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _folded(text: str) -> str:
    """For comparing typed text with a label: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c))))


def _word_asked(text: str) -> bool:
    """One word asked about ("eca?", "wes ?", "ede ?"): a question, never an answer, even when it names a choice of
    the pending question (a yes or a no asked back, "yes?", stays an answer; so does "IELTS general?", a choice
    named in full with a doubt)."""
    stripped = text.strip()
    words = stripped.rstrip("? ").split()
    if not stripped.endswith("?") or len(words) != 1 or re.search(r"\d", stripped):
        return False
    return words[0].lower() not in {*YES.synonyms, *NO.synonyms}


def _one_word(text: str) -> bool:
    """One word of letters ("noc", "pnp", "lmia"): typed where it is no answer, a topic named, not a typo."""
    return re.fullmatch(r"[^\W\d_]{2,}", text.strip()) is not None


def _wordy(text: str) -> bool:
    """Two words or more with letters in them ("ielts validity", "proof of funds for 2 people"), not "17 may" or
    "8 7 7 7": a text that can be a topic rather than a mistyped answer."""
    return sum(1 for word in text.split() if re.search(r"[^\W\d_]", word)) >= 2


def _match_pending(pending: list[Choice], text: str) -> Choice | None:
    stripped = text.strip()
    for choice in pending:
        if stripped == choice.id or stripped.lower() == choice.label.lower():
            return choice
    if stripped.isdigit() and 1 <= int(stripped) <= len(pending) and len(stripped) < 3:
        return pending[int(stripped) - 1]
    return None
