"""Whatever a person types, reading it never fails, and what is stored has the question's type."""

from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.answers import Accepted, Invalid, Options, parse_scores, read_answer
from flows.questions import QUESTIONS, choices_for
from knowledge.programs.noc import NocIndex, default_noc_index

TODAY = date(2026, 12, 1)
CONTEXT = {"lang1_test": "ielts", "lang2_test": "tef_canada", "spouse_test": "celpip", "lang1_date": "2026-01-10"}
TYPED = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(["yes", "no", "not", "but", "12", "/", "june", "1997", "L", "8", "7.5", "$", "k", "in", "?"]),
        max_size=8,
    ).map(" ".join),
)


@cache
def noc() -> NocIndex:
    return default_noc_index()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(QUESTIONS), TYPED)
def test_read_answer_never_raises_and_accepts_only_values_of_the_right_kind(question, text):
    outcome = read_answer(question, text, CONTEXT, TODAY, noc())
    assert isinstance(outcome, Accepted | Invalid | Options)
    if not isinstance(outcome, Accepted):
        return
    if question.kind in ("choice", "yesno") or (question.kind == "date" and isinstance(outcome.value, str)):
        ids = {c.id for c in choices_for(question, CONTEXT)}
        assert outcome.value in ids or date.fromisoformat(outcome.value) <= TODAY
    if question.kind == "number":
        assert question.minimum is not None and question.maximum is not None
        assert question.minimum <= outcome.value <= question.maximum
    if question.kind == "scores":
        assert list(outcome.value) == ["listening", "reading", "writing", "speaking"]


@given(st.text(max_size=60))
def test_parse_scores_never_raises(text):
    found = parse_scores(text)
    assert isinstance(found, str) or len(found) == 4
