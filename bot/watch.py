"""Staying with the person: reminders before their dates, draw alerts, a new score when the rules change.

- ``/remind`` shows buttons to choose what to be reminded of (birthdays that change the points, language
  results, the ECA, the Express Entry profile) and draw alerts; ``/remind off`` stops everything; ``/alerts``
  (``/alerts off``) switches the draw alerts alone. ``/forget`` deletes all of it with the chat.
- A reminder is sent ``LEADS`` days before each date (30 and 7), at ``SEND_HOUR_UTC``. The reminders are rows
  in SQLite; an hourly sweep of python-telegram-bot's JobQueue schedules those due within the next
  ``HORIZON``, so a restart rebuilds the schedule from the file. At send time the date is checked against
  the current answers (an edited birth date never gets the old reminder) and the reminder is marked and its
  message queued in one transaction: queued once, ever.
- When the draws refresh finds a new round, every subscriber whose routes include its kind gets one message
  (the round, its cut-off, whether their score would have been invited, by how much it missed). The alerts
  are planned in one transaction and sent by :class:`WatchSender` at ``RATE`` messages a second.
- Re-scoring: when the rule set in force today is not the one a subscriber was scored with, they are
  scored again and told the new score and the sections that changed. A change that is only reported (the
  2026-11-03 one, in ``pending-changes.json``) is not a rule set: nothing is re-scored, the caveat stays.

Delivery (``bot.watch_store``): reminders and re-scores at-least-once, alerts at-most-once.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.background import Every
from bot.draws_refresh import DrawsKeeper, RefreshResult
from bot.store import Effect, SessionStore, StorageUnavailable
from bot.watch_store import AT_MOST_ONCE, Message, Planned, Sub, WatchStore
from flows.i18n import N_, SOURCE_LANGUAGE, Translator, default_languages
from flows.profile_builder import NotEnoughAnswers, build_profile
from flows.replies import Button, Reply
from flows.result_terms import term
from flows.results import Results, answers_dates, describe_date
from knowledge.crs.rules import RuleSet
from knowledge.deadlines import Deadline
from knowledge.draws.rounds import CATEGORY_PATTERNS, PROGRAM_PATTERNS, Draw

log = logging.getLogger(__name__)

LEADS = (30, 7)  # days before each date
SEND_HOUR_UTC = 14  # reminders go out at 14:00 UTC (morning in the Americas, evening in Asia)
HORIZON = timedelta(hours=2)  # the sweep schedules what is due this soon (it runs every SWEEP)
SWEEP = timedelta(hours=1)
RESCORE_EVERY = timedelta(hours=6)
RATE = 28.0  # messages a second for the watch's sends: under Telegram's ~30/s, room left for replies
CONCURRENCY = 16  # sends in flight at once (Telegram answers in ~0.1-0.5 s)
REFRESH_BATCH = 100  # snapshots brought up to date per REFRESH_EVERY (10,000 a day in under 2 hours)
REFRESH_EVERY = timedelta(minutes=1)
ALERT_MAX_AGE = timedelta(days=14)  # a round found later than this (a long outage) is not alerted

KINDS: dict[str, tuple[str, str]] = {  # the reminder choice -> (Deadline.kind, button label)
    "age": ("age_points", N_("Birthdays that change my points")),
    "language": ("language_expiry", N_("Language test results expiring")),
    "eca": ("eca_expiry", N_("My ECA turning 5 years old")),
    "profile": ("profile_expiry", N_("My Express Entry profile expiring")),
}
# a reminder kind offered only when the answers can give it a date (else hidden, unless it is on, to switch it off)
APPLIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "eca": lambda answers: answers.get("education_proof", "eca") == "eca",  # a Canadian credential has no ECA
}


def _applies(kind: str, answers: dict[str, Any]) -> bool:
    return APPLIES.get(kind, lambda _: True)(answers)


OFF_TEXT = N_("Reminders and draw alerts are off; nothing is kept about them. /remind turns them on again.")
NEEDS = N_("I need at least your date of birth and your education first: /start continues the questions.")
STALE_BUTTON = N_("That button is out of date.")


def _english() -> Translator:
    return default_languages().get(SOURCE_LANGUAGE)


def _day(t: Translator, day: date) -> str:
    """ISO in English (as it always was), "8 mars 2027" in French."""
    return day.isoformat() if t.language == SOURCE_LANGUAGE else t.format_date(day)


# --- pure parts -------------------------------------------------------------------------------
def draw_routes(draw: Draw) -> set[str]:
    """The route keys a round invites from: programs ("cec", "all", "pnp"...) and categories ("healthcare")."""
    keys = {key for key, pattern in PROGRAM_PATTERNS.items() if pattern.search(draw.name)}
    keys |= {key for key, pattern in CATEGORY_PATTERNS.items() if pattern.search(draw.name)}
    return keys


@dataclass(frozen=True)
class Snapshot:
    score: int
    sections: dict[str, int]
    routes: list[str]
    rule_set: str


def snapshot(results: Results, answers: dict[str, Any], today: date) -> Snapshot | None:
    """The person's score today and the rounds that can invite them (None before enough answers)."""
    try:
        profile = build_profile(answers, today)
    except NotEnoughAnswers:
        return None
    result = results.scorer.score(profile)
    report = results.eligibility.assess(profile)
    routes = {v.program for v in report.programs if v.eligible}
    if routes:
        routes.add("all")
        if profile.provincial_nomination:
            routes.add("pnp")
        if report.categories is not None:
            routes |= {f.key for f in report.categories.fits if f.fits}
    return Snapshot(
        score=result.total,
        sections={s.label: s.points for s in result.sections},
        routes=sorted(routes),
        rule_set=result.rule_set,
    )


