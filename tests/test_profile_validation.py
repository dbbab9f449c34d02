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
