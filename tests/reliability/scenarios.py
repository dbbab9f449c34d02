"""The scenarios, shared by the pytest module and ``benchmarks/reliability.py``.

- ``run_crash``: a burst of per-chat scripts sent over ``spread`` seconds while the real process is killed
  with SIGKILL at random moments and restarted on the same database; then drained, stopped with SIGTERM,
  and the SQLite file compared with the reference run.
- ``run_startup_fault``: the Bot API refuses at start-up (401 on getMe, 404 everywhere, connections cut):
  one clear line, exit status 2, no token anywhere.
- ``run_chat_fault``: sendMessage fails during a chat (a 502 HTML page echoing the path with the token,
  or the connection cut): logged without the token, and the bot goes on answering.
- ``run_forget``: unique strings answered, then /forget: none of them left in the database, -wal or -shm.

"Drained" means: every update sent has been confirmed to getUpdates (an offset above the last id), and the
bot has made no Bot API call other than getUpdates for ``drain_quiet`` seconds (2) while every chat is on
the question the reference ends on, or for ``drain_quiet_off_script`` seconds (6) when some chat is not (a
bot that lost answers never gets there). SIGTERM follows, and a graceful stop may still finish what it holds.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fake_bot_api import FakeBotApi
from tests.reliability.checks import ChatVerdict, CrashFigures, compare_chat
from tests.reliability.harness import (
    SECRET,
    TOKEN,
    Found,
    Leak,
    MapleProcess,
    database_files,
    raw_search,
    read_sessions,
    token_leaks,
    wait_until,
)
from tests.reliability.workload import ChatScript, Expected, generate_scripts, run_reference


# --- crash safety --------------------------------------------------------------------------------
@dataclass
class CrashConfig:
    chats: int = 100
    steps: int = 15  # per chat, "/start" included
    kills: int = 20
    spread: float = 20.0  # seconds over which the updates are sent
    min_uptime: float = 0.2  # a kill comes this long (at least) after the restarted bot first polls...
    max_uptime: float = 2.5  # ... and at most this long
    seed: int = 1
    tap_share: float = 0.35
    drain_quiet: float = 2.0  # drained: all updates confirmed, no Bot API call but getUpdates for this long...
    drain_quiet_off_script: float = 6.0  # ... and every chat on its expected question, or quiet for this long
    drain_timeout: float = 240.0
    start_timeout: float = 30.0
    stop_timeout: float = 30.0
    bot_env: dict[str, str] = field(default_factory=dict)  # extra environment for the bot (e.g. a log file)


@dataclass
class KillRecord:
    at: float  # seconds since the first update was sent
    uptime: float  # seconds since this start first polled
    pushed: int  # updates sent so far
    unconfirmed: int  # of them not yet confirmed to getUpdates
    busy: bool


@dataclass
class CrashReport:
    figures: CrashFigures
    verdicts: list[ChatVerdict]
    kills: list[KillRecord]
    leaks: list[Leak]
    output_tail: str = ""


async def _send_workload(
    api: FakeBotApi, scripts: list[ChatScript], spread: float, rng: random.Random, ids: list[int]
) -> None:
    """Each chat's steps in order, evenly spread over ``spread`` seconds, chats interleaved; ids collects update ids."""
    steps = max(len(s.steps) for s in scripts)
    gap = spread / steps
    events: list[tuple[float, int, int]] = []
    for index, script in enumerate(scripts):
        offset = rng.uniform(0, gap)
        events.extend((offset + k * gap, index, k) for k in range(len(script.steps)))
    events.sort()
    start = time.monotonic()
    for when, index, k in events:
        delay = start + when - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # pacing the workload: a person typing, not a wait for the bot
        script = scripts[index]
        step = script.steps[k]
        if step.kind == "tap":
            assert step.message is not None
            ids.append(api.push_tap(script.chat_id, step.value, step.message))
        else:
            ids.append(api.push_text(script.chat_id, step.value))


def _sent_texts(api: FakeBotApi) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    for call in api.calls:
        if call.method == "sendMessage" and "_message" in call.params:
            texts.setdefault(int(call.params["chat_id"]), []).append(str(call.params.get("text", "")))
    return texts


def _states_match(db: Path, expected: dict[int, Expected]) -> bool:
    try:
        stored = read_sessions(db)
    except sqlite3.Error:  # e.g. busy while the bot checkpoints: ask again on the next poll
        return False
    return all(chat in stored and stored[chat][0] == e.state for chat, e in expected.items())


def _drained(api: FakeBotApi, last_id: int, quiet: float) -> bool:
    last = api.last_call_at()
    return api.confirmed_below > last_id and (last is None or time.monotonic() - last >= quiet)


