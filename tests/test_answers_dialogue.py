"""The new readings through the dialogue as it is: options for two readings of a date, notes, unsure, ages."""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversation import Dialogue, Session
from flows.faq_replies import FaqReplies
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.faq.retriever import default_retriever
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


def started(dialogue: Dialogue) -> Session:
    session = Session(chat_id=3)
    dialogue.start(session)
    return session


def test_two_readings_of_a_birth_date_become_buttons_and_the_tap_stores_the_iso_date(dialogue):
    session = started(dialogue)
    replies = dialogue.text(session, "12/06/1997")
    assert session.state == "dob" and "dob" not in session.answers
    assert [b.label for b in replies[-1].buttons][:2] == ["12 June 1997", "6 December 1997"]
    dialogue.button(session, replies[-1].buttons[1].data)
    assert session.answers["dob"] == "1997-12-06" and session.state == "marital"


def test_the_reading_can_also_be_typed(dialogue):
    session = started(dialogue)
    dialogue.text(session, "12/06/1997")
    dialogue.text(session, "12 June 1997")
    assert session.answers["dob"] == "1997-06-12"


def test_an_age_is_asked_again_as_a_date(dialogue):
    session = started(dialogue)
    replies = dialogue.text(session, "i am 29")
    assert "age points change on your birthday" in replies[0].text
    assert session.state == "dob" and session.answers == {}


def test_not_knowing_gets_the_explanation_and_the_same_question(dialogue):
    session = started(dialogue)
    for text in ("1990-01-01", "single", "bachelor"):
        dialogue.text(session, text)
    assert session.state == "education_proof"
    replies = dialogue.text(session, "idk")
    assert "WES" in replies[0].text and "most likely" in replies[0].text
    assert session.state == "education_proof"


def test_a_written_test_date_and_labelled_scores(dialogue):
    session = started(dialogue)
    for text in ("1990-01-01", "single", "bachelor", "i have WES", "May 2023", "no", "ielts"):
        dialogue.text(session, text)
    replies = dialogue.text(session, "feb 2026")
    assert session.answers["lang1_date"] == "2026-02-01"
    assert "1 February 2026" in replies[0].text
    dialogue.text(session, "R 7.5 L 8 S 7 W 7")
    assert session.answers["lang1_scores"] == {"listening": 8.0, "reading": 7.5, "writing": 7.0, "speaking": 7.0}


@pytest.fixture(scope="module")
def with_faq() -> Dialogue:
    results = Results(default_scorer(), EligibilityEngine())
    return Dialogue(results, default_noc_index(), lambda: TODAY, FaqReplies(default_retriever()))


@pytest.mark.parametrize("text", ["not sure", "i don't know", "idk", "no idea"])
def test_not_knowing_is_not_sent_to_the_knowledge_base(with_faq, text):
    session = started(with_faq)
    session.state = "lang1_date"
    session.answers = {"dob": "1990-01-01", "lang1_test": "ielts"}
    replies = with_faq.text(session, text)
    assert "Test Report Form" in replies[0].text
    assert replies[-1].text.endswith(with_faq.ask(session).text) and session.state == "lang1_date"
