"""A person's dates: when the age points change, when results and documents expire.

Pure date logic: a Profile (plus the two dates a Profile does not hold: the ECA's issue date and the
day the Express Entry profile was created) and ``today`` give a list of :class:`Deadline`, each with
the rule's source and the date it was checked. No clock is read here: ``today`` is always passed in.

The stable API (used by the bot's /dates and reminders, and by the FAQ's personal answers):

- ``personal_dates(profile, today, eca_issued=None, profile_created=None)`` -> ``list[Deadline]``,
  sorted by date: the next age-point changes, each language result's expiry, the ECA's, the profile's.
- ``age_changes(profile, today, count=2)``: only the next birthdays that change the age points.
- ``language_expiries(profile, today)``, ``eca_expiry(issued, today)``, ``profile_expiry(created, today)``.
- ``Deadline.key``: a stable identifier of the event (e.g. ``"age:42"``, ``"language:first"``), the same
  for the same event whatever ``today`` is, to store reminders against.
- ``Deadline.status``: ``"past"`` (on or before today), ``"near"`` (within ``near_days``) or ``"later"``.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.crs.rules import RuleBook
from knowledge.crs.scoring import Scorer, default_scorer
from knowledge.profile import LanguageResult, Profile, add_years
from knowledge.wording import Phrase, Text

VALIDITY_FILE = Path(__file__).parent / "data" / "validity" / "validity.json"
NEAR_DAYS = 90  # a date this close (or closer) is flagged as near
MAX_AGE_CHANGES = 2

DeadlineKind = Literal["age_points", "language_expiry", "eca_expiry", "profile_expiry"]
Status = Literal["past", "near", "later"]
PeriodKey = Literal["language", "eca", "profile"]


class ValidityPeriod(BaseModel):
    """How long a document counts, with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    years: int
    label: str
    rule: str
    source: str
    source_note: str | None = None
    checked: date


class ValidityRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    checked: date
    periods: dict[PeriodKey, ValidityPeriod]


@lru_cache(maxsize=1)
def default_validity() -> ValidityRules:
    return ValidityRules.model_validate(json.loads(VALIDITY_FILE.read_text(encoding="utf-8")))


class Deadline(BaseModel):
    """One dated event in a person's file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str  # stable: "age:42", "language:first", "language:second", "language:spouse", "eca", "profile"
    kind: DeadlineKind
    day: date
    what: Text  # plain words: "IELTS General Training results expire", "you turn 42" (a Phrase)
    status: Status
    days_left: int  # negative when past
    # age-point changes only: the age points and the total CRS score before and after the birthday
    age_after: int | None = None
    points_before: int | None = None
    points_after: int | None = None
    total_before: int | None = None
    total_after: int | None = None
    rule: Text
    source: str
    checked: date

    @property
    def points_change(self) -> int | None:
        if self.points_before is None or self.points_after is None:
            return None
        return self.points_after - self.points_before


def _status(day: date, today: date, near_days: int) -> tuple[Status, int]:
    left = (day - today).days
    if left <= 0:
        return "past", left
    return ("near" if left <= near_days else "later"), left


def _with_age(profile: Profile, age: int) -> Profile:
    """The same profile, scored as if the person were ``age`` (on the same profile date)."""
    data = profile.model_dump(exclude_unset=True, mode="json")
    data.pop("date_of_birth", None)
    data["age"] = age
    data["profile_date"] = profile.profile_date.isoformat()
    return Profile.model_validate(data)


def age_changes(
    profile: Profile,
    today: date,
    count: int = MAX_AGE_CHANGES,
    scorer: Scorer | None = None,
    near_days: int = NEAR_DAYS,
) -> list[Deadline]:
    """The next ``count`` birthdays after ``today`` on which the age points change.

    Needs the date of birth (an age alone gives no birthday: returns []). Points come from the rule
    set in force on the birthday as known today and the person's situation (scored with or without a
    spouse); the totals are the profile's score with only the age changed ("if nothing else changes").
    """
    if profile.date_of_birth is None or count <= 0:
        return []
    scorer = scorer or default_scorer()
    book: RuleBook = scorer.book
    with_spouse = profile.scored_with_spouse
    born = profile.date_of_birth
    out: list[Deadline] = []
    age = max(profile.age_on_date, 0)
    # birthdays from the next one on; the age table is flat from 45 on, so stop there
    while len(out) < count and age < 46:
        age += 1
        birthday = add_years(born, age)
        if birthday <= today:
            continue
        try:
            rules = book.for_date(birthday)
        except LookupError:
            break
        table = {row.age: row.pick(with_spouse) for row in rules.core.age}
        before = table[min(max(age - 1, 17), 45)]
        after = table[min(max(age, 17), 45)]
        if before == after:
            continue
        status, left = _status(birthday, today, near_days)
        total_before = scorer.score(_with_age(profile, age - 1)).total
        total_after = scorer.score(_with_age(profile, age)).total
        out.append(
            Deadline(
                key=f"age:{age}",
                kind="age_points",
                day=birthday,
                what=Phrase("you turn {age}", age=age),
                status=status,
                days_left=left,
                age_after=age,
                points_before=before,
                points_after=after,
                total_before=total_before,
                total_after=total_after,
                rule=Phrase("CRS age points (with a spouse or partner), {rules}", rules=rules.label)
                if with_spouse
                else Phrase("CRS age points (without a spouse or partner), {rules}", rules=rules.label),
                source=rules.sources[0].url,
                checked=rules.checked,
            )
        )
    return out


def _expiry(
    key: str,
    kind: DeadlineKind,
    what: Text,
    start: date,
    period: ValidityPeriod,
    today: date,
    near_days: int,
) -> Deadline:
    day = add_years(start, period.years)
    status, left = _status(day, today, near_days)
    return Deadline(
        key=key,
        kind=kind,
        day=day,
        what=what,
        status=status,
        days_left=left,
        rule=period.rule,
        source=period.source,
        checked=period.checked,
    )


LANGUAGE_SLOTS: tuple[tuple[str, str], ...] = (
    ("first", "first_language"),
    ("second", "second_language"),
)


def language_expiries(
    profile: Profile, today: date, validity: ValidityRules | None = None, near_days: int = NEAR_DAYS
) -> list[Deadline]:
    """Each dated language result's expiry: 2 years after the test date (results without a date: none)."""
    period = (validity or default_validity()).periods["language"]
    results: list[tuple[str, str, LanguageResult | None]] = [
        (slot, "your", getattr(profile, name)) for slot, name in LANGUAGE_SLOTS
    ]
    results.append(("spouse", "your partner's", profile.spouse.language if profile.spouse else None))
    return [
        _expiry(
            f"language:{slot}",
            "language_expiry",
            Phrase("your partner's {label} results expire", label=result.label)
            if whose == "your partner's"
            else Phrase("your {label} results expire", label=result.label),
            result.test_date,
            period,
            today,
            near_days,
        )
        for slot, whose, result in results
        if result is not None and result.test_date is not None
    ]


