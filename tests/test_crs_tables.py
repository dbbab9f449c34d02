"""Every row of every CRS table, walked one by one.

The expected values are transcribed here from the official grid (canada.ca "Comprehensive
Ranking System (CRS) criteria", page modified 2026-06-22, checked 2026-11-22), independently of
the data files the engine reads, so a wrong data file fails these tests.
"""

from __future__ import annotations

import pytest

from knowledge.crs.scoring import score
from tests.conftest import clb, make_profile, nclc

SPOUSE = {"canadian_citizen_or_pr": False, "accompanying": True}

AGE = {  # age: (with spouse, without spouse)
    17: (0, 0),
    18: (90, 99),
    19: (95, 105),
    20: (100, 110),
    21: (100, 110),
    22: (100, 110),
    23: (100, 110),
    24: (100, 110),
    25: (100, 110),
    26: (100, 110),
    27: (100, 110),
    28: (100, 110),
    29: (100, 110),
    30: (95, 105),
    31: (90, 99),
    32: (85, 94),
    33: (80, 88),
    34: (75, 83),
    35: (70, 77),
    36: (65, 72),
    37: (60, 66),
    38: (55, 61),
    39: (50, 55),
    40: (45, 50),
    41: (35, 39),
    42: (25, 28),
    43: (15, 17),
    44: (5, 6),
    45: (0, 0),
}
EDUCATION = {  # level: (with spouse, without spouse, spouse's own points)
    "less_than_secondary": (0, 0, 0),
    "secondary": (28, 30, 2),
    "one_year": (84, 90, 6),
    "two_year": (91, 98, 7),
    "bachelors": (112, 120, 8),
    "two_or_more": (119, 128, 9),
    "masters": (126, 135, 10),
    "doctoral": (140, 150, 10),
}
FIRST_LANGUAGE = {  # CLB: (with spouse, without spouse), per ability
    0: (0, 0),
    1: (0, 0),
    2: (0, 0),
    3: (0, 0),
    4: (6, 6),
    5: (6, 6),
    6: (8, 9),
    7: (16, 17),
    8: (22, 23),
    9: (29, 31),
    10: (32, 34),
    11: (32, 34),
    12: (32, 34),
}
SECOND_LANGUAGE = {0: 0, 3: 0, 4: 0, 5: 1, 6: 1, 7: 3, 8: 3, 9: 6, 10: 6, 12: 6}
SPOUSE_LANGUAGE = {0: 0, 4: 0, 5: 1, 6: 1, 7: 3, 8: 3, 9: 5, 10: 5, 12: 5}
CANADIAN_WORK = {0: (0, 0), 1: (35, 40), 2: (46, 53), 3: (56, 64), 4: (63, 72), 5: (70, 80), 6: (70, 80), 12: (70, 80)}
SPOUSE_WORK = {0: 0, 1: 5, 2: 7, 3: 8, 4: 9, 5: 10, 9: 10}


def _with_spouse(with_spouse: bool, **extra):
    if with_spouse:
        return make_profile(marital_status="married", spouse=SPOUSE, **extra)
    return make_profile(**extra)


@pytest.mark.parametrize("age", range(15, 50))
@pytest.mark.parametrize("with_spouse", [True, False])
def test_age_row(age, with_spouse):
    expected = AGE[min(max(age, 17), 45)][0 if with_spouse else 1]
    assert score(_with_spouse(with_spouse, age=age)).factor("age").points == expected


@pytest.mark.parametrize("level", EDUCATION)
@pytest.mark.parametrize("with_spouse", [True, False])
def test_education_row(level, with_spouse):
    result = score(_with_spouse(with_spouse, education=level))
    assert result.factor("education").points == EDUCATION[level][0 if with_spouse else 1]


@pytest.mark.parametrize("level", EDUCATION)
def test_spouse_education_row(level):
    spouse = dict(SPOUSE, education=level)
    result = score(make_profile(marital_status="married", spouse=spouse))
    assert result.factor("spouse_education").points == EDUCATION[level][2]


@pytest.mark.parametrize("level", FIRST_LANGUAGE)
@pytest.mark.parametrize("ability", ["listening", "reading", "writing", "speaking"])
@pytest.mark.parametrize("with_spouse", [True, False])
def test_first_language_per_ability(level, ability, with_spouse):
    levels = {"listening": 4, "reading": 4, "writing": 4, "speaking": 4, ability: level}
    result = score(_with_spouse(with_spouse, first_language=clb(**levels)))
    assert result.factor(f"first_language_{ability}").points == FIRST_LANGUAGE[level][0 if with_spouse else 1]


@pytest.mark.parametrize("level", SECOND_LANGUAGE)
@pytest.mark.parametrize("ability", ["listening", "reading", "writing", "speaking"])
@pytest.mark.parametrize("with_spouse", [True, False])
def test_second_language_per_ability(level, ability, with_spouse):
    levels = {"listening": 5, "reading": 5, "writing": 5, "speaking": 5, ability: level}
    result = score(_with_spouse(with_spouse, first_language=clb(9), second_language=nclc(*levels.values())))
    assert result.factor(f"second_language_{ability}").points == SECOND_LANGUAGE[level]


