"""The result chart as a PNG: the person's score against the cut-offs of their routes, and the score by section.

Drawn from :class:`flows.chart_data.ChartData` with matplotlib's Agg canvas (no display, no pyplot and its
global state, so one figure per call and nothing shared between calls). matplotlib is imported on the
first chart only: start-up and memory do not pay for it until then. The picture is always
``WIDTH`` x ``HEIGHT`` pixels (no tight bounding box, which would change the size with the labels).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import concurrent.futures.process
import gc
import io
import logging
import multiprocessing
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

from flows.chart_data import ChartData
from flows.i18n import SOURCE_LANGUAGE, Translator, default_languages

log = logging.getLogger(__name__)

WIDTH, HEIGHT, DPI = 1200, 800, 100
SCORE_COLOUR = "#111111"
ROUTE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
SECTION_COLOUR, CAP_COLOUR = "#1f77b4", "#e6e6e6"


def _plain(text: str) -> str:
    """A label shown as it is: matplotlib reads text between two dollars as a formula."""
    return text.replace("$", r"\$")


def chart_words(data: ChartData, t: Translator) -> dict[str, str]:
    """The picture's own words in the chart's language (the route and section labels come translated)."""

    def day(value: Any) -> str:
        return value.isoformat() if t.language == SOURCE_LANGUAGE else t.format_date(value)

    return {
        "title": t(
            "Your CRS score ({score}) and the cut-offs of your routes, 12 months to {day}",
            score=str(data.score),
            day=day(data.until),
        ),
        "score": t("Your score: {score}", score=str(data.score)),
        "axis": t("CRS (lowest score invited)"),
        "not_eligible": t("Not eligible for a federal program yet:\nno round could invite you"),
        "sections": t(
            "Your score by section (total {score} of {max_total})",
            score=str(data.score),
            max_total=str(data.max_total),
        ),
        "footer": t("IRCC rounds of invitations, data to {day}. Drawn by Maple.", day=day(data.snapshot_to)),
    }


def _route_words(t: Translator, label: str, cleared: int | None = None, rounds: int = 0) -> str:
    if cleared is None:
        return t("{label}: no round", label=label)
    return t(
        "{label}: {cleared} of {rounds} at or below your score", label=label, cleared=str(cleared), rounds=str(rounds)
    )


def render_png(data: ChartData) -> bytes:
    """The chart as PNG bytes, ``WIDTH`` x ``HEIGHT`` pixels."""
    png = _draw(data)
    # a figure is a web of reference cycles: left to the collector's own pace, each chart's memory lingers
    # (benchmarks/bench_chart.py: the process grew by ~85 MB over many charts, against ~40 MB so). Once the
    # figure is out of scope, collecting the young generations takes a few ms (a full collection ~150 ms).
    gc.collect(1)
    return png


def _draw(data: ChartData) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import DateFormatter, MonthLocator, num2date
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    t = default_languages().get(data.language)
    words = chart_words(data, t)

    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(2.3, 1), hspace=0.75, left=0.2, right=0.97, top=0.94, bottom=0.08)
    rounds, sections = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])

    rounds.set_title(words["title"], fontsize=14, loc="left")
    cutoffs = [r.min_crs for route in data.routes for r in route.rounds]
    for index, route in enumerate(data.routes):
        colour = ROUTE_COLOURS[index % len(ROUTE_COLOURS)]
        if not route.rounds:
            rounds.plot([], [], linestyle="none", marker="x", color=colour, label=_route_words(t, _plain(route.label)))
            continue
        rounds.plot(
            [r.date for r in route.rounds],
            [r.min_crs for r in route.rounds],
            marker="o",
            markersize=6,
            linewidth=1.2,
            color=colour,
            label=_route_words(t, _plain(route.label), route.cleared, len(route.rounds)),
        )
    rounds.axhline(data.score, color=SCORE_COLOUR, linestyle="--", linewidth=2, label=words["score"])
    low, high = min([*cutoffs, data.score]), max([*cutoffs, data.score])
    margin = max(15, (high - low) // 8)
    rounds.set_ylim(max(0, low - margin), min(data.max_total, high + margin))
    rounds.set_xlim(data.since, data.until)
    rounds.xaxis.set_major_locator(MonthLocator(bymonth=(1, 3, 5, 7, 9, 11)))
    if t.language == SOURCE_LANGUAGE:
        rounds.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    else:  # the month in the language ("mars 2026"), not in the process's C locale
        rounds.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _month(t, num2date(x))))
    rounds.set_ylabel(words["axis"], fontsize=11)
    rounds.grid(True, alpha=0.3)
    rounds.tick_params(labelsize=10)
    if not data.eligible:
        rounds.text(
            0.5,
            0.8,
            words["not_eligible"],
            transform=rounds.transAxes,
            ha="center",
            va="center",
            fontsize=13,
            color="#555555",
        )
    # under the dates, never over the score line or the cut-offs
    rounds.legend(
        loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2, fontsize=10 if len(data.routes) < 4 else 8, frameon=False
    )

    labels = [textwrap.fill(_plain(s.label), 22) for s in data.sections]
    positions = list(range(len(labels)))
    sections.barh(positions, [s.cap for s in data.sections], color=CAP_COLOUR, height=0.6)
    sections.barh(positions, [s.points for s in data.sections], color=SECTION_COLOUR, height=0.6)
    for position, section in zip(positions, data.sections, strict=True):
        sections.text(section.cap + 5, position, f"{section.points} / {section.cap}", va="center", fontsize=11)
    sections.set_yticks(positions, labels, fontsize=11)
    sections.invert_yaxis()
    sections.set_xlim(0, max([s.cap for s in data.sections], default=1) * 1.15)
    sections.set_title(words["sections"], fontsize=13, loc="left")
    sections.tick_params(axis="x", labelsize=10)
    figure.text(
        0.01,
        0.015,
        words["footer"],
        fontsize=9,
        color="#555555",
    )
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    figure.clear()
    return out.getvalue()


def _month(t: Translator, when: datetime) -> str:
    from babel.dates import format_date

    return format_date(when.date(), "MMM y", locale=t.locale)


def png_or_none(payload: dict[str, Any] | ChartData) -> bytes | None:
    """The PNG, or None (logged) when the data is unreadable or drawing fails: the caller sends the text."""
    try:
        data = payload if isinstance(payload, ChartData) else ChartData.model_validate(payload)
        return render_png(data)
    except Exception as exc:  # a chart is never worth a crash: any failure falls back to the words
        log.warning("the chart could not be drawn (%s: %s); its text is sent instead", type(exc).__name__, exc)
        return None


def save_png(data: ChartData, directory: Path, now: datetime | None = None) -> Path:
    """Draw and save under ``directory`` (created if missing); the file's path. Raises OSError or a drawing error."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"maple-chart-{stamp}.png"
    path.write_bytes(render_png(data))
    return path.resolve()


