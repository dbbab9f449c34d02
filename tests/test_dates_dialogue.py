"""/dates in the dialogue: the dates on demand and in the result; the ECA's and the profile's dates asked after."""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversation import DONE, Dialogue, Session
from flows.markup import plain
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from tests.test_flow_machine import ANSWERS

TODAY = date(2026, 12, 2)
NURSE = {**ANSWERS, "dob": "1985-03-08", "marital": "single", "lang2_test": "none"}


@pytest.fixture(scope="module")
def dialogue():
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


def walk(dialogue: Dialogue, session: Session, answers: dict[str, str]) -> list:
    replies: list = []
    while session.state not in (DONE, "ee_profile"):
        text = answers[session.state]
        if session.state == "job_add":
            text = "no"
        replies = dialogue.text(session, text)
    return replies


def test_the_result_names_the_next_date_and_dates_lists_them(dialogue):
    session = Session(chat_id=1)
    dialogue.start(session)
    final = walk(dialogue, session, NURSE)
    assert session.state == DONE
    assert final[0].html and "Next date: 2027-03-08: you turn 42: age points 39 -&gt; 28" in final[0].text  # escaped
    assert "Next date: 2027-03-08: you turn 42: age points 39 -> 28" in plain(final[0].text)
    shown = dialogue.command(session, "dates")[0].text
    assert "2027-03-08: you turn 42: age points 39 -> 28" in shown
    assert "2027-04-01: your IELTS General Training results expire" in shown  # tested 2025-04-01
    assert "canada.ca" in shown


def test_the_eca_date_is_asked_when_an_eca_is_declared_and_an_old_one_is_flagged(dialogue):
    session = Session(chat_id=7)
    dialogue.start(session)
    for _ in range(3):  # dob, marital, education
        dialogue.text(session, NURSE[session.state])
    reply = dialogue.text(session, "eca")[-1]
    assert session.state == "eca_date" and "On what date was your ECA issued?" in reply.text
    reply = dialogue.text(session, "March 2023")[-1]  # a month is enough: the 1st (it reaches 5 years sooner)
    assert session.answers["eca_date"] == "2023-03-01" and "Careful" not in reply.text
    assert session.state == "canadian_study"
    old = Session(chat_id=8)
    dialogue.start(old)
    for _ in range(3):
        dialogue.text(old, NURSE[old.state])
    dialogue.text(old, "eca")
    reply = dialogue.text(old, "2020-05-01")[-1]
    assert "reached 5 years on 1 May 2025" in reply.text and "a new profile needs a new ECA" in reply.text
    assert old.answers["eca_date"] == "2020-05-01"  # kept, and counted, with the warning
    canadian = Session(chat_id=9)
    dialogue.start(canadian)
    for _ in range(3):
        dialogue.text(canadian, NURSE[canadian.state])
    dialogue.text(canadian, "it is canadian")
    assert canadian.state == "canadian_study"  # no ECA, no ECA date


def test_dates_after_the_result_asks_the_profile_date_then_shows_them(dialogue):
    session = Session(chat_id=2)
    dialogue.start(session)
    walk(dialogue, session, {**NURSE, "eca_date": "March 2023"})
    reply = dialogue.command(session, "dates")[0]
    assert session.state == "ee_profile" and "Express Entry profile" in reply.text
    asked = plain(dialogue.ask(session).text)
    assert asked.startswith("Your dates\n") and "Step" not in asked  # after the questionnaire: not a step of it
    reply = dialogue.text(session, "2026-06-15")[0]
    assert session.state == DONE
    assert "2027-06-15: your Express Entry profile expires" in reply.text
    assert "2028-03-01: your ECA is 5 years old" in reply.text
    assert session.answers["eca_date"] == "2023-03-01"


def test_not_yet_and_unknown_are_answers(dialogue):
    session = Session(chat_id=3)
    dialogue.start(session)
    walk(dialogue, session, {**NURSE, "eca_date": "I don't know it"})
    dialogue.command(session, "dates")
    dialogue.text(session, "not yet")
    assert session.state == DONE
    assert session.answers["eca_date"] == "unknown" and session.answers["ee_profile"] == "not_yet"
    assert "profile expires" not in dialogue.command(session, "dates")[0].text


def test_a_future_creation_date_is_refused(dialogue):
    session = Session(chat_id=4)
    dialogue.start(session)
    walk(dialogue, session, {**NURSE, "education_proof": "canadian"})
    reply = dialogue.command(session, "dates")[0]
    assert session.state == "ee_profile"  # no ECA declared: its date is not asked
    reply = dialogue.text(session, "2027-01-05")[0]
    assert "in the future" in reply.text and session.state == "ee_profile"


def test_dates_during_the_questions_keeps_the_question_and_asks_the_dates_at_the_end(dialogue):
    session = Session(chat_id=5)
    dialogue.start(session)
    for _ in range(6):  # dob, marital, education, education_proof, eca_date, canadian_study
        dialogue.text(session, NURSE[session.state])
    pending = session.state
    reply = dialogue.command(session, "dates")[0]
    assert "you turn 42" in reply.text and session.state == pending
    final = walk(dialogue, session, NURSE)
    assert session.state == "ee_profile"
    final = dialogue.text(session, "not yet")
    # the result, not only the dates
    assert session.state == DONE and plain(final[0].text).startswith("Your CRS score:")


def test_dates_before_the_birth_date_says_what_is_needed(dialogue):
    session = Session(chat_id=6)
    dialogue.start(session)
    reply = dialogue.command(session, "dates")[0]
    assert "date of birth" in reply.text and session.state == "dob"
    assert "dates_asked" not in session.answers


def test_score_while_dates_asks_after_the_result_is_the_whole_result_then_that_question(dialogue):
    # /score there said "your result so far (questions not answered yet count as nothing)" (a stranger tester)
    session = Session(chat_id=5)
    dialogue.start(session)
    walk(dialogue, session, {**NURSE, "education_proof": "canadian"})
    final = dialogue.command(session, "score")
    dialogue.command(session, "dates")
    assert session.state == "ee_profile"
    during = dialogue.command(session, "score")
    assert "Your result so far" not in during[0].text and during[0].text.startswith(final[0].text)
    assert "Express Entry profile" in during[-1].text.split("\n\n")[-1]  # the open question, asked again
    assert session.state == "ee_profile"


def test_an_eca_five_years_old_is_noted_in_the_result_and_its_notes(dialogue):
    # the ECA of August 2021 had turned 5, the result counted its points without a word (a stranger tester)
    session = Session(chat_id=6)
    dialogue.start(session)
    walk(dialogue, session, {**NURSE, "eca_date": "August 2021"})
    assert session.state == DONE and session.answers["eca_date"] == "2021-08-01"
    result = dialogue.command(session, "score")[0]
    note = "Your ECA of 2021-08-01 turned 5 years old on 2026-08-01: it is no longer valid for Express Entry"
    assert note in plain(result.text)
    notes = dialogue.button(session, "res:notes")[0]
    assert note in plain(notes.text)
    # a valid one says nothing
    fresh = Session(chat_id=7)
    dialogue.start(fresh)
    walk(dialogue, fresh, {**NURSE, "eca_date": "March 2023"})
    assert "Your ECA of" not in plain(dialogue.command(fresh, "score")[0].text)