@pytest.mark.parametrize("level", SPOUSE_LANGUAGE)
def test_spouse_language_per_ability(level):
    spouse = dict(SPOUSE, language=clb(level))
    result = score(make_profile(marital_status="married", spouse=spouse))
    for ability in ("listening", "reading", "writing", "speaking"):
        assert result.factor(f"spouse_language_{ability}").points == SPOUSE_LANGUAGE[level]


@pytest.mark.parametrize("years", CANADIAN_WORK)
@pytest.mark.parametrize("with_spouse", [True, False])
def test_canadian_work_row(years, with_spouse):
    result = score(_with_spouse(with_spouse, canadian_work_years=years))
    assert result.factor("canadian_work").points == CANADIAN_WORK[years][0 if with_spouse else 1]


@pytest.mark.parametrize("years", SPOUSE_WORK)
def test_spouse_canadian_work_row(years):
    spouse = dict(SPOUSE, canadian_work_years=years)
    result = score(make_profile(marital_status="married", spouse=spouse))
    assert result.factor("spouse_canadian_work").points == SPOUSE_WORK[years]


# --- skill transferability ------------------------------------------------------------------
EDU_TIER = {
    "less_than_secondary": 0,
    "secondary": 0,
    "one_year": 1,
    "two_year": 1,
    "bachelors": 1,
    "two_or_more": 2,
    "masters": 2,
    "doctoral": 2,
}
# rows: education tier 0/1/2; columns: language tier (none, CLB7, CLB9) or Canadian work (0, 1, 2+)
COMBO = {0: (0, 0, 0), 1: (0, 13, 25), 2: (0, 25, 50)}
LANGUAGE_TIER = {6: 0, 7: 1, 8: 1, 9: 2, 10: 2}
CANADIAN_TIER = {0: 0, 1: 1, 2: 2, 3: 2}
FOREIGN_TIER = {0: 0, 1: 1, 2: 1, 3: 2, 5: 2}


@pytest.mark.parametrize("education", EDU_TIER)
@pytest.mark.parametrize("lowest", LANGUAGE_TIER)
@pytest.mark.parametrize("canadian", CANADIAN_TIER)
def test_education_group(education, lowest, canadian):
    lang = clb(10, lowest, 10, 10)  # the lowest ability decides the tier
    result = score(make_profile(education=education, first_language=lang, canadian_work_years=canadian))
    a = COMBO[EDU_TIER[education]][LANGUAGE_TIER[lowest]]
    b = COMBO[EDU_TIER[education]][CANADIAN_TIER[canadian]]
    assert result.factor("education_x_language").points == a
    assert result.factor("education_x_canadian_work").points == b
    group = sum(f.points for f in result.section("transferability").factors if f.key.startswith("education"))
    assert group == min(a + b, 50)


@pytest.mark.parametrize("foreign", FOREIGN_TIER)
@pytest.mark.parametrize("lowest", LANGUAGE_TIER)
@pytest.mark.parametrize("canadian", CANADIAN_TIER)
def test_foreign_work_group(foreign, lowest, canadian):
    lang = clb(lowest, 10, 10, 10)
    result = score(
        make_profile(
            education="secondary", first_language=lang, foreign_work_years=foreign, canadian_work_years=canadian
        )
    )
    c = COMBO[FOREIGN_TIER[foreign]][LANGUAGE_TIER[lowest]]
    d = COMBO[FOREIGN_TIER[foreign]][CANADIAN_TIER[canadian]]
    assert result.factor("foreign_work_x_language").points == c
    assert result.factor("foreign_work_x_canadian_work").points == d
    group = sum(f.points for f in result.section("transferability").factors if f.key.startswith("foreign_work"))
    assert group == min(c + d, 50)


@pytest.mark.parametrize(
    ("lowest", "with_coq", "without_coq"),
    [(3, 0, 0), (4, 0, 0), (5, 25, 0), (6, 25, 0), (7, 50, 0), (9, 50, 0), (10, 50, 0)],
)
def test_certificate_of_qualification_group(lowest, with_coq, without_coq):
    lang = clb(10, 10, 10, lowest)
    has = score(make_profile(first_language=lang, certificate_of_qualification=True))
    has_not = score(make_profile(first_language=lang))
    assert has.factor("certificate_x_language").points == with_coq
    assert has_not.factor("certificate_x_language").points == without_coq


def test_transferability_section_cap_is_100():
    # education group 50 + foreign group 50 + certificate 50 = 150, capped at 100
    result = score(
        make_profile(
            education="doctoral",
            first_language=clb(9),
            canadian_work_years=2,
            foreign_work_years=3,
            certificate_of_qualification=True,
        )
    )
    assert result.section("transferability").points == 100
    assert result.factor("transferability_cap").points == -50
