"""Forty-odd varied people through the REAL Telegram stack: the ``maple`` process (Telegram mode, polling) against
the fake Bot API on 127.0.0.1, killed with SIGKILL once mid-run and started again on the same database.

Each person is a dict of facts (tests/people.py). A reactive answerer reads every bot message, works out which
question it asks (its buttons' ``a:<question>:<choice>`` data, else its prompt line under "Step N of M"), and
answers from the facts, typing as people type or tapping. Some people go /back, ask a question mid-way, or
change a job's hours through /edit. At the end every person's "Your CRS score: N / 1200" must equal what the
real ``maple-crs score`` CLI gives for that person's facts, and nobody may ever see a traceback or
"something went wrong".
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import FakeBotApi
from tests.people import STEP_LINE, Action, Answerer, Facts, asked, buttons, make_people, to_profile
from tests.reliability.harness import MapleProcess
from tests.telegram_harness import TOKEN

PEOPLE = 44
SEED = 20261201
AT_ONCE = 11
KILL_AFTER_TURNS = 420  # all people's turns together; about a third of the run
TURN_TIMEOUT = 45.0  # covers a restart of the process
MAX_TURNS = 90
SCORE = re.compile(r"Your CRS score: (\d+) / 1200")
CLOSING = "/forget deletes your data."  # the last line of the result message
BAD_TEXTS = ("Traceback (most recent call last)", "something went wrong")
CLI = Path(sys.executable).with_name("maple-crs")
# what the people must have done in the run (the generator is seeded: these are checked, not hoped for)
COVERAGE = {
    "back": 8,
    "faq": 6,
    "edit job_hours": 1,
    "edit job_end": 1,
    "edit job_where": 1,
    "dob option tapped": 1,
    "job_noc option tapped": 10,
    "coq_trade": 3,
    "lang1_tef_scale": 1,
    "lang2_tef_scale": 1,
    "spouse_tef_scale": 1,
    "spouse_scores": 4,
    "spouse_education_proof": 3,
    "lang2_scores": 5,
    "funds": 20,
}


@dataclass
class Run:
    api: FakeBotApi
    maple: MapleProcess
    turns: int = 0
    kill_due: asyncio.Event = field(default_factory=asyncio.Event)
    killed_at: float | None = None
    restarted_at: float | None = None
    killed: bool = False
    extra_messages: list[str] = field(default_factory=list)  # a turn answered with more than one message
    resent: list[str] = field(default_factory=list)  # a reply sent again after the kill
    seen: Counter[str] = field(default_factory=Counter)  # what the people did, to check the run covered it
    in_flight_at_kill: int = 0
    in_flight: set[int] = field(default_factory=set)
    settled: set[int] = field(default_factory=set)  # chats with a whole turn after the restart

    async def turn(self, chat: int, action: Action) -> list[dict[str, Any]]:
        """Send one message or tap, and wait for the bot's reply (all of the final result)."""
        before = len(self.api.sent(chat))
        started = time.monotonic()
        self.seen["tap" if action.kind == "tap" else "typed"] += 1
        if action.kind == "tap":
            self.api.user_taps(chat, action.value)
        else:
            self.api.user_sends(chat, action.value)
        self.turns += 1
        if self.turns == KILL_AFTER_TURNS:
            self.kill_due.set()
        deadline = started + TURN_TIMEOUT
        earlier = self.api.sent(chat)[before - 1]["text"] if before else None
        count = before
        while True:  # a reply, then quiet; the final result runs until its closing message
            await asyncio.sleep(self.quiet() if count > before else 0.02)
            new = self.api.sent(chat)[before:]
            if new and new[0]["text"] == earlier and self.around_kill(chat, started):
                # sent, then killed before its outbox row was deleted: sent again at the restart
                # (bot/delivery.py: "A reply can therefore arrive twice ..., never not at all")
                new = new[1:]
            final = any(SCORE.search(m.get("text", "")) for m in new)
            if new and before + len(new) == count and (not final or any(CLOSING in m["text"] for m in new)):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"chat {chat}: no (complete) reply within {TURN_TIMEOUT:.0f}s to {action}")
            count = before + len(new)
        if len(self.api.sent(chat)) - before > len(new):
            self.resent.append(f"chat {chat}: {str(earlier)[:60]!r}")
        if self.restarted_at is not None and started > self.restarted_at:
            self.settled.add(chat)
        if len(new) > 1 and not final:
            self.extra_messages.append(f"chat {chat} after {action}: {[m['text'][:60] for m in new]}")
        return new

    def around_kill(self, chat: int, since: float) -> bool:
        """The process was killed, and this turn began before the new one was up, or is the chat's first turn
        after it (a reply whose outbox row survived the kill goes out at the restart, or, when that first send
        timed out, ahead of the chat's next reply: the outbox keeps each chat's order)."""
        if self.killed_at is None:
            return False
        return since <= (self.restarted_at or time.monotonic()) or chat not in self.settled

    def quiet(self) -> float:
        """How long no new message means the reply is complete (longer around the restart)."""
        if self.killed_at is not None and (self.restarted_at is None or time.monotonic() - self.restarted_at < 5):
            return 1.0
        return 0.12


