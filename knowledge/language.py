"""Language-test results to CLB / NCLC levels, with the official equivalency tables as data.

Each table under ``data/language`` gives, per level (4..10) and ability, the lowest score that
reaches that level, plus the test's scale (range and step) so impossible scores are rejected.
A score below the level-4 minimum is "below CLB/NCLC 4", represented as level 0.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from knowledge.provenance import DATA_DIR, Source

LANGUAGE_DIR = DATA_DIR / "language"
ABILITIES: tuple[str, str, str, str] = ("listening", "reading", "writing", "speaking")
BELOW_4 = 0


class LanguageTest(StrEnum):
    """The accepted tests, plus levels given directly."""

    IELTS = "ielts"
    CELPIP = "celpip"
    PTE_CORE = "pte_core"
    TEF_CANADA = "tef_canada"
    TCF_CANADA = "tcf_canada"
    CLB = "clb"
    NCLC = "nclc"


DIRECT_LEVELS = frozenset({LanguageTest.CLB, LanguageTest.NCLC})

TEST_LANGUAGE: dict[LanguageTest, str] = {
    LanguageTest.IELTS: "english",
    LanguageTest.CELPIP: "english",
    LanguageTest.PTE_CORE: "english",
    LanguageTest.CLB: "english",
    LanguageTest.TEF_CANADA: "french",
    LanguageTest.TCF_CANADA: "french",
    LanguageTest.NCLC: "french",
}

TEST_LABEL: dict[LanguageTest, str] = {
    LanguageTest.IELTS: "IELTS General Training",
    LanguageTest.CELPIP: "CELPIP-General",
    LanguageTest.PTE_CORE: "PTE Core",
    LanguageTest.TEF_CANADA: "TEF Canada",
    LanguageTest.TCF_CANADA: "TCF Canada",
    LanguageTest.CLB: "CLB level",
    LanguageTest.NCLC: "NCLC level",
}


class LanguageScoreError(ValueError):
    """A score that is not on the test's scale, or a result that cannot be converted."""


class ScaleRange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float
    max: float
    step: float

    def describe(self) -> str:
        steps = "in half bands (e.g. 6.5)" if self.step == 0.5 else "whole numbers"
        return f"from {_fmt(self.min)} to {_fmt(self.max)}, {steps}"

    def accepts(self, score: float) -> bool:
        if not self.min <= score <= self.max:
            return False
        return abs(round(score / self.step) * self.step - score) < 1e-9


class LanguageTestTable(BaseModel):
    """One test's conversion table (for one scale variant), with its sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    test: LanguageTest
    variant: str
    label: str
    language: str
    benchmark: str
    scale_label: str
    tests_taken_from: date | None
    tests_taken_to: date | None
    checked: date
    interpretation: str
    sources: list[Source]
    notes: list[str]
    scale: dict[str, ScaleRange]
    levels: dict[str, dict[str, float]]

    @model_validator(mode="after")
    def _well_formed(self) -> LanguageTestTable:
        if set(self.scale) != set(ABILITIES):
            raise ValueError(f"{self.test}: the scale must cover the four abilities")
        if sorted(self.levels, key=int) != [str(n) for n in range(4, 11)]:
            raise ValueError(f"{self.test}: levels 4..10 are required")
        for ability in ABILITIES:
            minimums = [self.levels[str(n)][ability] for n in range(4, 11)]
            if minimums != sorted(set(minimums)):
                raise ValueError(f"{self.test}: {ability} minimums must rise with the level")
            if not all(self.scale[ability].accepts(m) for m in minimums):
                raise ValueError(f"{self.test}: a {ability} minimum is off the scale")
        return self

    def applies_to(self, test_date: date | None) -> bool:
        if test_date is None:
            return self.tests_taken_from is None and self.tests_taken_to is None
        if self.tests_taken_from and test_date < self.tests_taken_from:
            return False
        return not (self.tests_taken_to and test_date > self.tests_taken_to)

    def level(self, ability: str, score: float) -> int:
        """The CLB/NCLC level of one ability's score (0 = below level 4)."""
        reached = BELOW_4
        for level in range(4, 11):
            if score >= self.levels[str(level)][ability]:
                reached = level
        return reached