def alert_text(draw: Draw, score: int, t: Translator | None = None) -> str:
    """A new round's alert for one subscriber, in ``t``'s language (English when None); the round's name is
    IRCC's English name."""
    t = t or _english()
    lines = [
        t(
            "New Express Entry round #{number} on {day}: {name}, {invitations} invitations, lowest score invited "
            "{min_crs}.",
            number=str(draw.number),
            day=_day(t, draw.date),
            name=draw.name,
            invitations=draw.invitations,
            min_crs=str(draw.min_crs),
        )
    ]
    if score >= draw.min_crs:
        lines.append(t("With your current score of {score}, you would have been invited.", score=str(score)))
    else:
        lines.append(
            t(
                "With your current score of {score}, you would not have been invited: {short} points short.",
                score=str(score),
                short=str(draw.min_crs - score),
            )
        )
    lines.append(t("(A tie at the cut-off is broken by the profile's date and time.) /alerts off stops these."))
    return "\n".join(lines)


def reminder_text(deadline: Deadline, t: Translator | None = None) -> str:
    """A reminder, in ``t``'s language (English when None); the rule's sentence is translated when it is a
    fixed one in the catalog."""
    t = t or _english()
    return t(
        "Reminder: {date}.\n{rule}\nSource: {source} (checked {checked}).\n"
        "/dates lists all your dates; /remind changes or stops the reminders.",
        date=describe_date(t, deadline),
        rule=term(t, deadline.rule),
        source=t.page(deadline.source),
        checked=_day(t, deadline.checked),
    )


def rescore_text(
    rule_label: str, effective: date, source: str, old: Sub, new: Snapshot, t: Translator | None = None
) -> str:
    t = t or _english()
    changes = [
        t("{label}: {value}", label=term(t, label), value=f"{old.sections.get(label, 0)} -> {points}")
        for label, points in new.sections.items()
        if old.sections.get(label, 0) != points
    ]
    text = t(
        "The CRS rules changed: {rules}, in force from {day} (source: {source}).\n"
        "With your answers unchanged, your score is now {score} (it was {old}).\n",
        rules=term(t, rule_label),
        day=_day(t, effective),
        source=t.page(source),
        score=str(new.score),
        old=str(old.score),
    )
    if changes:
        text += t("What changed: {changes}.", changes="; ".join(changes)) + "\n"
    return text + t("/score shows the new breakdown.")


def plan(deadlines: Iterable[Deadline], kinds: Iterable[str], now: datetime) -> list[Planned]:
    """The reminders to keep: each chosen date, ``LEADS`` days ahead at SEND_HOUR_UTC, still in the future."""
    wanted = {KINDS[k][0] for k in kinds if k in KINDS}
    out = []
    for item in deadlines:
        if item.kind not in wanted:
            continue
        for lead in LEADS:
            fire_at = _fire_time(item.day, lead)
            if fire_at > now:
                out.append(Planned(item.key, item.day.isoformat(), lead, fire_at))
    return out