WORKER_IDLE_SECONDS = 600.0


class ChartDrawer:
    """Draws result charts off the event loop, one at a time.

    In a worker process by default (spawned on the first chart, so matplotlib is imported there and never in the
    bot's process): a chart is ~0.6 s of CPU that, in a thread, held the GIL against the loop (measured: the
    loop's worst lag while six charts were drawn 60-180 ms in a thread, 4 ms with a process). In a worker thread
    with ``processes=False``, or when the process cannot be started or dies (the next chart starts a new one).
    The process (~97 MB: Python, the chart's modules, matplotlib) stops after ``idle_seconds`` without a chart.
    """

    def __init__(self, processes: bool = True, idle_seconds: float = WORKER_IDLE_SECONDS) -> None:
        self.processes = processes
        self.idle_seconds = idle_seconds
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._idle: asyncio.TimerHandle | None = None

    async def png(self, payload: dict[str, Any] | ChartData) -> bytes | None:
        """The PNG, or None when it cannot be drawn (the caller sends the words)."""
        if isinstance(payload, ChartData):
            payload = payload.model_dump(mode="json")
        if self.processes:
            loop = asyncio.get_running_loop()
            if self._idle is not None:
                self._idle.cancel()
            try:
                return await loop.run_in_executor(self._worker(), png_or_none, payload)
            except (concurrent.futures.process.BrokenProcessPool, OSError, RuntimeError) as exc:
                log.warning("the chart process failed (%s); drawing in a thread", type(exc).__name__)
                self.close()
            finally:  # its memory given back when no chart was asked for a while
                self._idle = loop.call_later(self.idle_seconds, self.close) if self._pool is not None else None
        return await asyncio.to_thread(png_or_none, payload)

    def _worker(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def close(self) -> None:
        """Stop the worker process, if one was started (the next chart starts another)."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
