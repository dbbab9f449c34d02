"""Answers as the testers typed them (2026-12-02): each once read wrongly or not at all.

Education by its length or a word that means different levels in different countries; French hedges and
everyday French; amounts with a dot between thousands; a month without a day read on the safe side; the FSW
adaptability questions skipped once a Canadian year has capped it; /score and /forget's "No" as one message.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core import MapleCore, build_core
from flows.answers import NUMBER_UNITS, Accepted, Options, parse_quantity, read_answer, yes_or_no
from flows.conversation import DONE, Rules
from flows.markup import plain
from flows.questions import BY_ID
from knowledge.programs.noc import default_noc_index
from tests.test_flow_machine import ANSWERS

TODAY = date(2026, 12, 2)
NOC = default_noc_index()


def read(qid: str, text: str, answers: dict | None = None):
    return read_answer(BY_ID[qid], text, answers or {}, TODAY, NOC)


@pytest.mark.parametrize(
    ("text", "level", "said"),
    [
        ("3 years program", "bachelors", True),  # was one_year: 90 points instead of 120
        ("3-year diploma", "bachelors", True),
        ("three year diploma", "bachelors", True),
        ("advanced diploma (3 years)", "bachelors", True),  # was two_year
        ("un programme de 3 ans", "bachelors", True),
        ("2 year diploma", "two_year", False),  # one of its synonyms: as it is
        ("1 year certificate", "one_year", False),
        ("3 year bachelor", "bachelors", True),  # names its level (no length rule), read from words: said back
        ("masters", "masters", False),
        ("baccalauréat universitaire", "bachelors", False),
    ],
)
def test_education_by_its_length_and_said_back(text, level, said):
    outcome = read("education", text)
    assert isinstance(outcome, Accepted) and outcome.value == level
    assert outcome.note.startswith("Noted: ") is said


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("baccalauréat", {"bachelors", "secondary"}),  # Canada: a bachelor's; France and elsewhere: secondary
        ("bac", {"bachelors", "secondary"}),
        ("DESS", {"masters", "two_or_more"}),  # France: bac+5; Québec: a graduate diploma after a bachelor's
    ],
)
def test_a_word_that_means_different_levels_is_asked_never_assumed(text, offered):
    for qid in ("education", "spouse_education"):
        outcome = read(qid, text)
        assert isinstance(outcome, Options) and {c.id for c in outcome.choices} == offered


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("oui mais elle a 16 ans", "unclear"),  # was yes: +15 for a sibling who does not count
        ("oui mais sans EIMT", "unclear"),
        ("oui peut-être", "unclear"),
        ("oui sauf que c'est à temps partiel", "unclear"),
        ("ouais", "yes"),
        ("bien sûr", "yes"),
        ("tout à fait", "yes"),
        ("j'en ai une", "yes"),
        ("nan", "no"),
        ("pas du tout", "no"),
        ("j'en ai pas", "no"),
        ("je n'en ai pas", "no"),
        ("pas d'offre", "no"),
        ("yes but she is 16", "unclear"),  # English as before
    ],
)
def test_french_yes_no_and_hedges(text, reading):
    assert yes_or_no(text) == reading


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("funds", "25.000 $", 25000),  # was 25: a dot between thousands
        ("funds", "30.000", 30000),
        ("funds", "12.500,00 $", 12500),
        ("funds", "environ 30k", 30000),
        ("funds", "à peu près 30 000 $", 30000),
        ("funds", "30 mille", 30000),
        ("funds", "25 000 $ CA", 25000),
        ("funds", "25 000 dollars canadiens", 25000),
        ("funds", "$25,000", 25000),
        ("family_size", "deux", 2),
        ("family_size", "nous sommes 3", 3),
        ("family_size", "on est 4 en tout", 4),
        ("job_hours", "37.5", 37.5),  # a decimal stays a decimal outside money
    ],
)
def test_amounts_and_counts_as_typed(qid, text, value):
    found = parse_quantity(text, NUMBER_UNITS[qid])
    assert not isinstance(found, str) and found.value == value and found.currency in ("", "CAD")


def test_a_month_without_a_day_is_read_on_the_safe_side():
    start = read("job_start", "December 2026", {"job_add": "yes", "job_draft": {}})
    assert isinstance(start, Accepted) and start.value == "2026-12-02"  # this month: today at the latest
    start = read("job_start", "March 2021", {"job_add": "yes", "job_draft": {}})
    assert isinstance(start, Accepted) and start.value == "2021-03-31" and "safe side" in start.note
    end = read("job_end", "August 2024", {"job_draft": {"job_start": "2021-03-31"}})
    assert isinstance(end, Accepted) and end.value == "2024-08-01"  # no more experience than real
    same = read("job_end", "March 2021", {"job_draft": {"job_start": "2021-03-31"}})
    assert isinstance(same, Accepted) and same.value == "2021-03-31"  # ended the month it started: on its start
    test = read("lang1_date", "March 2025")
    assert isinstance(test, Accepted) and test.value == "2025-03-01"  # expires sooner, never later


def _job(where: str, start: str, end: str, hours: float = 40, noc: str = "21232") -> dict:
    return {"job_noc": noc, "job_where": where, "job_start": start, "job_end": end, "job_hours": hours}


@pytest.mark.parametrize(
    ("jobs", "extra", "capped"),
    [
        ([_job("canada", "2023-01-01", "2024-06-01")], {}, True),
        ([_job("canada", "2024-01-01", "ongoing")], {"lang1_date": "2025-06-01"}, True),  # to the latest date known
        ([_job("canada", "2025-01-01", "ongoing")], {"lang1_date": "2025-06-01"}, False),  # may be short: asked
        ([_job("canada", "2023-01-01", "2024-06-01", hours=15)], {}, False),  # part time: 0.7 of a year
        ([_job("abroad", "2015-01-01", "2024-06-01")], {}, False),
        (
            [_job("canada", "2015-01-01", "2024-06-01", noc="65200"), _job("abroad", "2010-01-01", "2014-12-01")],
            {},
            False,
        ),  # TEER 5 in Canada: not skilled
    ],
)
def test_a_canadian_year_caps_fsw_adaptability_and_its_questions_are_skipped(jobs, extra, capped):
    rules = Rules({"jobs": jobs, "sibling": "no", "marital": "never_married", **extra})
    assert rules.adaptability_capped() is capped
    assert rules.relative_can_matter() is not capped and rules.study_can_matter() is not capped


@pytest.fixture
def core(tmp_path: Path) -> MapleCore:
    made = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    yield made
    made.store.close()


def test_forget_then_no_is_one_message_with_the_question(core):
    core.command(1, "start")
    core.text(1, "1990-01-01")
    core.command(1, "forget")
    replies = core.button(1, "forget:no").replies
    assert len(replies) == 1 and "Nothing was deleted." in replies[0].text and "Step 1 of" in replies[0].text


def test_score_after_everything_is_the_whole_result(core):
    answers = {**ANSWERS, "marital": "single", "lang2_test": "none"}
    replies = core.command(1, "start").replies
    for _ in range(60):
        state = core.store.load(1).state
        if state == DONE:
            break
        replies = core.text(1, "no" if state == "job_add" else answers[state]).replies
    final = plain(replies[0].text)
    assert final.startswith("Your CRS score:"), final[:200]
    again = core.command(1, "score").replies
    shown = plain(again[0].text)  # the verdict again (its rule-change note told once per chat), not a breakdown
    assert shown.split("\n")[0] == final.split("\n")[0] and "Best moves:" in shown
    assert "Your result so far" not in shown and any(b.data.startswith("wi:") for b in again[0].buttons)


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("education_proof", "not yet, wes in progress", "none"),  # an ECA under way is not one yet
        ("spouse_education_proof", "applied with WES, waiting", "none"),
        ("canadian_study", "4 years", "three_plus_years"),
        ("canadian_study", "2 years", "one_or_two_years"),
        ("relative", "my uncle lives in calgary", "yes"),
        ("relative", "yes my aunt", "yes"),
        ("relative", "no, my uncle moved back", "no"),
        ("family_size", "just me", 1),
        ("family_size", "juste moi", 1),
    ],
)
def test_answers_that_name_the_situation(qid, text, value):
    outcome = read(qid, text, {"education": "bachelors", "sibling": "no"})
    assert isinstance(outcome, Accepted) and outcome.value == value


@pytest.mark.parametrize(("qid", "text"), [("relative", "my cousin lives in toronto"), ("sibling", "my cousin")])
def test_a_cousin_is_explained_not_counted(qid, text):
    outcome = read(qid, text, {"sibling": "no"})
    assert not isinstance(outcome, Accepted) and "cousin" in outcome.message


def test_an_old_forget_yes_after_a_no_deletes_nothing(tmp_path):
    """/forget twice, No on the second, then Yes on the first: the Yes is out of date (the person said No)."""
    from bot.core import build_core
    from tests.test_result_html_whatif import run_core
    from tests.test_telegram_e2e import SINGLE

    core = build_core(str(tmp_path / "m.db"))
    run_core(core, 1, SINGLE[:5])
    kept = dict(core.store.load(1).answers)
    core.on_command(1, "forget")
    core.on_command(1, "forget")
    assert core.on_button(1, "forget:no")[0].text.startswith("Nothing was deleted.")
    stale = core.on_button(1, "forget:yes")
    assert stale[0].text.startswith("That button is out of date: nothing was deleted. /forget asks again.")
    assert core.store.load(1).answers == kept  # nothing deleted, the question still there
    assert core.on_command(1, "forget")[0].buttons[0].data == "forget:yes"
    assert core.on_button(1, "forget:yes")[0].text.startswith("Done: everything I stored")
    assert core.store.load(1).answers == {}
    core.store.close()
