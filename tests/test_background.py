"""The background job runner: repeats, survives its job's exceptions, stops when asked."""

from __future__ import annotations

import asyncio

from bot.background import Every


async def test_a_failing_job_is_retried_and_the_runner_stops_cleanly():
    calls: list[int] = []

    async def job() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the first run fails")

    runner = Every(0.01, job, first=0)
    runner.start()
    runner.start()  # a second start does not start a second loop
    for _ in range(200):
        if len(calls) >= 3:
            break
        await asyncio.sleep(0.01)
    await runner.stop()
    seen = len(calls)
    await asyncio.sleep(0.05)
    assert seen >= 3 and len(calls) == seen  # ran again after the failure, and not after stop()


async def test_zero_seconds_means_never():
    async def job() -> None:
        raise AssertionError("must not run")

    runner = Every(0, job)
    runner.start()
    await asyncio.sleep(0.02)
    await runner.stop()


async def test_a_kick_runs_the_job_now_and_a_kick_during_a_run_runs_it_once_more():
    calls: list[int] = []
    running = asyncio.Event()
    release = asyncio.Event()

    async def job() -> None:
        calls.append(len(calls))
        if len(calls) == 2:  # the kicked run: kicked again while it runs
            running.set()
            await release.wait()

    runner = Every(3600, job, first=0)  # left alone, it would run once an hour
    runner.start()
    for _ in range(100):
        if calls:
            break
        await asyncio.sleep(0.01)
    runner.kick()
    await asyncio.wait_for(running.wait(), 1)
    runner.kick()
    release.set()
    for _ in range(100):
        if len(calls) >= 3:
            break
        await asyncio.sleep(0.01)
    await runner.stop()
    assert len(calls) == 3  # the first run, the kicked one, and one more for the kick during it
