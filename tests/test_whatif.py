"""What-ifs: each move checked against ``maple-crs`` of the same change made by hand to the profile.

Every row names a person, a move, and the change written out by hand; the what-if must build exactly
that profile, and its totals and programs must be what ``maple-crs score`` / ``eligibility`` say of it
(a separate process reading JSON). The stories of issue #12 are rows: the developer's French (469 ->
531, clearing every French-language round), the welder's certificate of qualification (+50, FST), the
nurse's PTE speaking 72 -> 76 (CLB 8: FSW at 67/100).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.crs.scoring import default_scorer
from knowledge.crs.whatif import (
    MOVE_KEYS,
    MOVES,
    move_table,
    next_birthday,
    partner_as_principal,
    rank_key,
    what_if,
    what_ifs,
)
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine

CLI = Path(sys.executable).with_name("maple-crs")
DAY = "2026-10-01"


def lang(test: str, listening: float, reading: float, writing: float, speaking: float, **extra: Any) -> dict[str, Any]:
    return {"test": test, "listening": listening, "reading": reading, "writing": writing, "speaking": speaking, **extra}


def job(noc: str, start: str, end: str | None = None, canada: bool = False, hours: float = 40) -> dict[str, Any]:
    return {"noc": noc, "in_canada": canada, "start": start, "end": end, "hours_per_week": hours}


FUNDS = {"family_size": 1, "settlement_funds": 20000}
DEVELOPER = {  # the developer: 469, FSW and CEC
    "profile_date": DAY, "date_of_birth": "1994-05-10", "education": "bachelors", "education_proof": "eca",
    "first_language": lang("clb", 10, 9, 9, 9),
    "work_periods": [job("21232", "2025-06-01", canada=True), job("21232", "2021-01-01", "2025-05-01")], **FUNDS,
}  # fmt: skip
WELDER = {  # a trade job abroad, no offer and no certificate: no program
    "profile_date": DAY, "date_of_birth": "1990-04-01", "education": "secondary",
    "first_language": lang("clb", 7, 7, 7, 7), "work_periods": [job("72106", "2020-01-01")], **FUNDS,
}  # fmt: skip
NURSE = {  # 66/100 on the FSW grid: one point short
    "profile_date": DAY, "date_of_birth": "1990-01-15", "education": "bachelors", "education_proof": "eca",
    "relative_in_canada": True, "first_language": lang("pte_core", 71, 69, 69, 72),
    "work_periods": [job("31301", "2023-06-01")], **FUNDS,
}  # fmt: skip
ONE_BELOW_SEVEN = {  # CLB 6 in writing: no FSW language points at all, and no FSW
    **NURSE, "first_language": lang("clb", 8, 8, 6, 8), "work_periods": [job("21232", "2023-06-01")],
}  # fmt: skip
NO_ECA = {  # a master's without an ECA: no education points, no FSW
    "profile_date": DAY, "date_of_birth": "1992-02-20", "education": "masters", "education_proof": "none",
    "first_language": lang("ielts", 8, 7, 7, 7, test_date="2025-09-01"),
    "work_periods": [job("21211", "2021-03-01")], **FUNDS,
}  # fmt: skip
COUPLE = {  # the partner comes along: no ECA, no test yet
    "profile_date": DAY, "date_of_birth": "1991-07-15", "marital_status": "married", "education": "masters",
    "education_proof": "eca", "first_language": lang("celpip", 10, 9, 9, 10, test_date="2025-08-01"),
    "spouse": {"education": "bachelors", "education_proof": "none", "canadian_work_years": 1},
    "work_periods": [job("21232", "2024-01-15", canada=True, hours=30)], "family_size": 2, "settlement_funds": 30000,
}  # fmt: skip

NO_TEST = {  # a trade job abroad and no language test: every program needs a valid result
    "profile_date": DAY, "date_of_birth": "1988-07-04", "marital_status": "divorced_separated",
    "education": "one_year", "education_proof": "eca", "work_periods": [job("72200", "2015-03-01", "2024-08-31")],
    **FUNDS,
}  # fmt: skip


def changed(base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out.update(fields)
    return out


def with_spouse(base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out["spouse"].update(fields)
    return out


def with_language(base: dict[str, Any], field: str = "first_language", **scores: float) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out[field].update(scores)
    return out


# (person, move, the same change by hand, what must hold beyond the CLI's figures)
ROWS: list[tuple[str, dict[str, Any], str, dict[str, Any], dict[str, Any]]] = [
    ("developer: French NCLC 7", DEVELOPER, "french",
     changed(DEVELOPER, second_language=lang("nclc", 7, 7, 7, 7)),
     {"before": 469, "after": 531, "gain": 62, "opens_categories": ["French-language proficiency"]}),
    ("developer: one more year in Canada", DEVELOPER, "canadian_year",
     changed(DEVELOPER, work_periods=[job("21232", "2024-06-01", canada=True), DEVELOPER["work_periods"][1]]),
     {}),
    ("developer: listening already CLB 10, reading up", DEVELOPER, "first:reading",
     with_language(DEVELOPER, reading=10), {}),
    ("welder: certificate of qualification", WELDER, "coq",
     changed(WELDER, certificate_of_qualification=True, certificate_trade_noc="72106"),
     {"gain": 50, "opens_programs": ["fst"], "unblocks": True}),
    ("nurse: PTE speaking 72 -> 76", NURSE, "first:speaking", with_language(NURSE, speaking=76),
     {"opens_programs": ["fsw"], "grid_before": 66, "grid_after": 67, "unblocks": True,
      "detail": "PTE Core speaking 72 -> 76 gives CLB 8"}),
    ("CLB 6 in writing: raised to 7", ONE_BELOW_SEVEN, "first:writing", with_language(ONE_BELOW_SEVEN, writing=7),
     {"opens_programs": ["fsw"], "grid_after": 67, "unblocks": True}),
    ("IELTS 8/7/7/7 (CLB 9) to CLB 10 in all four", NO_ECA, "first_all",
     with_language(NO_ECA, listening=8.5, reading=8.0, writing=7.5, speaking=7.5), {}),
    ("master's without an ECA: the ECA", NO_ECA, "eca", changed(NO_ECA, education_proof="eca"),
     {"opens_programs": ["fsw"], "unblocks": True}),
    ("couple: the partner's ECA", COUPLE, "partner_eca", with_spouse(COUPLE, education_proof="eca"), {}),
    ("couple: the partner's test", COUPLE, "partner_test",
     with_spouse(COUPLE, language=lang("clb", 7, 7, 7, 7)), {}),
    ("developer: the next birthday", DEVELOPER, "birthday", changed(DEVELOPER, date_of_birth="1993-05-10"),
     {"gain": -6}),
    ("electrician with no test yet: a first test at CLB 7", NO_TEST, "first_test",
     changed(NO_TEST, first_language=lang("clb", 7, 7, 7, 7)), {}),
]  # fmt: skip


def cli(command: str, profiles: list[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    path = tmp / f"{command}.json"
    path.write_text(json.dumps(profiles))
    done = subprocess.run([str(CLI), command, str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def by_cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """maple-crs score and eligibility of every row's base and hand-changed profile, in one run each."""
    tmp = tmp_path_factory.mktemp("cli")
    profiles = [p for _, base, _, hand, _ in ROWS for p in (base, hand)]
    return {"score": cli("score", profiles, tmp), "eligibility": cli("eligibility", profiles, tmp)}


