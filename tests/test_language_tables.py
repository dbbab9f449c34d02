"""Every language test's band boundaries, on both sides, and its scale limits.

Minimum scores per level, transcribed from canada.ca "Express Entry: Language test results"
(page modified 2026-06-22) and, for TEF Canada's 0-699 scale, the PGWP "language results" page;
checked 2026-11-22. A score one step below a level's minimum belongs to the level below.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.language import LanguageScoreError, LanguageTest, convert, default_language_tables

ABILITIES = ("listening", "reading", "writing", "speaking")
# test -> (step, {level: (listening, reading, writing, speaking) minimums})
MINIMUMS = {
    "ielts": (
        0.5,
        {
            4: (4.5, 3.5, 4.0, 4.0),
            5: (5.0, 4.0, 5.0, 5.0),
            6: (5.5, 5.0, 5.5, 5.5),
            7: (6.0, 6.0, 6.0, 6.0),
            8: (7.5, 6.5, 6.5, 6.5),
            9: (8.0, 7.0, 7.0, 7.0),
            10: (8.5, 8.0, 7.5, 7.5),
        },
    ),
    "celpip": (1, {n: (n, n, n, n) for n in range(4, 11)}),
    "pte_core": (
        1,
        {
            4: (28, 33, 41, 42),
            5: (39, 42, 51, 51),
            6: (50, 51, 60, 59),
            7: (60, 60, 69, 68),
            8: (71, 69, 79, 76),
            9: (82, 78, 88, 84),
            10: (89, 88, 90, 89),
        },
    ),
    "tef_canada-old": (
        1,
        {
            4: (145, 121, 181, 181),
            5: (181, 151, 226, 226),
            6: (217, 181, 271, 271),
            7: (249, 207, 310, 310),
            8: (280, 233, 349, 349),
            9: (298, 248, 371, 371),
            10: (316, 263, 393, 393),
        },
    ),
    "tef_canada-699": (
        1,
        {
            4: (306, 306, 268, 328),
            5: (352, 352, 330, 387),
            6: (393, 393, 379, 422),
            7: (434, 434, 428, 456),
            8: (462, 462, 472, 494),
            9: (503, 503, 512, 518),
            10: (546, 546, 558, 556),
        },
    ),
    "tcf_canada": (
        1,
        {
            4: (331, 342, 4, 4),
            5: (369, 375, 6, 6),
            6: (398, 406, 7, 7),
            7: (458, 453, 10, 10),
            8: (503, 499, 12, 12),
            9: (523, 524, 14, 14),
            10: (549, 549, 16, 16),
        },
    ),
}
TEST_DATES = {"tef_canada-old": date(2023, 6, 1), "tef_canada-699": date(2024, 6, 1)}
CASES = [(name, level, index) for name, (_, levels) in MINIMUMS.items() for level in levels for index in range(4)]


def _levels(name: str, ability_index: int, value: float) -> tuple[int, ...]:
    test = LanguageTest(name.split("-")[0])
    # the other abilities sit at their CLB 7 minimum; only one ability moves
    scores = dict(zip(ABILITIES, MINIMUMS[name][1][7], strict=True))
    scores[ABILITIES[ability_index]] = value
    return convert(default_language_tables(), test, scores, TEST_DATES.get(name, date(2025, 1, 1)))


@pytest.mark.parametrize(("name", "level", "ability"), CASES)
def test_level_minimum_reaches_the_level(name, level, ability):
    minimum = MINIMUMS[name][1][level][ability]
    assert _levels(name, ability, minimum)[ability] == level


@pytest.mark.parametrize(("name", "level", "ability"), CASES)
def test_one_step_below_minimum_is_the_level_below(name, level, ability):
    step, table = MINIMUMS[name]
    below = table[level][ability] - step
    expected = level - 1 if level > 4 else 0  # 0 = below CLB/NCLC 4
    assert _levels(name, ability, below)[ability] == expected


@pytest.mark.parametrize(
    ("test", "scores", "message"),
    [
        ("ielts", (6.3, 7, 7, 7), "from 0 to 9, in half bands"),
        ("ielts", (9.5, 7, 7, 7), "from 0 to 9"),
        ("ielts", (-1, 7, 7, 7), "from 0 to 9"),
        ("celpip", (13, 7, 7, 7), "from 0 to 12, whole numbers"),
        ("celpip", (7.5, 7, 7, 7), "whole numbers"),
        ("pte_core", (9, 70, 70, 70), "from 10 to 90"),
        ("pte_core", (91, 70, 70, 70), "from 10 to 90"),
        ("tcf_canada", (500, 500, 21, 10), "writing score must be from 0 to 20"),
        ("tcf_canada", (700, 500, 10, 10), "from 0 to 699"),
        ("clb", (13, 7, 7, 7), "whole number from 0 to 12"),
    ],
)
def test_scores_off_the_scale_are_rejected_with_the_range(test, scores, message):
    with pytest.raises(LanguageScoreError, match=message):
        convert(
            default_language_tables(), LanguageTest(test), dict(zip(ABILITIES, scores, strict=True)), date(2025, 1, 1)
        )


def test_tef_scale_is_chosen_by_test_date():
    scores = {"listening": 300, "reading": 250, "writing": 380, "speaking": 380}
    tables = default_language_tables()
    old = convert(tables, LanguageTest.TEF_CANADA, scores, date(2023, 12, 10))
    new = convert(tables, LanguageTest.TEF_CANADA, scores, date(2023, 12, 11))
    assert old == (9, 9, 9, 9)  # old scale: 298 / 248 / 371 / 371 reach NCLC 9
    assert new == (0, 0, 6, 4)  # 0-699 scale: 300 < 306 in L/R; writing 380 >= 379 (NCLC 6); speaking 380 < 387


def test_tef_old_scale_rejects_a_699_scale_score():
    with pytest.raises(LanguageScoreError, match="from 0 to 360"):
        convert(
            default_language_tables(),
            LanguageTest.TEF_CANADA,
            {"listening": 600, "reading": 250, "writing": 380, "speaking": 380},
            date(2022, 5, 1),
        )


def test_tef_needs_a_test_date():
    with pytest.raises(LanguageScoreError, match="need the test date"):
        convert(
            default_language_tables(),
            LanguageTest.TEF_CANADA,
            {"listening": 400, "reading": 400, "writing": 400, "speaking": 400},
        )


def test_pte_core_before_it_was_accepted_is_rejected():
    with pytest.raises(LanguageScoreError, match="from 2024-01-30"):
        convert(
            default_language_tables(),
            LanguageTest.PTE_CORE,
            {"listening": 70, "reading": 70, "writing": 70, "speaking": 70},
            date(2023, 6, 1),
        )


def test_celpip_levels_above_ten_count_as_clb_ten():
    assert convert(
        default_language_tables(), LanguageTest.CELPIP, {"listening": 12, "reading": 11, "writing": 10, "speaking": 9}
    ) == (10, 10, 10, 9)
