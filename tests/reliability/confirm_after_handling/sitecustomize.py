"""For the harness's self-check only (``benchmarks/reliability.py --self-check``), never for production.

Loaded through PYTHONPATH by the bot process, it makes python-telegram-bot's polling wait until each fetched
update is handled before it asks for the next batch, so an update is confirmed to getUpdates only after its
answer is stored. With the core's duplicate check (recent update ids) that is a bot that keeps every answer
across SIGKILL: the crash scenario must report zero lost, doubled and misplaced answers against it. If it
does not, the harness is wrong, not the bot.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import ApplicationBuilder


class JoiningQueue(asyncio.Queue):  # type: ignore[type-arg]
    async def put(self, item: Any) -> None:
        await super().put(item)
        if isinstance(item, Update):
            await self.join()  # the application calls task_done() once the update is handled


_original_init = ApplicationBuilder.__init__


def _init(self: ApplicationBuilder, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
    _original_init(self, *args, **kwargs)
    self.update_queue(JoiningQueue())


ApplicationBuilder.__init__ = _init  # type: ignore[method-assign]