async def play(run: Run, chat: int, person: Facts) -> int:
    """One person's whole dialogue; returns the total in the bot's result."""
    answerer = Answerer(person)
    script = person["script"]
    asked_faq = went_back = edited = False
    new = await run.turn(chat, Action("text", "/start"))
    for _ in range(MAX_TURNS):
        found = [int(m.group(1)) for msg in new if (m := SCORE.search(msg.get("text", "")))]
        if found:
            return found[-1]
        message = new[-1]
        assert STEP_LINE.search(message.get("text", "")), f"{person['name']}: no step line: {message.get('text')!r}"
        ids = asked(message)
        if not ids:
            raise AssertionError(f"{person['name']}: no question found in {message.get('text', '')[:300]!r}")
        qid = ids[0] if len(ids) == 1 else f"{answerer.last_test}_{ids[0].split('_', 1)[1]}"
        answerer.observe(qid, message["text"])
        offered = buttons(message)
        if script["faq"] and not asked_faq and qid == script["faq"][0]:
            asked_faq = True
            run.seen["faq"] += 1
            new = await run.turn(chat, Action("text", script["faq"][1]))
            again = asked(new[-1])
            assert qid in again or (len(again) > 1 and qid.split("_", 1)[1] in again[0]), (
                f"{person['name']}: after {script['faq'][1]!r} the question {qid} did not come back: "
                f"{new[-1]['text'][:300]!r}"
            )
            assert len(new[-1]["text"]) > len(message["text"]), "the knowledge base answered nothing"
            continue
        if script["edit_job"] and not edited and qid == "nomination":
            edited = True
            run.seen[f"edit {script['edit_job']}"] += 1
            shown = await edit_first_job(run, chat, person, script["edit_job"])
            new = await run.turn(chat, Action("text", "/summary"))
            job_line = next(line for line in new[-1]["text"].split("\n") if line.strip().startswith("Job 1:"))
            assert shown in job_line, f"{person['name']}: the job edit ({shown}) is not in the summary: {job_line}"
            new = await run.turn(chat, Action("tap", "go:continue"))
            continue
        action = answerer.answer(qid, offered)
        run.seen[qid] += 1
        if action.kind == "tap" and qid in ("dob", "job_noc", "coq_trade", "job_offer_noc"):
            run.seen[f"{qid} option tapped"] += 1
        new = await run.turn(chat, action)
        if script["back_after"] == qid and not went_back and asked(new[-1]) and qid not in asked(new[-1]):
            went_back = True
            run.seen["back"] += 1
            new = await run.turn(chat, Action("text", "/back"))
            assert qid in asked(new[-1]), f"{person['name']}: /back did not return to {qid}: {new[-1]['text'][:200]!r}"
            if script["keep_on_back"] and f"k:{qid}" in buttons(new[-1]):
                new = await run.turn(chat, Action("tap", f"k:{qid}"))
    raise AssertionError(f"{person['name']}: no result after {MAX_TURNS} turns")


