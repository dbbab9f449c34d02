"""Worked examples, each computed by hand from the official CRS grid (canada.ca CRS criteria,
page modified 2026-06-22; the 2024 archived grid for dates before 2025-03-25), checked 2026-11-22.

Each case gives the arithmetic per section: core, spouse, transferability, additional = total.
Transferability groups: education (edu x lang + edu x Canadian work, cap 50), foreign work
(foreign x lang + foreign x Canadian work, cap 50), certificate of qualification (cap 50).
"""

from __future__ import annotations

import pytest

from knowledge.crs.scoring import score
from tests.conftest import clb, make_profile, nclc

SPOUSE = {"canadian_citizen_or_pr": False, "accompanying": True}
A = {
    "profile_date": "2026-10-01",
    "age": 29,
    "education": "bachelors",
    "first_language": clb(9),
    "foreign_work_years": 3,
}

EXAMPLES = [
    # 1. core 110 + 120 + 4x31 = 354; transf. 25 (one credential, CLB 9) + 50 (3y foreign, CLB 9)
    ("single bachelor's CLB 9, 3 years abroad", A, (354, 0, 75, 0), 429),
    # 2. core 80 + 126 + 4x32 + 35 = 369; spouse 8 + 4x3 + 0 = 20;
    #    education group min(50 + 25, 50) = 50; foreign group 25 + 13 = 38; transf. 88
    (
        "couple, master's CLB 10, 1y Canada, 1y abroad",
        {
            "profile_date": "2026-10-01",
            "age": 33,
            "marital_status": "married",
            "education": "masters",
            "first_language": clb(10),
            "canadian_work_years": 1,
            "foreign_work_years": 1,
            "spouse": dict(SPOUSE, education="bachelors", language=clb(7)),
        },
        (369, 20, 88, 0),
        477,
    ),
    # 3. example 1 + 50 for a job offer (TEER 1-3) the day before job-offer points ended
    (
        "job offer on 2025-03-24",
        dict(A, profile_date="2025-03-24", arranged_employment="other_teer_0_1_2_3"),
        (354, 0, 75, 50),
        479,
    ),
    # 4. the same job offer from 2025-03-25 earns nothing
    (
        "job offer on 2025-03-25",
        dict(A, profile_date="2025-03-25", arranged_employment="other_teer_0_1_2_3"),
        (354, 0, 75, 0),
        429,
    ),
    # 5. example 1 + French NCLC 7 x4 as second language: core +4x3 = 366; French bonus 50 (English CLB 9)
    ("plus French NCLC 7", dict(A, second_language=nclc(7)), (366, 0, 75, 50), 491),
    # 6. example 5 + nomination 600 + sibling 15 + Canadian 3-year credential 30 + French 50 = 695 -> 600
    (
        "nomination caps additional at 600",
        dict(
            A,
            second_language=nclc(7),
            provincial_nomination=True,
            sibling_in_canada=True,
            canadian_study="three_plus_years",
        ),
        (366, 0, 75, 600),
        1041,
    ),
    # 7. lone bachelor's, 30: core 105 + 120 + 124 = 349; transf. 25 (lower tier at CLB 9)
    (
        "lone bachelor's, no work",
        {"profile_date": "2026-10-01", "age": 30, "education": "bachelors", "first_language": clb(9)},
        (349, 0, 25, 0),
        374,
    ),
    # 8. IELTS 8.5/8.0/7.5/7.5 = CLB 10 x4: core 110 + 135 + 4x34 = 381; transf. 50 (master's, CLB 9+)
    (
        "master's with IELTS at CLB 10",
        {
            "profile_date": "2026-10-01",
            "age": 27,
            "education": "masters",
            "first_language": clb(8.5, 8.0, 7.5, 7.5, test="ielts"),
        },
        (381, 0, 50, 0),
        431,
    ),
    # 9. spouse is a Canadian citizen: single columns. core 99 + 120 + 4x23 + 53 = 364;
    #    transf. 13 (one credential, CLB 7 tier) + 25 (one credential, 2y Canada) = 38
    (
        "spouse is a Canadian citizen",
        {
            "profile_date": "2026-10-01",
            "age": 31,
            "education": "bachelors",
            "marital_status": "married",
            "first_language": clb(8),
            "canadian_work_years": 2,
            "spouse": {"canadian_citizen_or_pr": True, "education": "doctoral"},
        },
        (364, 0, 38, 0),
        402,
    ),
    # 10. spouse not coming: single columns. core 77 + 128 + 4x17 = 273;
    #     transf. 25 (two credentials, CLB 7 tier) + 25 (3y+ foreign, CLB 7 tier) = 50
    (
        "spouse not coming",
        {
            "profile_date": "2026-10-01",
            "age": 35,
            "education": "two_or_more",
            "marital_status": "common_law",
            "first_language": clb(7),
            "foreign_work_years": 5,
            "spouse": {"accompanying": False},
        },
        (273, 0, 50, 0),
        323,
    ),
    # 11. core 100 + 112 + 4x29 + 56 = 384; spouse 2 + 0 + 5 = 7; transf. 25 + 25 = 50 (at the cap)
    (
        "couple, 3 years in Canada",
        {
            "profile_date": "2026-10-01",
            "age": 28,
            "education": "bachelors",
            "marital_status": "married",
            "first_language": clb(9),
            "canadian_work_years": 3,
            "spouse": dict(SPOUSE, education="secondary", canadian_work_years=1),
        },
        (384, 7, 50, 0),
        441,
    ),
    # 12. trades, CLB 5: core 61 + 30 + 4x6 + 53 = 168; transf. education 0 (secondary);
    #     foreign x language 0 (below CLB 7); foreign 3y+ x Canada 2y+ = 50; certificate at CLB 5 = 25
    (
        "tradesperson with a certificate at CLB 5",
        {
            "profile_date": "2026-10-01",
            "age": 38,
            "education": "secondary",
            "first_language": clb(5),
            "canadian_work_years": 2,
            "foreign_work_years": 4,
            "certificate_of_qualification": True,
        },
        (168, 0, 75, 0),
        243,
    ),
    # 13. core 50 + 90 + 4x17 = 208; transf. 13 (one credential, CLB 7) + 13 (2y foreign, CLB 7) + 50 (CoQ, CLB 7)
    (
        "certificate at CLB 7",
        {
            "profile_date": "2026-10-01",
            "age": 40,
            "education": "one_year",
            "first_language": clb(7),
            "foreign_work_years": 2,
            "certificate_of_qualification": True,
        },
        (208, 0, 76, 0),
        284,
    ),
    # 14. French first, no English: core 110 + 120 + 4x31 = 354; transf. 25; French bonus 25 (no English test)
    (
        "French only",
        {"profile_date": "2026-10-01", "age": 26, "education": "bachelors", "first_language": nclc(9)},
        (354, 0, 25, 25),
        404,
    ),
    # 15. French first, English CLB 5 x4 second: core 354 + 4x1 = 358; transf. 25; French bonus 50
    (
        "French first, English CLB 5",
        {
            "profile_date": "2026-10-01",
            "age": 26,
            "education": "bachelors",
            "first_language": nclc(9),
            "second_language": clb(5),
        },
        (358, 0, 25, 50),
        433,
    ),
    # 16. English 9/9/9/4 first, French NCLC 7 second: core 110 + 120 + (3x31 + 6) + 4x3 = 341;
    #     transf. 0 (lowest English ability CLB 4); French bonus 25 (English not CLB 5+ in all four)
    (
        "mixed English, French bonus 25",
        {
            "profile_date": "2026-10-01",
            "age": 26,
            "education": "bachelors",
            "first_language": clb(9, 9, 9, 4),
            "second_language": nclc(7),
        },
        (341, 0, 0, 25),
        366,
    ),
    # 17. French 7/7/7/6: no bonus. core 354 + (3+3+3+1) = 364; transf. 25
    (
        "French NCLC 6 in one ability",
        {
            "profile_date": "2026-10-01",
            "age": 29,
            "education": "bachelors",
            "first_language": clb(9),
            "second_language": nclc(7, 7, 7, 6),
        },
        (364, 0, 25, 0),
        389,
    ),
    # 18. with spouse, second language 4x6 = 24 capped at 22: core 100 + 112 + 4x29 + 22 = 350;
    #     spouse 0; transf. 25; French bonus 50
    (
        "second-language cap with spouse",
        {
            "profile_date": "2026-10-01",
            "age": 29,
            "education": "bachelors",
            "marital_status": "married",
            "spouse": SPOUSE,
            "first_language": clb(9),
            "second_language": nclc(9),
        },
        (350, 0, 25, 50),
        425,
    ),
    # 19. single, second language 4x6 = 24 (its cap): core 110 + 120 + 124 + 24 = 378; transf. 25; French 50
    (
        "second-language cap single",
        {
            "profile_date": "2026-10-01",
            "age": 29,
            "education": "bachelors",
            "first_language": clb(9),
            "second_language": nclc(9),
        },
        (378, 0, 25, 50),
        453,
    ),
    # 20. 47 years old: age 0. core 0 + 150 + 136 + 80 = 366; transf. min(50 + 50, 50) = 50
    (
        "aged 47, PhD, 6 years in Canada",
        {
            "profile_date": "2026-10-01",
            "age": 47,
            "education": "doctoral",
            "first_language": clb(10),
            "canadian_work_years": 6,
        },
        (366, 0, 50, 0),
        416,
    ),
    # 21. aged 17: core 0 + 30 + 4x9 = 66
    (
        "aged 17",
        {"profile_date": "2026-10-01", "age": 17, "education": "secondary", "first_language": clb(6)},
        (66, 0, 0, 0),
        66,
    ),
    # 22. before 2025-03-25, a TEER 0 major group 00 offer earned 200: 429 + 200
    (
        "senior manager job offer in 2024",
        dict(A, profile_date="2024-06-01", arranged_employment="teer0_major_group_00"),
        (354, 0, 75, 200),
        629,
    ),
    # 23. everything: core 65 + 126 + 4x32 + min(24, 22) + 56 = 397; spouse 10 + 4x5 + 10 = 40;
    #     transf. min(50+50,50) + min(50+50,50) = 100; additional 600 + 15 + 50 + 30 = 695 -> 600
    (
        "near the ceiling",
        {
            "profile_date": "2026-10-01",
            "age": 36,
            "education": "masters",
            "marital_status": "married",
            "first_language": clb(10),
            "second_language": nclc(9),
            "canadian_work_years": 3,
            "foreign_work_years": 3,
            "provincial_nomination": True,
            "sibling_in_canada": True,
            "canadian_study": "three_plus_years",
            "spouse": dict(SPOUSE, education="masters", language=clb(9), canadian_work_years=5),
        },
        (397, 40, 100, 600),
        1137,
    ),
    # 24. core 110 + 98 + 4x23 + 40 = 340; transf. 13 + 13 = 26; Canadian 2-year study 15
    (
        "two-year Canadian diploma",
        {
            "profile_date": "2026-10-01",
            "age": 24,
            "education": "two_year",
            "first_language": clb(8),
            "canadian_work_years": 1,
            "canadian_study": "one_or_two_years",
        },
        (340, 0, 26, 15),
        381,
    ),
    # 25. IELTS 7.5/6.5/6.5/7.0 = CLB 8/8/8/9: core 94 + 120 + (23+23+23+31) = 314;
    #     transf. 13 (CLB 7 tier) + 13 (2y foreign, CLB 7 tier) = 26
    (
        "IELTS mixed bands",
        {
            "profile_date": "2026-10-01",
            "age": 32,
            "education": "bachelors",
            "first_language": clb(7.5, 6.5, 6.5, 7.0, test="ielts"),
            "foreign_work_years": 2,
        },
        (314, 0, 26, 0),
        340,
    ),
    # 26. CELPIP 9/9/10/12 = CLB 9/9/10/10: core 110 + 135 + (31+31+34+34) = 375; transf. 50
    (
        "CELPIP",
        {
            "profile_date": "2026-10-01",
            "age": 29,
            "education": "masters",
            "first_language": clb(9, 9, 10, 12, test="celpip"),
        },
        (375, 0, 50, 0),
        425,
    ),
    # 27. PTE Core 82/78/88/84 = CLB 9 x4: core 105 + 120 + 124 = 349; transf. 25
    (
        "PTE Core",
        {
            "profile_date": "2026-10-01",
            "age": 30,
            "education": "bachelors",
            "first_language": dict(clb(82, 78, 88, 84, test="pte_core"), test_date="2025-09-01"),
        },
        (349, 0, 25, 0),
        374,
    ),
    # 28. TEF Canada 0-699 (2025 test) 546/503/512/518 = NCLC 10/9/9/9: core 110 + 120 + (34+31+31+31) = 357;
    #     transf. 25 (lowest NCLC 9); French bonus 25 (no English test)
    (
        "TEF Canada 699 scale",
        {
            "profile_date": "2026-10-01",
            "age": 29,
            "education": "bachelors",
            "first_language": dict(clb(546, 503, 512, 518, test="tef_canada"), test_date="2025-06-01"),
        },
        (357, 0, 25, 25),
        407,
    ),
    # 29. born 1996-10-01, profile 2026-10-01: 30 today, age 105: core 105 + 120 + 124 = 349; transf. 75
    (
        "birthday on the profile date",
        dict({k: v for k, v in A.items() if k != "age"}, date_of_birth="1996-10-01"),
        (349, 0, 75, 0),
        424,
    ),
    # 30. born 1996-10-02: still 29 -> example 1
    (
        "birthday the day after",
        dict({k: v for k, v in A.items() if k != "age"}, date_of_birth="1996-10-02"),
        (354, 0, 75, 0),
        429,
    ),
]


@pytest.mark.parametrize(("name", "fields", "sections", "total"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example(name, fields, sections, total):
    result = score(make_profile(**fields))
    got = tuple(result.section(k).points for k in ("core", "spouse", "transferability", "additional"))
    assert got == sections
    assert result.total == total


def test_there_are_at_least_twenty_worked_examples():
    assert len(EXAMPLES) >= 20
