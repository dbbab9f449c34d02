"""The rules public calculators get wrong, each with its own test (official grid, checked 2026-11-22)."""

from __future__ import annotations

import pytest

from knowledge.crs.scoring import score
from tests.conftest import clb, make_profile, nclc


@pytest.mark.parametrize(
    ("education", "clb7_tier", "clb9_tier"),
    [
        ("bachelors", 13, 25),  # a lone bachelor's degree is the lower tier
        ("two_year", 13, 25),
        ("one_year", 13, 25),
        ("two_or_more", 25, 50),  # only two or more credentials, a master's or a PhD reach 25/50
        ("masters", 25, 50),
        ("doctoral", 25, 50),
    ],
)
def test_education_transferability_tiers(education, clb7_tier, clb9_tier):
    at7 = score(make_profile(education=education, first_language=clb(7)))
    at9 = score(make_profile(education=education, first_language=clb(9)))
    assert at7.factor("education_x_language").points == clb7_tier
    assert at9.factor("education_x_language").points == clb9_tier


def test_less_than_clb4_scores_zero_and_clb4_or_5_score_six():
    result = score(make_profile(first_language=clb(3, 4, 5, 6)))
    assert [result.factor(f"first_language_{a}").points for a in ("listening", "reading", "writing", "speaking")] == [
        0,
        6,
        6,
        9,
    ]


@pytest.mark.parametrize(("married", "cap"), [(True, 22), (False, 24)])
def test_second_language_cap(married, cap):
    extra = {"marital_status": "married", "spouse": {}} if married else {}
    result = score(make_profile(first_language=clb(9), second_language=nclc(10), **extra))
    second = sum(f.points for f in result.section("core").factors if f.key.startswith("second_language"))
    assert second == cap


@pytest.mark.parametrize(
    ("english", "bonus"),
    [
        (clb(5), 50),  # CLB 5+ in all four English abilities
        (clb(10), 50),
        (clb(5, 5, 5, 4), 25),  # one English ability at CLB 4
        (clb(4), 25),
        (None, 25),  # no English test
    ],
)
def test_french_bonus(english, bonus):
    fields = {"first_language": nclc(7)}
    if english is not None:
        fields["second_language"] = english
    assert score(make_profile(**fields)).factor("french_bonus").points == bonus


def test_french_bonus_is_not_reversed_when_french_is_second():
    result = score(make_profile(first_language=clb(9), second_language=nclc(7)))
    assert result.factor("french_bonus").points == 50


def test_no_french_bonus_below_nclc7_in_any_ability():
    result = score(make_profile(first_language=clb(9), second_language=nclc(9, 9, 9, 6)))
    assert result.factor("french_bonus").points == 0


@pytest.mark.parametrize(
    "spouse",
    [
        {"canadian_citizen_or_pr": True},
        {"accompanying": False},
        {"canadian_citizen_or_pr": True, "accompanying": False},
    ],
)
def test_partner_who_is_canadian_or_not_coming_scores_as_single(spouse):
    married = score(
        make_profile(
            marital_status="married", first_language=clb(9), spouse=dict(spouse, education="doctoral", language=clb(10))
        )
    )
    single = score(make_profile(first_language=clb(9)))
    assert married.scored_as == "single"
    assert married.total == single.total
    assert married.section("spouse").points == 0


def test_accompanying_partner_uses_the_with_spouse_columns():
    result = score(make_profile(marital_status="married", spouse={}, first_language=clb(9)))
    assert result.scored_as == "with_spouse"
    assert result.factor("age").points == 100  # 110 when single


def test_additional_points_cap_600():
    result = score(
        make_profile(first_language=clb(9), second_language=nclc(7), provincial_nomination=True, sibling_in_canada=True)
    )
    additional = result.section("additional")
    assert additional.points == 600  # 600 + 15 + 50 = 665 -> 600
    assert result.factor("additional_cap").points == -65


def test_arranged_employment_stopped_counting_on_2025_03_25():
    before = score(make_profile(profile_date="2025-03-24", arranged_employment="teer0_major_group_00"))
    after = score(make_profile(profile_date="2025-03-25", arranged_employment="teer0_major_group_00"))
    assert before.factor("arranged_employment").points == 200
    assert after.factor("arranged_employment").points == 0
    assert before.rule_set != after.rule_set


def test_profiles_from_2026_11_03_carry_the_unconfirmed_change_caveat():
    before = score(make_profile(profile_date="2026-11-02"))
    after = score(make_profile(profile_date="2026-11-03"))
    assert before.caveats == ()
    assert any("2026-11-03" in c for c in after.caveats)
    assert after.rule_set == before.rule_set == "crs-2025-03-25"


def test_partial_years_of_work_round_down():
    result = score(make_profile(canadian_work_years=1.9))
    assert result.factor("canadian_work").points == 40
    assert "only whole years count" in result.factor("canadian_work").detail


def test_expired_language_result_is_flagged():
    result = score(
        make_profile(profile_date="2026-10-01", first_language=dict(clb(7.0, test="ielts"), test_date="2024-10-01"))
    )
    assert any("no longer valid" in c for c in result.caveats)


def test_dates_before_the_first_rule_set_are_refused():
    with pytest.raises(LookupError, match="2020-10-27"):
        score(make_profile(profile_date="2019-01-01"))