def eca_expiry(
    issued: date, today: date, validity: ValidityRules | None = None, near_days: int = NEAR_DAYS
) -> Deadline:
    """The ECA stops counting 5 years after its issue date."""
    period = (validity or default_validity()).periods["eca"]
    return _expiry("eca", "eca_expiry", Phrase("your ECA is 5 years old"), issued, period, today, near_days)


def profile_expiry(
    created: date, today: date, validity: ValidityRules | None = None, near_days: int = NEAR_DAYS
) -> Deadline:
    """A submitted Express Entry profile expires 12 months after it was created."""
    period = (validity or default_validity()).periods["profile"]
    what = Phrase("your Express Entry profile expires")
    return _expiry("profile", "profile_expiry", what, created, period, today, near_days)


def personal_dates(
    profile: Profile,
    today: date,
    eca_issued: date | None = None,
    profile_created: date | None = None,
    *,
    scorer: Scorer | None = None,
    validity: ValidityRules | None = None,
    near_days: int = NEAR_DAYS,
    age_count: int = MAX_AGE_CHANGES,
) -> list[Deadline]:
    """All of a person's dates, sorted by day (past ones included, flagged ``past``)."""
    out = age_changes(profile, today, age_count, scorer, near_days)
    out += language_expiries(profile, today, validity, near_days)
    if eca_issued is not None:
        out.append(eca_expiry(eca_issued, today, validity, near_days))
    if profile_created is not None:
        out.append(profile_expiry(profile_created, today, validity, near_days))
    return sorted(out, key=lambda d: (d.day, d.key))


def describe(deadline: Deadline) -> str:
    """One plain line, e.g. '2027-03-08: you turn 42: age points 39 -> 28 (CRS 298 -> 287)'."""
    text = f"{deadline.day.isoformat()}: {deadline.what}"
    if deadline.kind == "age_points":
        text += f": age points {deadline.points_before} -> {deadline.points_after}"
        if deadline.total_before is not None:
            text += f" (CRS {deadline.total_before} -> {deadline.total_after} if nothing else changes)"
    if deadline.status == "past":
        text += " (already passed)" if deadline.days_left < 0 else " (today)"
    elif deadline.status == "near":
        text += f" (in {deadline.days_left} days)"
    return text
