"""IRCC's JSON feed of rounds (``ee_rounds_123_en.json``), read and checked before it may replace the table.

The feed is an object with ``rounds``; each round has ``drawNumber``, ``drawDate``, ``drawName``,
``drawSize``, ``drawCRS``, ``drawCutOff`` (the tie-break), ``drawDistributionAsOn`` and ``dd1``-``dd18``,
all strings, numbers with thousands separators. The distribution keys (source: shared reference notes,
checked 2026-12-01 against full copies of the feed): dd1 = 601-1200, dd2 = 501-600, dd4-dd8 = 491-500 ...
451-460, dd10-dd14 = 441-450 ... 401-410, dd15 = 351-400, dd16 = 301-350, dd17 = 0-300, dd18 = the total;
dd3 and dd9 are subtotals and are left out. An all-zero distribution means none was published.

IRCC rewrites past rows (names, tie-breaks), so a refresh replaces the whole table; but it is refused
when the feed is not plainly whole: fewer rounds than the table already has, a newest round older than
the table's, or more than a few malformed rounds. A malformed round keeps the table's version of it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge.draws.rounds import BANDS, Draw

FEED_URL = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"
DISTRIBUTION_KEYS = ("dd1", "dd2", "dd4", "dd5", "dd6", "dd7", "dd8", "dd10", "dd11", "dd12", "dd13", "dd14",
                     "dd15", "dd16", "dd17")  # fmt: skip
assert len(DISTRIBUTION_KEYS) == len(BANDS)
MAX_MALFORMED = 3
MAX_FEED_BYTES = 20_000_000
_NUMBER = re.compile(r"^\d{1,3}(?:[,\s\u00a0]?\d{3})*$")


class FeedError(ValueError):
    """The feed cannot be used: the table is kept as it is."""


def feed_number(text: Any) -> int:
    """'1,234' or '1 234' or '1234' (or an int) as a number; anything else raises ValueError."""
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int):
        return text
    cleaned = str(text).strip()
    if not _NUMBER.match(cleaned):
        raise ValueError(f"not a number: {cleaned[:20]!r}")
    return int(re.sub(r"[,\s\u00a0]", "", cleaned))


class FeedRound(BaseModel):
    """One round as the feed gives it (strings), checked."""

    model_config = ConfigDict(extra="ignore")

    number: str = Field(alias="drawNumber", min_length=1, max_length=8)
    day: date = Field(alias="drawDate")
    name: str = Field(alias="drawName", min_length=1, max_length=200)
    size: int = Field(alias="drawSize", ge=1, le=100_000)
    crs: int = Field(alias="drawCRS", ge=0, le=1200)
    cut_off: str = Field(default="", alias="drawCutOff", max_length=100)
    as_on: str = Field(default="", alias="drawDistributionAsOn", max_length=100)
    bands: dict[str, int] = Field(default_factory=dict)

    @field_validator("size", "crs", mode="before")
    @classmethod
    def _number(cls, value: Any) -> int:
        return feed_number(value)

    @field_validator("day", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date:
        text = str(value).strip()
        for layout in ("%Y-%m-%d", "%B %d, %Y"):
            try:
                return datetime.strptime(text, layout).date()
            except ValueError:
                continue
        raise ValueError(f"not a date: {text[:30]!r}")

    @classmethod
    def of(cls, raw: dict[str, Any]) -> FeedRound:
        bands = {key: feed_number(raw.get(key, "0") or "0") for key in (*DISTRIBUTION_KEYS, "dd18")}
        return cls.model_validate({**raw, "bands": bands})

    def draw(self) -> Draw:
        counts = tuple(self.bands[k] for k in DISTRIBUTION_KEYS)
        published = any(counts)
        return Draw(
            number=self.number.strip(),
            date=self.day,
            name=" ".join(self.name.split()),
            invitations=self.size,
            min_crs=self.crs,
            tie_break=self.cut_off,
            distribution_as_on=self.as_on,
            distribution=counts if published else None,
            pool_total=self.bands["dd18"] if published else None,
        )


class FeedReading(BaseModel):
    """What a feed gave: the rounds read, and the problems met (one line each)."""

    rounds: list[Draw]
    problems: list[str]


def read_feed(text: str | bytes) -> FeedReading:
    if len(text) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is larger than {MAX_FEED_BYTES:,} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"the feed is not JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rounds"), list):
        raise FeedError("the feed has no list of rounds")
    rounds, problems = [], []
    for index, raw in enumerate(data["rounds"]):
        where = f"round {raw.get('drawNumber', '?') if isinstance(raw, dict) else '?'} (item {index + 1})"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not an object")
            continue
        try:
            rounds.append(FeedRound.of(raw).draw())
        except (ValidationError, ValueError) as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
            field = ".".join(str(p) for p in first["loc"]) or "value"
            problems.append(f"{where}: {field}: {first['msg']}")
    return FeedReading(rounds=rounds, problems=problems)


def merge(current: list[Draw], reading: FeedReading) -> list[Draw]:
    """The feed's rounds replacing the table, with the table's version of any malformed round.

    Raises :class:`FeedError` when the feed does not look whole; the caller then keeps ``current``.
    """
    if len(reading.problems) > MAX_MALFORMED:
        raise FeedError(f"{len(reading.problems)} malformed rounds (at most {MAX_MALFORMED} are tolerated)")
    numbers = [d.number for d in reading.rounds]
    if len(set(numbers)) != len(numbers):
        raise FeedError("the feed lists a round number twice")
    fresh = {d.number: d for d in reading.rounds}
    kept = [d for d in current if d.number not in fresh]
    merged = [*reading.rounds, *kept]
    if len(merged) < len(current) or len(reading.rounds) < len(current) - MAX_MALFORMED:
        raise FeedError(f"the feed has {len(reading.rounds)} rounds, fewer than the {len(current)} already known")
    if current and max(d.date for d in merged) < max(d.date for d in current):
        raise FeedError("the feed's newest round is older than the table's")
    return sorted(merged, key=lambda d: (d.date, d.number), reverse=True)


def new_rounds(before: list[Draw], after: list[Draw]) -> list[Draw]:
    """Rounds in ``after`` that ``before`` did not have, oldest first (for alerts)."""
    known = {d.number for d in before}
    return sorted((d for d in after if d.number not in known), key=lambda d: (d.date, d.number))
