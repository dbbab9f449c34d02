"""Express Entry rounds of invitations: a dated snapshot of IRCC's feed, and what it says per category."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.provenance import DATA_DIR

DRAWS_FILE = DATA_DIR / "draws" / "express-entry-draws.csv"
SNAPSHOT_TO = date(2026, 9, 16)

# round names as IRCC publishes them, per category key
CATEGORY_PATTERNS: dict[str, re.Pattern[str]] = {
    "french": re.compile(r"french", re.I),
    "healthcare": re.compile(r"healthcare", re.I),
    "healthcare_social_services": re.compile(r"healthcare", re.I),
    "stem": re.compile(r"\bSTEM\b"),
    "trades": re.compile(r"\btrades?\b", re.I),
    "education": re.compile(r"^education", re.I),
    "transport": re.compile(r"transport", re.I),
    "agriculture": re.compile(r"agriculture", re.I),
    "physicians": re.compile(r"physicians", re.I),
    "senior_managers": re.compile(r"senior managers", re.I),
    "researchers": re.compile(r"researchers", re.I),
    "military": re.compile(r"military", re.I),
}


class Draw(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: str
    date: date
    name: str
    invitations: int
    min_crs: int


class DrawSummary(BaseModel):
    """Recent rounds of one kind, as of a date."""

    category: str
    rounds_last_12_months: int
    last_date: date | None
    last_min_crs: int | None
    last_invitations: int | None
    snapshot_to: date

    def sentence(self) -> str:
        if self.last_date is None:
            return f"No round for this category yet (IRCC data to {self.snapshot_to.isoformat()})."
        return (
            f"{self.rounds_last_12_months} round(s) in the 12 months before; the last on "
            f"{self.last_date.isoformat()} invited {self.last_invitations:,} with a minimum CRS of "
            f"{self.last_min_crs} (IRCC data to {self.snapshot_to.isoformat()})."
        )


class Draws:
    def __init__(self, path: Path = DRAWS_FILE) -> None:
        with path.open(encoding="utf-8") as handle:
            self.rounds = [
                Draw(
                    number=r["number"],
                    date=date.fromisoformat(r["date"]),
                    name=r["name"],
                    invitations=int(r["invitations"]),
                    min_crs=int(r["min_crs"]),
                )
                for r in csv.DictReader(handle)
            ]
        self.rounds.sort(key=lambda d: d.date, reverse=True)

    def summary(self, category: str, day: date) -> DrawSummary:
        pattern = CATEGORY_PATTERNS[category]
        past = [d for d in self.rounds if d.date <= day and pattern.search(d.name)]
        year_ago = date(day.year - 1, day.month, min(day.day, 28))
        last = past[0] if past else None
        return DrawSummary(
            category=category,
            rounds_last_12_months=sum(1 for d in past if d.date > year_ago),
            last_date=last.date if last else None,
            last_min_crs=last.min_crs if last else None,
            last_invitations=last.invitations if last else None,
            snapshot_to=min(SNAPSHOT_TO, self.rounds[0].date),
        )


@lru_cache(maxsize=1)
def default_draws() -> Draws:
    return Draws()
