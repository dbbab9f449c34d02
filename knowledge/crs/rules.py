"""The CRS rule sets as validated data: load the dated files under ``data/crs`` and pick one by date.

A rule change is a new file in ``data/crs`` (named by its effective date), never an edit of the
scoring logic. Every file carries its sources and the date it was checked.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from knowledge.provenance import DATA_DIR, Source
from knowledge.vocabulary import EDUCATION_LEVELS

CRS_DIR = DATA_DIR / "crs"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByMarital(_Strict):
    with_spouse: int
    without_spouse: int

    def pick(self, with_spouse: bool) -> int:
        return self.with_spouse if with_spouse else self.without_spouse


class AgeRow(ByMarital):
    age: int


class EducationRow(ByMarital):
    key: str
    official_label: str
    transferability_tier: str


class LanguageBand(_Strict):
    clb_min: int
    clb_max: int | None
    label: str
    with_spouse: int | None = None
    without_spouse: int | None = None
    points: int | None = None


class LanguageTable(_Strict):
    cap: ByMarital | int
    bands: list[LanguageBand]

    @model_validator(mode="after")
    def _contiguous(self) -> LanguageTable:
        expected = 0
        for band in self.bands:
            if band.clb_min != expected:
                raise ValueError(f"language bands have a gap or overlap at CLB {expected}")
            expected = (band.clb_max if band.clb_max is not None else 99) + 1
        if self.bands[-1].clb_max is not None:
            raise ValueError("the last language band must be open-ended")
        return self


class YearsRow(_Strict):
    years_min: int
    years_max: int | None
    label: str
    with_spouse: int | None = None
    without_spouse: int | None = None
    points: int | None = None


class YearsTable(_Strict):
    cap: ByMarital | int
    rows: list[YearsRow]


class CoreRules(_Strict):
    cap: ByMarital
    age: list[AgeRow]
    education: list[EducationRow]
    first_language: LanguageTable
    second_language: LanguageTable
    canadian_work: YearsTable


class SpouseEducation(_Strict):
    cap: int
    points_by_level: dict[str, int]


class SpouseRules(_Strict):
    cap: int
    education: SpouseEducation
    first_language: LanguageTable
    canadian_work: YearsTable


class TransferabilityGroup(_Strict):
    cap: int
    combinations: dict[str, dict[str, dict[str, int]]]


class TransferabilityRules(_Strict):
    cap: int
    tiers: dict[str, dict[str, str]]
    groups: dict[str, TransferabilityGroup]


class AdditionalItem(_Strict):
    points: int
    label: str


class AdditionalRules(_Strict):
    cap: int
    items: dict[str, AdditionalItem]
    rules: list[str]


class RuleSet(_Strict):
    """One complete CRS grid, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    id: str
    label: str
    effective_from: date
    effective_to: date | None
    checked: date
    sources: list[Source]
    notes: list[str]
    max_total: int
    core: CoreRules
    spouse: SpouseRules
    transferability: TransferabilityRules
    additional: AdditionalRules

    @model_validator(mode="after")
    def _complete(self) -> RuleSet:
        ages = [row.age for row in self.core.age]
        if ages != list(range(17, 46)):
            raise ValueError(f"{self.id}: the age table must have one row per age 17..45")
        levels = [row.key for row in self.core.education]
        if levels != list(EDUCATION_LEVELS):
            raise ValueError(f"{self.id}: the education table must list the 8 levels in order")
        if set(self.spouse.education.points_by_level) != set(EDUCATION_LEVELS):
            raise ValueError(f"{self.id}: spouse education must cover the 8 levels")
        if not self.sources:
            raise ValueError(f"{self.id}: a rule set needs its sources")
        return self

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class PendingChange(_Strict):
    """A reported rule change that no official source confirms yet: it only adds a caveat."""

    reported_effective: date
    what: str
    sources: list[str]
    status: str
    checked: date
    caveat: str


class PendingChanges(_Strict):
    pending: list[PendingChange]
    official_page: str


class RuleBook(BaseModel):
    """All CRS rule sets, ordered by date, plus the unconfirmed changes."""

    model_config = ConfigDict(frozen=True)

    rule_sets: tuple[RuleSet, ...]
    pending: tuple[PendingChange, ...] = ()

    @model_validator(mode="after")
    def _no_overlap(self) -> RuleBook:
        ordered = sorted(self.rule_sets, key=lambda r: r.effective_from)
        for earlier, later in pairwise(ordered):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(f"rule sets {earlier.id} and {later.id} overlap")
        return self

    @property
    def earliest(self) -> date:
        return min(r.effective_from for r in self.rule_sets)

    def for_date(self, day: date) -> RuleSet:
        for rule_set in self.rule_sets:
            if rule_set.applies_on(day):
                return rule_set
        raise LookupError(
            f"Maple has no CRS rules for {day.isoformat()}: the earliest rule set starts {self.earliest.isoformat()}"
        )

    def caveats_for(self, day: date) -> list[PendingChange]:
        return [p for p in self.pending if day >= p.reported_effective]


def load_rule_book(directory: Path = CRS_DIR) -> RuleBook:
    """Read and validate every rule-set file (``YYYY-MM-DD.json``) and the pending changes."""
    rule_sets = tuple(
        RuleSet.model_validate_json(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))
    )
    pending_path = directory / "pending-changes.json"
    pending: tuple[PendingChange, ...] = ()
    if pending_path.exists():
        pending = tuple(PendingChanges.model_validate(json.loads(pending_path.read_text(encoding="utf-8"))).pending)
    return RuleBook(rule_sets=rule_sets, pending=pending)


@lru_cache(maxsize=1)
def default_rule_book() -> RuleBook:
    """The rule book shipped with the package (read once; the data is immutable)."""
    return load_rule_book()
