"""Yes/no and fixed choices read from sentences; places from the data table; "I don't know" at any question."""

from __future__ import annotations

from datetime import date

import pytest

from flows.answers import Accepted, Invalid, Unsure, is_unsure, places, read_answer, yes_or_no
from flows.questions import BY_ID, QUESTIONS

TODAY = date(2026, 12, 1)


def read(qid: str, text: str, answers: dict | None = None):
    return read_answer(BY_ID[qid], text, answers or {}, TODAY, noc=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Yes my sister", "yes"),
        ("yes he is PR", "yes"),
        ("yes i do", "yes"),
        ("yeah, my brother", "yes"),
        ("well yes", "yes"),
        ("of course", "yes"),
        ("i do", "yes"),
        ("i have one", "yes"),
        ("nope", "no"),
        ("no", "no"),
        ("no more", "no"),
        ("not yet", "no"),
        ("nah", "no"),
        ("no he is not", "no"),
        ("i don't", "no"),
        ("i have no siblings", "no"),
        ("never", "no"),
        ("no, but my brother does", "unclear"),
        ("yes but he is not a citizen", "unclear"),
        ("yes, not a citizen", "unclear"),
        ("maybe", None),
        ("yes and no", "unclear"),
        ("my sister", None),
        ("", None),
    ],
)
def test_yes_or_no(text, expected):
    assert yes_or_no(text) == expected


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("sibling", "yes my sister", "yes"),
        ("spouse_citizen", "yes he is PR", "yes"),
        ("sibling", "nope", "no"),
        ("coq", "yes i do", "yes"),
        ("job_add", "no more", "no"),
        ("job_add", "that's all", "no"),
        ("job_add", "yes, one more", "yes"),
        ("job_add", "add another", "yes"),
        ("education_proof", "i have WES", "eca"),
        ("education_proof", "yes, from WES", "eca"),
        ("education_proof", "not yet", "none"),
        ("education_proof", "no eca yet", "none"),
        ("education_proof", "it's canadian", "canadian"),
        ("lang1_test", "I took IELTS", "ielts"),
        ("lang1_test", "celpip general", "celpip"),
        ("lang2_test", "nope", "none"),
        ("marital", "I am married", "married"),
        ("marital", "never married", "never_married"),
        ("marital", "legally separated", "legally_separated"),
        ("job_kind", "I was a freelancer", "self_employed"),
    ],
)
def test_choices_in_sentences(qid, text, expected):
    assert read(qid, text, {"lang1_test": "ielts"}) == Accepted(expected)


@pytest.mark.parametrize(
    ("qid", "text"),
    [
        ("sibling", "no, but my brother does"),
        ("sibling", "my sister lives in Toronto"),
        ("education_proof", "I don't have WES"),
        ("education_proof", "yes, it's canadian"),
        ("marital", "married but separated"),
        ("marital", "it's complicated"),
        ("job_where", "remote for a canadian company from india"),
        ("lang1_test", "not yet, planning ielts in march"),
        ("education", "bachelor and master"),
        ("sibling", "i have a cousin there"),
        ("authorized", "i am a student"),
        ("spouse_citizen", "she is a nurse"),
    ],
)
def test_unclear_sentences_are_not_guessed(qid, text):
    assert isinstance(read(qid, text), Invalid)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 year diploma", "two_year"),
        ("two-year college diploma", "two_year"),
        ("1 year certificate", "one_year"),
        ("one year diploma", "one_year"),
        ("bachelor", "bachelors"),
        ("bachelor's degree", "bachelors"),
        ("BSc", "bachelors"),
        ("B.Sc. in physics", "bachelors"),
        ("B.Tech", "bachelors"),
        ("BE in civil engineering", "bachelors"),
        ("4 year degree", "bachelors"),
        ("masters", "masters"),
        ("Master's in CS", "masters"),
        ("MBA", "masters"),
        ("M.Tech", "masters"),
        ("PhD", "doctoral"),
        ("Ph.D.", "doctoral"),
        ("doctorate in chemistry", "doctoral"),
        ("high school", "secondary"),
        ("12th grade", "secondary"),
        ("high school diploma", "secondary"),
        ("bachelr", "bachelors"),  # misspelt
    ],
)
def test_education(text, expected):
    outcome = read("education", text)  # read from words, the level is said back in a note
    assert isinstance(outcome, Accepted) and outcome.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("philippines", "abroad"),
        ("Philipines", "abroad"),
        ("outside, in india", "abroad"),
        ("in India", "abroad"),
        ("Dubai", "abroad"),
        ("in the US", "abroad"),
        ("UK", "abroad"),
        ("Côte d'Ivoire", "abroad"),
        ("maroc", "abroad"),
        ("outside of canada", "abroad"),
        ("not in canada", "abroad"),
        ("in canada", "canada"),
        ("toronto", "canada"),
        ("Montréal", "canada"),
        ("Vancouver, BC", "canada"),
        ("ontario", "canada"),
        ("in in canada", "canada"),  # close to "not in canada", but a typo never adds a "not"
        ("in canda", "canada"),
    ],
)
def test_job_location_from_place_names(text, expected):
    assert read("job_where", text) == Accepted(expected)


def test_place_table_is_consistent():
    table = places()
    assert set(table) == {"canada", "abroad"}
    assert len(table["abroad"]) > 190
    assert not set(table["canada"]) & set(table["abroad"])
    assert all(name == name.strip().lower() for names in table.values() for name in names)


# --- not knowing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["I don't know", "idk", "not sure", "No idea", "dunno", "?", "I forgot", "je ne sais pas"]
)
def test_unsure_phrases(text):
    assert is_unsure(text)


@pytest.mark.parametrize(
    "text", ["no", "yes", "1990-01-01", "know", "sure", "I don't know the code but I was a cook in a restaurant"]
)
def test_answers_are_not_unsure(text):
    assert not is_unsure(text)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_not_knowing_explains_every_question(question):
    answers = {"lang1_test": "ielts", "lang2_test": "tef_canada", "spouse_test": "celpip"}
    outcome = read_answer(question, "not sure", answers, TODAY, None)  # type: ignore[arg-type]
    assert isinstance(outcome, Unsure) and outcome.choices == []  # a dialogue unaware of Unsure re-asks
    assert question.hint and question.hint in outcome.message


@pytest.mark.parametrize(
    ("qid", "words"),
    [("job_noc", "NOC"), ("lang1_date", "Test Report Form"), ("dob", "birthday"), ("education_proof", "WES")],
)
def test_unsure_says_where_to_find_the_answer(qid, words):
    assert words in read(qid, "idk", {"lang1_test": "ielts"}).message


def test_unsure_offers_the_likely_choice_where_there_is_one():
    outcome = read("education_proof", "I don't know")
    assert isinstance(outcome, Unsure) and outcome.best_guess is not None and outcome.best_guess.id == "none"
    assert "most likely" in outcome.message
    assert read("sibling", "not sure").best_guess is None  # no guess where none is safe


@pytest.mark.parametrize(
    "text", ["currently doing masters", "pursuing PhD", "bachelor not completed", "final year BSc"]
)
def test_an_unfinished_credential_is_not_taken(text):
    outcome = read("education", text)
    assert isinstance(outcome, Invalid)
    assert "completed" in outcome.message or "Please tap" in outcome.message