async def run_crash(config: CrashConfig, work_dir: Path) -> CrashReport:
    wall = time.monotonic()
    work_dir.mkdir(parents=True, exist_ok=True)
    scripts = generate_scripts(config.chats, config.steps, seed=config.seed, tap_share=config.tap_share)
    expected: dict[int, Expected] = run_reference(scripts, str(work_dir / "reference.sqlite3"))
    kill_rng = random.Random(config.seed * 7919 + 1)
    send_rng = random.Random(config.seed * 7919 + 2)
    figures = CrashFigures(chats=len(scripts))
    figures.updates_sent = sum(len(s.steps) for s in scripts)
    figures.taps_sent = sum(1 for s in scripts for st in s.steps if st.kind == "tap")
    figures.reference_messages = sum(len(r) for e in expected.values() for r in e.replies)
    kills: list[KillRecord] = []
    run_dir = work_dir / "bot"
    db = run_dir / "maple.sqlite3"
    api = await FakeBotApi(token=TOKEN).start()
    bot = MapleProcess(api, run_dir, db, env=config.bot_env)
    sender: asyncio.Task[None] | None = None
    ids: list[int] = []
    try:
        bot.start()
        if not await bot.wait_polling(config.start_timeout):
            raise AssertionError(f"maple did not start polling:\n{bot.masked_output()[-3000:]}")
        t0 = time.monotonic()
        sender = asyncio.create_task(_send_workload(api, scripts, config.spread, send_rng, ids))
        for _ in range(config.kills):
            uptime = kill_rng.uniform(config.min_uptime, config.max_uptime)
            ready_at = time.monotonic()
            # the kill moment: a random time after the bot polls; the wait ends early if the bot dies by itself
            await wait_until(lambda: not bot.alive, uptime)
            if not bot.alive:
                figures.unexpected_exits += 1
            else:
                last_send = api.last_call_at(("getUpdates", "getMe", "deleteWebhook", "setMyCommands"))
                unconfirmed = sum(1 for u in api.updates if u["update_id"] >= api.confirmed_below)
                busy = unconfirmed > 0 or (last_send is not None and time.monotonic() - last_send < 0.5)
                bot.kill()
                now = time.monotonic()
                kills.append(KillRecord(now - t0, now - ready_at, len(ids), unconfirmed, busy))
            bot.start()
            if not await bot.wait_polling(config.start_timeout):
                raise AssertionError(f"maple did not restart:\n{bot.masked_output(bot.current)[-3000:]}")
        await sender
        sender = None
        last_id = max(ids)
        drain_start = time.monotonic()
        while True:
            if _drained(api, last_id, config.drain_quiet) and (
                _drained(api, last_id, config.drain_quiet_off_script) or _states_match(db, expected)
            ):
                figures.drained = True
                break
            if time.monotonic() - drain_start > config.drain_timeout:
                break
            if not bot.alive:  # died by itself while draining: count it, start it again (bounded by the timeout)
                figures.unexpected_exits += 1
                bot.start()
                await bot.wait_polling(config.start_timeout)
            await wait_until(lambda: not bot.alive, 0.25)  # the interval at which the conditions above are polled
        figures.drain_seconds = time.monotonic() - drain_start
        figures.stop_exit_code = await bot.stop(config.stop_timeout)
    finally:
        if sender is not None:
            sender.cancel()
        bot.close()
        await api.stop()
    figures.kills = len(kills)
    figures.busy_kills = sum(1 for k in kills if k.busy)
    stored = read_sessions(db)
    sent = _sent_texts(api)
    figures.messages_sent = sum(len(t) for t in sent.values())
    verdicts = [compare_chat(e, stored.get(chat), sent.get(chat, [])) for chat, e in expected.items()]
    for verdict in verdicts:
        figures.add(verdict)
    leaks = token_leaks([run_dir])
    figures.token_leaks = len(leaks)
    figures.wall_seconds = time.monotonic() - wall
    return CrashReport(figures, verdicts, kills, leaks, bot.masked_output()[-2000:])


# --- the token and start-up failures ---------------------------------------------------------------
STARTUP_FAULTS = ("getme_401", "not_found_all", "abort_all")
CHAT_FAULTS = ("html_502", "abort_send")


def _arm(api: FakeBotApi, fault: str, times: int = 1) -> None:
    if fault == "getme_401":
        api.get_me_status = 401
    elif fault == "not_found_all":
        api.not_found_all = True
    elif fault == "abort_all":
        api.abort_next["*"] = 10_000
    elif fault == "html_502":
        api.html_502_next["sendMessage"] = times
    elif fault == "abort_send":
        api.abort_next["sendMessage"] = times
    else:
        raise ValueError(fault)