def _fire_time(day: date, lead: int) -> datetime:
    return datetime.combine(day - timedelta(days=lead), time(SEND_HOUR_UTC), UTC)


# --- the service --------------------------------------------------------------------------------
class Watch:
    """Subscriptions, reminders, alerts and re-scoring over the session store; no Telegram here.

    ``now`` is the clock (UTC, injected); ``changed`` is called with a chat id when its reminders changed
    (the edge schedules them), ``queued`` when messages were queued in the watch's outbox (the edge sends).
    """

    def __init__(self, store: SessionStore, results: Results, now: Callable[[], datetime]) -> None:
        self.store = store
        self.db = WatchStore(store)
        self.results = results
        self.now = now
        self.changed: Callable[[int], None] = lambda chat_id: None
        self.queued: Callable[[], None] = lambda: None

    def today(self) -> date:
        return self.now().date()

    def _t(self, chat_id: int) -> Translator:
        """The chat's language, read from its session (English when it has none or cannot be read)."""
        try:
            language = self.store.load(chat_id).language
        except StorageUnavailable:
            language = None
        return self.results.languages.get(language)

    # --- what the person does ---------------------------------------------------------------
    def command(self, chat_id: int, name: str, args: str, update_id: int | None) -> list[Reply]:
        words = args.lower().split()
        if name == "remind" and words[:1] == ["off"]:
            return self._apply(chat_id, update_id, lambda sub: sub.model_copy(update={"kinds": [], "alerts": False}))
        if name == "alerts":
            on = words[:1] != ["off"]
            return self._apply(chat_id, update_id, lambda sub: sub.model_copy(update={"alerts": on}))
        session = self.store.load(chat_id)
        t = self.results.languages.get(session.language)
        if "dob" not in session.answers or "education" not in session.answers:
            return self._reply(chat_id, update_id, Reply(t(NEEDS)))
        return self._reply(chat_id, update_id, self.menu(chat_id, t=t))

    def button(self, chat_id: int, data: str, update_id: int | None) -> list[Reply]:
        """``w:set:<kind>:on|off`` sets a reminder (``alerts``: the draw alerts), ``w:all`` all, ``w:off`` none.

        A button sets a value rather than toggling it, so tapping an old menu again changes nothing twice."""
        _, action, *rest = [*data.split(":"), "", ""]
        choice, value = rest[0], rest[1]
        if action == "off":
            return self._apply(chat_id, update_id, lambda sub: sub.model_copy(update={"kinds": [], "alerts": False}))
        if action == "all":
            answers = self.store.load(chat_id).answers
            everything = {"kinds": [k for k in KINDS if _applies(k, answers)], "alerts": True}
            return self._apply(chat_id, update_id, lambda sub: sub.model_copy(update=everything))
        if action == "set" and value in ("on", "off") and (choice == "alerts" or choice in KINDS):
            on = value == "on"
            if choice == "alerts":
                return self._apply(chat_id, update_id, lambda sub: sub.model_copy(update={"alerts": on}))

            def setting(sub: Sub) -> Sub:
                return sub.model_copy(
                    update={"kinds": [k for k in KINDS if (k == choice and on) or (k != choice and k in sub.kinds)]}
                )

            return self._apply(chat_id, update_id, setting)
        t = self._t(chat_id)
        return self._reply(chat_id, update_id, self.menu(chat_id, t(STALE_BUTTON), t=t))

    def menu(
        self,
        chat_id: int,
        note: str = "",
        sub: Sub | None = None,
        planned: list[Planned] | None = None,
        t: Translator | None = None,
    ) -> Reply:
        """The settings with a button each (``sub``/``planned``: the state just written, else read); ``note``
        already in the language of ``t`` (the chat's; read from its session when None)."""
        t = t or self._t(chat_id)
        sub = sub or self.db.sub(chat_id) or Sub(chat_id=chat_id)
        if planned is None:
            planned = [Planned(r[0], r[1], r[2], datetime.min) for r in self.db.reminders(chat_id) if r[3] is None]
        lines = [note] if note else []
        lines.append(
            t(
                "Reminders are sent {leads} days before each date you choose; draw alerts when IRCC holds a round "
                "you could be invited in, with your score against its cut-off. Tap to switch each one on or off.",
                leads=t(" and ").join(str(d) for d in LEADS),
            )
        )
        if planned:
            soonest = sorted(planned, key=lambda p: (p.day, -p.lead_days))[:4]
            ahead = ", ".join(
                t("{day} ({days} days ahead)", day=_day(t, date.fromisoformat(p.day)), days=str(p.lead_days))
                for p in soonest
            )
            lines.append(t("Next reminders: {reminders}.", reminders=ahead))
        elif sub.kinds:
            lines.append(t("No reminder to send yet for the dates chosen (/dates shows them)."))
        answers = self.store.load(chat_id).answers
        offered = [k for k in KINDS if k in sub.kinds or _applies(k, answers)]
        buttons = [_switch(t(KINDS[k][1]), k, k in sub.kinds) for k in offered]
        buttons.append(_switch(t("Draw alerts"), "alerts", sub.alerts))
        buttons.append(Button(t("All of them"), "w:all"))
        if sub.active:
            buttons.append(Button(t("Stop all (/remind off)"), "w:off"))
        return Reply("\n".join(lines), buttons)

    def _reply(self, chat_id: int, update_id: int | None, reply: Reply) -> list[Reply]:
        if update_id is not None:
            self.store.done(update_id, chat_id, [Effect.of(chat_id, reply)])
        return [reply]

    def _apply(self, chat_id: int, update_id: int | None, change: Callable[[Sub], Sub]) -> list[Reply]:
        """A settings change: the subscription, its reminders, the update marked done and the reply, at once."""
        session = self.store.load(chat_id)
        t = self.results.languages.get(session.language)
        current = self.db.sub(chat_id) or Sub(chat_id=chat_id)
        wanted = change(current)
        planned: list[Planned] = []
        if wanted.active:
            snap = snapshot(self.results, session.answers, self.today())
            if snap is None:
                return self._reply(chat_id, update_id, Reply(t(NEEDS)))
            wanted = _with_snapshot(wanted, snap)
            planned = plan(answers_dates(session.answers, self.today(), self.results.scorer), wanted.kinds, self.now())
            reply = self.menu(chat_id, _confirmation(wanted, t), wanted, planned, t)
        else:
            reply = Reply(t(OFF_TEXT))

        def write(conn: Any) -> None:
            WatchStore.put_sub(conn, wanted, self.now())
            if wanted.active:
                WatchStore.replace_reminders(conn, chat_id, planned)

        effects = [Effect.of(chat_id, reply)] if update_id is not None else []
        self.store.apply("save the reminders", write, chat_id, update_id, effects)
        self.changed(chat_id)
        return [reply]

    def answers_changed(self, chat_id: int, answers: dict[str, Any]) -> None:
        """After an applied turn: a subscriber's snapshot and reminders follow their answers."""
        sub = self.db.sub(chat_id)
        if sub is None:
            return
        snap = snapshot(self.results, answers, self.today())
        fresh = _with_snapshot(sub, snap) if snap is not None else sub
        planned = plan(answers_dates(answers, self.today(), self.results.scorer), fresh.kinds, self.now())

        def write(conn: Any) -> None:
            WatchStore.put_sub(conn, fresh, self.now())
            WatchStore.replace_reminders(conn, chat_id, planned)

        self.store.apply("update the reminders", write)
        self.changed(chat_id)

    # --- reminders --------------------------------------------------------------------------
    def fire(self, reminder_id: int) -> bool:
        """Queue one reminder if it is still unsent and still right for the answers; True if queued."""
        now = self.now()

        def write(conn: Any) -> bool:
            reminder = WatchStore.unsent_reminder(conn, reminder_id)
            if reminder is None:
                return False
            session = self.store.load(reminder.chat_id)
            answers = session.answers
            current = {(d.key, d.day.isoformat()): d for d in answers_dates(answers, now.date(), self.results.scorer)}
            deadline = current.get((reminder.key, reminder.day))
            if deadline is None:
                WatchStore.close_reminder(conn, reminder_id, "stale")
                return False
            if deadline.day <= now.date():
                WatchStore.close_reminder(conn, reminder_id, "missed")  # the bot was down past the date itself
                return False
            if any(_fire_time(deadline.day, lead) <= now for lead in LEADS if lead < reminder.lead_days):
                WatchStore.close_reminder(conn, reminder_id, "superseded")  # late: the nearer one says it
                return False
            WatchStore.close_reminder(conn, reminder_id, now.isoformat())
            ref = f"{reminder.key}:{reminder.day}:{reminder.lead_days}"
            text = reminder_text(deadline, self.results.languages.get(session.language))
            return WatchStore.enqueue(conn, reminder.chat_id, "reminder", ref, text)

        queued = bool(self.store.apply("queue a reminder", write))
        if queued:
            self.queued()
        return queued

    # --- alerts -----------------------------------------------------------------------------
    def new_rounds(self, rounds: Iterable[Draw]) -> int:
        """Plan the alerts of rounds a refresh found (each round once, ever); the number queued."""
        today = self.today()
        recent = [d for d in rounds if today - d.date <= ALERT_MAX_AGE]
        if not recent:
            return 0
        subscribers = list(self.db.subs(alerts_only=True))
        languages: dict[int, Translator] = {}  # each recipient's language, read once for all the new rounds

        def translators(chat_id: int) -> Translator:
            if chat_id not in languages:
                languages[chat_id] = self._t(chat_id)
            return languages[chat_id]

        total = 0
        for draw in sorted(recent, key=lambda d: (d.date, d.number)):
            kinds = draw_routes(draw)
            recipients = [
                (s.chat_id, alert_text(draw, s.score, translators(s.chat_id)))
                for s in subscribers
                if kinds & set(s.routes)
            ]

            def write(conn: Any, number: str = draw.number, recipients: list[tuple[int, str]] = recipients) -> int:
                return WatchStore.plan_round(conn, number, recipients)

            total += self.store.apply("plan a round's alerts", write)
        if total:
            log.info("draw alerts: %d queued", total)
            self.queued()
        return total

    # --- re-scoring -------------------------------------------------------------------------
    def rescore(self) -> int:
        """Score subscribers again when today's rule set is not the one they were scored with; told if changed."""
        rules = self.results.scorer.book.for_date(self.today())
        told = sum(self._rescore_one(sub, rules) for sub in self.db.subs() if sub.rule_set != rules.id)
        if told:
            self.queued()
        return told

    def _rescore_one(self, sub: Sub, rules: RuleSet) -> bool:
        session = self.store.load(sub.chat_id)
        answers = session.answers
        snap = snapshot(self.results, answers, self.today())
        if snap is None:
            return False
        fresh = _with_snapshot(sub, snap)
        t = self.results.languages.get(session.language)
        text = rescore_text(rules.label, rules.effective_from, rules.sources[0].url, sub, snap, t)
        planned = plan(answers_dates(answers, self.today(), self.results.scorer), fresh.kinds, self.now())

        def write(conn: Any) -> bool:
            WatchStore.put_sub(conn, fresh, self.now())
            WatchStore.replace_reminders(conn, sub.chat_id, planned)
            return fresh.score != sub.score and WatchStore.enqueue(conn, sub.chat_id, "rescore", rules.id, text)

        told = bool(self.store.apply("re-score", write))
        self.changed(sub.chat_id)
        return told

    def refresh(self, limit: int = REFRESH_BATCH) -> int:
        """Bring up to ``limit`` snapshots computed before today up to date (a birthday lowers a score, a job
        that goes on opens a route, the next age change gets its reminders); silent, unless the rules changed."""
        today = datetime.combine(self.today(), time(0), UTC)
        rules = self.results.scorer.book.for_date(self.today())
        done = 0
        for chat_id in self.db.stale(today, limit):
            sub = self.db.sub(chat_id)
            if sub is None:
                continue
            if sub.rule_set != rules.id:
                if self._rescore_one(sub, rules):
                    self.queued()
            else:
                self.answers_changed(chat_id, self.store.load(chat_id).answers)
            done += 1
        return done