@pytest.mark.parametrize("index", range(len(ROWS)), ids=[r[0] for r in ROWS])
def test_a_what_if_is_the_hand_made_change_scored_by_maple_crs(index: int, by_cli) -> None:
    _, base, key, hand, expect = ROWS[index]
    profile = Profile.model_validate(base)
    before = profile.model_dump()
    move = what_if(profile, key)
    assert move is not None
    assert move.profile.model_dump() == Profile.model_validate(hand).model_dump()  # exactly the change, nothing else
    assert profile.model_dump() == before  # the profile it was given is untouched
    base_score, hand_score = by_cli["score"][2 * index], by_cli["score"][2 * index + 1]
    base_report, hand_report = by_cli["eligibility"][2 * index], by_cli["eligibility"][2 * index + 1]
    assert (move.before, move.after) == (base_score["total"], hand_score["total"])
    assert move.eligible_before == base_report["eligible_programs"]
    assert move.eligible_after == hand_report["eligible_programs"]
    fsw = next(p for p in hand_report["programs"] if p["program"] == "fsw")
    assert move.grid_after == fsw["grid"]["total"]
    for name, value in expect.items():
        assert getattr(move, name) == value, name


def test_the_developers_french_clears_every_french_round():
    move = what_if(Profile.model_validate(DEVELOPER), "french")
    assert move is not None and move.after == 531
    french = next(r for r in move.routes if r.key == "french")
    assert french.rounds.rounds and french.rounds.cleared == len(french.rounds.rounds)
    assert all(d.min_crs <= 531 for d in french.rounds.rounds)
    assert "French-language proficiency" not in move.categories_before  # without French, no French round at all
    other = what_if(Profile.model_validate(DEVELOPER), "first:reading")
    assert other is not None and all(r.key != "french" for r in other.routes)


