"""The dialogue: a ``transitions`` state machine over the question table, and the replies it makes.

Nothing here knows Telegram: the edges (console, Telegram, tests) pass a :class:`Session` and the
person's text or button, get :class:`Reply` objects back, and store the session.

Navigation:
- ``advance`` moves to the next question in the table; on entering a question that does not apply
  (its ``when`` predicate is false) or is already answered, the machine advances again, so skipping
  is the predicates' business, not the edges'.
- Back pops the history and forgets the answer of the question it returns to.
- /edit re-asks one answered question; when its answer changes, the questions that depend on it are
  forgotten, and ``advance`` then asks exactly those again before returning to where the person was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from transitions import Machine

from flows.answers import Accepted, Invalid, Options, read_answer, score_hint
from flows.faq_replies import FaqReplies, looks_like_question
from flows.questions import BY_ID, DONE, JOB_LOOP, QUESTIONS, Choice, Question, choices_for
from flows.replies import Button, Reply
from flows.results import Results
from knowledge.vocabulary import EDUCATION_LEVELS, PARTNERED

START = "start"
SCHEMA_VERSION = 1
FIRST = QUESTIONS[0].id
AFTER_LOOP = QUESTIONS[[q.id for q in QUESTIONS].index(JOB_LOOP[-1]) + 1].id
STATES = [START, *(q.id for q in QUESTIONS), DONE]


def _transitions() -> list[dict[str, Any]]:
    """States and transitions as data: a chain through the table, the job loop, restart."""
    ids = [q.id for q in QUESTIONS]
    out: list[dict[str, Any]] = [{"trigger": "advance", "source": START, "dest": FIRST}]
    for index, qid in enumerate(ids):
        following = ids[index + 1] if index + 1 < len(ids) else DONE
        if qid == "job_add":
            out.append({"trigger": "advance", "source": qid, "dest": JOB_LOOP[0], "conditions": "adding_job"})
            out.append({"trigger": "advance", "source": qid, "dest": AFTER_LOOP, "unless": "adding_job"})
        elif qid == JOB_LOOP[-1]:
            out.append({"trigger": "advance", "source": qid, "dest": "job_add", "before": "close_job"})
        else:
            out.append({"trigger": "advance", "source": qid, "dest": following})
    out.append({"trigger": "restart", "source": "*", "dest": FIRST, "before": "clear_all"})
    return out


TRANSITIONS = _transitions()


class Session(BaseModel):
    """Everything stored for one chat."""

    chat_id: int
    state: str = START
    answers: dict[str, Any] = Field(default_factory=dict)
    history: list[str] = Field(default_factory=list)
    pending: list[Choice] = Field(default_factory=list)
    editing: str | None = None
    asking: bool = False  # after a bare /ask: the next message is a question for the knowledge base
    # the edge's recently handled update ids, so an update delivered again after a crash is not applied twice
    # (a set, not a maximum: Telegram may restart its ids at random after a week of silence)
    recent_updates: list[int] = Field(default_factory=list)
    version: int = SCHEMA_VERSION


class Conversation:
    """The ``transitions`` model for one chat: predicates, callbacks, no I/O."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.state: str = session.state
        self.machine = Machine(
            model=self,
            states=[{"name": s, "on_enter": "skip_if_not_needed"} for s in STATES],
            transitions=TRANSITIONS,
            initial=session.state,
            auto_transitions=False,
            queued=True,
            ignore_invalid_triggers=False,
        )

    # --- named predicates (the questions' ``when``) ---
    @property
    def answers(self) -> dict[str, Any]:
        return self.session.answers

    def is_partnered(self) -> bool:
        return self.answers.get("marital") in PARTNERED

    def partner_not_canadian(self) -> bool:
        return self.is_partnered() and self.answers.get("spouse_citizen") == "no"

    def partner_counts(self) -> bool:
        return self.partner_not_canadian() and self.answers.get("spouse_coming") == "yes"

    def partner_has_test(self) -> bool:
        return self.partner_counts() and self.answers.get("spouse_test", "none") != "none"

    def has_education(self) -> bool:
        return self.answers.get("education", "less_than_secondary") != "less_than_secondary"

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
        return self.answers.get("job_add") == "yes"

    # --- callbacks ---
    def needed(self, question: Question) -> bool:
        if question.when is not None and not getattr(self, question.when)():
            return False
        if question.in_job_loop:
            return question.id not in self.answers.get("job_draft", {})
        return question.id not in self.answers

    def skip_if_not_needed(self) -> None:
        if self.state in BY_ID and not self.needed(BY_ID[self.state]):
            self.advance()  # type: ignore[attr-defined]  # trigger added by transitions

    def close_job(self) -> None:
        """The last question of a job: file the job, and ask 'add a job?' again."""
        draft = self.answers.pop("job_draft", {})
        self.answers.setdefault("jobs", []).append(draft)
        self.answers.pop("job_add", None)

    def clear_all(self) -> None:
        self.session.answers.clear()
        self.session.history.clear()
        self.session.pending.clear()
        self.session.editing = None


