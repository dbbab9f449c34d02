"""Reminders: planned from the person's dates, fired once at the right time (after a restart too), forgotten."""

from __future__ import annotations

import asyncio
import contextlib
import html
import time as clock_time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.config import Config
from bot.core import build_core
from bot.store import SessionStore
from bot.telegram_bot import build_application, on_start, on_stop
from bot.watch import HORIZON, KINDS, LEADS, SEND_HOUR_UTC, Watch, plan
from flows.conversation import DONE, Dialogue, Session
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.deadlines import personal_dates
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from tests.conftest import clb, make_profile
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN
from tests.test_flow_machine import ANSWERS

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
NURSE = {**ANSWERS, "dob": "1985-03-08", "marital": "single", "lang2_test": "none", "lang1_date": "2025-05-02"}
WATCH_TABLES = ("watch_subs", "watch_reminders", "watch_outbox")


class Clock:
    """A controllable UTC clock: set, moved, or running from a start like a real one (for the JobQueue)."""

    def __init__(self, start: datetime, running: bool = False) -> None:
        self.start = start
        self.running = running
        self.t0 = clock_time.monotonic()

    def __call__(self) -> datetime:
        if self.running:
            return self.start + timedelta(seconds=clock_time.monotonic() - self.t0)
        return self.start

    def set(self, when: datetime) -> None:
        self.start, self.t0 = when, clock_time.monotonic()


def answers_of(person: dict[str, str], today: date) -> dict[str, Any]:
    """The stored answers of a person who typed ``person``'s answers to the real dialogue."""
    dialogue = Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: today)
    session = Session(chat_id=0)
    dialogue.start(session)
    while session.state != DONE:
        dialogue.text(session, "no" if session.state == "job_add" else person[session.state])
    return session.answers


def seed(db: Path, chat_id: int, answers: dict[str, Any]) -> None:
    store = SessionStore(db)
    store.save(Session(chat_id=chat_id, state=DONE, answers=answers))
    store.close()


def fire_at(day: str, lead: int) -> datetime:
    return datetime.combine(date.fromisoformat(day) - timedelta(days=lead), datetime.min.time(), UTC).replace(
        hour=SEND_HOUR_UTC
    )


@pytest.fixture(scope="module")
def nurse_answers() -> dict[str, Any]:
    return answers_of(NURSE, NOW.date())


def make_watch(db: Path, clock: Callable[[], datetime]) -> tuple[SessionStore, Watch]:
    store = SessionStore(db)
    return store, Watch(store, Results(default_scorer(), EligibilityEngine()), clock)


def rows(store: SessionStore, table: str, chat_id: int) -> int:
    return int(store.conn.execute(f"select count(*) from {table} where chat_id = ?", [chat_id]).fetchone()[0])


def test_reminders_are_planned_30_and_7_days_before_each_chosen_date(tmp_path, nurse_answers):
    seed(tmp_path / "m.db", 7, nurse_answers)
    store, watch = make_watch(tmp_path / "m.db", Clock(NOW))
    reply = watch.button(7, "w:set:age:on", None)[0]
    assert "Saved. On: birthdays that change my points." in reply.text
    assert "2027-03-08 (30 days ahead)" in reply.text
    planned = watch.db.reminders(7)
    assert [(k, d, lead) for k, d, lead, _ in planned] == [
        ("age:42", "2027-03-08", 30), ("age:42", "2027-03-08", 7),
        ("age:43", "2028-03-08", 30), ("age:43", "2028-03-08", 7),
    ]  # fmt: skip
    due = watch.db.due(datetime(2030, 1, 1, tzinfo=UTC), 7)
    assert due[0].fire_at == fire_at("2027-03-08", 30) == datetime(2027, 2, 6, 14, 0, tzinfo=UTC)
    # adding the language results: their expiry (2027-05-02) gets its two reminders too
    watch.button(7, "w:set:language:on", None)
    assert ("language:first", "2027-05-02", 7) in {(k, d, lead) for k, d, lead, _ in watch.db.reminders(7)}
    # a date too close for a reminder: none in the past
    store2, late = make_watch(tmp_path / "m.db", Clock(datetime(2027, 3, 3, tzinfo=UTC)))
    late.button(7, "w:set:age:off", None)  # age off ...
    late.button(7, "w:set:age:on", None)  # ... and on again, 5 days before the birthday
    assert ("age:42", "2027-03-08", 7) not in {(k, d, lead) for k, d, lead, s in late.db.reminders(7) if s is None}
    store.close()
    store2.close()


