"""The real ``maple`` entry point as a process: Telegram mode against the fake Bot API, killed with
SIGKILL in the middle and started again (nothing is lost), then stopped with SIGTERM (exit 0)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN, settle


def start_maple(api: FakeBotApi, db: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    env.update(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url, "MAPLE_DB": db, "NO_PROXY": "127.0.0.1"}
    )
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.main import entry_point; entry_point()"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def answer(api: FakeBotApi, chat: int, text: str, timeout: float = 30) -> list[dict]:
    before = len(api.sent(chat))
    api.user_sends(chat, text)
    return await settle(api, chat, before, timeout)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_kill_9_then_restart_resumes_and_sigterm_exits_cleanly(tmp_path):
    api = await FakeBotApi(token=TOKEN).start()
    db = str(tmp_path / "maple.sqlite3")
    process = start_maple(api, db)
    try:
        replies = await answer(api, 42, "/start")
        assert "date of birth" in replies[-1]["text"]
        await answer(api, 42, "1990-02-02")
        replies = await answer(api, 42, "married")
        assert "Canadian citizen" in replies[-1]["text"]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        process = start_maple(api, db)
        replies = await answer(api, 42, "/start")
        assert "continue" in replies[0]["text"] and "Canadian citizen" in replies[-1]["text"]
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 20)
        output = process.stdout.read() if process.stdout else ""
        assert code == 0, output
        assert TOKEN not in output
    finally:
        if process.poll() is None:
            process.kill()
        await api.stop()
