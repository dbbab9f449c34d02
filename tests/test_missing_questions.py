"""The questions that were missing: the partner's ECA, the TEF certificate's column, an expired test."""

from __future__ import annotations

from datetime import date

import pytest

from flows.answers import language_gap_note
from flows.conversation import Dialogue, Rules, Session
from flows.profile_builder import build_profile
from flows.questions import BY_ID, choices_for
from flows.results import Results
from knowledge.crs.scoring import default_scorer, score
from knowledge.language import default_language_tables, tef_readings, tef_scale_unclear
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from tests.conftest import make_profile

TODAY = date(2026, 10, 1)


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


def at(dialogue: Dialogue, state: str, **answers: object) -> Session:
    session = Session(chat_id=1)
    dialogue.start(session)
    session.state, session.answers = state, dict(answers)
    return session


# --- the partner's ECA -------------------------------------------------------------------------
COUPLE = {
    "marital_status": "married",
    "spouse": {"education": "masters", "language": {"test": "clb", "listening": 8, "reading": 8, "writing": 8,
                                                    "speaking": 8}},
}  # fmt: skip


@pytest.mark.parametrize(("proof", "points"), [(None, 10), ("eca", 10), ("canadian", 10), ("none", 0)])
def test_a_partners_foreign_education_earns_points_only_with_an_eca(proof, points):
    spouse = {**COUPLE["spouse"], **({"education_proof": proof} if proof else {})}
    result = score(make_profile(**{**COUPLE, "spouse": spouse}))
    line = next(f for s in result.sections for f in s.factors if f.key == "spouse_education")
    assert line.points == points
    assert ("needs an ECA" in line.detail) == (proof == "none")


def test_the_partners_eca_is_asked_after_their_education_and_reaches_the_profile(dialogue):
    base = {"marital": "married", "spouse_citizen": "no", "spouse_coming": "yes"}
    assert Rules({**base, "spouse_education": "masters"}).partner_has_education()
    assert Rules({**base, "spouse_education": "secondary"}).partner_has_education()  # foreign high school: ECA too
    assert not Rules({**base, "spouse_education": "less_than_secondary"}).partner_has_education()
    assert not Rules({**base, "spouse_citizen": "yes", "spouse_education": "masters"}).partner_has_education()
    session = at(dialogue, "spouse_education_proof", dob="1990-01-01", education="bachelors", **base,
                 spouse_education="masters")  # fmt: skip
    dialogue.text(session, "not yet")
    assert session.answers["spouse_education_proof"] == "none"
    profile = build_profile(session.answers, TODAY)
    assert profile.spouse is not None and profile.spouse.scored_education == "less_than_secondary"


# --- the TEF certificate's two columns ---------------------------------------------------------
BEFORE_LANGUAGE = {"dob": "1990-01-01", "marital": "never_married", "education": "bachelors",
                   "education_proof": "eca", "eca_date": "2024-01-15", "canadian_study": "none"}  # fmt: skip
AFTER_2023 = date(2024, 5, 1)  # certificates from 2023-12-11 show both columns
ANCIEN = {"listening": 316, "reading": 263, "writing": 393, "speaking": 393}  # NCLC 10 on the old scale


@pytest.mark.parametrize(
    ("scores", "day", "unclear"),
    [
        (ANCIEN, AFTER_2023, True),  # 4 / below 4 / 6 / 5 on the 0-699 scale: both possible, very different
        ({"listening": 575, "reading": 612, "writing": 590, "speaking": 640}, AFTER_2023, False),  # only 0-699
        (ANCIEN, date(2023, 6, 1), False),  # before 2023-12-11 there was one scale
        ({"listening": 0, "reading": 0, "writing": 0, "speaking": 0}, AFTER_2023, False),  # same levels either way
    ],
)
def test_a_tef_result_is_unclear_only_when_both_columns_fit_and_differ(scores, day, unclear):
    assert tef_scale_unclear(default_language_tables(), scores, day) is unclear


def test_the_issues_example_reads_ncl_10_on_the_old_column_and_much_lower_on_the_699_one():
    readings = tef_readings(default_language_tables(), ANCIEN, AFTER_2023)
    assert readings["old_scale"] == (10, 10, 10, 10)
    assert readings["699_scale"] == (4, 0, 6, 5)


def test_the_column_is_asked_with_what_each_reading_gives_and_the_choice_is_scored(dialogue):
    answers = {**BEFORE_LANGUAGE, "lang1_test": "tef_canada", "lang1_date": AFTER_2023.isoformat()}
    session = at(dialogue, "lang1_scores", **answers)
    replies = dialogue.text(session, "CO 316 CE 263 EE 393 EO 393")
    assert session.state == "lang1_tef_scale" and "Which column" in replies[-1].text
    labels = [b.label for b in replies[-1].buttons]
    assert any("699" in label and "below 4" in label for label in labels)
    assert any("ancien" in label and "NCLC 10, 10, 10, 10" in label for label in labels)
    totals = {}
    for column in ("old_scale", "699_scale"):
        chosen = {**session.answers, "lang1_tef_scale": column}
        totals[column] = score(build_profile(chosen, TODAY)).total
    assert totals["old_scale"] > totals["699_scale"] + 100
    dialogue.button(session, "a:lang1_tef_scale:old_scale")
    assert session.answers["lang1_tef_scale"] == "old_scale" and session.state != "lang1_tef_scale"
    assert choices_for(BY_ID["lang1_tef_scale"], {})[0].label == "The score out of 699"  # no scores yet: plain


