"""Program eligibility: people who qualify, and people who narrowly do not, with the reason checked.

Rules: canada.ca FSW, FST and CEC pages (modified 2026-06-22), checked 2026-11-22.
"""

from __future__ import annotations

import pytest

from knowledge.programs.eligibility import assess
from tests.conftest import clb, make_profile, nclc

DAY = "2026-10-01"


def work(noc, start, end=None, in_canada=False, hours=30, **kw):
    return {"noc": noc, "in_canada": in_canada, "start": start, "end": end, "hours_per_week": hours, **kw}


def verdict(program, **fields):
    fields.setdefault("profile_date", DAY)
    report = assess(make_profile(**fields))
    return next(v for v in report.programs if v.program == program)


def failed(v):
    return {c.key: c.detail for c in v.checks if c.ok is False}


FSW_BASE = {
    "age": 30,
    "education": "bachelors",
    "education_proof": "eca",
    "first_language": clb(9),
    "settlement_funds": 20_000,
}

FSW_QUALIFY = [
    # 1 year continuous abroad; grid: language 24 + education 21 + experience 9 + age 12 = 66 ... + relative 5 = 71
    dict(FSW_BASE, relative_in_canada=True, work_periods=[work("21232", "2025-01-01", "2025-12-31")]),
    # 3 years abroad: 24 + 21 + 11 + 12 = 68
    dict(FSW_BASE, work_periods=[work("21232", "2022-01-01", "2024-12-31")]),
    # master's, CLB 8: 20 + 23 + 11 + 12 = 66, + job offer 10 + 5 = 81
    dict(
        FSW_BASE,
        education="masters",
        first_language=clb(8),
        job_offer={"noc": "21232"},
        work_periods=[work("21231", "2022-06-01", "2024-12-31")],
    ),
    # part-time 15 h/week for 2 continuous years = 1 year full-time
    dict(FSW_BASE, relative_in_canada=True, work_periods=[work("41200", "2024-01-01", "2025-12-31", hours=15)]),
    # authorized with a valid job offer: no funds needed
    dict(
        FSW_BASE,
        settlement_funds=0,
        authorized_to_work_in_canada=True,
        job_offer={"noc": "21232"},
        work_periods=[work("21232", "2023-01-01", "2024-06-30", in_canada=True)],
    ),
]
FSW_NARROW = [
    (dict(FSW_BASE, work_periods=[work("21232", "2025-01-01", "2025-11-30")]), "work", "1 year (1,560 hours)"),
    (
        dict(FSW_BASE, first_language=clb(9, 9, 6, 9), work_periods=[work("21232", "2022-01-01", "2024-12-31")]),
        "language",
        "you need CLB 7 in writing; you have CLB 6",
    ),
    (
        dict(FSW_BASE, education_proof="none", work_periods=[work("21232", "2022-01-01", "2024-12-31")]),
        "education",
        "Educational Credential Assessment",
    ),
    # 24 + 21 + 9 + 12 = 66: one point short
    (dict(FSW_BASE, work_periods=[work("21232", "2025-01-01", "2025-12-31")]), "grid", "66 of the 67 points"),
    (
        dict(FSW_BASE, settlement_funds=15_262, work_periods=[work("21232", "2022-01-01", "2024-12-31")]),
        "funds",
        "$1 short",
    ),
    # two jobs in different occupations with a gap: neither reaches 1 continuous year
    (
        dict(
            FSW_BASE,
            work_periods=[work("21232", "2024-01-01", "2024-07-31"), work("21231", "2024-09-01", "2025-03-31")],
        ),
        "work",
        "continuous",
    ),
]


@pytest.mark.parametrize("fields", FSW_QUALIFY)
def test_fsw_qualifies(fields):
    v = verdict("fsw", **fields)
    assert v.status == "eligible", failed(v)


@pytest.mark.parametrize(("fields", "key", "reason"), FSW_NARROW)
def test_fsw_narrowly_not(fields, key, reason):
    v = verdict("fsw", **fields)
    assert v.status == "not_eligible"
    assert reason in failed(v)[key]


def test_fsw_grid_gap_names_what_would_close_it():
    v = verdict("fsw", **FSW_NARROW[3][0])
    assert "+1 needed" in failed(v)["grid"] and "job offer" in failed(v)["grid"]