@dataclass
class FaultReport:
    fault: str
    exit_code: int | None  # None: still running when it should have stopped
    lines: list[str]  # what it printed, the secret masked
    traceback: bool
    leaks: list[Leak]
    logged: bool = True  # chat faults: the failure shows in the output
    recovered: bool = True  # chat faults: the bot answered the next message
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def run_startup_fault(fault: str, work_dir: Path, timeout: float = 20.0) -> FaultReport:
    """The Bot API refuses from the first call: expect exit 2, one line, no traceback, no token."""
    run_dir = work_dir / fault
    api = await FakeBotApi(token=TOKEN).start()
    _arm(api, fault)
    bot = MapleProcess(api, run_dir, run_dir / "maple.sqlite3")
    try:
        bot.start()
        code = await bot.wait_exit(timeout)
    finally:
        bot.close()
        await api.stop()
    output = bot.output()
    lines = [line.replace(SECRET, "<SECRET>") for line in output.splitlines() if line.strip()]
    report = FaultReport(fault, code, lines, "Traceback" in output, token_leaks([run_dir]))
    if code is None:
        report.problems.append(f"still running {timeout:.0f} s after a start-up failure")
    elif code != 2:
        report.problems.append(f"exit status {code}, expected 2")
    if report.traceback:
        report.problems.append("a traceback was printed")
    if len(lines) != 1:
        report.problems.append(f"{len(lines)} lines printed, expected one clear line")
    if report.leaks:
        report.problems.append(f"the token shows in {[leak.file for leak in report.leaks]}: {report.leaks[0].line}")
    return report


async def _replies(api: FakeBotApi, chat_id: int, before: int, timeout: float, quiet: float = 0.3) -> list[dict]:
    """The bot's messages after ``before``: wait for one more, then for ``quiet`` seconds without another."""
    if not await wait_until(lambda: len(api.sent(chat_id)) > before, timeout):
        return []
    count = len(api.sent(chat_id))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await wait_until(lambda: len(api.sent(chat_id)) != count, quiet)  # noqa: B023
        now = len(api.sent(chat_id))
        if now == count:
            break
        count = now
    return api.sent(chat_id)[before:]


async def run_chat_fault(fault: str, work_dir: Path, timeout: float = 20.0) -> FaultReport:
    """sendMessage fails twice during a chat: expect it logged without the token, and the next answer answered."""
    run_dir = work_dir / fault
    chat = 7100
    api = await FakeBotApi(token=TOKEN).start()
    bot = MapleProcess(api, run_dir, run_dir / "maple.sqlite3")
    code: int | None = None
    recovered = False
    try:
        bot.start()
        if not await bot.wait_polling():
            raise AssertionError(f"maple did not start polling:\n{bot.masked_output()[-3000:]}")
        before_calls = len(api.calls)
        _arm(api, fault, times=2)
        api.push_text(chat, "/start")
        # the faults are spent (two failed sendMessage calls), and the bot has gone quiet
        await wait_until(lambda: sum(1 for c in api.calls[before_calls:] if c.method == "sendMessage") >= 2, timeout)
        await wait_until(lambda: (api.last_call_at() or 0) < time.monotonic() - 0.5, timeout)
        before = len(api.sent(chat))
        api.push_text(chat, "1990-05-17")
        recovered = bool(await _replies(api, chat, before, timeout))
        code = await bot.stop()
    finally:
        bot.close()
        await api.stop()
    output = bot.output()
    lines = [line.replace(SECRET, "<SECRET>") for line in output.splitlines() if line.strip()]
    logged = any(
        any(word in line.lower() for word in ("502", "bad gateway", "network", "disconnect", "error")) for line in lines
    )
    report = FaultReport(fault, code, lines, "Traceback" in output, token_leaks([run_dir]), logged, recovered)
    if report.leaks:
        report.problems.append(f"the token shows in {[leak.file for leak in report.leaks]}: {report.leaks[0].line}")
    if not logged:
        report.problems.append("the failed sendMessage is not logged")
    if not recovered:
        report.problems.append("no reply to the next message after the failures")
    if code != 0:
        report.problems.append(f"exit status after SIGTERM: {code}")
    return report


