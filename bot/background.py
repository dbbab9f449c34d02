"""A job repeated in the background of the bot's event loop: never dies, stops when asked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Every:
    r"""Runs ``job`` after ``first`` seconds, then every ``seconds`` (or at once when :meth:`kick`\ed); an
    exception is logged, not fatal."""

    def __init__(
        self,
        seconds: float,
        job: Callable[[], Awaitable[object]],
        first: float | None = None,
        name: str = "a background job",
    ) -> None:
        self.seconds = seconds
        self.first = seconds if first is None else first
        self.job = job
        self.name = name
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def kick(self) -> None:
        """Run the job now rather than at the end of the wait (a kick while it runs: once more right after)."""
        self._wake.set()

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
        await self._wait(self.first)
        while True:
            self._wake.clear()
            try:
                await self.job()
            except Exception:  # the job's own faults are its business: log and try again next time
                log.exception("%s failed; it will run again", self.name)
            await self._wait(self.seconds)

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
