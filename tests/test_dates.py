"""knowledge/deadlines.py: the next age-point changes, expiries of results and documents, flags."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.crs.rules import CRS_DIR
from knowledge.crs.scoring import score
from knowledge.deadlines import (
    age_changes,
    default_validity,
    describe,
    eca_expiry,
    language_expiries,
    personal_dates,
    profile_expiry,
)
from knowledge.profile import add_years
from tests.conftest import clb, make_profile

TODAY = date(2026, 12, 2)
SPOUSE = {"canadian_citizen_or_pr": False, "accompanying": True, "education": "bachelors"}


def age_table() -> dict[int, tuple[int, int]]:
    """The shipped 2025-03-25 grid, read straight from the JSON: age -> (with spouse, without)."""
    data = json.loads((CRS_DIR / "2025-03-25.json").read_text(encoding="utf-8"))
    return {row["age"]: (row["with_spouse"], row["without_spouse"]) for row in data["core"]["age"]}


def nurse(**fields):
    """A registered nurse of 41, single, born 1985-03-08, IELTS taken 2025-05-02."""
    base = {
        "profile_date": TODAY.isoformat(),
        "date_of_birth": "1985-03-08",
        "education": "bachelors",
        "education_proof": "eca",
        "first_language": {
            "test": "ielts", "test_date": "2025-05-02",
            "listening": 8.0, "reading": 7.0, "writing": 7.0, "speaking": 7.0,
        },
        "foreign_work_years": 3,
    }
    base.update(fields)
    return make_profile(**base)


def test_the_nurse_of_41_is_told_the_date_and_the_points_she_loses():
    person = nurse()
    assert person.age_on_date == 41
    first = age_changes(person, TODAY)[0]
    assert first.day == date(2027, 3, 8) and first.key == "age:42" and first.age_after == 42
    assert (first.points_before, first.points_after, first.points_change) == (39, 28, -11)
    assert first.total_before == score(person).total
    assert first.total_after == first.total_before - 11
    assert first.source.startswith("https://www.canada.ca/") and first.checked == date(2026, 11, 22)
    assert "2027-03-08: you turn 42: age points 39 -> 28" in describe(first)


@pytest.mark.parametrize(
    ("born", "partnered", "expected"),
    [
        # 29 turning 30: 110 -> 105 single; 100 -> 95 with an accompanying spouse
        ("1997-06-01", False, [(30, 110, 105), (31, 105, 99)]),
        ("1997-06-01", True, [(30, 100, 95), (31, 95, 90)]),
        # 24: the points are flat until 30, so the next change is 5 years away
        ("2002-01-15", False, [(30, 110, 105), (31, 105, 99)]),
        # 17 turning 18: points start
        ("2009-05-05", False, [(18, 0, 99), (19, 99, 105)]),
        # 44 turning 45: the last change, then none
        ("1982-05-05", False, [(45, 6, 0)]),
        ("1970-05-05", False, []),
    ],
)
def test_age_changes_follow_the_age_table(born, partnered, expected):
    extra = {"marital_status": "married", "spouse": SPOUSE} if partnered else {}
    person = make_profile(profile_date=TODAY.isoformat(), date_of_birth=born, **extra)
    changes = age_changes(person, TODAY)
    assert [(c.age_after, c.points_before, c.points_after) for c in changes] == expected
    table = age_table()
    column = 0 if partnered else 1
    for change in changes:
        assert change.points_after == table[change.age_after][column]
        assert change.day == add_years(date.fromisoformat(born), change.age_after)
        assert change.day > TODAY


def test_a_spouse_who_is_canadian_is_scored_as_single():
    spouse = {**SPOUSE, "canadian_citizen_or_pr": True}
    person = make_profile(
        profile_date=TODAY.isoformat(), date_of_birth="1985-03-08", marital_status="married", spouse=spouse
    )
    assert age_changes(person, TODAY)[0].points_before == age_table()[41][1]


def test_an_age_without_a_date_of_birth_gives_no_birthday():
    assert age_changes(make_profile(age=41), TODAY) == []


def test_born_on_29_february_the_birthday_counts_from_1_march():
    person = make_profile(profile_date=TODAY.isoformat(), date_of_birth="1996-02-29")  # 30 now
    first = age_changes(person, TODAY)[0]
    assert first.age_after == 31 and first.day == date(2027, 3, 1)


def test_language_results_expire_two_years_after_the_test_date():
    person = nurse(
        second_language={
            "test": "tef_canada", "test_date": "2024-12-10",
            "listening": 300, "reading": 300, "writing": 300, "speaking": 300,
        },
        marital_status="married",
        spouse={**SPOUSE, "language": {**clb(7, test="celpip"), "test_date": "2026-02-28"}},
    )
    found = {d.key: d for d in language_expiries(person, TODAY)}
    assert found["language:first"].day == date(2027, 5, 2) and found["language:first"].status == "later"
    assert found["language:second"].day == date(2026, 12, 10) and found["language:second"].status == "near"
    assert found["language:second"].days_left == 8
    assert found["language:spouse"].day == date(2028, 2, 28)
    assert "partner" in found["language:spouse"].what
    rule = default_validity().periods["language"]
    assert all(d.source == rule.source and d.checked == rule.checked for d in found.values())
    # the same boundary as LanguageResult.expired_on
    assert not person.first_language.expired_on(date(2027, 5, 1)) and person.first_language.expired_on(
        date(2027, 5, 2)
    )


def test_a_result_without_a_date_has_no_expiry():
    assert language_expiries(make_profile(first_language=clb(9)), TODAY) == []


def test_eca_and_profile_expiries_and_past_flags():
    old_eca = eca_expiry(date(2021, 11, 1), TODAY)
    assert old_eca.day == date(2026, 11, 1) and old_eca.status == "past" and old_eca.days_left == -31
    assert "already passed" in describe(old_eca)
    created = profile_expiry(date(2026, 1, 20), TODAY)
    assert created.day == date(2027, 1, 20) and created.status == "near" and "in 49 days" in describe(created)
    today_itself = profile_expiry(add_years(TODAY, -1), TODAY)
    assert today_itself.status == "past" and today_itself.days_left == 0 and "(today)" in describe(today_itself)


def test_personal_dates_are_sorted_and_hold_everything_asked():
    person = nurse()
    dates = personal_dates(person, TODAY, eca_issued=date(2023, 4, 1), profile_created=date(2026, 6, 1))
    assert [d.key for d in dates] == ["age:42", "language:first", "profile", "age:43", "eca"]
    assert [d.day for d in dates] == sorted(d.day for d in dates)
    assert {d.key for d in personal_dates(person, TODAY)} == {"age:42", "age:43", "language:first"}


def test_validity_periods_carry_official_sources():
    periods = default_validity().periods
    assert (periods["language"].years, periods["eca"].years, periods["profile"].years) == (2, 5, 1)
    assert all(p.source.startswith("https://www.canada.ca/") for p in periods.values())


@settings(max_examples=60, deadline=None)
@given(
    born=st.dates(min_value=date(1950, 1, 1), max_value=date(2009, 12, 1)),
    partnered=st.booleans(),
    offset=st.integers(min_value=0, max_value=3000),
)
def test_every_change_is_a_future_birthday_with_different_points(born, partnered, offset):
    today = date(2026, 1, 1) + timedelta(days=offset)
    extra = {"marital_status": "married", "spouse": SPOUSE} if partnered else {}
    person = make_profile(profile_date=today.isoformat(), date_of_birth=born.isoformat(), **extra)
    changes = age_changes(person, today, count=3)
    table = age_table()
    column = 0 if partnered else 1
    assert [c.day for c in changes] == sorted(c.day for c in changes)
    for change in changes:
        assert change.day > today and change.points_before != change.points_after
        assert change.points_before == table[min(max(change.age_after - 1, 17), 45)][column]
        assert change.total_before - change.total_after == change.points_before - change.points_after
    # nothing is skipped: no birthday before the first change moves the points
    first = changes[0].age_after if changes else 46
    for age in range(person.age_on_date + 1, first):
        assert table[min(max(age - 1, 17), 45)][column] == table[min(age, 45)][column]