def test_a_reminder_fires_once_even_after_a_restart(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    seed(db, 7, nurse_answers)
    clock = Clock(NOW)
    store, watch = make_watch(db, clock)
    watch.button(7, "w:set:age:on", None)
    clock.set(fire_at("2027-03-08", 30) - timedelta(minutes=30))
    due = watch.db.due(clock() + HORIZON)
    assert [(r.key, r.lead_days) for r in due] == [("age:42", 30)]  # only what is due soon is scheduled
    assert watch.fire(due[0].id) is True
    assert watch.fire(due[0].id) is False  # a second timer for the same reminder does nothing
    store.close()
    store, watch = make_watch(db, clock)  # restart: rebuilt from the file
    assert watch.db.due(clock() + HORIZON) == []
    texts = [r[0] for r in store.conn.execute("select text from watch_outbox where chat_id = 7")]
    assert len(texts) == 1 and "(in 30 days)" in texts[0] and "age points 39 -> 28" in texts[0]
    assert "Source: https://www.canada.ca/" in texts[0]
    store.close()


def test_a_changed_birth_date_replaces_the_reminders_and_an_old_timer_is_stale(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    seed(db, 7, nurse_answers)
    store, watch = make_watch(db, Clock(NOW))
    watch.button(7, "w:set:age:on", None)
    old = watch.db.due(datetime(2030, 1, 1, tzinfo=UTC), 7)[0]
    moved = {**nurse_answers, "dob": "1985-04-20"}
    store.save(Session(chat_id=7, state=DONE, answers=moved))
    assert watch.fire(old.id) is False  # the answers changed before the planning did: not sent, closed
    watch.answers_changed(7, moved)
    assert {d for _, d, _, s in watch.db.reminders(7) if s is None} == {"2027-04-20", "2028-04-20"}
    assert rows(store, "watch_outbox", 7) == 0
    store.close()


def test_the_daily_refresh_follows_a_birthday_score_and_plans_the_next_age_change(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    seed(db, 7, nurse_answers)
    clock = Clock(NOW)
    store, watch = make_watch(db, clock)
    watch.button(7, "w:all", None)
    before = watch.db.sub(7)
    assert before is not None
    assert watch.refresh() == 0  # computed today: nothing to do
    clock.set(datetime(2027, 3, 9, 8, 0, tzinfo=UTC))  # the day after her 42nd birthday
    assert watch.refresh() == 1 and watch.refresh() == 0  # once a day
    after = watch.db.sub(7)
    assert after is not None and after.score == before.score - 11
    unsent = {(k, d) for k, d, _, sent in watch.db.reminders(7) if sent is None}
    assert ("age:44", "2029-03-08") in unsent and ("age:42", "2027-03-08") not in unsent
    assert rows(store, "watch_outbox", 7) == 0  # silent: no rule changed
    store.close()


def test_remind_off_and_forget_leave_nothing(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    seed(db, 7, nurse_answers)
    seed(db, 8, nurse_answers)
    store, watch = make_watch(db, Clock(NOW))
    for chat in (7, 8):
        watch.button(chat, "w:all", None)
        assert rows(store, "watch_subs", chat) == 1 and rows(store, "watch_reminders", chat) > 0
    assert watch.command(7, "remind", "off", None)[0].text.startswith("Reminders and draw alerts are off")
    assert all(rows(store, table, 7) == 0 for table in WATCH_TABLES)
    store.forget(8)
    assert all(rows(store, table, 8) == 0 for table in WATCH_TABLES)
    store.close()


def test_a_button_sets_a_value_so_an_old_menu_tapped_again_changes_nothing(tmp_path, nurse_answers):
    seed(tmp_path / "m.db", 7, nurse_answers)
    store, watch = make_watch(tmp_path / "m.db", Clock(NOW))
    menu = watch.command(7, "remind", "", None)[0]
    assert [b.data for b in menu.buttons][:2] == ["w:set:age:on", "w:set:language:on"]
    for _ in range(2):  # the same old button twice
        watch.button(7, "w:set:age:on", None)
    sub = watch.db.sub(7)
    assert sub is not None and sub.kinds == ["age"]
    after = watch.button(7, "w:set:language:on", None)[0]
    assert "w:set:age:off" in [b.data for b in after.buttons] and "w:set:language:off" in [
        b.data for b in after.buttons
    ]
    assert "out of date" in watch.button(7, "w:set:nothing:on", None)[0].text
    assert "out of date" in watch.button(7, "w:t:age", None)[0].text
    assert watch.db.sub(7).kinds == ["age", "language"]
    store.close()


def test_alerts_for_someone_not_eligible_yet_say_so(tmp_path, nurse_answers):
    seed(tmp_path / "m.db", 7, nurse_answers)  # no work experience: no program, no round
    store, watch = make_watch(tmp_path / "m.db", Clock(NOW))
    reply = watch.command(7, "alerts", "", None)[0]
    assert "Saved. On: draw alerts." in reply.text and "not eligible for a federal program yet" in reply.text
    sub = watch.db.sub(7)
    assert sub is not None and sub.alerts and sub.routes == [] and sub.kinds == []
    assert watch.command(7, "alerts", "off", None)[0].text.startswith("Reminders and draw alerts are off")
    assert watch.db.sub(7) is None
    store.close()


def test_reminders_need_a_date_of_birth(tmp_path):
    store, watch = make_watch(tmp_path / "m.db", Clock(NOW))
    assert "date of birth" in watch.command(9, "remind", "", None)[0].text  # the menu shows; nothing stored yet
    assert "date of birth" in watch.button(9, "w:set:age:on", None)[0].text
    assert rows(store, "watch_subs", 9) == 0
    store.close()


# --- through Telegram: the real application, its JobQueue, the fake Bot API ---------------------------
@contextlib.asynccontextmanager
async def watch_bot(api: FakeBotApi, db: Path, clock: Clock, **sender: Any) -> AsyncIterator[Any]:
    config = Config(token=SecretStr(TOKEN), api_base_url=api.base_url, db_path=str(db))
    core = build_core(str(db), today=lambda: clock().date(), now=clock)
    app = build_application(config, core)
    for name, value in sender.items():
        setattr(app.bot_data["maple_watch_sender"], name, value)
    async with app:
        await on_start(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=["message", "callback_query"])
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await on_stop(app)
    core.store.close()


def _has_button(message: dict[str, Any], data: str) -> bool:
    rows_ = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return any(b.get("callback_data") == data for row in rows_ for b in row)


def reminders_sent(api: FakeBotApi, chat_id: int) -> list[str]:
    texts = [html.unescape(m.get("text", "")) for m in api.sent(chat_id)]  # sent as escaped HTML
    return [text for text in texts if text.startswith("Reminder:")]


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = clock_time.monotonic() + timeout
    while not condition():
        if clock_time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def test_through_telegram_a_reminder_arrives_once_at_its_time_and_not_again_after_a_restart(
    tmp_path, nurse_answers
):
    db = tmp_path / "m.db"
    seed(db, 42, nurse_answers)
    due = fire_at("2027-03-08", LEADS[0])
    clock = Clock(due - timedelta(seconds=2), running=True)  # 2 s before the 30-day reminder is due
    api = await FakeBotApi(TOKEN).start()
    try:
        async with watch_bot(api, db, clock):
            api.user_sends(42, "/remind")
            await api.wait_for(42, 1)
            assert "Reminders are sent 30 and 7 days before" in api.sent(42)[-1]["text"]
            api.user_taps(42, "w:set:age:on")
            await wait_until(lambda: any("Saved. On:" in m["text"] for m in api.sent(42)))
            assert reminders_sent(api, 42) == []  # not before its time
            await wait_until(lambda: bool(reminders_sent(api, 42)), timeout=8)
            assert clock() >= due
            assert "2027-03-08: you turn 42: age points 39 -> 28" in reminders_sent(api, 42)[0]
            await asyncio.sleep(1.0)
        clock.running = True
        async with watch_bot(api, db, clock):  # restarted: the schedule is rebuilt from SQLite
            await asyncio.sleep(1.5)
        assert len(reminders_sent(api, 42)) == 1
    finally:
        await api.stop()


async def test_a_reminder_due_while_the_bot_was_down_is_sent_at_start(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    seed(db, 43, nurse_answers)
    store, watch = make_watch(db, Clock(NOW))
    watch.button(43, "w:set:age:on", None)
    store.close()
    clock = Clock(fire_at("2027-03-08", LEADS[1]) + timedelta(hours=5), running=True)  # the 7-day one, 5 h late
    api = await FakeBotApi(TOKEN).start()
    try:
        async with watch_bot(api, db, clock):
            await wait_until(lambda: len(reminders_sent(api, 43)) >= 1)
            await asyncio.sleep(0.5)
            api.user_sends(43, "/forget")
            await wait_until(lambda: any(_has_button(m, "forget:yes") for m in api.sent(43)))
            api.user_taps(43, "forget:yes")
            await wait_until(lambda: any("is deleted" in m["text"] for m in api.sent(43)))
        sent = reminders_sent(api, 43)
        # the 30-day one, missed, is not sent late next to the 7-day one: one message, with the true count
        assert len(sent) == 1 and "2027-03-08: you turn 42" in sent[0] and "(in 7 days)" in sent[0]
        store = SessionStore(db)
        left = {table: rows(store, table, 43) for table in WATCH_TABLES}
        assert left == dict.fromkeys(WATCH_TABLES, 0)  # /forget took the reminders too
        store.close()
    finally:
        await api.stop()


@settings(max_examples=80, deadline=None)
@given(
    born=st.dates(min_value=date(1960, 1, 1), max_value=date(2008, 1, 1)),
    tested=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1)),
    minutes=st.integers(min_value=0, max_value=3 * 365 * 24 * 60),
    kinds=st.sets(st.sampled_from(sorted(KINDS)), min_size=1),
)
def test_planned_reminders_are_future_chosen_and_lead_days_before(born, tested, minutes, kinds):
    now = NOW + timedelta(minutes=minutes)
    profile = make_profile(
        profile_date=now.date().isoformat(),
        date_of_birth=born.isoformat(),
        first_language={**clb(9, test="celpip"), "test_date": tested.isoformat()},
    )
    deadlines = personal_dates(profile, now.date(), eca_issued=date(2023, 5, 5), profile_created=date(2026, 6, 1))
    planned = plan(deadlines, kinds, now)
    wanted = {KINDS[k][0] for k in kinds}
    by_key = {d.key: d for d in deadlines}
    assert len({(p.key, p.day, p.lead_days) for p in planned}) == len(planned)
    for item in planned:
        assert item.fire_at > now and item.lead_days in LEADS
        assert by_key[item.key].kind in wanted and by_key[item.key].day.isoformat() == item.day
        assert (date.fromisoformat(item.day) - item.fire_at.date()).days == item.lead_days
        assert item.fire_at.hour == SEND_HOUR_UTC
    # nothing chosen and still ahead is left out
    for deadline in deadlines:
        for lead in LEADS:
            ahead = datetime.combine(deadline.day - timedelta(days=lead), datetime.min.time(), UTC)
            if deadline.kind in wanted and ahead.replace(hour=SEND_HOUR_UTC) > now:
                assert (deadline.key, deadline.day.isoformat(), lead) in {(p.key, p.day, p.lead_days) for p in planned}


@pytest.mark.parametrize(("proof", "offered"), [("canadian", False), ("none", False), ("eca", True)])
def test_the_eca_reminder_is_offered_only_to_someone_with_an_eca(tmp_path, nurse_answers, proof, offered):
    seed(tmp_path / "m.db", 7, {**nurse_answers, "education_proof": proof})
    store, watch = make_watch(tmp_path / "m.db", Clock(NOW))
    menu = watch.command(7, "remind", "", None)[0]
    assert ("w:set:eca:on" in [b.data for b in menu.buttons]) is offered
    watch.button(7, "w:all", None)
    assert ("eca" in watch.db.sub(7).kinds) is offered
    store.close()