def _switch(label: str, key: str, on: bool) -> Button:
    """A setting's button: its state shown, tapping sets the other one."""
    return Button(("✅ " if on else "◻️ ") + label, f"w:set:{key}:{'off' if on else 'on'}")


def _with_snapshot(sub: Sub, snap: Snapshot) -> Sub:
    return sub.model_copy(
        update={"score": snap.score, "sections": snap.sections, "routes": snap.routes, "rule_set": snap.rule_set}
    )


def _confirmation(sub: Sub, t: Translator | None = None) -> str:
    t = t or _english()
    lower = str.lower if t.language == SOURCE_LANGUAGE else _lower
    chosen = [lower(t(KINDS[k][1])) for k in KINDS if k in sub.kinds] + ([t("draw alerts")] if sub.alerts else [])
    text = t("Saved. On: {chosen}.", chosen=", ".join(chosen))
    if sub.alerts and not sub.routes:
        text += t(
            " You are not eligible for a federal program yet, so no round can invite you: the alerts start once "
            "your answers make you eligible (/score shows what is missing)."
        )
    return text


def _lower(label: str) -> str:
    """A button's label inside a French sentence: "Mon EDE..." -> "mon EDE..." (acronyms keep their capitals)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# --- the Telegram side ------------------------------------------------------------------------------
SENDER_IDLE_SECONDS = 60  # with nothing kicked, the sender looks at its outbox this often


class WatchSender:
    """Sends the watch's outbox at ``rate`` messages a second, ``concurrency`` at a time, in claimed batches.

    The sends go through the bot's own rate limiter (PTB's AIORateLimiter: 30/s overall, 1/s per chat,
    retrying a 429 twice); this pacing keeps the fan-out under it, so people's replies still get through.
    A chat that blocked the bot (Forbidden) is unsubscribed. A 429 or a network failure puts the message
    back (an alert whose send timed out is not repeated: it may have arrived).
    """

    def __init__(self, bot: Bot, watch: Watch, rate: float = RATE, concurrency: int = CONCURRENCY) -> None:
        self.bot = bot
        self.watch = watch
        self.rate = rate
        self.concurrency = concurrency
        self._runner = Every(SENDER_IDLE_SECONDS, self.drain, first=0, name="the watch's sender")
        self.sent = 0

    async def _send(self, message: Message, gate: asyncio.Semaphore) -> tuple[str, float]:
        try:
            return await _deliver(self.bot, message)
        finally:
            gate.release()

    def kick(self) -> None:
        self._runner.kick()

    def start(self) -> None:
        self._runner.start()

    async def stop(self) -> None:
        await self._runner.stop()

    async def drain(self) -> int:
        """Send everything pending; the number sent. Batches of about a second's worth are claimed (committed)
        before they are sent; while one batch finishes the next one starts, so at most two are in flight."""
        sent = 0
        interval = 1.0 / self.rate
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        gate = asyncio.Semaphore(self.concurrency)
        inflight: asyncio.Task[tuple[int, float]] | None = None
        while True:
            try:
                batch = self.watch.db.claim(max(1, int(self.rate)))
            except StorageUnavailable:
                await asyncio.sleep(1)
                continue
            if not batch:
                if inflight is not None:
                    sent += (await inflight)[0]
                return sent
            tasks = []
            for message in batch:
                delay = next_at - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_at = max(next_at, loop.time() - interval) + interval
                await gate.acquire()
                tasks.append(asyncio.create_task(self._send(message, gate)))
            if inflight is not None:
                done, pause = await inflight
                sent += done
                if pause:
                    await asyncio.sleep(pause)
                    next_at = loop.time()
            inflight = asyncio.create_task(self._settle(batch, tasks))

    async def _settle(self, batch: list[Message], tasks: list[asyncio.Task[tuple[str, float]]]) -> tuple[int, float]:
        """Wait for a batch's sends and record them; (the number sent, the pause Telegram asked for)."""
        results = await asyncio.gather(*tasks)
        outcomes = {m.id: outcome for m, (outcome, _) in zip(batch, results, strict=True)}
        blocked = {m.chat_id for m, (outcome, _) in zip(batch, results, strict=True) if outcome == "blocked"}
        try:
            self.watch.db.finish(outcomes, blocked)
        except StorageUnavailable:
            log.warning("the watch could not record %d sends; they are redone or dropped at start", len(batch))
        if blocked:
            log.info("%d chat(s) blocked the bot: unsubscribed", len(blocked))
        done = sum(1 for state in outcomes.values() if state == "sent")
        self.sent += done
        return done, max(wait for _, wait in results)


