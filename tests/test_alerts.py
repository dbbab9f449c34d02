"""Draw alerts (exactly the right people, once; blocked chats dropped; a restart mid-way) and re-scoring."""

from __future__ import annotations

import asyncio
import html
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import bot.draws_refresh
from bot.draws_refresh import RefreshResult
from bot.store import SessionStore
from bot.watch import AlertingDrawsKeeper, Watch, WatchSender, alert_text, draw_routes, snapshot
from bot.watch_store import Sub, WatchStore
from flows.conversation import DONE, Session
from flows.results import Results
from knowledge.crs.rules import RuleBook, default_rule_book
from knowledge.crs.scoring import Scorer, default_scorer
from knowledge.draws.rounds import Draw, Draws
from knowledge.programs.eligibility import EligibilityEngine
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN
from tests.test_remind import Clock, seed, wait_until, watch_bot

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
CEC_ROUND = Draw(number="460", date=date(2026, 12, 1), name="Canadian Experience Class", invitations=3000, min_crs=515)
HEALTH_ROUND = Draw(
    number="461", date=date(2026, 12, 2), name="Healthcare and Social Services Occupations, 2026-Version 4",
    invitations=2500, min_crs=470,
)  # fmt: skip
CEC_CANDIDATE = {  # stored answers, as the dialogue keeps them: 1.5 years as a software developer in Canada
    "dob": "1994-05-17",
    "marital": "never_married",
    "education": "bachelors",
    "education_proof": "eca",
    "lang1_test": "celpip",
    "lang1_date": "2026-01-10",
    "lang1_scores": {"listening": 9, "reading": 9, "writing": 9, "speaking": 9},
    "jobs": [
        {
            "job_noc": "21232",
            "job_where": "canada",
            "job_start": "2025-05-01",
            "job_end": "ongoing",
            "job_hours": 40,
            "job_kind": "employee",
        },
    ],
    "authorized": "yes",
}


def results(scorer: Scorer | None = None) -> Results:
    return Results(scorer or default_scorer(), EligibilityEngine())


def subscribe(store: SessionStore, chat_id: int, routes: list[str], score: int, alerts: bool = True) -> None:
    sub = Sub(chat_id=chat_id, kinds=["age"], alerts=alerts, score=score, routes=routes, rule_set="crs-2025-03-25")
    store.apply("test", lambda conn: WatchStore.put_sub(conn, sub))


def outbox(store: SessionStore, kind: str = "alert") -> list[tuple[int, str, str]]:
    return [
        (int(r[0]), r[1], r[2])
        for r in store.conn.execute("select chat_id, text, state from watch_outbox where kind = ? order by id", [kind])
    ]


@pytest.mark.parametrize(
    ("name", "routes"),
    [
        ("Canadian Experience Class", {"cec"}),
        ("Provincial Nominee Program", {"pnp"}),
        ("No Program Specified", {"all"}),
        ("Healthcare and Social Services Occupations, 2026-Version 3", {"healthcare", "healthcare_social_services"}),
        ("French-Language proficiency 2026-Version 2", {"french"}),
        ("STEM occupations (Version 1)", {"stem"}),
    ],
)
def test_a_round_is_read_as_its_routes(name, routes):
    assert draw_routes(CEC_ROUND.model_copy(update={"name": name})) == routes


def test_every_shipped_round_has_a_route():
    assert all(draw_routes(d) for d in Draws().rounds if d.date >= date(2024, 1, 1))


def test_a_cec_candidate_has_the_cec_and_all_program_routes():
    snap = snapshot(results(), CEC_CANDIDATE, NOW.date())
    assert snap is not None and {"cec", "all"} <= set(snap.routes) and "fst" not in snap.routes
    assert (
        snap.rule_set == "crs-2025-03-25"
        and snap.score
        == default_scorer()
        .score(__import__("flows.profile_builder", fromlist=["build_profile"]).build_profile(CEC_CANDIDATE, NOW.date()))
        .total
    )


def test_the_alert_says_whether_the_score_would_have_been_invited():
    assert "you would have been invited" in alert_text(CEC_ROUND, 515)
    missed = alert_text(CEC_ROUND, 498)
    assert "lowest score invited 515" in missed and "17 points short" in missed and "#460" in missed


def test_an_alert_reaches_exactly_the_subscribers_on_its_route_once(tmp_path):
    store = SessionStore(tmp_path / "m.db")
    watch = Watch(store, results(), Clock(NOW))
    subscribe(store, 1, ["all", "cec"], 520)
    subscribe(store, 2, ["all", "fsw"], 530)  # no CEC route
    subscribe(store, 3, ["all", "cec", "healthcare"], 480)
    subscribe(store, 4, ["all", "cec"], 600, alerts=False)  # reminders only
    assert watch.new_rounds([CEC_ROUND, HEALTH_ROUND]) == 3
    sent = outbox(store)
    assert [(chat, state) for chat, _, state in sent] == [(1, "pending"), (3, "pending"), (3, "pending")]
    assert "you would have been invited" in sent[0][1] and "35 points short" in sent[1][1]
    assert "#461" in sent[2][1] and "10 points short" not in sent[2][1] and "would have been invited" in sent[2][1]
    # the next refresh sees the same rounds again (or a restart plans again): nothing more
    assert watch.new_rounds([CEC_ROUND, HEALTH_ROUND]) == 0
    assert Watch(store, results(), Clock(NOW)).new_rounds([CEC_ROUND]) == 0
    assert len(outbox(store)) == 3
    # a round found long after it was held (an outage) is not alerted
    old = CEC_ROUND.model_copy(update={"number": "400", "date": date(2026, 10, 1)})
    assert watch.new_rounds([old]) == 0
    store.close()