def test_the_age_points_lost_by_the_time_a_move_is_done(tmp_path):
    """French takes about 18 months: the developer (born 10 May) has one birthday in them, and the total
    by then is maple-crs's score of the changed profile one year older."""
    move = what_if(Profile.model_validate(DEVELOPER), "french")
    assert move is not None and move.months == move_table().moves["french"].months == 18
    older = changed(DEVELOPER, second_language=lang("nclc", 7, 7, 7, 7), date_of_birth="1993-05-10")
    [expected] = cli("score", [older], tmp_path)
    assert move.by_then == expected["total"] and move.age_points_lost == move.after - expected["total"] > 0
    assert move.net_gain == expected["total"] - 469


@pytest.mark.parametrize(
    ("person", "first"),
    [(NURSE, "first:"), (ONE_BELOW_SEVEN, "first:writing"), (WELDER, "coq"), (NO_ECA, "eca")],
    ids=["nurse", "clb6-writing", "welder", "no-eca"],
)
def test_eligibility_blockers_come_first_and_the_quickest_of_them(person, first):
    ranked = what_ifs(Profile.model_validate(person))
    assert ranked[0].key.startswith(first) and ranked[0].unblocks
    blockers = [w for w in ranked if w.unblocks]
    assert ranked[: len(blockers)] == blockers  # every blocker before any other move
    assert [w.months for w in blockers] == sorted(w.months for w in blockers)


def test_moves_past_the_blockers_are_ranked_by_the_points_left_by_the_time_they_are_done():
    ranked = what_ifs(Profile.model_validate(DEVELOPER))
    assert ranked[0].key == "french"
    assert ranked == sorted(ranked, key=rank_key)
    nets = [w.net_gain for w in ranked if not w.unblocks]
    assert nets == sorted(nets, reverse=True)


def test_a_move_that_does_not_apply_is_none():
    developer = Profile.model_validate(DEVELOPER)
    assert what_if(developer, "eca") is None  # already assessed
    assert what_if(developer, "coq") is None  # no trade job
    assert what_if(developer, "partner_test") is None  # single
    assert what_if(developer, "no-such-move") is None
    assert what_if(Profile.model_validate(WELDER), "masters") is None  # secondary school: not one step away
    assert set(MOVE_KEYS) - {"first"} <= set(MOVES)


def test_the_next_birthday_costs_age_points_only():
    move = next_birthday(Profile.model_validate(DEVELOPER))
    assert move is not None and move.gain == -6 and "turn 33 on 2027-05-10" in move.detail


def test_the_couple_side_by_side_with_the_partner_as_principal(tmp_path):
    profile = Profile.model_validate(COUPLE)
    swap = partner_as_principal(profile)
    assert swap is not None
    by_hand = {
        "profile_date": DAY, "age": profile.age_on_date, "marital_status": "married", "education": "bachelors",
        "education_proof": "none", "canadian_work_years": 1,
        "spouse": {"education": "masters", "education_proof": "eca", "canadian_work_years": profile.canadian_years,
                   "language": COUPLE["first_language"]},
    }  # fmt: skip
    [you, partner] = cli("score", [COUPLE, by_hand], tmp_path)
    assert (swap.you, swap.partner) == (you["total"], partner["total"])
    assert any("age is not asked" in a for a in swap.assumptions)
    assert partner_as_principal(Profile.model_validate(DEVELOPER)) is None  # single: nothing to swap


# --- invariants over many profiles ---------------------------------------------------------------
levels = st.integers(min_value=3, max_value=10)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    years_abroad = draw(st.integers(min_value=1, max_value=8))
    noc = draw(st.sampled_from(["21232", "72106", "31301"]))
    jobs = [job(noc, f"{2026 - years_abroad}-01-01", "2026-01-01")]
    if draw(st.booleans()):
        jobs.append(job("21232", "2025-09-01", canada=True))
    return {
        "profile_date": DAY,
        "age": draw(st.integers(min_value=18, max_value=50)),
        "education": draw(st.sampled_from(["secondary", "two_year", "bachelors", "two_or_more", "masters"])),
        "education_proof": draw(st.sampled_from(["eca", "none"])),
        "first_language": lang("clb", draw(levels), draw(levels), draw(levels), draw(levels)),
        "work_periods": jobs,
        **FUNDS,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_every_what_if_is_the_real_score_of_its_copy_and_leaves_the_profile_alone(data):
    profile = Profile.model_validate(data)
    before = profile.model_dump()
    scorer, engine = default_scorer(), EligibilityEngine()
    ranked = what_ifs(profile, scorer, engine)
    assert profile.model_dump() == before
    assert ranked == sorted(ranked, key=rank_key)
    base = scorer.score(profile).total
    for move in ranked:
        assert move.helps and move.before == base
        assert move.after == scorer.score(move.profile).total
        assert move.eligible_after == engine.assess(move.profile).eligible_programs
        if profile.age_on_date >= 20:
            assert move.by_then <= move.after  # from 20 on, growing older never adds points (at 18-19 it does)