async def _deliver(bot: Bot, message: Message) -> tuple[str, float]:
    """Send one message: its outcome ("sent", "blocked", "pending", "lost", "failed") and a pause to take."""
    try:
        await bot.send_message(message.chat_id, _escape(message.text), parse_mode=ParseMode.HTML)
    except Forbidden:
        return "blocked", 0.0
    except RetryAfter as exc:
        return "pending", _seconds(exc.retry_after)
    except TimedOut:  # it may have arrived: an alert is not repeated, a reminder is
        return ("lost" if message.kind in AT_MOST_ONCE else "pending"), 1.0
    except NetworkError:
        return "pending", 5.0
    except TelegramError as exc:  # BadRequest included: not retryable
        log.info("a watch message was refused: %s", exc)
        return "failed", 0.0
    return "sent", 0.0


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ReminderScheduler:
    """Puts the reminders due soon on PTB's JobQueue; an hourly sweep rebuilds the schedule from SQLite."""

    def __init__(self, watch: Watch, job_queue: Any, sender: WatchSender) -> None:
        self.watch = watch
        self.jobs = job_queue
        self.sender = sender
        self._scheduled: dict[int, Any] = {}

    def start(self) -> None:
        """At start: what is due soon (what came due while the bot was down included), then every SWEEP."""
        with contextlib.suppress(StorageUnavailable):
            self.sweep()
        sweep = SWEEP.total_seconds()
        self.jobs.run_repeating(self._sweep_job, interval=sweep, first=sweep, name="watch:sweep")
        every = RESCORE_EVERY.total_seconds()
        self.jobs.run_repeating(self._rescore_job, interval=every, first=5, name="watch:rescore")
        every = REFRESH_EVERY.total_seconds()
        self.jobs.run_repeating(self._refresh_job, interval=every, first=every, name="watch:refresh")

    def sweep(self, chat_id: int | None = None) -> int:
        """Schedule the reminders due before now + HORIZON (all chats, or one whose reminders changed)."""
        now = self.watch.now()
        if chat_id is not None:
            for rid in [r for r, job in self._scheduled.items() if job.data[1] == chat_id]:
                self._scheduled.pop(rid).schedule_removal()
        count = 0
        for reminder in self.watch.db.due(now + HORIZON, chat_id):
            if reminder.id in self._scheduled:
                continue
            delay = max((reminder.fire_at - now).total_seconds(), 0.0)
            self._scheduled[reminder.id] = self.jobs.run_once(
                self._fire_job, when=delay, data=(reminder.id, reminder.chat_id), name=f"watch:remind:{reminder.id}"
            )
            count += 1
        return count

    async def _fire_job(self, context: Any) -> None:
        reminder_id, _ = context.job.data
        self._scheduled.pop(reminder_id, None)
        try:
            if self.watch.fire(reminder_id):
                self.sender.kick()
        except StorageUnavailable:
            log.warning("a reminder could not be queued now; the next sweep tries again")

    async def _sweep_job(self, context: Any) -> None:
        with contextlib.suppress(StorageUnavailable):
            self.sweep()

    async def _rescore_job(self, context: Any) -> None:
        with contextlib.suppress(StorageUnavailable):
            self.watch.rescore()

    async def _refresh_job(self, context: Any) -> None:
        with contextlib.suppress(StorageUnavailable):
            self.watch.refresh()


class AlertingDrawsKeeper(DrawsKeeper):
    """The periodic refresh of the rounds, planning the draw alerts of the rounds it found."""

    def __init__(self, *args: Any, on_new: Callable[[list[Draw]], Awaitable[object] | object], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_new = on_new

    async def refresh_now(self) -> RefreshResult:
        result = await super().refresh_now()
        if result.ok and result.new:
            outcome = self.on_new(result.new)
            if asyncio.iscoroutine(outcome):
                await outcome
        return result
