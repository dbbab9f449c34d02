"""Fast reliability checks of the real ``maple`` process (Telegram mode, polling) against the fake Bot API.

1. Crash safety: 25 chats send their answers in a burst while the bot is killed with SIGKILL 4 times and
   restarted on the same SQLite file; after draining and SIGTERM every chat must hold exactly the answers
   of a crash-free reference run, on the question after its last answer.
2. The token: start-up failures print one clear line and exit 2; errors during a chat are logged; the
   token (or its secret part) is in no output, log or database file of any scenario.
3. /forget: the chat's unique strings are in none of the database, -wal and -shm files afterwards.

The long version with figures: ``.venv/bin/python benchmarks/reliability.py --chats 100 --kills 20``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.reliability.harness import SECRET
from tests.reliability.scenarios import (
    CHAT_FAULTS,
    STARTUP_FAULTS,
    CrashConfig,
    run_chat_fault,
    run_crash,
    run_forget,
    run_startup_fault,
)

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
]

# 25 chats x 13 steps: the bot's own rate limiter (30 requests/s) makes a correct bot need ~30 s for it
FAST = CrashConfig(chats=25, steps=13, kills=4, spread=6.0, min_uptime=0.2, max_uptime=2.0, drain_timeout=90.0)


def _explain(rows: list[tuple[str, str]], extra: list[str]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join([*(f"{n.ljust(width)}  {v}" for n, v in rows), *extra])


async def test_sigkill_during_a_burst_loses_doubles_or_misplaces_no_answer(tmp_path: Path) -> None:
    report = await run_crash(FAST, tmp_path)
    figures = report.figures
    problems = figures.failures()
    leaks = [f"token in {leak.file}: {leak.line}" for leak in report.leaks[:3]]
    assert not problems, "\n" + _explain(figures.rows(), [*problems, *figures.examples, *leaks])
    assert figures.kills == FAST.kills, "the harness did not kill as often as configured"
    assert figures.updates_sent >= FAST.chats * 10, "the workload is smaller than intended"


@pytest.mark.parametrize("fault", STARTUP_FAULTS)
async def test_a_start_up_failure_prints_one_clear_line_without_the_token(tmp_path: Path, fault: str) -> None:
    report = await run_startup_fault(fault, tmp_path)
    shown = _masked("\n".join(report.lines[-8:]))
    assert not report.problems, f"{fault}: " + "; ".join(report.problems) + f"\nlast lines:\n{shown}"


@pytest.mark.parametrize("fault", CHAT_FAULTS)
async def test_a_failed_send_during_a_chat_is_logged_without_the_token(tmp_path: Path, fault: str) -> None:
    report = await run_chat_fault(fault, tmp_path)
    assert not report.problems, f"{fault}: " + "; ".join(report.problems)


async def test_forget_leaves_no_byte_of_the_chat_in_the_database_files(tmp_path: Path) -> None:
    report = await run_forget(tmp_path)
    assert not report.problems, "\n".join(report.problems)


def _masked(text: str) -> str:
    return text.replace(SECRET, "<SECRET>")
