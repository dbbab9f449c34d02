"""The fixed answers the CRS knows, with the words a person reads for each."""

from __future__ import annotations

from typing import Literal

EducationLevel = Literal[
    "less_than_secondary",
    "secondary",
    "one_year",
    "two_year",
    "bachelors",
    "two_or_more",
    "masters",
    "doctoral",
]
EDUCATION_LEVELS: tuple[EducationLevel, ...] = (
    "less_than_secondary",
    "secondary",
    "one_year",
    "two_year",
    "bachelors",
    "two_or_more",
    "masters",
    "doctoral",
)
EDUCATION_LABELS: dict[str, str] = {
    "less_than_secondary": "Less than secondary school",
    "secondary": "Secondary diploma (high school)",
    "one_year": "One-year post-secondary credential",
    "two_year": "Two-year post-secondary program",
    "bachelors": "Bachelor's degree or a 3+ year program",
    "two_or_more": "Two or more credentials, one of 3+ years",
    "masters": "Master's or entry-to-practice professional degree",
    "doctoral": "Doctoral degree (PhD)",
}

MaritalStatus = Literal[
    "annulled_marriage",
    "common_law",
    "divorced_separated",
    "legally_separated",
    "married",
    "never_married",
    "widowed",
]
PARTNERED: frozenset[str] = frozenset({"married", "common_law"})

CanadianStudy = Literal["none", "one_or_two_years", "three_plus_years"]
CANADIAN_STUDY_LABELS: dict[str, str] = {
    "none": "No Canadian post-secondary credential",
    "one_or_two_years": "Canadian credential of one or two years",
    "three_plus_years": "Canadian credential of three years or more, or a master's/professional/doctoral degree",
}

ArrangedEmployment = Literal["none", "teer0_major_group_00", "other_teer_0_1_2_3"]
