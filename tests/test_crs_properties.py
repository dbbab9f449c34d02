"""Invariants of the CRS engine, over many generated profiles (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.crs.scoring import score
from knowledge.profile import Profile
from knowledge.vocabulary import EDUCATION_LEVELS

levels = st.integers(min_value=0, max_value=12)
language = st.builds(
    lambda test, a, b, c, d: {"test": test, "listening": a, "reading": b, "writing": c, "speaking": d},
    st.sampled_from(["clb", "nclc"]),
    levels,
    levels,
    levels,
    levels,
)
years = st.floats(min_value=0, max_value=15, allow_nan=False)
education = st.sampled_from(EDUCATION_LEVELS)
days = st.integers(min_value=0, max_value=(date(2027, 12, 31) - date(2020, 10, 27)).days).map(
    lambda n: date(2020, 10, 27) + timedelta(days=n)
)


@st.composite
def profiles(draw):
    edu = draw(education)
    first = draw(st.none() | language)
    second = None
    if first is not None and draw(st.booleans()):
        other = "nclc" if first["test"] == "clb" else "clb"
        second = dict(draw(language), test=other)
    partnered = draw(st.booleans())
    level = EDUCATION_LEVELS.index(edu)
    study_options = (
        ["none"] + (["one_or_two_years"] if level >= 2 else []) + (["three_plus_years"] if level >= 4 else [])
    )
    data = {
        "profile_date": draw(days),
        "age": draw(st.integers(min_value=16, max_value=60)),
        "education": edu,
        "first_language": first,
        "second_language": second,
        "canadian_work_years": draw(years),
        "foreign_work_years": draw(years),
        "certificate_of_qualification": draw(st.booleans()),
        "provincial_nomination": draw(st.booleans()),
        "sibling_in_canada": draw(st.booleans()),
        "canadian_study": draw(st.sampled_from(study_options)),
        "arranged_employment": draw(st.sampled_from(["none", "teer0_major_group_00", "other_teer_0_1_2_3"])),
    }
    if partnered:
        data["marital_status"] = draw(st.sampled_from(["married", "common_law"]))
        data["spouse"] = {
            "canadian_citizen_or_pr": draw(st.booleans()),
            "accompanying": draw(st.booleans()),
            "education": draw(education),
            "language": draw(st.none() | language.map(lambda d: dict(d, test="clb"))),
            "canadian_work_years": draw(years),
        }
    return Profile.model_validate(data)


@settings(max_examples=400, deadline=None)
@given(profiles())
def test_caps_are_never_exceeded(profile):
    result = score(profile)
    caps = {
        "core": 460 if result.scored_as == "with_spouse" else 500,
        "spouse": 40,
        "transferability": 100,
        "additional": 600,
    }
    for section in result.sections:
        assert 0 <= section.points <= caps[section.key]
    groups = {}
    for f in result.section("transferability").factors:
        group = f.key.split("_x_")[0] if "_x_" in f.key else f.key.removesuffix("_group_cap")
        groups[group] = groups.get(group, 0) + f.points
    assert all(v <= 50 for k, v in groups.items() if k != "transferability_cap")
    assert 0 <= result.total <= 1200


@settings(max_examples=400, deadline=None)
@given(profiles())
def test_breakdown_sums_to_total(profile):
    result = score(profile)
    for section, fast in zip(result.sections, result.section_points, strict=True):
        assert sum(f.points for f in section.factors) == section.points == fast
    assert sum(s.points for s in result.sections) == result.total


@settings(max_examples=300, deadline=None)
@given(
    profiles(),
    st.sampled_from(["listening", "reading", "writing", "speaking"]),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["first_language", "second_language"]),
)
def test_better_language_never_lowers_the_score(profile, ability, gain, which):
    result = getattr(profile, which)
    if result is None:
        return
    raised = dict(result.model_dump(), **{ability: min(getattr(result, ability) + gain, 12)})
    better = Profile.model_validate(dict(profile.model_dump(), **{which: raised}))
    assert score(better).total >= score(profile).total


@settings(max_examples=200, deadline=None)
@given(profiles(), st.integers(min_value=1, max_value=3))
def test_more_canadian_work_never_lowers_the_score(profile, extra):
    more = Profile.model_validate(dict(profile.model_dump(), canadian_work_years=profile.canadian_work_years + extra))
    assert score(more).total >= score(profile).total