class LanguageTables(BaseModel):
    """Every conversion table, looked up by test and test date."""

    model_config = ConfigDict(frozen=True)

    tables: tuple[LanguageTestTable, ...]

    def variants(self, test: LanguageTest) -> list[LanguageTestTable]:
        return [t for t in self.tables if t.test == test]

    def table_for(self, test: LanguageTest, test_date: date | None, variant: str | None = None) -> LanguageTestTable:
        candidates = self.variants(test)
        if variant is not None:
            chosen = [t for t in candidates if t.variant == variant]
            if not chosen:
                names = ", ".join(t.variant for t in candidates)
                raise LanguageScoreError(f"{TEST_LABEL[test]} has no scale '{variant}' (known: {names})")
            table = chosen[0]
            if test_date and table.tests_taken_from and test_date < table.tests_taken_from:
                raise LanguageScoreError(
                    f"the {table.scale_label} did not exist before {table.tests_taken_from.isoformat()}"
                )
            return table
        if len(candidates) > 1 and test_date is None:
            raise LanguageScoreError(
                f"{TEST_LABEL[test]} results need the test date: " + "; ".join(_variant_span(t) for t in candidates)
            )
        for table in candidates:
            if test_date is None or table.applies_to(test_date):
                return table
        first = min((t.tests_taken_from for t in candidates if t.tests_taken_from), default=None)
        raise LanguageScoreError(
            f"{TEST_LABEL[test]} results are accepted for tests taken from {first.isoformat()}"
            if first
            else f"no {TEST_LABEL[test]} table covers a test taken on {test_date}"
        )


def convert(
    tables: LanguageTables,
    test: LanguageTest,
    scores: dict[str, float],
    test_date: date | None = None,
    variant: str | None = None,
) -> tuple[int, int, int, int]:
    """Convert raw scores (one per ability) to levels, in ABILITIES order.

    Raises LanguageScoreError, naming the accepted range, for a score off the test's scale.
    """
    if test in DIRECT_LEVELS:
        levels = []
        for ability in ABILITIES:
            value = scores[ability]
            if value != int(value) or not 0 <= value <= 12:
                raise LanguageScoreError(
                    f"{ability}: a {TEST_LABEL[test]} is a whole number from 0 to 12; got {_fmt(value)}"
                )
            levels.append(int(value))
        return levels[0], levels[1], levels[2], levels[3]
    table = tables.table_for(test, test_date, variant)
    out = []
    for ability in ABILITIES:
        value = scores[ability]
        scale = table.scale[ability]
        if not scale.accepts(value):
            raise LanguageScoreError(f"{table.label} {ability} score must be {scale.describe()}; got {_fmt(value)}")
        out.append(table.level(ability, value))
    return out[0], out[1], out[2], out[3]


def tef_readings(
    tables: LanguageTables, scores: dict[str, float], test_date: date | None
) -> dict[str, tuple[int, int, int, int] | None]:
    """A TEF Canada result read on each scale that existed on its date; None where the numbers do not fit.

    From 2023-12-11 a certificate shows two columns, the score out of 699 and the "Équivalence ancien
    score" (shared reference, crs-rules.md §6.4, checked 2026-12-01): the same four numbers can be either.
    """
    readings: dict[str, tuple[int, int, int, int] | None] = {}
    for table in tables.variants(LanguageTest.TEF_CANADA):
        if test_date is not None and table.tests_taken_from and test_date < table.tests_taken_from:
            continue
        try:
            readings[table.variant] = convert(tables, LanguageTest.TEF_CANADA, scores, test_date, table.variant)
        except LanguageScoreError:
            readings[table.variant] = None
    return readings


def tef_scale_unclear(tables: LanguageTables, scores: dict[str, float], test_date: date | None) -> bool:
    """Both columns could hold these numbers and they give different levels: ask which one was read."""
    possible = {levels for levels in tef_readings(tables, scores, test_date).values() if levels is not None}
    return len(possible) > 1


def _variant_span(table: LanguageTestTable) -> str:
    if table.tests_taken_to:
        return f"tests up to {table.tests_taken_to.isoformat()} use the {table.scale_label}"
    return f"tests from {table.tests_taken_from} use the {table.scale_label}"


def _fmt(value: float) -> str:
    return f"{value:g}"


def load_language_tables(directory: Path = LANGUAGE_DIR) -> LanguageTables:
    return LanguageTables(
        tables=tuple(
            LanguageTestTable.model_validate_json(p.read_text(encoding="utf-8"))
            for p in sorted(directory.glob("*.json"))
        )
    )


@lru_cache(maxsize=1)
def default_language_tables() -> LanguageTables:
    """The tables shipped with the package (read once; the data is immutable)."""
    return load_language_tables()