class FakeBot:
    """Records the sends; chats in ``blocked`` answer Forbidden (as PTB raises it)."""

    def __init__(self, blocked: set[int] | None = None) -> None:
        self.sent: list[int] = []
        self.blocked = blocked or set()

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        from telegram.error import Forbidden

        await asyncio.sleep(0)
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        self.sent.append(chat_id)


async def test_a_restart_mid_fan_out_sends_nobody_the_same_alert_twice(tmp_path):
    db = tmp_path / "m.db"
    store = SessionStore(db)
    watch = Watch(store, results(), Clock(NOW))
    for chat in range(1, 101):
        subscribe(store, chat, ["cec"], 500)
    assert watch.new_rounds([CEC_ROUND]) == 100
    in_flight = watch.db.claim(28)  # claimed (committed), then the process dies before recording the sends
    first_bot = FakeBot()
    for message in in_flight[:20]:  # 20 of them reached Telegram before the crash
        await first_bot.send_message(message.chat_id, message.text)
    store.close()

    store = SessionStore(db)
    watch = Watch(store, results(), Clock(NOW))
    assert watch.db.recover() == (0, 28)  # the 28 in flight are not repeated (8 of them are lost)
    second_bot = FakeBot()
    sender = WatchSender(second_bot, watch, rate=1000)  # type: ignore[arg-type]
    assert await sender.drain() == 72
    everyone = first_bot.sent + second_bot.sent
    assert len(everyone) == len(set(everyone)) == 92
    assert not set(first_bot.sent) & set(second_bot.sent)
    assert watch.db.states("alert") == {"sent": 72, "lost": 28}
    assert watch.new_rounds([CEC_ROUND]) == 0  # and the round is never planned again
    store.close()


async def test_a_reminder_caught_mid_send_is_sent_again(tmp_path):
    store = SessionStore(tmp_path / "m.db")
    watch = Watch(store, results(), Clock(NOW))
    store.apply("test", lambda conn: WatchStore.enqueue(conn, 5, "reminder", "age:42:2027-03-08:30", "Reminder: x"))
    assert len(watch.db.claim(10)) == 1  # then a crash
    assert watch.db.recover() == (1, 0)
    fake = FakeBot()
    assert await WatchSender(fake, watch, rate=1000).drain() == 1  # type: ignore[arg-type]
    assert fake.sent == [5]
    store.close()


async def test_a_chat_that_blocked_the_bot_is_unsubscribed(tmp_path):
    store = SessionStore(tmp_path / "m.db")
    watch = Watch(store, results(), Clock(NOW))
    for chat in (1, 2, 3):
        subscribe(store, chat, ["cec"], 500)
    watch.new_rounds([CEC_ROUND])
    fake = FakeBot(blocked={2})
    assert await WatchSender(fake, watch, rate=1000).drain() == 2  # type: ignore[arg-type]
    assert sorted(fake.sent) == [1, 3]
    assert [s.chat_id for s in watch.db.subs()] == [1, 3]
    assert store.conn.execute("select count(*) from watch_reminders where chat_id = 2").fetchone()[0] == 0
    store.close()