async def edit_first_job(run: Run, chat: int, person: Facts, detail: str) -> str:
    """/edit -> the work history -> job 1 -> one detail -> a new value (the facts change with it); returns
    how the summary shows the new value."""
    menu = (await run.turn(chat, Action("text", "/edit")))[-1]
    assert "e:job_add" in buttons(menu), f"{person['name']}: no work history in /edit: {buttons(menu)}"
    jobs = (await run.turn(chat, Action("tap", "e:job_add")))[-1]
    first = next(b for b in buttons(jobs) if b.startswith("j:0-"))
    job_screen = (await run.turn(chat, Action("tap", first)))[-1]
    data = f"jf:{first[2:]}:{detail}"
    assert data in buttons(job_screen), f"{person['name']}: no {detail} button on the job screen: {buttons(job_screen)}"
    question = (await run.turn(chat, Action("tap", data)))[-1]
    assert detail in asked(question) and "Job 1:" in question["text"], question["text"][:200]
    assert f"k:{detail}" in buttons(question), f"{person['name']}: no Keep button when changing {detail}"
    job = person["jobs"][0]
    if detail == "job_hours":
        job["hours"], action, shown = 15, Action("text", "15 hours a week"), "15 h/week"
    elif detail == "job_where":
        job["in_canada"] = not job["in_canada"]
        choice = "canada" if job["in_canada"] else "abroad"
        action, shown = Action("tap", f"a:job_where:{choice}"), "In Canada" if job["in_canada"] else "Outside Canada"
    elif job["end"] is None:  # it ended after all: 300 days after it started, or yesterday
        end = min(date.fromisoformat(job["start"]) + timedelta(days=300), date.today() - timedelta(days=1))
        job["end"], job["end_typed"] = end.isoformat(), "iso"
        action, shown = Action("text", end.isoformat()), f"to {end.isoformat()}"
    else:  # still working there after all
        job["end"], action, shown = None, Action("tap", "a:job_end:ongoing"), "to I still work there"
    after = (await run.turn(chat, action))[-1]
    assert "nomination" in asked(after), f"{person['name']}: after the edit: {after['text'][:200]!r}"
    return shown


async def kill_and_restart(run: Run) -> None:
    await run.kill_due.wait()
    run.in_flight_at_kill = len(run.in_flight)
    run.killed_at = time.monotonic()
    run.maple.kill()
    run.killed = True
    run.maple.start()
    assert await run.maple.wait_polling(30), run.maple.masked_output()
    run.restarted_at = time.monotonic()


def cli_totals(profiles: list[Facts], folder: Path) -> list[int]:
    path = folder / "people.json"
    path.write_text(json.dumps(profiles))
    command = [str(CLI)] if CLI.exists() else [sys.executable, "-m", "knowledge.cli"]
    done = subprocess.run([*command, "score", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    return [int(r["total"]) for r in results]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_people_through_the_real_bot_get_the_cli_score(tmp_path: Path) -> None:
    today = date.today()
    people = make_people(PEOPLE, SEED, today)
    api = await FakeBotApi(token=TOKEN).start()
    maple = MapleProcess(api, tmp_path / "run", tmp_path / "maple.sqlite3", env={"MAPLE_DRAWS_REFRESH_HOURS": "0"})
    run = Run(api, maple)
    limit = asyncio.Semaphore(AT_ONCE)
    totals: dict[int, int] = {}

    async def one(index: int, person: Facts) -> None:
        async with limit:
            run.in_flight.add(index)
            totals[index] = await play(run, 8000 + index, person)
            run.in_flight.discard(index)

    killer = asyncio.create_task(kill_and_restart(run))
    try:
        maple.start()
        assert await maple.wait_polling(30), maple.masked_output()
        outcome = await asyncio.wait_for(
            asyncio.gather(*(one(i, p) for i, p in enumerate(people)), return_exceptions=True), 240
        )
        errors = [f"{people[i]['name']}: {e!r}" for i, e in enumerate(outcome) if isinstance(e, BaseException)]
        assert not errors, "\n".join(errors)
        assert run.killed and run.in_flight_at_kill >= AT_ONCE - 1, "the bot was not killed with people in flight"
    finally:
        killer.cancel()
        maple.close()
        await api.stop()
    output = maple.masked_output()
    assert "Traceback" not in output, output[-3000:]

    print(f"\n{len(people)} people, {run.turns} turns, {run.in_flight_at_kill} in flight at the kill:", dict(run.seen))
    print("replies sent again after the kill:", run.resent)
    expected = cli_totals([to_profile(p, today) for p in people], tmp_path)
    wrong = [
        f"{p['name']}: bot {totals[i]}, maple-crs {expected[i]}; facts {json.dumps(p)}"
        for i, p in enumerate(people)
        if totals[i] != expected[i]
    ]
    assert not wrong, "\n".join(wrong)
    seen_bad = [
        f"chat {8000 + i}: {m['text'][:200]!r}"
        for i in range(len(people))
        for m in api.sent(8000 + i)
        if any(bad.lower() in m.get("text", "").lower() for bad in BAD_TEXTS)
    ]
    assert not seen_bad, "\n".join(seen_bad)
    assert not run.extra_messages, "more than one message for one turn:\n" + "\n".join(run.extra_messages)
    assert len(run.resent) <= run.in_flight_at_kill, run.resent
    for what, least in COVERAGE.items():
        assert run.seen[what] >= least, f"the run did not cover {what!r}: {run.seen[what]} < {least}"
    taps = run.seen["tap"] / (run.seen["tap"] + run.seen["typed"])
    assert 0.25 <= taps <= 0.6, f"taps are {taps:.0%} of the answers"
