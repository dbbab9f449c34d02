"""The result chart's cost: render time, and the memory the first chart adds (matplotlib is imported then).

    python benchmarks/bench_chart.py [--renders 20]

Runs in a fresh process (the figures are this process's own): builds the production core and a result's
chart data, then prints the resident memory (RSS) before any chart, the first render's time and the RSS
it added (the import of matplotlib included), then the median and p95 of the next renders and the RSS after;
then the event loop's lag (a 5 ms ticker's overshoot) while six charts are drawn by ``bot.chart.ChartDrawer`` in a
worker thread and in its worker process (what the bot uses).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.chart import HEIGHT, WIDTH, ChartDrawer, render_png
from bot.core import build_core
from flows.chart_data import ChartData

TODAY = date(2026, 10, 1)
ANSWERS = {  # a nurse with Canadian and foreign years: CEC, FSW and the healthcare category (five routes)
    "dob": "1990-01-01", "marital": "never_married", "education": "doctoral", "education_proof": "eca",
    "canadian_study": "none", "lang1_test": "ielts", "lang1_date": "2025-06-01",
    "lang1_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}, "lang2_test": "none",
    "jobs": [
        {"job_noc": "31301", "job_where": "canada", "job_start": "2023-06-01", "job_end": "ongoing",
         "job_hours": 40, "job_kind": "employee"},
        {"job_noc": "31301", "job_where": "abroad", "job_start": "2019-06-01", "job_end": "2023-05-01",
         "job_hours": 40, "job_kind": "employee"},
    ],
    "family_size": 1, "funds": 30000,
}  # fmt: skip


def rss_mb() -> float:
    """The current resident set size (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        core = build_core(str(Path(folder) / "bench.db"), today=lambda: TODAY)
        [reply] = core.dialogue.results.detail("chart", ANSWERS, TODAY)
        core.store.close()
    data: ChartData | None = reply.chart
    assert data is not None, reply.text
    print(f"chart data: score {data.score}, {len(data.routes)} routes, "
          f"{sum(len(r.rounds) for r in data.routes)} rounds, {len(data.model_dump_json())} bytes as JSON")  # fmt: skip
    print(f"matplotlib imported before the first chart: {'matplotlib' in sys.modules}")
    before = rss_mb()
    start = time.perf_counter()
    png = render_png(data)
    first = time.perf_counter() - start
    after_first = rss_mb()
    times = []
    for _ in range(args.renders):
        start = time.perf_counter()
        render_png(data)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"PNG: {WIDTH}x{HEIGHT} px, {len(png) / 1024:.0f} KB")
    print(f"RSS before any chart: {before:.1f} MB")
    print(f"first chart (matplotlib import included): {first * 1000:.0f} ms, RSS +{after_first - before:.1f} MB")
    print(f"next {args.renders} charts: median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms, RSS after {rss_mb():.1f} MB "
          f"(+{rss_mb() - before:.1f} MB in all)")  # fmt: skip
    for processes in (False, True):
        print(asyncio.run(loop_lag(data, processes)))


async def loop_lag(data: ChartData, processes: bool, charts: int = 6) -> str:
    """How late a 5 ms ticker on the loop wakes up while ``charts`` charts are drawn off the loop."""
    drawer = ChartDrawer(processes)
    await drawer.png(data)  # the worker started and matplotlib imported in it
    lags: list[float] = []
    stop = asyncio.Event()

    async def tick() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(time.perf_counter() - start - 0.005)

    ticker = asyncio.create_task(tick())
    start = time.perf_counter()
    for _ in range(charts):
        await drawer.png(data)
    took = time.perf_counter() - start
    stop.set()
    await ticker
    worker = ""
    if drawer._pool is not None:  # the worker's own memory (its Python, Maple's modules and matplotlib)
        for pid in list(drawer._pool._processes):
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            worker = next(
                f", the worker's RSS {int(x.split()[1]) / 1024:.0f} MB" for x in status if x.startswith("VmRSS:")
            )
    drawer.close()
    lags.sort()
    where = "worker process" if processes else "worker thread"
    return (
        f"{charts} charts in a {where}: {took:.2f} s; the loop's lag p50 {statistics.median(lags) * 1000:.1f} ms, "
        f"p95 {lags[int(0.95 * (len(lags) - 1))] * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms{worker}"
    )


if __name__ == "__main__":
    main()
