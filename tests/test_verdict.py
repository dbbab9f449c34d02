"""The verdict first: would this score have been invited, by which route, where it sits in the pool."""

from __future__ import annotations

import csv
from datetime import date

from flows.markup import plain
from flows.results import Results, verdict_text
from knowledge.crs.scoring import default_scorer, score
from knowledge.crs.whatif import what_ifs
from knowledge.draws.rounds import DRAWS_FILE, Draws
from knowledge.programs.eligibility import EligibilityEngine
from tests.conftest import clb, make_profile

DAY = date(2026, 10, 1)


def cec_rounds_in_the_year() -> list[int]:
    """Read straight from the shipped CSV: the CEC cut-offs from 2025-10-02 to 2026-10-01."""
    with DRAWS_FILE.open(encoding="utf-8") as handle:
        return [
            int(r["min_crs"])
            for r in csv.DictReader(handle)
            if r["name"] == "Canadian Experience Class" and "2025-10-01" < r["date"] <= "2026-10-01"
        ]


def test_the_pool_position_matches_the_published_distribution():
    # round #444, pool on 2026-09-13: 574 (601+) + 20,784 (501-600) + 12,590 + 12,426 + 16,105 (471-500) above 461-470
    pool = Draws().pool_position(469, DAY)
    assert pool is not None and pool.as_on == "September 13, 2026"
    assert (pool.above, pool.total, pool.band) == (62_479, 226_793, (461, 470))


def test_a_cec_route_counts_the_rounds_the_score_would_have_cleared():
    cutoffs = cec_rounds_in_the_year()
    assert cutoffs and min(cutoffs) >= 500
    route = Draws().program_route("cec", DAY, 510)
    assert len(route.rounds) == len(cutoffs) and route.cleared == sum(1 for c in cutoffs if c <= 510)
    assert route.last is not None and route.last.min_crs == 518 and route.last.date == date(2026, 9, 29)


def test_the_verdict_for_a_canadian_experience_candidate():
    profile = make_profile(
        first_language=clb(9),
        work_periods=[{"noc": "21232", "in_canada": True, "start": "2024-06-01", "end": None, "hours_per_week": 40}],
        education_proof="eca",
        family_size=1,
        settlement_funds=20000,
    )
    engine = EligibilityEngine()
    result, report = score(profile), engine.assess(profile)
    text = plain(verdict_text(result, report, engine.categories.draws, what_ifs(profile)[:2], []))
    assert text.startswith(f"Your CRS score: {result.total} / 1200")
    assert "Canadian Experience Class" in text.split("\n")[1]  # eligible, named first
    cleared = sum(1 for c in cec_rounds_in_the_year() if c <= result.total)
    assert f"cleared {cleared} of {len(cec_rounds_in_the_year())} rounds" in text
    assert "With a provincial nomination (+600" in text and "Best moves:" in text


def test_not_eligible_means_no_round_and_the_reason_is_given():
    profile = make_profile(first_language=clb(5))  # no work, CLB 5: no program
    engine = EligibilityEngine()
    text = plain(verdict_text(score(profile), engine.assess(profile), engine.categories.draws, [], []))
    assert "Not eligible for a federal program yet" in text
    # no round can invite them: no route lines, and a nomination is not offered as if it could
    assert "Would you have been invited?" not in text and "category" not in text and "rounds in the last" not in text
    assert "With a provincial nomination" not in text and "needs one of these programs first" in text


def test_the_result_is_one_message_with_its_details_behind_buttons():
    results = Results(default_scorer(), EligibilityEngine())
    answers = {"dob": "1990-01-01", "marital": "never_married", "education": "masters", "education_proof": "none",
               "lang1_test": "ielts", "lang1_date": "2025-06-01",
               "lang1_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}}  # fmt: skip
    replies = results.final(answers, DAY)
    assert len(replies) == 1 and replies[0].buttons[0].data == "res:breakdown"
    breakdown = results.detail("breakdown", answers, DAY)[0].text
    assert "Level of education: +0 (Master's" in breakdown and "needs an ECA" in breakdown  # a zero that explains
    assert results.detail("nonsense", answers, DAY)[0].text.startswith("That detail is no longer there")


def test_a_blocker_leads_the_best_moves_of_a_person_with_no_program():
    """CLB 6 in writing: no FSW language points and no FSW; raising that one ability is the first move, and
    the verdict says it makes the person eligible."""
    profile = make_profile(
        date_of_birth="1990-01-15",
        first_language=clb(8, 8, 6, 8),
        education_proof="eca",
        relative_in_canada=True,
        work_periods=[{"noc": "21232", "in_canada": False, "start": "2023-06-01", "end": None, "hours_per_week": 40}],
        family_size=1,
        settlement_funds=20000,
    )
    engine = EligibilityEngine()
    moves = what_ifs(profile)
    text = plain(verdict_text(score(profile), engine.assess(profile), engine.categories.draws, moves[:2], []))
    assert moves[0].key == "first:writing" and moves[0].grid_after == 67
    assert "Best moves: English writing up to CLB 7: +" in text
    assert "and eligible for Federal Skilled Worker" in text.split("Best moves:")[1].split(";")[0]


def test_a_category_summary_is_kept_until_the_table_is_replaced():
    draws = Draws()
    first = draws.summary("french", DAY)
    assert draws.summary("french", DAY) is first  # asked again by every report of the day: kept
    newest = draws.rounds[0]
    draws.replace([newest.model_copy(update={"name": "French-Language proficiency", "min_crs": 301}), *draws.rounds])
    again = draws.summary("french", DAY)
    assert again is not first and again.last_min_crs == 301
