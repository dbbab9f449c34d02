"""Express Entry rounds of invitations: a dated table of IRCC's rounds, and what it says per category.

The table is a CSV (``knowledge/data/draws/express-entry-draws.csv``, its sources in ``source.json``),
newest round first, with the pool's CRS distribution published with each round where IRCC gave one.
A refreshed copy from IRCC's feed (:mod:`knowledge.draws.feed`) has the same columns; :class:`Draws`
can be given either, and :meth:`Draws.replace` swaps the rounds in place when a refresh succeeds.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.provenance import DATA_DIR
from knowledge.wording import Phrase

DRAWS_FILE = DATA_DIR / "draws" / "express-entry-draws.csv"

# the pool's distribution columns, highest band first (IRCC's dd1, dd2, dd4-dd8, dd10-dd17)
BANDS: tuple[str, ...] = (
    "601_1200", "501_600", "491_500", "481_490", "471_480", "461_470", "451_460",
    "441_450", "431_440", "421_430", "411_420", "401_410", "351_400", "301_350", "0_300",
)  # fmt: skip
COLUMNS = ["number", "date", "name", "invitations", "min_crs", "tie_break", "distribution_as_on"]
COLUMNS += [f"crs_{band}" for band in BANDS] + ["pool_total"]

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


# the program rounds, by the program they invite from ("all": rounds open to every program)
PROGRAM_PATTERNS: dict[str, re.Pattern[str]] = {
    "cec": re.compile(r"^Canadian Experience Class", re.I),
    "fsw": re.compile(r"^Federal Skilled Worker", re.I),
    "fst": re.compile(r"^Federal Skilled Trades", re.I),
    "pnp": re.compile(r"^Provincial Nominee", re.I),
    "all": re.compile(r"^(No Program Specified|General)\b", re.I),
}


def band_bounds(band: str) -> tuple[int, int]:
    low, high = band.split("_")
    return int(low), int(high)


class Draw(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: str
    date: date
    name: str
    invitations: int
    min_crs: int
    tie_break: str = ""
    distribution_as_on: str = ""
    distribution: tuple[int, ...] | None = None  # candidates per band of BANDS, when published
    pool_total: int | None = None

    def row(self) -> dict[str, str]:
        values = dict.fromkeys(COLUMNS, "")
        values.update(
            number=self.number,
            date=self.date.isoformat(),
            name=self.name,
            invitations=str(self.invitations),
            min_crs=str(self.min_crs),
            tie_break=self.tie_break,
            distribution_as_on=self.distribution_as_on,
        )
        if self.distribution is not None:
            values.update({f"crs_{b}": str(n) for b, n in zip(BANDS, self.distribution, strict=True)})
            values["pool_total"] = "" if self.pool_total is None else str(self.pool_total)
        return values


class DrawSummary(BaseModel):
    """Recent rounds of one kind, as of a date."""

    category: str
    rounds_last_12_months: int
    last_date: date | None
    last_min_crs: int | None
    last_invitations: int | None
    snapshot_to: date

    def sentence(self) -> Phrase:
        if self.last_date is None:
            return Phrase("No round for this category yet (IRCC data to {day}).", day=self.snapshot_to)
        return Phrase(
            "{count} round(s) in the 12 months before; the last on {last} invited {invited} with a minimum CRS of "
            "{min_crs} (IRCC data to {day}).",
            count=self.rounds_last_12_months,
            last=self.last_date,
            invited=self.last_invitations or 0,
            min_crs=str(self.last_min_crs),
            day=self.snapshot_to,
        )


class RouteRounds(BaseModel):
    """The rounds of one route in the 12 months before a date, against one score."""

    route: str
    rounds: list[Draw]  # newest first
    cleared: int  # how many had a cut-off at or below the score
    snapshot_to: date

    @property
    def last(self) -> Draw | None:
        return self.rounds[0] if self.rounds else None

    @property
    def lowest(self) -> int | None:
        return min((d.min_crs for d in self.rounds), default=None)


class PoolPosition(BaseModel):
    """Where a score sat in the pool published with the latest round that had a distribution."""

    as_on: str
    total: int
    above: int  # candidates in bands entirely above the score
    band: tuple[int, int]

    @property
    def share_above(self) -> float:
        return self.above / self.total if self.total else 0.0


def _draw(row: dict[str, str]) -> Draw:
    bands = [row.get(f"crs_{b}", "") for b in BANDS]
    has_distribution = all(v.strip() for v in bands)
    total = row.get("pool_total", "").strip()
    return Draw(
        number=row["number"],
        date=date.fromisoformat(row["date"]),
        name=row["name"],
        invitations=int(row["invitations"]),
        min_crs=int(row["min_crs"]),
        tie_break=row.get("tie_break", "") or "",
        distribution_as_on=row.get("distribution_as_on", "") or "",
        distribution=tuple(int(v) for v in bands) if has_distribution else None,
        pool_total=int(total) if has_distribution and total else None,
    )


def read_rounds(path: Path) -> list[Draw]:
    """The rounds of a CSV table, newest first (raises ValueError/KeyError on a broken file)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rounds = [_draw(row) for row in csv.DictReader(handle)]
    if not rounds:
        raise ValueError(f"{path} holds no rounds")
    return sorted(rounds, key=lambda d: (d.date, d.number), reverse=True)


