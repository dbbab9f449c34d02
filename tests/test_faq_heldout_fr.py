"""The frozen French held-out set loads with the evaluation loader, names real entries, and is big enough.

Only the file's shape is checked here: its questions are never printed and never tuned on (see the
header of tests/data/faq_heldout_fr.yaml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import DATA_DIR, EvalSet

PATH: Path = DATA_DIR / "faq_heldout_fr.yaml"
MIN_IN_SCOPE = 75
MIN_OUT_OF_SCOPE = 20
MIN_DISTINCT_ENTRIES = 45


@pytest.fixture(scope="module")
def data() -> EvalSet:
    return EvalSet.load(PATH)


def test_header_says_frozen() -> None:
    header = PATH.read_text(encoding="utf-8").split("in_scope:", 1)[0]
    assert "FROZEN" in header and "2026-12-02" in header


def test_every_label_is_an_entry(data: EvalSet) -> None:
    known = load_knowledge_base().by_id()
    unknown = sorted({item.id for item in data.in_scope} - known.keys())
    assert not unknown, f"labels that are not entry ids: {unknown}"


def test_counts_meet_the_minimums(data: EvalSet) -> None:
    assert len(data.in_scope) >= MIN_IN_SCOPE
    assert len(data.out_of_scope) >= MIN_OUT_OF_SCOPE
    assert len({item.id for item in data.in_scope}) >= MIN_DISTINCT_ENTRIES


def test_no_question_twice(data: EvalSet) -> None:
    questions = [item.q for item in data.in_scope] + data.out_of_scope
    assert len(questions) == len(set(questions))