# --- /forget -------------------------------------------------------------------------------------------
FORGET_CHAT = 7300
FORGET_DOB = "1983-07-29"
FORGET_JOB_START = "2017-03-26"
FORGET_TITLE = "maître d'hôtel"  # typed; the bot stores the NOC options it offers for it
FORGET_NOC = "64300"
FORGET_NOC_TITLE = "Maîtres d'hôtel and hosts/hostesses"
# (step, strings that must be in the database files right after it: the search is not vacuous)
FORGET_SCRIPT: list[tuple[str, list[str]]] = [
    ("/start", []),
    (FORGET_DOB, [FORGET_DOB]),
    ("tap:a:marital:never_married", []),
    ("secondary", []),
    ("none", []),  # education proof
    ("none", []),  # no language test
    ("yes", []),  # add a job
    (FORGET_TITLE, [FORGET_NOC_TITLE]),
    (f"tap:a:job_noc:{FORGET_NOC}", []),
    ("abroad", []),
    (FORGET_JOB_START, [FORGET_JOB_START]),
]
FORGET_NEEDLES = [FORGET_DOB, FORGET_JOB_START, FORGET_TITLE, FORGET_NOC_TITLE]
CONFIRM_WORDS = ("yes", "delete", "confirm", "erase")
REFUSE_WORDS = ("no", "keep", "cancel", "don't", "not")


def confirm_button(messages: list[dict[str, Any]]) -> str | None:
    """The callback data of a "Yes, delete" button (data starting ``forget:``) in ``messages``, if any."""
    for message in reversed(messages):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = str(button.get("callback_data", ""))
                words = str(button.get("text", "")).lower().replace(",", " ").split()
                if (
                    data.startswith("forget:")
                    and any(w in words for w in CONFIRM_WORDS)
                    and not any(w in words for w in REFUSE_WORDS)
                ):
                    return data
    return None


@dataclass
class ForgetReport:
    setup_problems: list[str]
    confirmed_with: str | None
    reply: str
    row_left: bool
    found_running: list[Found]
    found_stopped: list[Found]
    leaks: list[Leak]
    exit_code: int | None

    @property
    def problems(self) -> list[str]:
        out = list(self.setup_problems)
        if self.row_left:
            out.append("the chat's row is still in the sessions table")
        for phase, found in (("while running", self.found_running), ("after stop", self.found_stopped)):
            for f in found:
                out.append(f"{phase}: {f.needle!r} ({f.form}) in {f.file} at byte {f.offset}")
        if self.leaks:
            out.append(f"the token shows in {[leak.file for leak in self.leaks]}")
        if self.exit_code != 0:
            out.append(f"exit status after SIGTERM: {self.exit_code}")
        return out


async def run_forget(work_dir: Path, timeout: float = 20.0) -> ForgetReport:
    run_dir = work_dir / "forget"
    db = run_dir / "maple.sqlite3"
    api = await FakeBotApi(token=TOKEN).start()
    bot = MapleProcess(api, run_dir, db)
    setup: list[str] = []
    confirmed: str | None = None
    reply = ""
    found_running: list[Found] = []
    row_left = False
    code: int | None = None
    try:
        bot.start()
        if not await bot.wait_polling():
            raise AssertionError(f"maple did not start polling:\n{bot.masked_output()[-3000:]}")
        for step, must_be_stored in FORGET_SCRIPT:
            before = len(api.sent(FORGET_CHAT))
            if step.startswith("tap:"):
                api.user_taps(FORGET_CHAT, step[4:])
            else:
                api.push_text(FORGET_CHAT, step)
            if not await _replies(api, FORGET_CHAT, before, timeout):
                raise AssertionError(f"no reply to {step!r}:\n{bot.masked_output()[-3000:]}")
            present = {f.needle for f in raw_search(database_files(db), must_be_stored)}
            setup.extend(
                f"{s!r} was never stored (searching for it proves nothing)" for s in must_be_stored if s not in present
            )
        before = len(api.sent(FORGET_CHAT))
        api.push_text(FORGET_CHAT, "/forget")
        messages = await _replies(api, FORGET_CHAT, before, timeout)
        if not messages:
            raise AssertionError(f"no reply to /forget:\n{bot.masked_output()[-3000:]}")
        confirmed = confirm_button(messages)
        if confirmed is not None:
            before = len(api.sent(FORGET_CHAT))
            api.user_taps(FORGET_CHAT, confirmed)
            messages = await _replies(api, FORGET_CHAT, before, timeout)
            if not messages:
                raise AssertionError(f"no reply after confirming /forget:\n{bot.masked_output()[-3000:]}")
        reply = messages[-1].get("text", "")
        found_running = raw_search(database_files(db), FORGET_NEEDLES)
        row_left = FORGET_CHAT in read_sessions(db)
        code = await bot.stop()
    finally:
        bot.close()
        await api.stop()
    found_stopped = raw_search(database_files(db), FORGET_NEEDLES)
    leaks = token_leaks([run_dir])
    return ForgetReport(setup, confirmed, reply, row_left, found_running, found_stopped, leaks, code)


def summarize(found: list[Found]) -> dict[str, int]:
    return dict(Counter(f.file for f in found))
