"""A table of what people type at each question: answers must be read as the right value, questions asked
mid-way ("what is an ECA?") must never be taken as an answer. The confusion both ways must be 0.

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from flows.answers import Accepted, Invalid, Options, Unsure, asks_something, read_answer
from flows.faq_replies import looks_like_question
from flows.questions import BY_ID
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 12, 1)
CONTEXT: dict[str, Any] = {  # the earlier answers the rows assume
    "marital": "married",
    "lang1_test": "ielts",
    "lang1_date": "2026-01-10",
    "lang2_test": "tef_canada",
    "lang2_date": "2026-02-01",
    "spouse_test": "celpip",
    "spouse_date": "2025-06-01",
    "job_draft": {"job_start": "2019-01-01"},
}
Q = "not an answer"  # the expected value of a question asked mid-way
IELTS = {"listening": 8.0, "reading": 7.5, "writing": 7.0, "speaking": 7.0}
TEF = {"listening": 612.0, "reading": 575.0, "writing": 590.0, "speaking": 640.0}
CELPIP = {"listening": 9.0, "reading": 8.0, "writing": 8.0, "speaking": 9.0}

ROWS: list[tuple[str, str, Any]] = [
    # date of birth (a tuple: both readings offered as buttons)
    ("dob", "1994-05-17", "1994-05-17"),
    ("dob", "17/05/1994", "1994-05-17"),
    ("dob", "05/17/1994", "1994-05-17"),
    ("dob", "12/06/1997", ("1997-06-12", "1997-12-06")),
    ("dob", "12 june 1997", "1997-06-12"),
    ("dob", "June 12, 1997", "1997-06-12"),
    ("dob", "March 8, 1985", "1985-03-08"),
    ("dob", "8 mars 1985", "1985-03-08"),
    ("dob", "1er mars 1985", "1985-03-01"),
    ("dob", "17.05.1994", "1994-05-17"),
    ("dob", "born 3rd of feb 1990", "1990-02-03"),
    ("dob", "how is age scored", Q),
    ("dob", "what age gets the most points?", Q),
    ("dob", "does my score drop after my birthday?", Q),
    # marital status
    ("marital", "single", "never_married"),
    ("marital", "I'm married", "married"),
    ("marital", "married with 2 kids", "married"),
    ("marital", "common law", "common_law"),
    ("marital", "divorced", "divorced_separated"),
    ("marital", "widow", "widowed"),
    ("marital", "what is common-law?", Q),
    ("marital", "should my wife be the main applicant?", Q),
    # partner
    ("spouse_citizen", "yes he is PR", "yes"),
    ("spouse_citizen", "no", "no"),
    ("spouse_citizen", "nope, she is indian", "no"),
    ("spouse_citizen", "what if my husband is a citizen?", Q),
    ("spouse_coming", "yes", "yes"),
    ("spouse_coming", "yes she will", "yes"),
    ("spouse_coming", "no she stays", "no"),
    # education
    ("education", "2 year diploma", "two_year"),
    ("education", "1 year certificate", "one_year"),
    ("education", "bachelor", "bachelors"),
    ("education", "BSc", "bachelors"),
    ("education", "B.Tech", "bachelors"),
    ("education", "bachelors in commerce", "bachelors"),
    ("education", "masters", "masters"),
    ("education", "MBA", "masters"),
    ("education", "MSc computer science", "masters"),
    ("education", "PhD", "doctoral"),
    ("education", "high school", "secondary"),
    ("education", "does my online degree count?", Q),
    ("education", "does a 2 year diploma count as post-secondary?", Q),
    ("education", "what counts as a bachelor's degree", Q),
    ("education", "is a 3 year bachelor enough?", Q),
    ("education", "tell me about education points", Q),
    # ECA
    ("education_proof", "i have WES", "eca"),
    ("education_proof", "yes, WES", "eca"),
    ("education_proof", "eca done", "eca"),
    ("education_proof", "not yet", "none"),
    ("education_proof", "no eca", "none"),
    ("education_proof", "canadian", "canadian"),
    ("education_proof", "it's from a canadian college", "canadian"),
    ("education_proof", "what is an ECA?", Q),
    ("education_proof", "what is an ECA", Q),
    ("education_proof", "how long does WES take?", Q),
    ("education_proof", "do I need an ECA for a canadian degree?", Q),
    ("education_proof", "which ECA organization should I use", Q),
    # Canadian study
    ("canadian_study", "no", "none"),
    ("canadian_study", "none", "none"),
    ("canadian_study", "2", "one_or_two_years"),
    ("canadian_study", "two years", "one_or_two_years"),
    ("canadian_study", "3+", "three_plus_years"),
    ("canadian_study", "masters", "three_plus_years"),
    # language tests
    ("lang1_test", "ielts", "ielts"),
    ("lang1_test", "IELTS general", "ielts"),
    ("lang1_test", "I took CELPIP", "celpip"),
    ("lang1_test", "pte", "pte_core"),
    ("lang1_test", "not yet", "none"),
    ("lang1_test", "Is my IELTS still valid?", Q),
    ("lang1_test", "which test is easier, ielts or celpip?", Q),
    ("lang1_test", "is PTE accepted for express entry", Q),
    ("lang2_test", "tef", "tef_canada"),
    ("lang2_test", "nope", "none"),
    ("lang2_test", "no french test", "none"),
    # test dates
    ("lang1_date", "2026-01-10", "2026-01-10"),
    ("lang1_date", "10 jan 2026", "2026-01-10"),
    ("lang1_date", "feb 2026", "2026-02-01"),
    ("lang1_date", "2026-02", "2026-02-01"),
    ("lang1_date", "02/2026", "2026-02-01"),
    ("lang1_date", "how long are results valid?", Q),
    ("spouse_date", "March 2025", "2025-03-01"),
    # scores
    ("lang1_scores", "8 7.5 7 7", IELTS),
    ("lang1_scores", "L8 R7.5 W7 S7", IELTS),
    ("lang1_scores", "listening 8 reading 7.5 writing 7 speaking 7", IELTS),
    ("lang1_scores", "L:8, R:7.5, W:7, S:7", IELTS),
    ("lang1_scores", "R 7.5 L 8 S 7 W 7", IELTS),
    ("lang1_scores", "overall 7.5 (L8 R7.5 W7 S7)", IELTS),
    ("lang1_scores", "is 8 7 7 7 good enough?", Q),
    ("lang1_scores", "how do I convert IELTS to CLB", Q),
    ("lang2_scores", "CE 575, CO 612, EE 590, EO 640", TEF),
    ("lang2_scores", "612 575 590 640", TEF),
    ("spouse_scores", "9 8 8 9", CELPIP),
    ("spouse_scores", "L9 R8 W8 S9", CELPIP),
    # work history
    ("job_add", "yes", "yes"),
    ("job_add", "add a job", "yes"),
    ("job_add", "yes one more", "yes"),
    ("job_add", "no more", "no"),
    ("job_add", "no", "no"),
    ("job_add", "done", "no"),
    ("job_add", "that's all", "no"),
    ("job_add", "does unpaid internship count?", Q),
    ("job_noc", "21232", "21232"),
    ("job_noc", "NOC 21232", "21232"),
    ("job_noc", "what is TEER?", Q),
    ("job_noc", "how do I find my NOC code?", Q),
    ("job_where", "philippines", "abroad"),
    ("job_where", "outside, in india", "abroad"),
    ("job_where", "in canada", "canada"),
    ("job_where", "toronto", "canada"),
    ("job_where", "abroad", "abroad"),
    ("job_where", "Dubai, UAE", "abroad"),
    ("job_where", "in Calgary", "canada"),
    ("job_where", "does work in india count?", Q),
    ("job_where", "what if I worked remotely for a canadian company?", Q),
    ("job_start", "March 2021", "2021-03-31"),  # a month read on the safe side: a start on its last day
    ("job_start", "2021-03-15", "2021-03-15"),
    ("job_start", "15/03/2021", "2021-03-15"),
    ("job_end", "still working", "ongoing"),
    ("job_end", "present", "ongoing"),
    ("job_end", "currently", "ongoing"),
    ("job_end", "now", "ongoing"),
    ("job_end", "ongoing", "ongoing"),
    ("job_end", "till date", "ongoing"),
    ("job_end", "Dec 2024", "2024-12-01"),  # an end on its 1st
    ("job_end", "2024-12-20", "2024-12-20"),
    ("job_end", "what if I still work there?", Q),
    ("job_hours", "40", 40),
    ("job_hours", "40 hours", 40),
    ("job_hours", "40h", 40),
    ("job_hours", "40 hrs/week", 40),
    ("job_hours", "37.5", 37.5),
    ("job_hours", "is 30 hours full time?", Q),
    ("job_hours", "do overtime hours count", Q),
    ("job_kind", "employee", "employee"),
    ("job_kind", "self employed", "self_employed"),
    ("job_kind", "freelance", "self_employed"),
    # other factors
    ("coq", "no", "no"),
    ("coq", "yes i do", "yes"),
    ("coq", "what is a certificate of qualification?", Q),
    ("job_offer", "no", "no"),
    ("job_offer", "yes, with LMIA", "yes"),
    ("job_offer", "does my job offer need an LMIA?", Q),
    ("authorized", "yes i have a work permit", "yes"),
    ("nomination", "not yet", "no"),
    ("nomination", "how do I get a provincial nomination?", Q),
    ("sibling", "yes my sister", "yes"),
    ("sibling", "nope", "no"),
    ("sibling", "yeah my brother lives in Toronto", "yes"),
    ("sibling", "does a step brother count?", Q),
    ("relative", "no", "no"),
    ("study_two_years", "no", "no"),
    ("study_two_years", "yes, 2 years at Seneca", "yes"),
    ("family_size", "2", 2),  # the context is married: 1 is refused (the partner counts)
    ("family_size", "3 people", 3),
    ("family_size", "do I count my parents?", Q),
    ("family_size", "who counts in family size", Q),
    ("funds", "$25,000", 25000),
    ("funds", "25 000 $", 25000),
    ("funds", "25k", 25000),
    ("funds", "about 30k CAD", 30000),
    ("funds", "CAD 30,000", 30000),
    ("funds", "30000 dollars", 30000),
    ("funds", "how much money do I need?", Q),
    ("funds", "can I use my parents' money?", Q),
    ("funds", "do I need funds with a job offer", Q),
    ("spouse_education", "bachelors", "bachelors"),
    ("spouse_work", "0", 0),
    ("spouse_work", "none", 0),
    ("spouse_work", "2 years", 2),
    ("spouse_study", "no", "no"),
]


@dataclass
class Confusion:
    answers_right: int = 0
    answers_wrong: int = 0  # read, but as another value
    answers_missed: int = 0  # not read as an answer
    answers_taken_for_questions: int = 0
    questions_taken_for_answers: int = 0
    questions_right: int = 0


def outcome_of(noc, qid: str, text: str) -> Any:
    """The value read (a tuple of ids for options), or None when it is not read as an answer."""
    outcome = read_answer(BY_ID[qid], text, CONTEXT, TODAY, noc)
    if isinstance(outcome, Unsure):
        return None
    if isinstance(outcome, Accepted):
        return outcome.value
    if isinstance(outcome, Options):
        return tuple(c.id for c in outcome.choices)
    assert isinstance(outcome, Invalid)
    return None


@pytest.fixture(scope="module")
def noc():
    return default_noc_index()


def confusion(noc) -> tuple[Confusion, list[str]]:
    found, wrong = Confusion(), []
    for qid, text, expected in ROWS:
        got = outcome_of(noc, qid, text)
        is_question = asks_something(text) or looks_like_question(text)
        if expected == Q:
            if got is None and is_question:
                found.questions_right += 1
            else:
                found.questions_taken_for_answers += 1
                wrong.append(f"{qid}: {text!r} taken as {got!r}")
            continue
        if is_question:
            found.answers_taken_for_questions += 1
            wrong.append(f"{qid}: {text!r} taken for a question")
        if got == expected:
            found.answers_right += 1
        elif got is None:
            found.answers_missed += 1
            wrong.append(f"{qid}: {text!r} not read (expected {expected!r})")
        else:
            found.answers_wrong += 1
            wrong.append(f"{qid}: {text!r} read as {got!r} (expected {expected!r})")
    return found, wrong


def test_the_table_is_big_enough_and_covers_every_kind():
    answers = [r for r in ROWS if r[2] != Q]
    assert len(answers) >= 80 and len(ROWS) - len(answers) >= 25
    assert {BY_ID[qid].kind for qid, _, _ in answers} == {"choice", "yesno", "date", "number", "scores", "noc"}


def test_confusion_both_ways_is_zero(noc):
    found, wrong = confusion(noc)
    answers = found.answers_right + found.answers_wrong + found.answers_missed
    questions = found.questions_right + found.questions_taken_for_answers
    print(
        f"\n{answers} answers: {found.answers_right} read right, {found.answers_wrong} read wrong, "
        f"{found.answers_missed} not read, {found.answers_taken_for_questions} taken for questions\n"
        f"{questions} questions: {found.questions_right} left for the knowledge base, "
        f"{found.questions_taken_for_answers} taken as answers"
    )
    assert wrong == []
    assert found.answers_taken_for_questions == 0 and found.questions_taken_for_answers == 0


def test_a_job_title_is_offered_as_noc_options(noc):
    got = outcome_of(noc, "job_noc", "software developer")
    assert isinstance(got, tuple) and "21232" in got
