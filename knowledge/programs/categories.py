"""Category-based selection: which categories a person fits, by the rules in force on the date.

Each year's categories are a dated file under ``data/categories``. A category is a smaller
competition among people already eligible for FSW, CEC or FST: it adds no CRS points.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.draws.rounds import Draws, DrawSummary, default_draws
from knowledge.profile import Profile
from knowledge.programs.noc import french_titles
from knowledge.provenance import DATA_DIR, Source
from knowledge.wording import Fixed, Joined, Phrase, Text
from knowledge.wording import Occupation as Title
from knowledge.work import HOURS_PER_YEAR, WorkPeriod, continuous_runs, hours_between, window_start

CATEGORY_DIR = DATA_DIR / "categories"


class Occupation(BaseModel):
    model_config = ConfigDict(frozen=True)
    noc: str
    title: str
    teer: int


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label: str
    kind: Literal["french", "occupation", "military"]
    occupations: list[Occupation] = []
    months: int | None = None
    continuous: bool | None = None
    window_years: int | None = None
    canada_only: bool | None = None
    min_nclc: int | None = None
    effective_from: date | None = None
    conditions: str | None = None


class CategoryYear(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    effective_from: date
    effective_to: date | None
    checked: date
    sources: list[Source]
    experience_rule: str
    notes: list[str]
    categories: list[Category]

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class CategoryFit(BaseModel):
    key: str
    label: str
    fits: bool | None  # None: Maple cannot tell from the answers (e.g. military recruits)
    reason: Text
    occupations: list[str] = []
    recent_draws: DrawSummary | None = None


class CategoryReport(BaseModel):
    rules: str
    rules_effective_from: date
    experience_rule: str
    checked: date
    sources: list[str]
    meaning: Text
    fits: list[CategoryFit]


MEANING = Phrase(
    "A category is a smaller competition, not extra points: in a category round IRCC invites the highest CRS scores "
    "among people in the pool who are eligible for FSW, CEC or FST and meet the category."
)


class CategoryRules:
    def __init__(self, directory: Path = CATEGORY_DIR, draws: Draws | None = None) -> None:
        self.years = sorted(
            (CategoryYear.model_validate_json(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")),
            key=lambda y: y.effective_from,
        )
        self._draws = draws

    @property
    def draws(self) -> Draws:
        if self._draws is None:
            self._draws = default_draws()
        return self._draws

    def year_for(self, day: date) -> CategoryYear | None:
        for year in self.years:
            if year.applies_on(day):
                return year
        return None

    def assess(self, profile: Profile) -> CategoryReport | None:
        day = profile.profile_date
        year = self.year_for(day)
        if year is None:
            return None
        fits = []
        for category in year.categories:
            if category.effective_from and day < category.effective_from:
                continue
            fit = _assess(category, profile)
            fit.recent_draws = self.draws.summary(category.key, day)
            fits.append(fit)
        return CategoryReport(
            rules=year.id,
            rules_effective_from=year.effective_from,
            experience_rule=year.experience_rule,
            checked=year.checked,
            sources=[s.url for s in year.sources],
            meaning=MEANING,
            fits=fits,
        )


def _assess(category: Category, p: Profile) -> CategoryFit:
    base = {"key": category.key, "label": category.label}
    if category.kind == "french":
        french = p.french_result
        if french is None:
            return CategoryFit(**base, fits=False, reason=Phrase("needs a TEF Canada or TCF Canada result"))
        if french.expired_on(p.profile_date):
            return CategoryFit(**base, fits=False, reason=Phrase("your French result is more than 2 years old"))
        need = category.min_nclc or 7
        low = [a for a, level in french.levels.items() if level < need]
        if low:
            return CategoryFit(
                **base,
                fits=False,
                reason=Phrase(
                    "needs NCLC {need} in all four abilities; you have {levels}",
                    need=need,
                    levels=Joined(
                        ", ", (Phrase("NCLC {level} in {ability}", level=french.levels[a], ability=a) for a in low)
                    ),
                ),
            )
        return CategoryFit(**base, fits=True, reason=Phrase("NCLC {need}+ in all four French abilities", need=need))
    if category.kind == "military":
        return CategoryFit(**base, fits=None, reason=category.conditions or Phrase("special conditions apply"))
    return _occupation_fit(category, p, base)


def _occupation_fit(category: Category, p: Profile, base: dict[str, str]) -> CategoryFit:
    listed = {o.noc: o for o in category.occupations}
    day = p.profile_date
    start = window_start(day, category.window_years or 3)
    needed = (category.months or 12) * HOURS_PER_YEAR / 12
    best_noc, best_hours = None, 0.0
    matched: list[str] = []
    for noc in sorted({w.noc for w in p.work_periods if w.noc in listed}):
        periods = [w for w in p.work_periods if w.noc == noc and w.paid and (w.in_canada or not category.canada_only)]
        hours = _best_hours(periods, start, day, bool(category.continuous))
        matched.append(f"{noc} {listed[noc].title}")
        if hours > best_hours:
            best_noc, best_hours = noc, hours
    months = (
        Phrase("{months} months of continuous", months=category.months or 0)
        if category.continuous
        else Phrase("{months} months", months=category.months or 0)
    )
    if not matched:
        return CategoryFit(
            **base,
            fits=False,
            reason=Phrase("none of your jobs is one of its {count} listed occupations", count=len(listed)),
        )
    done = best_hours / HOURS_PER_YEAR * 12
    if best_hours >= needed - 1e-6:
        assert best_noc is not None
        said = {
            "done": round(done),
            "noc": best_noc,
            "occupation": Title(best_noc, listed[best_noc].title, french_titles().get(best_noc, "")),
            "years": category.window_years or 0,
            "needed": months,
        }
        return CategoryFit(
            **base,
            fits=True,
            occupations=matched,
            reason=Phrase(
                "{done} months full-time equivalent as {noc} {occupation} in Canada in the last {years} years "
                "(needs {needed})",
                **said,
            )
            if category.canada_only
            else Phrase(
                "{done} months full-time equivalent as {noc} {occupation} in the last {years} years (needs {needed})",
                **said,
            ),
        )
    short = {"needed": months, "years": category.window_years or 0, "have": Fixed(done, 1)}
    return CategoryFit(
        **base,
        fits=False,
        occupations=matched,
        reason=Phrase(
            "needs {needed} full-time (or equal part-time) work in Canada in one listed occupation in the last {years} "
            "years; you have {have}",
            **short,
        )
        if category.canada_only
        else Phrase(
            "needs {needed} full-time (or equal part-time) work in one listed occupation in the last {years} years; "
            "you have {have}",
            **short,
        ),
    )


def _best_hours(periods: list[WorkPeriod], start: date, end: date, continuous: bool) -> float:
    if not continuous:
        return hours_between(periods, start, end)
    return max((hours_between(run, start, end) for run in continuous_runs(periods, end)), default=0.0)


@lru_cache(maxsize=1)
def default_category_rules() -> CategoryRules:
    return CategoryRules()