FST_BASE = {
    "age": 35,
    "education": "secondary",
    "first_language": clb(5, 4, 4, 5),
    "settlement_funds": 20_000,
    "certificate_of_qualification": True,
}
FST_QUALIFY = [
    dict(FST_BASE, work_periods=[work("72310", "2023-01-01", "2025-12-31")]),  # carpenter
    dict(FST_BASE, work_periods=[work("63200", "2024-01-01", "2026-01-31")]),  # cook: minor group 6320
    dict(FST_BASE, work_periods=[work("62200", "2022-01-01", "2024-12-31")]),  # chef: unit group 62200
    dict(
        FST_BASE,
        certificate_of_qualification=False,
        job_offer={"noc": "72200"},
        work_periods=[work("72200", "2022-01-01", "2024-12-31")],
    ),  # electrician with an offer
    dict(FST_BASE, first_language=nclc(5, 4, 4, 5), work_periods=[work("93100", "2023-01-01", "2025-12-31")]),
]
FST_NARROW = [
    (dict(FST_BASE, work_periods=[work("72310", "2024-01-01", "2025-12-15")]), "work", "3,120 hours"),
    (
        dict(FST_BASE, work_periods=[work("72600", "2022-01-01", "2025-12-31")]),
        "work",
        "eligible skilled trade",
    ),  # pilots: 726
    (dict(FST_BASE, work_periods=[work("93200", "2022-01-01", "2025-12-31")]), "work", "eligible skilled trade"),  # 932
    (
        dict(FST_BASE, first_language=clb(4, 4, 4, 5), work_periods=[work("72310", "2023-01-01", "2025-12-31")]),
        "language",
        "you need CLB 5 in listening; you have CLB 4",
    ),
    (
        dict(FST_BASE, certificate_of_qualification=False, work_periods=[work("72310", "2023-01-01", "2025-12-31")]),
        "offer_or_certificate",
        "certificate of qualification",
    ),
    (dict(FST_BASE, work_periods=[work("72310", "2019-01-01", "2021-06-30")]), "work", "last 5 years"),
]


@pytest.mark.parametrize("fields", FST_QUALIFY)
def test_fst_qualifies(fields):
    v = verdict("fst", **fields)
    assert v.status == "eligible", failed(v)


@pytest.mark.parametrize(("fields", "key", "reason"), FST_NARROW)
def test_fst_narrowly_not(fields, key, reason):
    v = verdict("fst", **fields)
    assert v.status == "not_eligible"
    assert reason in failed(v)[key]


CEC_BASE = {"age": 27, "education": "bachelors", "first_language": clb(7)}
CEC_QUALIFY = [
    dict(CEC_BASE, work_periods=[work("21232", "2025-01-01", "2025-12-31", in_canada=True)]),
    dict(CEC_BASE, first_language=clb(5), work_periods=[work("72310", "2025-01-01", "2025-12-31", in_canada=True)]),
    dict(CEC_BASE, work_periods=[work("11100", "2023-10-01", "2025-09-30", in_canada=True, hours=15)]),
    dict(CEC_BASE, first_language=nclc(7), work_periods=[work("41200", "2024-06-01", None, in_canada=True)]),
    dict(
        CEC_BASE,
        work_periods=[
            work("21232", "2024-01-01", "2024-06-30", in_canada=True),
            work("21231", "2024-07-01", "2024-12-31", in_canada=True),
        ],
    ),  # two jobs add up
]
CEC_NARROW = [
    (dict(CEC_BASE, work_periods=[work("21232", "2025-01-01", "2025-11-30", in_canada=True)]), "work", "1,560 hours"),
    (
        dict(CEC_BASE, work_periods=[work("21232", "2024-01-01", "2025-12-31", in_canada=True, self_employed=True)]),
        "work",
        "self-employment",
    ),
    (
        dict(
            CEC_BASE, work_periods=[work("21232", "2024-01-01", "2025-12-31", in_canada=True, full_time_student=True)]
        ),
        "work",
        "work while a full-time student",
    ),
    (
        dict(CEC_BASE, first_language=clb(6), work_periods=[work("21232", "2025-01-01", "2025-12-31", in_canada=True)]),
        "language",
        "TEER 0 or 1 experience needs CLB 7",
    ),
    (
        dict(
            CEC_BASE,
            first_language=clb(5, 5, 4, 5),
            work_periods=[work("72310", "2025-01-01", "2025-12-31", in_canada=True)],
        ),
        "language",
        "you need CLB 5 in writing; you have CLB 4",
    ),
    (dict(CEC_BASE, work_periods=[work("21232", "2022-01-01", "2023-09-01", in_canada=True)]), "work", "last 3 years"),
    (dict(CEC_BASE, work_periods=[work("21232", "2024-01-01", "2025-12-31")]), "work", "you have 0 hours"),  # abroad
]


@pytest.mark.parametrize("fields", CEC_QUALIFY)
def test_cec_qualifies(fields):
    v = verdict("cec", **fields)
    assert v.status == "eligible", failed(v)


@pytest.mark.parametrize(("fields", "key", "reason"), CEC_NARROW)
def test_cec_narrowly_not(fields, key, reason):
    v = verdict("cec", **fields)
    assert v.status == "not_eligible"
    assert reason in failed(v)[key]


def test_expired_language_result_does_not_qualify():
    v = verdict(
        "cec",
        **dict(
            CEC_BASE,
            first_language=dict(clb(7.0, test="ielts"), test_date="2024-09-30"),
            work_periods=[work("21232", "2025-01-01", "2025-12-31", in_canada=True)],
        ),
    )
    assert "more than 2 years old" in failed(v)["language"]


def test_unknown_answers_give_possibly_eligible_not_a_verdict():
    v = verdict(
        "fsw",
        **dict(
            FSW_BASE,
            education_proof=None,
            settlement_funds=None,
            work_periods=[work("21232", "2022-01-01", "2024-12-31")],
        ),
    )
    assert v.status == "unknown"
    assert {c.key for c in v.checks if c.ok is None} == {"education", "funds"}
