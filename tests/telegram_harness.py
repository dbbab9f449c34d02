"""Run the real python-telegram-bot Application (polling) against the fake Bot API, in-process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

from pydantic import SecretStr
from telegram.ext import Application

from bot.config import Config
from bot.core import build_core
from bot.telegram_bot import build_application, on_start, on_stop
from tests.fake_bot_api import FakeBotApi

TOKEN = "123456789:AAHfakeTESTtokenForMapleOnly_abcdefghi"
TODAY = date(2026, 10, 1)


@contextlib.asynccontextmanager
async def running_bot_app(
    api: FakeBotApi, db: Path, rate_limited: bool = True, chart_process: bool = True
) -> AsyncIterator[Application]:
    """The application started, with no updater running yet (the caller picks polling or webhook)."""
    config = Config(token=SecretStr(TOKEN), api_base_url=api.base_url, db_path=str(db), chart_process=chart_process)
    app = build_application(config, build_core(str(db), today=lambda: TODAY), rate_limited=rate_limited)
    async with app:
        await on_start(app)  # what run_polling's post_init does: menu, unsent replies, waiting updates
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
            await on_stop(app)
    app.bot_data["maple_core"].store.close()


@contextlib.asynccontextmanager
async def running_bot(
    api: FakeBotApi, db: Path, rate_limited: bool = True, chart_process: bool = True
) -> AsyncIterator[None]:
    async with running_bot_app(api, db, rate_limited, chart_process) as app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=["message", "callback_query"])
        yield


async def settle(api: FakeBotApi, chat_id: int, before: int, timeout: float = 10.0) -> list[dict]:
    """Wait for the bot's replies to one action: more messages than before, then 150 ms of quiet."""
    await api.wait_for(chat_id, before + 1, timeout)
    count = len(api.sent(chat_id))
    while True:
        await asyncio.sleep(0.15)
        now = len(api.sent(chat_id))
        if now == count:
            return api.sent(chat_id)[before:]
        count = now


async def say(api: FakeBotApi, chat_id: int, text: str) -> list[dict]:
    before = len(api.sent(chat_id))
    api.user_sends(chat_id, text)
    return await settle(api, chat_id, before)


async def tap(api: FakeBotApi, chat_id: int, data: str) -> list[dict]:
    before = len(api.sent(chat_id))
    api.user_taps(chat_id, data)
    return await settle(api, chat_id, before)


async def act(api: FakeBotApi, chat_id: int, step: str) -> list[dict]:
    """'tap:a:marital:married' taps a button; anything else is typed."""
    if step.startswith("tap:"):
        return await tap(api, chat_id, step[4:])
    return await say(api, chat_id, step)