def test_scores_that_fit_only_the_699_column_are_not_asked_about(dialogue):
    answers = {**BEFORE_LANGUAGE, "lang1_test": "tef_canada", "lang1_date": AFTER_2023.isoformat()}
    session = at(dialogue, "lang1_scores", **answers)
    replies = dialogue.text(session, "CE 575, CO 612, EE 590, EO 640")
    assert session.state == "lang2_test" and "NCLC" in replies[-1].text


# --- an expired test -----------------------------------------------------------------------------
def test_a_test_older_than_two_years_is_warned_about_when_entered_and_in_the_result(dialogue):
    session = at(dialogue, "lang1_date", **BEFORE_LANGUAGE, lang1_test="ielts")
    replies = dialogue.text(session, "2024-06-15")
    assert "expired on 15 June 2026" in replies[-1].text and "cannot be used in a new profile" in replies[-1].text
    assert session.answers["lang1_date"] == "2024-06-15"
    fresh = at(dialogue, "lang1_date", **BEFORE_LANGUAGE, lang1_test="ielts")
    assert "expired" not in dialogue.text(fresh, "2025-06-15")[-1].text
    session.answers["lang1_scores"] = {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}
    result = score(build_profile(session.answers, TODAY))
    assert any("cannot be used in a new profile" in c for c in result.caveats)


def test_not_sure_offers_the_likely_answer_as_a_button_and_stores_nothing(dialogue):
    session = at(dialogue, "education_proof", dob="1990-01-01", marital="never_married", education="masters")
    replies = dialogue.text(session, "not sure")
    assert "ECA" in replies[-1].text and "most likely" in replies[-1].text
    guesses = [b for b in replies[-1].buttons if b.label.startswith("Best guess")]
    assert [(b.label, b.data) for b in guesses] == [("Best guess: Foreign, no ECA yet", "a:education_proof:none")]
    assert "education_proof" not in session.answers
    dialogue.button(session, "a:education_proof:none")
    assert session.answers["education_proof"] == "none"


# --- a result wildly unlike the other test ---------------------------------------------------------
IELTS_HIGH = {"listening": 8.5, "reading": 8, "writing": 7.5, "speaking": 7.5}  # CLB 10 / 9 / 9 / 9


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        # a French native's TEF read on the 0-699 column (NCLC 4 / below 4 / 6 / 5) beside IELTS CLB 9-10
        (("tef_canada", ANCIEN, "699_scale"), ("ielts", IELTS_HIGH, None), True),
        # the same numbers on the column they came from: NCLC 10, no warning
        (("tef_canada", ANCIEN, "old_scale"), ("ielts", IELTS_HIGH, None), False),
        # an English speaker with weaker French second: normal, no warning
        (("ielts", IELTS_HIGH, None), ("tef_canada", ANCIEN, "699_scale"), False),
        # two results two levels apart: not wildly unlike
        (("ielts", {"listening": 6.5, "reading": 6.5, "writing": 6.5, "speaking": 6.5}, None),
         ("tcf_canada", {"listening": 523, "reading": 524, "writing": 12, "speaking": 12}, None), False),
    ],
)  # fmt: skip
def test_a_first_language_far_below_the_second_is_flagged(dialogue, first, second, warned):
    answers = dict(BEFORE_LANGUAGE)
    for prefix, (test, scores, column) in zip(("lang1", "lang2"), (first, second), strict=True):
        answers |= {f"{prefix}_test": test, f"{prefix}_date": AFTER_2023.isoformat(), f"{prefix}_scores": scores}
        if column:
            answers[f"{prefix}_tef_scale"] = column
    assert bool(language_gap_note(answers)) is warned


def test_the_gap_is_said_when_the_column_is_chosen_and_the_answers_are_kept(dialogue):
    answers = {**BEFORE_LANGUAGE, "lang1_test": "tef_canada", "lang1_date": AFTER_2023.isoformat(),
               "lang1_scores": ANCIEN, "lang2_test": "ielts", "lang2_date": AFTER_2023.isoformat(),
               "lang2_scores": IELTS_HIGH}  # fmt: skip
    session = at(dialogue, "lang1_tef_scale", **answers)
    replies = dialogue.button(session, "a:lang1_tef_scale:699_scale")
    text = replies[-1].text
    assert "reads well below your second" in text and "Équivalence ancien score" in text
    assert session.answers["lang1_tef_scale"] == "699_scale" and session.answers["lang2_scores"] == IELTS_HIGH
    session = at(dialogue, "lang1_tef_scale", **answers)
    assert "reads well below" not in dialogue.button(session, "a:lang1_tef_scale:old_scale")[-1].text
