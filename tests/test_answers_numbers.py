"""Numbers with units and currencies, and language scores labelled in any order."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.answers import (
    NUMBER_UNITS,
    Accepted,
    Invalid,
    Quantity,
    parse_number,
    parse_quantity,
    parse_scores,
    read_answer,
)
from flows.questions import BY_ID

TODAY = date(2026, 12, 1)


def read(qid: str, text: str, answers: dict | None = None):
    return read_answer(BY_ID[qid], text, answers or {}, TODAY, noc=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("job_hours", "40", 40),
        ("job_hours", "40 hours", 40),
        ("job_hours", "40h", 40),
        ("job_hours", "40 hrs/week", 40),
        ("job_hours", "37.5 hours per week", 37.5),
        ("job_hours", "about 40 hours a week", 40),
        ("job_hours", "forty", 40),
        ("family_size", "3", 3),
        ("family_size", "3 people", 3),
        ("family_size", "4 of us", 4),
        ("family_size", "two", 2),
        ("spouse_work", "0", 0),
        ("spouse_work", "none", 0),
        ("spouse_work", "2 years", 2),
        ("spouse_work", "18 months", 1.5),
        ("funds", "25000", 25000),
        ("funds", "$25,000", 25000),
        ("funds", "25 000 $", 25000),
        ("funds", "25k", 25000),
        ("funds", "about 30k CAD", 30000),
        ("funds", "CAD 30,000", 30000),
        ("funds", "30000 dollars", 30000),
        ("funds", "C$ 30000", 30000),
        ("funds", "30,000.50", 30000.5),
        ("funds", "1.2 million", 1_200_000),
        ("funds", "i have around 40k in savings", 40000),
    ],
)
def test_numbers_with_units(qid, text, value):
    outcome = read(qid, text)
    assert isinstance(outcome, Accepted), outcome
    assert outcome.value == value


@pytest.mark.parametrize(
    ("text", "currency"),
    [("₹ 20 lakh", "rupees"), ("20 lakh", "rupees"), ("20000 USD", "US dollars"), ("20000 us dollars", "US dollars"),
     ("US$ 20000", "US dollars"), ("€15000", "euros"), ("15000 euros", "euros"), ("£9,000", "pounds"),
     ("500000 naira", "naira"), ("1 crore INR", "rupees")],
)  # fmt: skip
def test_another_currency_asks_for_canadian_dollars(text, currency):
    outcome = read("funds", text)
    assert isinstance(outcome, Invalid)
    assert currency in outcome.message and "Canadian dollars" in outcome.message
    found = parse_quantity(text, NUMBER_UNITS["funds"])
    assert isinstance(found, Quantity) and found.currency == currency


@pytest.mark.parametrize(
    ("qid", "text", "words"),
    [
        ("job_hours", "35-40", "one number"),
        ("job_hours", "35 to 40 hours", "one number"),
        ("job_hours", "8 hours a day", "per week"),
        ("job_hours", "160 hours a month", "per week"),
        ("job_hours", "full time", "from 1 to 100"),
        ("job_hours", "400", "from 1 to 100"),
        ("family_size", "2.5", "whole number"),
        ("family_size", "i have 2 kids", "number"),
        ("funds", "a lot", "number"),
    ],
)
def test_numbers_that_are_not_answers(qid, text, words):
    outcome = read(qid, text)
    assert isinstance(outcome, Invalid) and words in outcome.message


def test_money_notes_say_how_the_amount_was_read():
    assert read("funds", "about 30k CAD").note == "I'll count CAD 30,000."
    assert read("funds", "30000").note == ""


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_reads_plain_and_grouped_integers(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"${n:,}") == n


@given(st.text(max_size=40))
def test_parse_quantity_never_raises(text):
    parse_quantity(text, NUMBER_UNITS["funds"])
    parse_quantity(text, NUMBER_UNITS["job_hours"])


# --- language scores -------------------------------------------------------------------------------------
L, R, W, S = "listening", "reading", "writing", "speaking"
IELTS = {L: 8.0, R: 7.5, W: 7.0, S: 7.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 7.5 7 7", IELTS),
        ("8, 7.5, 7, 7", IELTS),
        ("8/7.5/7/7", IELTS),
        ("L8 R7.5 W7 S7", IELTS),
        ("L8R7.5W7S7", IELTS),
        ("listening 8 reading 7.5 writing 7 speaking 7", IELTS),
        ("Listening: 8, Reading: 7.5, Writing: 7, Speaking: 7", IELTS),
        ("L:8, R:7.5, W:7, S:7", IELTS),
        ("R 7.5 L 8 S 7 W 7", IELTS),
        ("W7 S7 L8 R7.5", IELTS),
        ("overall 7.5, L8 R7.5 W7 S7", IELTS),
        ("L 8 R 7,5 W 7 S 7", IELTS),  # a decimal comma
        ("my scores are 8 7.5 7 7", IELTS),
        ("CE 575, CO 612, EE 590, EO 640", {L: 612.0, R: 575.0, W: 590.0, S: 640.0}),
        ("CO 612 CE 575 EE 590 EO 640", {L: 612.0, R: 575.0, W: 590.0, S: 640.0}),
        (
            "compréhension de l'oral 612, compréhension écrite 575, expression écrite 590, expression orale 640",
            {L: 612.0, R: 575.0, W: 590.0, S: 640.0},
        ),
    ],
)
def test_scores(text, expected):
    scores = parse_scores(text)
    assert scores == expected
    assert list(scores) == [L, R, W, S]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("L8 R7.5 W7", "missing speaking"),
        ("L8 R7.5", "missing writing and speaking"),
        ("L8 L7 W7 S7", "listening twice and no reading"),
        ("CE 575, CO 612, EE 590", "missing speaking"),
        ("L8 7.5 7 7", "label all four or none"),
        ("8 7", "four"),
        ("8 7 7 7 7", "four"),
    ],
)
def test_scores_that_are_not_complete_say_what_is_wrong(text, words):
    problem = parse_scores(text)
    assert isinstance(problem, str) and words in problem


def test_scores_through_the_question():
    answers = {
        "lang1_test": "ielts",
        "lang1_date": "2026-01-10",
        "lang2_test": "tef_canada",
        "lang2_date": "2026-02-01",
    }
    english = read("lang1_scores", "R 7.5 L 8 S 7 W 7", answers)
    assert isinstance(english, Accepted) and english.value == IELTS and "CLB" in english.note
    french = read("lang2_scores", "CE 575, CO 612, EE 590, EO 640", answers)
    assert isinstance(french, Accepted) and french.value[L] == 612 and "NCLC" in french.note
    missing = read("lang1_scores", "L8 R7.5 W7", answers)
    assert isinstance(missing, Invalid) and "missing speaking" in missing.message
    assert "exactly four numbers" in read("lang1_scores", "8 7", answers).message