# --- through Telegram: the real stack, a Bot API where some chats blocked the bot ------------------
class BlockingBotApi(FakeBotApi):
    """The fake Bot API, answering 403 (as Telegram does) to messages for chats that blocked the bot."""

    blocked: set[int]

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "sendMessage":
            params = await self._params(request)
            if int(params.get("chat_id", 0)) in getattr(self, "blocked", set()):
                return web.json_response(
                    {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                    status=403,
                )
        return await super()._handle(request)


async def test_through_telegram_a_new_round_alerts_the_right_people_once_and_drops_the_blocked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db = tmp_path / "m.db"
    seed(db, 1, CEC_CANDIDATE)
    store = SessionStore(db)
    for chat in range(10, 40):
        subscribe(store, chat, ["all", "cec"] if chat % 3 else ["all", "fsw"], 490 + chat)
    store.close()
    api = BlockingBotApi(TOKEN)
    api.blocked = {11, 13}
    await api.start()
    clock = Clock(NOW, running=True)
    refreshed = RefreshResult(ok=True, message="test", rounds=[CEC_ROUND, *Draws().rounds], new=[CEC_ROUND])
    monkeypatch.setattr(bot.draws_refresh, "refresh", lambda table, source, timeout=20.0: refreshed)
    try:
        async with watch_bot(api, db, clock) as app:
            keeper = app.bot_data["maple_draws"]
            assert isinstance(keeper, AlertingDrawsKeeper)
            api.user_sends(1, "/alerts")  # the person opts in: their snapshot (score, routes) is taken
            await wait_until(lambda: any("Saved. On: draw alerts" in m["text"] for m in api.sent(1)))
            await keeper.refresh_now()  # what the periodic refresh does when IRCC's feed has a new round
            await keeper.refresh_now()  # and the next refresh sees the same round again
            expected = {1} | {chat for chat in range(10, 40) if chat % 3 and chat not in api.blocked}
            await wait_until(lambda: {c for c in range(1, 40) if _alerts(api, c)} == expected)
            await asyncio.sleep(0.5)
            core = app.bot_data["maple_core"]
            assert {s.chat_id for s in core.watch.db.subs()} == set(range(1, 40)) - {2, 3, 4, 5, 6, 7, 8, 9} - {11, 13}
        assert all(len(_alerts(api, chat)) == 1 for chat in expected)
        assert all(not _alerts(api, chat) for chat in range(10, 40) if chat % 3 == 0)
        text = _alerts(api, 26)[0]
        assert (
            "lowest score invited 515" in text and "With your current score of 516, you would have been invited" in text
        )
        assert "With your current score of 500, you would not have been invited: 15 points short" in _alerts(api, 10)[0]
    finally:
        await api.stop()


def _alerts(api: FakeBotApi, chat_id: int) -> list[str]:
    texts = [html.unescape(m.get("text", "")) for m in api.sent(chat_id)]
    return [t for t in texts if t.startswith("New Express Entry round")]


# --- re-scoring ------------------------------------------------------------------------------------
def synthetic_book() -> RuleBook:
    """The shipped grid until 2026-12-31, then a made-up one from 2027-01-01 with 10 more age points at 30-35."""
    shipped = default_rule_book()
    current = shipped.for_date(date(2026, 12, 1))
    ages = [
        row.model_copy(update={"without_spouse": row.without_spouse + 10, "with_spouse": row.with_spouse + 10})
        if 30 <= row.age <= 35
        else row
        for row in current.core.age
    ]
    new = current.model_copy(
        update={
            "id": "crs-2027-01-01-synthetic",
            "label": "CRS from 2027-01-01 (synthetic, for tests)",
            "effective_from": date(2027, 1, 1),
            "effective_to": None,
            "core": current.core.model_copy(update={"age": ages}),
        }
    )
    older = [r for r in shipped.rule_sets if r.id != current.id]
    return RuleBook(
        rule_sets=(*older, current.model_copy(update={"effective_to": date(2026, 12, 31)}), new),
        pending=shipped.pending,
    )


def test_with_the_shipped_rules_nothing_is_rescored_and_the_caveat_stays(tmp_path):
    store = SessionStore(tmp_path / "m.db")
    clock = Clock(NOW)
    watch = Watch(store, results(), clock)
    store.save(Session(chat_id=1, state=DONE, answers=CEC_CANDIDATE))
    watch.button(1, "w:set:alerts:on", None)
    for day in (NOW, datetime(2027, 3, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)):
        clock.set(day)
        assert watch.rescore() == 0
    assert outbox(store, "rescore") == []
    caveats = (
        default_scorer()
        .score(
            __import__("flows.profile_builder", fromlist=["build_profile"]).build_profile(
                CEC_CANDIDATE, date(2027, 3, 1)
            )
        )
        .caveats
    )
    assert any("2026-11-03" in c for c in caveats)  # the reported change: still only a caveat
    store.close()


def test_a_new_rule_set_rescores_the_subscribers_whose_score_changes_once(tmp_path):
    store = SessionStore(tmp_path / "m.db")
    clock = Clock(NOW)
    watch = Watch(store, results(Scorer(synthetic_book())), clock)
    store.save(Session(chat_id=1, state=DONE, answers={**CEC_CANDIDATE, "dob": "1994-05-17"}))  # 32: +10
    store.save(Session(chat_id=2, state=DONE, answers={**CEC_CANDIDATE, "dob": "1980-05-17"}))  # 46: unchanged
    for chat in (1, 2):
        watch.button(chat, "w:set:alerts:on", None)
    before = {s.chat_id: s.score for s in watch.db.subs()}
    clock.set(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    assert watch.rescore() == 0  # the old grid is still in force
    clock.set(datetime(2027, 1, 1, 9, 0, tzinfo=UTC))
    assert watch.rescore() == 1
    told = outbox(store, "rescore")
    assert [chat for chat, _, _ in told] == [1]
    assert f"your score is now {before[1] + 10} (it was {before[1]})" in told[0][1]
    assert "CRS from 2027-01-01 (synthetic, for tests)" in told[0][1] and "Core" in told[0][1]
    assert {s.chat_id: s.rule_set for s in watch.db.subs()} == {
        1: "crs-2027-01-01-synthetic",
        2: "crs-2027-01-01-synthetic",
    }
    assert watch.rescore() == 0  # once
    clock.set(datetime(2027, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=1))
    assert watch.rescore() == 0
    store.close()
