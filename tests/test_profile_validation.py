"""Invalid profiles are rejected with messages a person can read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.profile import Profile, friendly_errors
from tests.conftest import clb, nclc

BASE = {"profile_date": "2026-10-01", "age": 29, "education": "bachelors"}


def errors_for(**changes):
    data = dict(BASE, **changes)
    for key in [k for k, v in changes.items() if v is None]:
        data.pop(key)
    with pytest.raises(ValidationError) as info:
        Profile.model_validate(data)
    return "\n".join(friendly_errors(info.value))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"education": "phd"}, "education: must be one of:"),
        ({"age": -3}, "age: Input should be greater than or equal to 0"),
        ({"age": None}, "give either age or date_of_birth"),
        ({"date_of_birth": "1990-01-01"}, "give either age or date_of_birth"),
        ({"age": None, "date_of_birth": "2030-01-01"}, "date_of_birth is after the profile date"),
        ({"marital_status": "married"}, "needs a 'spouse' object"),
        ({"spouse": {"education": "masters"}}, "only scored for marital_status 'married' or 'common_law'"),
        ({"second_language": nclc(7)}, "a second_language needs a first_language"),
        ({"first_language": clb(9), "second_language": clb(7, test="celpip")}, "different languages"),
        ({"first_language": clb(6.3, 7, 7, 7, test="ielts")}, "in half bands"),
        ({"first_language": dict(clb(400, test="tef_canada"))}, "need the test date"),
        ({"first_language": dict(clb(9), test_date="2027-01-01")}, "test date is after the profile date"),
        ({"education": "secondary", "canadian_study": "one_or_two_years"}, "'one_year' or higher"),
        ({"education": "two_year", "canadian_study": "three_plus_years"}, "'bachelors' or higher"),
        ({"canadian_work_years": 99}, "canadian_work_years: Input should be less than or equal to 60"),
        ({"favourite_colour": "red"}, "favourite_colour: is not a field Maple knows"),
        ({"first_language": dict(clb(9), tef_scale="old_scale")}, "tef_scale only applies to TEF Canada"),
    ],
)
def test_invalid_profile_messages(changes, expected):
    assert expected in errors_for(**changes)


def test_age_from_date_of_birth_on_the_profile_date():
    base = {k: v for k, v in BASE.items() if k != "age"}
    assert Profile.model_validate(dict(base, date_of_birth="1997-10-01")).age_on_date == 29
    assert Profile.model_validate(dict(base, date_of_birth="1997-10-02")).age_on_date == 28
    leap = Profile.model_validate(dict(base, profile_date="2026-02-28", date_of_birth="2000-02-29"))
    assert leap.age_on_date == 25


# --- strict numbers and bounded dates: hostile values give one named line each -------------------

WORK = {"noc": "21231", "in_canada": True, "start": "2020-01-01"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"age": True}, ["age: must be a number, not true or false"]),
        ({"age": False}, ["age: must be a number, not true or false"]),
        ({"canadian_work_years": True}, ["canadian_work_years: must be a number, not true or false"]),
        ({"foreign_work_years": False}, ["foreign_work_years: must be a number, not true or false"]),
        ({"settlement_funds": True}, ["settlement_funds: must be a number, not true or false"]),
        ({"family_size": True}, ["family_size: must be a number, not true or false"]),
        (
            {"first_language": dict(clb(9), listening=True, speaking=False)},
            [
                "first_language.listening: must be a number, not true or false",
                "first_language.speaking: must be a number, not true or false",
            ],
        ),
        (
            {"marital_status": "married", "spouse": {"canadian_work_years": True}},
            ["spouse.canadian_work_years: must be a number, not true or false"],
        ),
        (
            {"work_periods": [dict(WORK, hours_per_week=True)]},
            ["work_periods.0.hours_per_week: must be a number, not true or false"],
        ),
        ({"age": "twenty"}, ["age: Input should be a valid integer, unable to parse string as an integer"]),
        ({"foreign_work_years": float("inf")}, ["foreign_work_years: Input should be less than or equal to 60"]),
        (
            {"first_language": dict(clb(9), writing=float("-inf"))},
            ["first_language.writing: must be a finite number of a sensible size"],
        ),
        (
            {"first_language": dict(clb(9), reading=float("nan"))},
            ["first_language.reading: must be a finite number of a sensible size"],
        ),
        ({"profile_date": "9999-12-31"}, ["profile_date: must be between 1900-01-01 and 2100-12-31"]),
        ({"profile_date": "1899-12-31"}, ["profile_date: must be between 1900-01-01 and 2100-12-31"]),
        (
            {"age": None, "date_of_birth": "0001-01-01"},
            ["date_of_birth: must be between 1900-01-01 and 2100-12-31"],
        ),
        (
            {"first_language": dict(clb(9), test_date="9999-12-31")},
            ["first_language.test_date: must be between 1900-01-01 and 2100-12-31"],
        ),
        (
            {"work_periods": [dict(WORK, start="0001-01-01", end="9999-12-31")]},
            [
                "work_periods.0.start: must be between 1900-01-01 and 2100-12-31",
                "work_periods.0.end: must be between 1900-01-01 and 2100-12-31",
            ],
        ),
        ({"a\nb": 1}, ["a\\nb: is not a field Maple knows (check the spelling)"]),
        ({"x" * 500: 1}, ["x" * 57 + "...: is not a field Maple knows (check the spelling)"]),
    ],
)
def test_hostile_values_are_named_one_line_each(changes, expected):
    assert errors_for(**changes).split("\n") == expected


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"age": "29"}, lambda p: p.age_on_date == 29),  # digits in a string are still a number
        ({"age": 29.0}, lambda p: p.age_on_date == 29),
        ({"profile_date": "2100-12-31"}, lambda p: p.profile_date.year == 2100),
        ({"profile_date": "1900-01-01", "age": 30}, lambda p: p.profile_date.year == 1900),
        ({"work_periods": [dict(WORK, hours_per_week=20.5)]}, lambda p: p.work_periods[0].hours_per_week == 20.5),
    ],
)
def test_edge_values_still_accepted(changes, check):
    assert check(Profile.model_validate(dict(BASE, **changes)))
