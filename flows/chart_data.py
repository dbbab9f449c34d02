"""What the result chart shows, as data (no pixels): the score, its sections, and the cut-offs of the person's routes.

The edge draws it (``bot/chart.py``); the data stays small and JSON-able so that the outbox can keep it
until it is sent. The routes are the verdict's (see :func:`person_routes` and ``flows.results.verdict_text``):
the rounds of each program the person is eligible for, the all-program rounds, and the categories they fit,
over "the last 12 months" as :mod:`knowledge.draws.rounds` counts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict

from flows.i18n import N_, SOURCE_LANGUAGE, Translator, default_languages
from flows.result_terms import term
from knowledge.crs.scoring import ScoreResult
from knowledge.draws.rounds import Draws, RouteRounds, _year_before
from knowledge.programs.eligibility import EligibilityReport

ALL_PROGRAMS = N_("All-program rounds")
SPOUSE_NOT_APPLICABLE = "spouse_not_applicable"  # the partner section of someone scored as single
MAX_CAPTION = 1024  # Telegram's limit for a photo's caption


class RoundPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    date: date
    min_crs: int


class RouteSeries(BaseModel):
    """One route's rounds in the window, oldest first, and how many of them the score cleared."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    rounds: list[RoundPoint]
    cleared: int


class SectionTotal(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    points: int
    cap: int


class ChartData(BaseModel):
    """The chart of one result: drawn by the edge, stored in the outbox as JSON until it is sent."""

    model_config = ConfigDict(frozen=True)

    score: int
    max_total: int
    sections: list[SectionTotal]
    routes: list[RouteSeries]
    since: date  # the window is (since, until]: "the last 12 months" before the profile's date
    until: date
    snapshot_to: date  # the newest round known
    eligible: bool  # eligible for a federal program (no route otherwise)
    language: str = "en"  # the chat's: the picture's own words are drawn in it (its labels are already)

    def text(self, t: Translator | None = None) -> str:
        """What the chart says, in words: the caption, and the message sent if the picture cannot be drawn.
        The labels are the ones given to :func:`chart_data` (already in the language); ``t`` the sentences'."""
        t = t or default_languages().get(SOURCE_LANGUAGE)
        until = self.until.isoformat() if t.language == SOURCE_LANGUAGE else t.format_date(self.until)
        lines = [
            t("Your CRS score {score} against the rounds of the 12 months to {day}:", score=str(self.score), day=until)
        ]
        for route in self.routes:
            if route.rounds:
                low, high = min(r.min_crs for r in route.rounds), max(r.min_crs for r in route.rounds)
                lines.append(
                    t(
                        "• {label}: {cleared} of {rounds} rounds at or below {score} (cut-offs {low} to {high})",
                        label=route.label,
                        cleared=str(route.cleared),
                        rounds=str(len(route.rounds)),
                        score=str(self.score),
                        low=str(low),
                        high=str(high),
                    )
                )
            else:
                lines.append(t("• {label}: no round", label=route.label))
        if not self.eligible:
            lines.append(t("• Not eligible for a federal program yet: no round could invite you."))
        by_section = ", ".join(f"{s.label} {s.points}" for s in self.sections)
        lines.append(t("By section: {sections}.", sections=by_section))
        text = "\n".join(lines)
        return text if len(text) <= MAX_CAPTION else text[: MAX_CAPTION - 1] + "…"


def person_routes(
    report: EligibilityReport,
    draws: Draws,
    day: date,
    score: int,
    program_labels: Mapping[str, str],
    t: Translator | None = None,
) -> list[tuple[str, RouteRounds]]:
    """The routes the verdict weighs (``verdict_text``): each eligible program's rounds, then (when one is
    eligible) the all-program rounds and each category the person fits; none when no program is."""
    t = t or default_languages().get(SOURCE_LANGUAGE)
    eligible = [v for v in report.programs if v.eligible]
    routes = [(program_labels[v.program], draws.program_route(v.program, day, score)) for v in eligible]
    if eligible:
        routes.append((t(ALL_PROGRAMS), draws.program_route("all", day, score)))
        fits = [f for f in (report.categories.fits if report.categories else []) if f.fits]
        routes.extend(
            (t("{label} (category)", label=term(t, fit.label)), draws.category_route(fit.key, day, score))
            for fit in fits
        )
    return routes


def chart_data(
    result: ScoreResult,
    report: EligibilityReport,
    draws: Draws,
    program_labels: Mapping[str, str],
    t: Translator | None = None,
) -> ChartData:
    """The chart's data; its labels in ``t``'s language (English when None)."""
    t = t or default_languages().get(SOURCE_LANGUAGE)
    day, score = result.profile.profile_date, result.total
    routes = [
        RouteSeries(
            key=route.route,
            label=label,
            rounds=[RoundPoint(date=d.date, min_crs=d.min_crs) for d in reversed(route.rounds)],
            cleared=route.cleared,
        )
        for label, route in person_routes(report, draws, day, score, program_labels, t)
    ]
    return ChartData(
        score=score,
        max_total=result.max_total,
        sections=[
            SectionTotal(key=s.key, label=term(t, s.label), points=s.points, cap=s.cap)
            for s in result.sections
            if not any(f.key == SPOUSE_NOT_APPLICABLE for f in s.factors)  # scored as single: no partner section
        ],
        routes=routes,
        language=t.language,
        since=_year_before(day),
        until=day,
        snapshot_to=draws.snapshot_to,
        eligible=any(v.eligible for v in report.programs),
    )