def dependents(question_id: str) -> set[str]:
    """The questions that depend on ``question_id``, directly or through others."""
    found: set[str] = set()
    frontier = {question_id}
    while frontier:
        new = {q.id for q in QUESTIONS if set(q.depends_on) & frontier} - found
        found |= new
        frontier = new
    return found


HELP = (
    "I ask the Express Entry questions one at a time, then compute your CRS score with every point "
    "explained, check the Federal Skilled Worker, Federal Skilled Trades and Canadian Experience Class "
    "minimums, and the category-based draws you fit.\n\n"
    'Ask me a question at any moment ("what is an ECA?", "does my online degree count?"): I answer from a '
    "curated list with its official source, then we go back to the questionnaire.\n\n"
    "Commands: /back the previous question, /edit change an earlier answer, /score your result so far, "
    "/ask a question, /topics browse the questions I can answer, "
    "/restart start again, /cancel pause (your answers stay), /forget delete everything I stored for this "
    "chat, /help this message.\n\n"
    "I am a rules-based tool, not legal advice: check the official pages on canada.ca before you act."
)


class Dialogue:
    """Turns a person's messages into replies and session changes, with injected services."""

    def __init__(
        self, results: Results, noc_index: Any, today: Callable[[], date], faq: FaqReplies | None = None
    ) -> None:
        self.results = results
        self.noc = noc_index
        self.today = today
        self.faq = faq

    # --- entry points -------------------------------------------------------------------------
    def start(self, session: Session) -> list[Reply]:
        greeting = Reply("Hello! I am Maple. " + HELP)
        if session.state == START:
            self._advance(session)
            return [greeting, self.ask(session)]
        if session.state == DONE:
            return [
                Reply(
                    "Welcome back! You have answered everything. /score shows your result, /edit changes "
                    "an answer, /restart starts again."
                )
            ]
        return [Reply("Welcome back! Let's continue where you stopped."), self.ask(session)]

    def text(self, session: Session, text: str) -> list[Reply]:
        if session.asking:
            session.asking = False
            return [self._faq_reply(text), *self._reask(session)]
        asked = self.faq is not None and looks_like_question(text)
        if session.state == START:
            return [self._faq_reply(text), *self.start(session)] if asked else self.start(session)
        if session.state == DONE:
            if self.faq is not None:
                result, shown = self.faq.ask(text)
                if asked or result.kind != "dont_know":
                    return [shown]
            return [
                Reply(
                    "You have answered every question. /score shows your result, /edit changes an answer, "
                    "and you can ask me a question at any time."
                )
            ]
        question = BY_ID[session.state]
        if session.pending:
            choice = _match_pending(session.pending, text)
            if choice is not None:
                return self._accept(session, question, Accepted(choice.id, note=choice.label))
        found = self.faq.ask(text) if asked and self.faq is not None else None
        if found is not None and found[0].kind != "dont_know":
            return [found[1], *self._reask(session)]
        outcome = read_answer(question, text, session.answers, self.today(), self.noc)
        if isinstance(outcome, Invalid) and self.faq is not None:
            result, shown = found or self.faq.ask(text)  # the knowledge base is asked once per message
            # a question after all, or words (not numbers) that plainly ask something the knowledge base answers
            if asked or (result.kind == "answer" and len(re.findall(r"[^\W\d_]{2,}", text)) >= 2):
                return [shown, *self._reask(session)]
        return self._handle(session, question, outcome)

    def button(self, session: Session, data: str) -> list[Reply]:
        kind, _, rest = data.partition(":")
        if kind == "nav":
            return self.command(session, rest)
        if kind in ("q", "t") and self.faq is not None:
            shown = self.faq.by_button(data)
            if shown is None:
                return [Reply("That topic is no longer there: /topics lists the current ones."), *self._reask(session)]
            return [shown, *(self._reask(session) if kind == "q" else [])]
        if kind == "e":
            return self._edit_one(session, rest)
        qid, _, value = rest.partition(":")
        if kind != "a" or session.state != qid or qid not in BY_ID:
            return [Reply("That button belongs to an earlier question."), *self._reask(session)]
        question = BY_ID[qid]
        choice = next((c for c in [*choices_for(question, session.answers), *session.pending] if c.id == value), None)
        if choice is None:
            return [Reply("That button belongs to an earlier question."), *self._reask(session)]
        note = choice.label if session.pending else ""
        return self._accept(session, question, Accepted(choice.id, note=note))

    def command(self, session: Session, name: str, args: str = "") -> list[Reply]:
        if name == "ask":
            return self._ask(session, args)
        handlers: dict[str, Callable[[Session], list[Reply]]] = {
            "start": self.start,
            "help": lambda s: [Reply(HELP)],
            "back": self._back,
            "edit": self._edit_menu,
            "restart": self._restart,
            "cancel": self._cancel,
            "score": self._score,
            "topics": self._topics,
        }
        handler = handlers.get(name)
        if handler is None:
            return [Reply("I don't know that command. /help lists them.")]
        return handler(session)

    # --- asking -------------------------------------------------------------------------------
    def ask(self, session: Session) -> Reply:
        if session.state == DONE:
            return Reply("All done.")
        question = BY_ID[session.state]
        text = question.prompt
        if question.kind == "scores":
            text += "\n" + score_hint(question, session.answers)
        if question.in_job_loop:
            number = len(session.answers.get("jobs", [])) + 1
            text = f"Job {number}: {text}"
        offered = session.pending or choices_for(question, session.answers)
        buttons = [Button(c.label, f"a:{question.id}:{c.id}") for c in offered]
        if session.history:
            buttons.append(Button("« Back", "nav:back"))
        return Reply(text, buttons)

    def _reask(self, session: Session) -> list[Reply]:
        return [self.ask(session)] if session.state not in (START, DONE) else []

    # --- answering ----------------------------------------------------------------------------
    def _handle(self, session: Session, question: Question, outcome: Accepted | Invalid | Options) -> list[Reply]:
        if isinstance(outcome, Invalid):
            return [Reply(outcome.message), self.ask(session)]
        if isinstance(outcome, Options):
            session.pending = outcome.choices
            return [Reply(outcome.message), self.ask(session)]
        return self._accept(session, question, outcome)

    def _accept(self, session: Session, question: Question, outcome: Accepted) -> list[Reply]:
        session.pending = []
        answers = session.answers
        if question.in_job_loop:
            answers.setdefault("job_draft", {})[question.id] = outcome.value
        else:
            changed = answers.get(question.id) != outcome.value
            answers[question.id] = outcome.value
            if session.editing == question.id:
                session.editing = None
                if changed:
                    for qid in dependents(question.id):
                        answers.pop(qid, None)
            if question.id == "job_add" and outcome.value == "yes":
                answers.pop("job_draft", None)
        session.history.append(question.id)
        self._advance(session)
        replies = [Reply(outcome.note)] if outcome.note else []
        if session.state == DONE:
            return [*replies, *self.results.final(session.answers, self.today())]
        return [*replies, self.ask(session)]

    @staticmethod
    def _advance(session: Session) -> None:
        conversation = Conversation(session)
        conversation.advance()  # type: ignore[attr-defined]  # trigger added by transitions
        session.state = conversation.state

    # --- navigation ---------------------------------------------------------------------------
    def _back(self, session: Session) -> list[Reply]:
        session.pending = []
        if not session.history:
            return [Reply("This is the first question: there is nothing to go back to."), *self._reask(session)]
        previous = session.history.pop()
        answers = session.answers
        if previous in JOB_LOOP:
            draft = answers.setdefault("job_draft", {})
            if not draft and answers.get("jobs"):  # stepping back into the last filed job
                answers["job_draft"] = draft = answers["jobs"].pop()
                answers["job_add"] = "yes"
            draft.pop(previous, None)
        else:
            answers.pop(previous, None)
            if previous == "job_add":
                answers.pop("job_draft", None)
        session.state = previous
        return [self.ask(session)]

    def _edit_menu(self, session: Session) -> list[Reply]:
        answered = [q for q in QUESTIONS if q.id in session.answers and not q.in_job_loop]
        if not answered:
            return [Reply("There is nothing to change yet."), *self._reask(session)]
        buttons = [Button(f"{q.label}: {_shown(q, session.answers)}", f"e:{q.id}") for q in answered]
        return [Reply("Which answer do you want to change?", buttons)]

    def _edit_one(self, session: Session, qid: str) -> list[Reply]:
        if qid not in BY_ID or qid not in session.answers:
            return [Reply("That answer is no longer there."), *self._reask(session)]
        session.pending = []
        if qid == "job_add":  # the work history is edited as a whole
            for key in ("jobs", "job_draft", "job_add"):
                session.answers.pop(key, None)
        session.editing = qid
        session.state = qid
        return [Reply(f"Current answer: {_shown(BY_ID[qid], session.answers)}. Send the new one."), self.ask(session)]

    def _restart(self, session: Session) -> list[Reply]:
        conversation = Conversation(session)
        conversation.restart()  # type: ignore[attr-defined]  # trigger added by transitions
        session.state = conversation.state
        return [Reply("Starting again from the first question."), self.ask(session)]

    def _cancel(self, session: Session) -> list[Reply]:
        session.pending = []
        return [
            Reply("Paused. Your answers are kept: send any message or /start to continue, or /forget to delete them.")
        ]

    # --- the knowledge base -------------------------------------------------------------------
    def _faq_reply(self, text: str) -> Reply:
        if self.faq is None:
            return Reply("I cannot answer questions right now.")
        return self.faq.ask(text)[1]

    def _ask(self, session: Session, question: str) -> list[Reply]:
        if self.faq is None:
            return [Reply("I cannot answer questions right now."), *self._reask(session)]
        if not question.strip():
            session.asking = True
            return [Reply("What is your question? Type it in your own words, e.g. does my online degree count?")]
        return [self._faq_reply(question), *self._reask(session)]

    def _topics(self, session: Session) -> list[Reply]:
        if self.faq is None:
            return [Reply("I cannot answer questions right now."), *self._reask(session)]
        return [self.faq.topic_list()]

    def _score(self, session: Session) -> list[Reply]:
        replies = self.results.partial(session.answers, self.today())
        return [*replies, *self._reask(session)]


def _match_pending(pending: list[Choice], text: str) -> Choice | None:
    stripped = text.strip()
    for choice in pending:
        if stripped == choice.id or stripped.lower() == choice.label.lower():
            return choice
    if stripped.isdigit() and 1 <= int(stripped) <= len(pending) and len(stripped) < 3:
        return pending[int(stripped) - 1]
    return None


def _shown(question: Question, answers: dict[str, Any]) -> str:
    value = answers.get(question.id)
    if question.id == "job_add":
        return f"{len(answers.get('jobs', []))} job(s)"
    for choice in question.choices:
        if choice.id == value:
            return choice.label
    if isinstance(value, dict):
        return " ".join(f"{v:g}" for v in value.values())
    return str(value)
