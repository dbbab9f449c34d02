"""The FSW 67-point selection grid, row by row (canada.ca FSW page, modified 2026-06-22, checked 2026-11-22).

Expected points are transcribed here from the official tables, independently of the data file.
"""

from __future__ import annotations

import pytest

from knowledge.programs.federal import default_program_rules
from tests.conftest import clb, make_profile, nclc

AGE = {
    17: 0,
    18: 12,
    25: 12,
    35: 12,
    36: 11,
    37: 10,
    38: 9,
    39: 8,
    40: 7,
    41: 6,
    42: 5,
    43: 4,
    44: 3,
    45: 2,
    46: 1,
    47: 0,
    55: 0,
}
EDUCATION = {
    "less_than_secondary": 0,
    "secondary": 5,
    "one_year": 15,
    "two_year": 19,
    "bachelors": 21,
    "two_or_more": 22,
    "masters": 23,
    "doctoral": 25,
}
EXPERIENCE = {0: 0, 1: 9, 2: 11, 3: 11, 4: 13, 5: 13, 6: 15, 9: 15}
FIRST_PER_ABILITY = {7: 4, 8: 5, 9: 6, 10: 6, 12: 6}


def grid(**fields):
    return {line.key: line.points for line in default_program_rules().fsw_grid(make_profile(**fields)).lines}


@pytest.mark.parametrize("age", AGE)
def test_age_rows(age):
    assert grid(age=age)["age"] == AGE[age]


@pytest.mark.parametrize("level", EDUCATION)
def test_education_rows(level):
    assert grid(education=level, education_proof="eca")["education"] == EDUCATION[level]


def test_foreign_education_without_eca_earns_nothing():
    assert grid(education="masters", education_proof="none")["education"] == 0


@pytest.mark.parametrize("years", EXPERIENCE)
def test_experience_rows(years):
    assert grid(foreign_work_years=years)["experience"] == EXPERIENCE[years]


@pytest.mark.parametrize("level", FIRST_PER_ABILITY)
def test_first_language_per_ability(level):
    assert grid(first_language=clb(level, 9, 9, 9))["language"] == FIRST_PER_ABILITY[level] + 3 * 6


def test_first_language_below_clb7_scores_nothing():
    assert grid(first_language=clb(9, 9, 9, 6))["language"] == 0


@pytest.mark.parametrize(("second", "points"), [(nclc(5), 4), (nclc(9), 4), (nclc(5, 5, 5, 4), 0)])
def test_second_language(second, points):
    assert grid(first_language=clb(7), second_language=second)["language"] == 16 + points


def test_arranged_employment_still_counts_in_the_grid_after_2025():
    fields = {"profile_date": "2026-10-01", "job_offer": {"noc": "21232"}}
    assert grid(**fields)["arranged_employment"] == 10
    assert grid(**fields)["adaptability"] == 5
    assert grid(job_offer={"noc": "21232", "lmia_or_exempt": False})["arranged_employment"] == 0
    assert grid(job_offer={"noc": "65100"})["arranged_employment"] == 0  # TEER 5


@pytest.mark.parametrize(
    ("fields", "points"),
    [
        ({"relative_in_canada": True}, 5),
        ({"sibling_in_canada": True}, 5),
        ({"canadian_study_two_years": True}, 5),
        ({"canadian_work_years": 1}, 10),
        ({"marital_status": "married", "spouse": {"language": clb(4)}}, 5),
        ({"marital_status": "married", "spouse": {"language": clb(3)}}, 0),
        ({"marital_status": "married", "spouse": {"canadian_work_years": 1}}, 5),
        ({"marital_status": "married", "spouse": {"canadian_study_two_years": True}}, 5),
        ({"canadian_work_years": 1, "relative_in_canada": True, "canadian_study_two_years": True}, 10),  # cap 10
    ],
)
def test_adaptability_items_and_cap(fields, points):
    assert grid(**fields)["adaptability"] == points


def test_the_grid_total_adds_its_lines():
    result = default_program_rules().fsw_grid(
        make_profile(age=30, education="bachelors", education_proof="eca", first_language=clb(9), foreign_work_years=3)
    )
    # language 24 + education 21 + experience 11 + age 12 + offer 0 + adaptability 0 = 68
    assert result.total == 68


@pytest.mark.parametrize(("accompanying", "hinted"), [(True, True), (False, False)])
def test_the_partners_language_hint_is_given_only_for_a_partner_who_comes(accompanying, hinted):
    profile = make_profile(marital_status="married", spouse={"accompanying": accompanying, "education": "bachelors"})
    said = [str(g) for g in default_program_rules().fsw_grid(profile).gains]
    assert any("spouse" in g or "partner" in g for g in said) is hinted, said
