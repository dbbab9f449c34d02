"""Per-chat scripts of valid answers, and what they must leave in the database (the reference run).

A script is what a person sends without waiting for the replies: each step answers the question the
previous steps lead to, so the outcome does not depend on timing. Scripts are built by walking the real
questionnaire through the in-process core (``bot.core.build_core``): at each step the generator looks at
the question the chat is on and picks a valid answer for it, typed or as a tap on one of the buttons the
bot just sent. ``run_reference`` then replays the finished scripts, without crashes, into a separate
database: its answers, states and replies are what the crash run must end with.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from bot.core import MapleCore, build_core
from bot.telegram_bot import render
from flows.conversation import START, Session
from flows.questions import BY_ID, DONE
from flows.replies import Reply

StepKind = Literal["command", "text", "tap"]


@dataclass(frozen=True)
class Step:
    kind: StepKind
    value: str  # "/start", the typed text, or the callback data of the tapped button
    question: str  # the state the chat is in when the step arrives (the question it answers)
    message: dict[str, Any] | None = None  # taps: the bot's message that carries the button, as sent


@dataclass
class ChatScript:
    chat_id: int
    steps: list[Step] = field(default_factory=list)


@dataclass
class Expected:
    """What the reference run left for one chat."""

    chat_id: int
    state: str
    answers: dict[str, Any]
    history: list[str]
    replies: list[list[str]]  # per step, the texts the bot sends (HTML-escaped, as on the wire)


BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Maple", "username": "maple_test_bot"}


def wire_message(chat_id: int, reply: Reply, message_id: int) -> dict[str, Any]:
    """The Telegram message the bot sends for ``reply`` (what a callback_query carries back)."""
    text, markup = render(reply)
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private"},
        "from": BOT_USER,
        "text": text,
    }
    if markup is not None:
        message["reply_markup"] = markup.to_dict()
    return message


def apply_step(core: MapleCore, chat_id: int, step: Step, update_id: int) -> list[Reply]:
    """One update through the in-process core, routed like the Telegram edge routes it."""
    if step.kind == "command":
        name, _, args = step.value.strip().lstrip("/").partition(" ")
        return core.on_command(chat_id, name.split("@")[0].lower(), update_id, args=args.strip())
    if step.kind == "tap":
        return core.on_button(chat_id, step.value, update_id)
    return core.on_text(chat_id, step.value, update_id)


# --- picking answers -----------------------------------------------------------------------------
TYPED: dict[str, list[str]] = {
    "marital": ["single", "married", "common-law", "divorced", "never married", "widowed"],
    "spouse_citizen": ["no", "yes", "n"],
    "spouse_coming": ["yes", "no", "y"],
    "education": ["bachelors", "masters", "high school", "phd", "diploma", "two degrees", "bsc"],
    "education_proof": ["eca", "not yet", "canadian", "wes"],
    "canadian_study": ["none", "1-2", "3+"],
    "lang1_test": ["ielts", "celpip", "tef", "none"],
    "job_add": ["yes", "no"],
    "job_where": ["abroad", "in canada"],
    "job_kind": ["employee", "self-employed", "student"],
    "coq": ["no"],
    "job_offer": ["no", "yes"],
    "authorized": ["yes", "no"],
    "nomination": ["no", "yes"],
    "sibling": ["no", "yes"],
    "relative": ["no", "yes"],
    "study_two_years": ["no", "yes"],
    "spouse_study": ["no", "yes"],
    "spouse_test": ["ielts", "celpip", "none"],
}
JOB_TITLES = ["software developer", "registered nurse", "baker", "accountant", "electrician", "welder"]
NOC_CODES = ["21232", "31301", "63202", "11100", "72200", "72106"]


def _day(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randrange((high - low).days + 1))


def _scores(rng: random.Random, test: str) -> str:
    if test == "ielts":
        return " ".join(rng.choice(["6", "6.5", "7", "7.5", "8", "8.5"]) for _ in range(4))
    if test == "celpip":
        return " ".join(str(rng.randint(6, 11)) for _ in range(4))
    if test == "pte_core":
        return " ".join(str(rng.randint(60, 85)) for _ in range(4))
    if test == "tef_canada":
        return " ".join(str(rng.randint(420, 560)) for _ in range(4))
    return " ".join(str(rng.randint(460, 560)) for _ in range(2)) + f" {rng.randint(10, 16)} {rng.randint(10, 16)}"


class Picker:
    """Chooses one valid answer for the question a chat is on; about ``tap_share`` of the choices are taps."""

    def __init__(self, rng: random.Random, today: date, tap_share: float = 0.35) -> None:
        self.rng = rng
        self.today = today
        self.tap_share = tap_share
        self.used_dobs: set[str] = set()

    def dob(self) -> str:
        while True:
            day = _day(self.rng, date(self.today.year - 55, 1, 1), date(self.today.year - 20, 12, 31)).isoformat()
            if day not in self.used_dobs:
                self.used_dobs.add(day)
                return day

    def pick(self, session: Session, last: list[Reply]) -> tuple[StepKind, str, Reply | None]:
        qid = session.state
        rng = self.rng
        buttons = [(r, b) for r in last for b in r.buttons if b.data.startswith(f"a:{qid}:")]
        if session.pending:  # NOC options after a typed title: tap one (the first is the best match)
            reply, button = buttons[0] if rng.random() < 0.7 else rng.choice(buttons)
            return "tap", button.data, reply
        question = BY_ID[qid]
        if question.kind in ("choice", "yesno") and buttons and (qid not in TYPED or rng.random() < self.tap_share):
            reply, button = rng.choice(buttons)
            return "tap", button.data, reply
        if qid in TYPED:
            return "text", rng.choice(TYPED[qid]), None
        if qid == "lang2_test":
            return "text", "none", None
        if qid == "dob":
            return "text", self.dob(), None
        if qid == "eca_date":
            return (
                "text",
                _day(rng, self.today - timedelta(days=1500), self.today - timedelta(days=30)).isoformat(),
                None,
            )
        if qid in ("lang1_date", "lang2_date", "spouse_date"):
            return "text", _day(rng, self.today - timedelta(days=600), self.today - timedelta(days=3)).isoformat(), None
        if qid in ("lang1_scores", "lang2_scores", "spouse_scores"):
            test = session.answers[{"lang1_scores": "lang1_test", "lang2_scores": "lang2_test"}.get(qid, "spouse_test")]
            return "text", _scores(rng, test), None
        if qid in ("job_noc", "coq_trade", "job_offer_noc"):
            if rng.random() < 0.5:
                return "text", rng.choice(NOC_CODES), None
            return "text", rng.choice(JOB_TITLES), None
        if qid == "job_start":
            return (
                "text",
                _day(rng, date(self.today.year - 9, 1, 1), self.today - timedelta(days=400)).isoformat(),
                None,
            )
        if qid == "job_end":
            start = date.fromisoformat(session.answers["job_draft"]["job_start"])
            if buttons and rng.random() < 0.3:
                reply, button = buttons[0]
                return "tap", button.data, reply
            return "text", _day(rng, start + timedelta(days=30), self.today - timedelta(days=1)).isoformat(), None
        if qid == "job_hours":
            return "text", str(rng.randint(20, 45)), None
        if qid == "family_size":
            return "text", str(rng.randint(1, 5)), None
        if qid == "funds":
            return "text", f"{rng.randint(10, 90) * 1000 + rng.randint(0, 999)}", None
        if qid == "spouse_work":
            return "text", str(rng.randint(0, 3)), None
        raise AssertionError(f"no answer pool for question {qid!r}")


def _progressed(before: Session, after: Session) -> bool:
    """The step was taken as an answer: the answers or the question changed, or options to tap were offered."""
    moved = (after.state, after.answers) != (before.state, before.answers)
    return moved or (bool(after.pending) and not before.pending)


def generate_scripts(
    chats: int,
    steps: int = 15,
    seed: int = 1,
    first_chat_id: int = 5000,
    today: Callable[[], date] = date.today,
    tap_share: float = 0.35,
) -> list[ChatScript]:
    """``chats`` scripts of up to ``steps`` steps each ("/start", then valid answers), seeded."""
    rng = random.Random(seed)
    core = build_core(":memory:", today=today)
    picker = Picker(rng, today(), tap_share)
    scripts: list[ChatScript] = []
    update_id = 0
    message_id = 500_000
    try:
        for index in range(chats):
            chat_id = first_chat_id + index
            script = ChatScript(chat_id, [Step("command", "/start", START)])
            update_id += 1
            last = apply_step(core, chat_id, script.steps[0], update_id)
            while len(script.steps) < steps:
                session = core.store.load(chat_id)
                if session.state == DONE:
                    break
                kind, value, carrier = picker.pick(session, last)
                message_id += 1
                message = wire_message(chat_id, carrier, message_id) if carrier is not None else None
                step = Step(kind, value, session.state, message)
                update_id += 1
                last = apply_step(core, chat_id, step, update_id)
                after = core.store.load(chat_id)
                if not _progressed(session, after):
                    texts = [r.text[:120] for r in last]
                    raise AssertionError(f"chat {chat_id}: {kind} {value!r} was not taken on {session.state}: {texts}")
                script.steps.append(step)
            scripts.append(script)
    finally:
        core.store.close()
    return scripts


def run_reference(
    scripts: list[ChatScript], db_path: str, today: Callable[[], date] = date.today
) -> dict[int, Expected]:
    """Replay every script through the in-process core (increasing update ids, no crash) into ``db_path``."""
    core = build_core(db_path, today=today)
    expected: dict[int, Expected] = {}
    update_id = 0
    try:
        for script in scripts:
            replies: list[list[str]] = []
            for step in script.steps:
                update_id += 1
                replies.append([render(r)[0] for r in apply_step(core, script.chat_id, step, update_id)])
            session = core.store.load(script.chat_id)
            expected[script.chat_id] = Expected(
                script.chat_id, session.state, session.answers, list(session.history), replies
            )
    finally:
        core.store.close()
    return expected
