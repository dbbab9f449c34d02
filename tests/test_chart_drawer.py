"""The chart is drawn off the event loop: in a worker process (matplotlib never imported in the bot's process), a
new one if it dies, and before the outbox's sending lock, so the other chats' replies do not wait for a chart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from telegram import Bot

from bot.chart import ChartDrawer
from bot.delivery import Outbox
from bot.store import Effect, SessionStore
from knowledge.programs.eligibility import EligibilityEngine
from tests.telegram_harness import TOKEN
from tests.test_chart import CEC_WORKER, data_for, png_size


def test_a_chart_drawn_in_the_worker_process_leaves_matplotlib_out_of_the_bot():
    script = (
        "import asyncio, sys\n"
        "from bot.chart import ChartDrawer\n"
        "from knowledge.programs.eligibility import EligibilityEngine\n"
        "from tests.test_chart import CEC_WORKER, data_for\n"
        "drawer = ChartDrawer()\n"
        "png = asyncio.run(drawer.png(data_for(EligibilityEngine(), **CEC_WORKER)))\n"
        "drawer.close()\n"
        "print(len(png) > 1000, 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "False"], done.stderr[-2000:]


async def test_a_dead_worker_process_is_replaced_and_the_chart_still_drawn():
    data = data_for(EligibilityEngine(), **CEC_WORKER)
    drawer = ChartDrawer()
    try:
        assert png_size(await drawer.png(data)) == (1200, 800)
        pool = drawer._pool
        assert pool is not None
        for pid in list(pool._processes):  # the worker killed, as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)
        assert png_size(await drawer.png(data)) == (1200, 800)  # this one in a thread, the next in a new process
        assert png_size(await drawer.png(data)) == (1200, 800) and drawer._pool is not pool
    finally:
        drawer.close()


class SlowDrawer(ChartDrawer):
    """A drawer that waits to be released, to see what the outbox does meanwhile."""

    def __init__(self) -> None:
        super().__init__(processes=False)
        self.started, self.release = asyncio.Event(), asyncio.Event()

    async def png(self, payload):
        self.started.set()
        await self.release.wait()
        return await super().png(payload)


async def test_another_chats_reply_is_sent_while_a_chart_is_being_drawn(api, tmp_path):
    store = SessionStore(tmp_path / "o.db")
    data = data_for(EligibilityEngine(), **CEC_WORKER)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        drawer = SlowDrawer()
        outbox = Outbox(bot, store, retry_seconds=60, drawer=drawer)
        store.done(
            1,
            41,
            [
                Effect(chat_id=41, text=data.text(), chart=data.model_dump(mode="json")),
                Effect(chat_id=41, text="after the chart"),
            ],
        )
        charting = asyncio.create_task(outbox.flush(41))
        await asyncio.wait_for(drawer.started.wait(), 10)
        store.done(2, 42, [Effect(chat_id=42, text="hello 42")])
        assert await asyncio.wait_for(outbox.flush(42), 10) == 1  # not held behind the chart being drawn
        assert [m["text"] for m in api.sent(42)] == ["hello 42"] and api.photos(41) == []
        drawer.release.set()
        assert await asyncio.wait_for(charting, 60) == 2
    store.close()
    assert png_size(api.photos(41)[-1]["photo"]) == (1200, 800)
    assert api.sent(41)[-1]["text"] == "after the chart"  # the chat's own order kept: the chart, then the rest


async def test_the_worker_process_stops_when_no_chart_is_asked_for_a_while():
    drawer = ChartDrawer(idle_seconds=0.3)
    try:
        data = data_for(EligibilityEngine(), **CEC_WORKER)
        await drawer.png(data)
        assert drawer._pool is not None
        await asyncio.sleep(1.0)
        assert drawer._pool is None  # stopped: its memory given back
        assert png_size(await drawer.png(data)) == (1200, 800)  # and the next chart starts a new one
    finally:
        drawer.close()
