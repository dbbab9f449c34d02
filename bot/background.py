"""A job repeated in the background of the bot's event loop: never dies, stops when asked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Every:
    """Runs ``job`` after ``first`` seconds, then every ``seconds``; an exception is logged, not fatal."""

    def __init__(self, seconds: float, job: Callable[[], Awaitable[object]], first: float | None = None) -> None:
        self.seconds = seconds
        self.first = seconds if first is None else first
        self.job = job
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.seconds > 0 and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        await asyncio.sleep(self.first)
        while True:
            try:
                await self.job()
            except Exception:  # the job's own faults are its business: log and try again next time
                log.exception("a background job failed")
            await asyncio.sleep(self.seconds)
