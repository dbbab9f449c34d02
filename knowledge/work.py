"""Periods of work, and the hours that count under a given rule.

One year of full-time work is 1,560 hours (30 hours a week). Part-time work counts pro rata;
hours above 30 a week, or from jobs held at the same time, do not make a year count faster
(CRS tool, FSW and CEC pages, checked 2026-11-22). Hours are added with a sweep over the periods'
start and end dates, so overlapping jobs are capped at 30 hours a week together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

FULL_TIME_HOURS = 30.0
HOURS_PER_YEAR = 1560.0
SKILLED_TEERS = frozenset({0, 1, 2, 3})


class WorkPeriod(BaseModel):
    """One job (or one stretch of one job): its NOC 2021 code, where, when and how much."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    noc: str = Field(pattern=r"^\d{5}$", description="NOC 2021 unit group, 5 digits (e.g. 21231)")
    title: str | None = Field(default=None, max_length=200)
    in_canada: bool
    start: date
    end: date | None = Field(default=None, description="empty while the job goes on")
    hours_per_week: float = Field(default=30, gt=0, le=100)
    paid: bool = True
    self_employed: bool = False
    full_time_student: bool = Field(default=False, description="worked while a full-time student")
    authorized: bool = Field(default=True, description="in Canada: authorized to work at the time")

    @model_validator(mode="after")
    def _dates(self) -> WorkPeriod:
        if self.end is not None and self.end < self.start:
            raise ValueError("a work period's end is before its start")
        return self

    @property
    def teer(self) -> int:
        """The TEER is the second digit of a NOC 2021 code."""
        return int(self.noc[1])

    @property
    def skilled(self) -> bool:
        return self.teer in SKILLED_TEERS

    def ends_on(self, day: date) -> date:
        return min(self.end or day, day)


def hours_between(periods: Iterable[WorkPeriod], start: date, end: date) -> float:
    """Hours that count between ``start`` and ``end`` (inclusive), concurrent jobs capped at 30/week."""
    events: dict[date, float] = {}
    for period in periods:
        first = max(period.start, start)
        last = period.ends_on(end)
        if last < first:
            continue
        weekly = period.hours_per_week
        events[first] = events.get(first, 0.0) + weekly
        after = last + timedelta(days=1)
        events[after] = events.get(after, 0.0) - weekly
    total, rate, previous = 0.0, 0.0, None
    for day in sorted(events):
        if previous is not None and rate > 0:
            total += min(rate, FULL_TIME_HOURS) * (day - previous).days / 7
        rate += events[day]
        previous = day
    return total


def continuous_runs(periods: Iterable[WorkPeriod], until: date) -> list[list[WorkPeriod]]:
    """Group periods into runs with no gap between one and the next (touching days join)."""
    ordered = sorted(periods, key=lambda p: p.start)
    runs: list[list[WorkPeriod]] = []
    run_end: date | None = None
    for period in ordered:
        if run_end is not None and period.start <= run_end + timedelta(days=1):
            runs[-1].append(period)
            run_end = max(run_end, period.ends_on(until))
        else:
            runs.append([period])
            run_end = period.ends_on(until)
    return runs


def window_start(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


Rule = Callable[[WorkPeriod], bool]


def counts_for_crs_canadian(period: WorkPeriod) -> bool:
    """CRS Canadian work: skilled, paid, in Canada, authorized, not self-employed, not while a full-time student."""
    return (
        period.in_canada
        and period.skilled
        and period.paid
        and period.authorized
        and not period.self_employed
        and not period.full_time_student
    )


def counts_for_crs_foreign(period: WorkPeriod) -> bool:
    """CRS foreign work: skilled and paid, outside Canada."""
    return not period.in_canada and period.skilled and period.paid


def years_of(periods: Iterable[WorkPeriod], rule: Rule, day: date, window_years: int = 10) -> float:
    """Full-time-equivalent years that count under ``rule`` in the ``window_years`` before ``day``."""
    chosen = [p for p in periods if rule(p)]
    return hours_between(chosen, window_start(day, window_years), day) / HOURS_PER_YEAR
