"""Dates typed the way people type them: orders, separators, written months (EN/FR), months without a day, ages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.answers import Accepted, Invalid, Options, parse_age, parse_date, parse_date_parts, read_answer, spoken
from flows.questions import BY_ID

TODAY = date(2026, 12, 1)
D = date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1997-06-12", (D(1997, 6, 12),)),
        ("1997/06/12", (D(1997, 6, 12),)),
        ("1997.6.12", (D(1997, 6, 12),)),
        ("19970612", (D(1997, 6, 12),)),
        ("13/06/1997", (D(1997, 6, 13),)),  # day first: 13 cannot be a month
        ("06/13/1997", (D(1997, 6, 13),)),  # month first: 13 cannot be a month
        ("13-06-1997", (D(1997, 6, 13),)),
        ("13.06.1997", (D(1997, 6, 13),)),
        ("13 06 1997", (D(1997, 6, 13),)),
        ("12/06/1997", (D(1997, 6, 12), D(1997, 12, 6))),  # both readings, day/month first
        ("3/4/2020", (D(2020, 4, 3), D(2020, 3, 4))),
        ("05/05/1990", (D(1990, 5, 5),)),  # the same either way
        ("12/06/97", (D(1997, 6, 12), D(1997, 12, 6))),
        ("25/12/25", (D(2025, 12, 25),)),
        ("12 june 1997", (D(1997, 6, 12),)),
        ("12 Jun 1997", (D(1997, 6, 12),)),
        ("June 12, 1997", (D(1997, 6, 12),)),
        ("June 12th 1997", (D(1997, 6, 12),)),
        ("12th of June, 1997", (D(1997, 6, 12),)),
        ("1997 June 12", (D(1997, 6, 12),)),
        ("March 8, 1985", (D(1985, 3, 8),)),
        ("Sept 3 2001", (D(2001, 9, 3),)),
        ("8 mars 1985", (D(1985, 3, 8),)),
        ("1er mars 1985", (D(1985, 3, 1),)),
        ("le 8 mars 1985", (D(1985, 3, 8),)),
        ("15 février 1990", (D(1990, 2, 15),)),
        ("15 fevrier 1990", (D(1990, 2, 15),)),
        ("3 août 2019", (D(2019, 8, 3),)),
        ("2 déc. 1988", (D(1988, 12, 2),)),
        ("born on 12 june 1997", (D(1997, 6, 12),)),
        ("je suis né le 4 juillet 1996", (D(1996, 7, 4),)),  # a stranger's French sentence
        ("je suis née le 4 juillet 1996", (D(1996, 7, 4),)),
        ("my birthday is 4 july 1996", (D(1996, 7, 4),)),
        ("12 june 97", (D(1997, 6, 12),)),
    ],
)
def test_full_dates(text, expected):
    parsed = parse_date_parts(text, TODAY)
    assert parsed is not None and not parsed.month_only
    assert parsed.candidates == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feb 2026", D(2026, 2, 1)),
        ("February 2026", D(2026, 2, 1)),
        ("février 2026", D(2026, 2, 1)),
        ("2026-02", D(2026, 2, 1)),
        ("2026/2", D(2026, 2, 1)),
        ("02/2026", D(2026, 2, 1)),
        ("2/2026", D(2026, 2, 1)),
        ("since March 2021", D(2021, 3, 1)),
    ],
)
def test_months_without_a_day(text, expected):
    parsed = parse_date_parts(text, TODAY)
    assert parsed is not None and parsed.month_only and parsed.candidates == (expected,)
    assert parse_date(text) is None  # not a full date


@pytest.mark.parametrize(
    "text",
    ["yesterday", "", "17 05", "12/06", "1997", "31/02/1990", "2021-13-01", "12 junk 1997", "june may 2020",
     "1/2/3", "🍁🍁", "9" * 200, "12/06/97 and 13/07/98", "0000-00-00"],
)  # fmt: skip
def test_not_dates(text):
    assert parse_date_parts(text, TODAY) is None
    assert parse_date(text, TODAY) is None


def test_two_digit_years_need_today():
    assert parse_date("25/12/97") is None
    assert parse_date("25/12/97", TODAY) == D(1997, 12, 25)


@pytest.mark.parametrize(
    ("text", "age"),
    [("29", 29), ("i am 29", 29), ("I'm 29", 29), ("29 years old", 29), ("age 29", 29), ("j'ai 29 ans", 29),
     ("29 yrs", 29), ("1997", None), ("i am tall", None), ("12/06/1997", None)],
)  # fmt: skip
def test_ages(text, age):
    assert parse_age(text) == age


# --- through read_answer ---------------------------------------------------------------------------------
def read(qid: str, text: str, answers: dict | None = None):
    return read_answer(BY_ID[qid], text, answers or {}, TODAY, noc=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["12 june 1997", "June 12, 1997", "1997-06-12", "12.06.1997 ", "12th June 1997"])
def test_birth_dates_are_stored_as_iso(text):
    outcome = read("dob", text)
    if isinstance(outcome, Options):
        assert "1997-06-12" in [c.id for c in outcome.choices]
    else:
        assert outcome == Accepted("1997-06-12")


def test_an_ambiguous_date_offers_both_readings_as_buttons_whose_ids_are_the_values():
    outcome = read("dob", "12/06/1997")
    assert isinstance(outcome, Options)
    assert [(c.id, c.label) for c in outcome.choices] == [
        ("1997-06-12", "12 June 1997"),
        ("1997-12-06", "6 December 1997"),
    ]
    assert "12 June 1997" in outcome.message and "6 December 1997" in outcome.message


def test_an_ambiguous_date_with_one_reading_in_the_future_takes_the_other_and_says_so():
    outcome = read("lang1_date", "11/10/2026")  # 11 October 2026 or 10 November 2026; today is 1 December
    assert isinstance(outcome, Options)
    outcome = read("lang1_date", "02/12/2026")  # 2 December (future) or 12 February
    assert outcome == Accepted("2026-02-12", note="I read that as 12 February 2026.")


@pytest.mark.parametrize("text", ["i am 29", "29", "29 years old", "I'm 29"])
def test_an_age_is_never_stored_as_a_birth_date(text):
    outcome = read("dob", text)
    assert isinstance(outcome, Invalid)
    assert "age points change on your birthday" in outcome.message
    assert "1994" in outcome.message and "2021" not in outcome.message  # a birth-date example


def test_a_birth_date_needs_the_day():
    outcome = read("dob", "June 1997")
    assert isinstance(outcome, Invalid) and "day" in outcome.message


def test_the_error_example_fits_the_question():
    assert "1994" in read("dob", "blah").message
    assert "2025" in read("lang1_date", "blah").message
    assert "2021" in read("job_start", "blah").message


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("lang1_date", "feb 2026", "2026-02-01"),
        ("lang1_date", "2026-02", "2026-02-01"),
        ("spouse_date", "02/2026", "2026-02-01"),
        ("job_start", "March 2021", "2021-03-31"),  # a start: the last day (no extra experience)
        ("job_end", "feb 2024", "2024-02-01"),  # an end: the 1st
        ("job_end", "2025-06", "2025-06-01"),
        ("job_end", "December 2026", "2026-12-01"),  # this month: today at the latest
    ],
)
def test_a_month_is_enough_where_it_can_be(qid, text, expected):
    outcome = read(qid, text, {"job_draft": {"job_start": "2020-01-01"}})
    assert isinstance(outcome, Accepted) and outcome.value == expected
    assert outcome.note and spoken(date.fromisoformat(expected)) in outcome.note


@pytest.mark.parametrize(
    "text", ["still working", "present", "currently", "now", "ongoing", "till date", "I still work there",
             "2021 - present", "current job", "Still working there"],
)  # fmt: skip
def test_a_current_job_is_the_still_working_choice(text):
    assert read("job_end", text, {"job_draft": {"job_start": "2020-01-01"}}) == Accepted("ongoing")


@pytest.mark.parametrize(
    ("qid", "text", "answers", "words"),
    [
        ("dob", "2030-01-01", {}, "future"),
        ("dob", "2020-01-01", {}, "years old"),
        ("job_end", "2019-05-01", {"job_draft": {"job_start": "2020-01-01"}}, "before the start"),
        ("job_end", "2019-05", {"job_draft": {"job_start": "2020-01-01"}}, "before the start"),
        ("lang1_date", "jan 2027", {}, "future"),
    ],
)
def test_checks_still_apply(qid, text, answers, words):
    outcome = read(qid, text, answers)
    assert isinstance(outcome, Invalid) and words in outcome.message


# --- properties ------------------------------------------------------------------------------------------
@given(st.text(max_size=60))
def test_parse_date_never_raises_and_what_it_returns_round_trips(text):
    day = parse_date(text, TODAY)
    parsed = parse_date_parts(text, TODAY)
    if day is not None:
        assert date.fromisoformat(day.isoformat()) == day
        assert parse_date(day.isoformat()) == day
    if parsed is not None:
        assert 1 <= len(parsed.candidates) <= 2


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31)))
def test_every_date_written_any_way_reads_back(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(spoken(day)) == day
    assert parse_date(f"{day:%B} {day.day}, {day.year}") == day
    readings = parse_date_parts(f"{day.day:02}/{day.month:02}/{day.year}").candidates
    assert readings[0] == day  # day/month first
    assert len(readings) == (2 if day.day <= 12 and day.day != day.month else 1)


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("dob", "May 17 1994", "1994-05-17"),  # "may" opens questions too, but not this one
        ("job_end", "left in march 2024", "2024-03-01"),
        ("job_start", "joined in Jan 2020", "2020-01-31"),
    ],
)
def test_dates_inside_short_sentences(qid, text, expected):
    outcome = read(qid, text, {"job_draft": {"job_start": "2019-01-01"}})
    assert isinstance(outcome, Accepted) and outcome.value == expected


@pytest.mark.parametrize(
    ("qid", "text", "words"), [("dob", "1994", "day and month of 1994"), ("job_start", "since 2019", "month of 2019")]
)
def test_a_year_alone_asks_for_the_rest(qid, text, words):
    outcome = read(qid, text)
    assert isinstance(outcome, Invalid) and words in outcome.message