def rounds_csv(rounds: Iterable[Draw]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for draw in sorted(rounds, key=lambda d: (d.date, d.number), reverse=True):
        writer.writerow(draw.row())
    return buffer.getvalue()


def write_rounds(rounds: Iterable[Draw], path: Path) -> None:
    """Write atomically: a reader sees the old table or the new one, never half of one."""
    text = rounds_csv(rounds)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".draws-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Draws:
    """The rounds, newest first; :meth:`replace` swaps in a refreshed table."""

    def __init__(self, path: Path = DRAWS_FILE, rounds: list[Draw] | None = None) -> None:
        self.rounds: list[Draw] = rounds if rounds is not None else read_rounds(path)
        self.rounds.sort(key=lambda d: (d.date, d.number), reverse=True)
        self._summaries: dict[tuple[str, date], DrawSummary] = {}  # per table: replace() starts afresh

    @property
    def snapshot_to(self) -> date:
        """The date of the newest round known."""
        return self.rounds[0].date

    def replace(self, rounds: list[Draw]) -> None:
        if rounds:
            self.rounds = sorted(rounds, key=lambda d: (d.date, d.number), reverse=True)
            self._summaries = {}

    def of_kind(self, category: str, until: date) -> list[Draw]:
        pattern = CATEGORY_PATTERNS[category]
        return [d for d in self.rounds if d.date <= until and pattern.search(d.name)]

    def route(self, pattern: re.Pattern[str], route: str, day: date, score: int) -> RouteRounds:
        year_ago = _year_before(day)
        rounds = [d for d in self.rounds if year_ago < d.date <= day and pattern.search(d.name)]
        cleared = sum(1 for d in rounds if d.min_crs <= score)
        return RouteRounds(route=route, rounds=rounds, cleared=cleared, snapshot_to=self.snapshot_to)

    def program_route(self, program: str, day: date, score: int) -> RouteRounds:
        return self.route(PROGRAM_PATTERNS[program], program, day, score)

    def category_route(self, category: str, day: date, score: int) -> RouteRounds:
        return self.route(CATEGORY_PATTERNS[category], category, day, score)

    def pool_position(self, score: int, day: date) -> PoolPosition | None:
        latest = next((d for d in self.rounds if d.date <= day and d.distribution and d.pool_total), None)
        if latest is None or latest.distribution is None or latest.pool_total is None:
            return None
        above = sum(n for band, n in zip(BANDS, latest.distribution, strict=True) if band_bounds(band)[0] > score)
        band = next(band_bounds(b) for b in BANDS if band_bounds(b)[0] <= score <= band_bounds(b)[1])
        return PoolPosition(as_on=latest.distribution_as_on, total=latest.pool_total, above=above, band=band)

    def summary(self, category: str, day: date) -> DrawSummary:
        """Kept per (category, day): every eligibility report of a day asks it again (the what-ifs, a dozen)."""
        found = self._summaries.get((category, day))
        if found is None:
            if len(self._summaries) > 4096:
                self._summaries.clear()
            found = self._summaries[(category, day)] = self._summary(category, day)
        return found

    def _summary(self, category: str, day: date) -> DrawSummary:
        past = self.of_kind(category, day)
        year_ago = _year_before(day)
        last = past[0] if past else None
        return DrawSummary(
            category=category,
            rounds_last_12_months=sum(1 for d in past if d.date > year_ago),
            last_date=last.date if last else None,
            last_min_crs=last.min_crs if last else None,
            last_invitations=last.invitations if last else None,
            snapshot_to=self.snapshot_to,
        )


def _year_before(day: date) -> date:
    """The start of "the last 12 months" before ``day`` (the 28th at most, so 29 February has a twin)."""
    return date(day.year - 1, day.month, min(day.day, 28))


def best_available(refreshed: Path | None) -> Draws:
    """The refreshed table when it is readable and not older than the shipped snapshot, else the snapshot."""
    shipped = Draws()
    if refreshed is None or not refreshed.exists():
        return shipped
    try:
        fresh = Draws(refreshed)
    except (OSError, ValueError, KeyError):
        return shipped
    return fresh if fresh.snapshot_to >= shipped.snapshot_to and len(fresh.rounds) >= len(shipped.rounds) else shipped


@lru_cache(maxsize=1)
def default_draws() -> Draws:
    return Draws()
