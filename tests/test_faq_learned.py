"""The learned ranking signal (knowledge/faq/learned.py) and the examples it is trained on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge.faq.analysis import Analyzer, Glossary
from knowledge.faq.confidence import ConfidenceModels
from knowledge.faq.entries import KnowledgeBase, load_knowledge_base
from knowledge.faq.evaluation import EvalSet
from knowledge.faq.learned import (
    CALIBRATION_DIR,
    LABELLED_DIR,
    TRAINING_SETS,
    EntryClassifier,
    Example,
    load_examples,
    load_outside,
    unknown_ids,
)
from knowledge.faq.retriever import FaqRetriever, Gate

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def analyzer(kb: KnowledgeBase) -> Analyzer:
    analyzer = Analyzer("en", Glossary.load())
    analyzer.learn([t for e in kb.entries for t in (e.question, *e.phrasings, e.answer)])
    return analyzer


@pytest.fixture(scope="module")
def classifier(kb: KnowledgeBase, analyzer: Analyzer) -> EntryClassifier:
    return EntryClassifier(analyzer, kb, load_examples())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_examples_are_the_labelled_sets_and_nothing_measured_on(kb: KnowledgeBase, language: str):
    # never a held-out set (they measure the unseen: tests/data holds them, and only them)
    examples = load_examples(TRAINING_SETS[language])
    assert all(
        p.parent.is_relative_to(LABELLED_DIR) or p.parent.is_relative_to(CALIBRATION_DIR)
        for p in TRAINING_SETS[language]
    )
    paths = TRAINING_SETS[language]
    expected = [Example(q=item.q, id=item.id) for path in paths for item in EvalSet.load(path).in_scope]
    assert examples == expected and len(examples) >= {"en": 1600, "fr": 650}[language]
    assert unknown_ids(examples, kb) == []
    # the writers of the training sets never saw a held-out set: a question typed the same way by two people ("max
    # crs score") is a coincidence, and a rare one (2026-12-02: at most 28 of 380, v5, short everyday questions);
    # checked without a message, which would print frozen questions
    asked = {e.q for e in examples} | set(load_outside(TRAINING_SETS[language]))
    for path in DATA.glob("faq_heldout*.yaml"):
        measured = _questions(EvalSet.load(path))
        shared = len(measured & asked) / len(measured)
        assert shared <= 0.08, path.name


def _questions(data: EvalSet) -> set[str]:
    return {i.q for i in data.in_scope} | set(data.out_of_scope)


def test_the_out_of_scope_questions_are_one_more_class_read_apart_from_the_entries(
    kb: KnowledgeBase, analyzer: Analyzer
):
    examples = [Example(q="what is an eca", id="eca-what")]
    outside = ["how do i renew my passport at the embassy", "best pizza in toronto"]
    plain, learned = EntryClassifier(analyzer, kb, examples), EntryClassifier(analyzer, kb, examples, "en", outside)
    for question in ["what is an eca", "renew my passport at the embassy", "pizza in toronto", ""]:
        one, two = plain.scores(question), learned.scores(question)
        assert one.centroid.shape == two.centroid.shape == (len(kb.entries),) and one.outside == 0.0
        assert 0.0 <= two.outside <= 1.0 + 1e-5
    assert learned.scores("best pizza in toronto").outside == pytest.approx(1.0, abs=1e-5)  # itself
    assert learned.scores("pizza in toronto").outside > learned.scores("what is an eca").outside
    # the shipped questions: every labelled out-of-scope question of the language
    assert len(load_outside(TRAINING_SETS["en"])) >= 1200 and len(load_outside(TRAINING_SETS["fr"])) >= 600


def test_an_unknown_entry_id_is_reported_and_left_out_of_training(kb: KnowledgeBase, analyzer: Analyzer):
    examples = [Example(q="what is an eca", id="eca-what"), Example(q="renamed", id="no-such-entry")]
    assert unknown_ids(examples, kb) == ["no-such-entry"]
    with_unknown = EntryClassifier(analyzer, kb, examples)
    without = EntryClassifier(analyzer, kb, examples[:1])
    assert with_unknown.examples == without.examples


def test_each_entry_holds_its_own_question_and_phrasings_as_nearest_examples(
    kb: KnowledgeBase, classifier: EntryClassifier
):
    for number, entry in enumerate(kb.entries):
        for text in (entry.question, *entry.phrasings):
            scores = classifier.scores(text)
            assert scores.nearest[number] == pytest.approx(1.0, abs=1e-5), (entry.id, text)


def test_the_centroid_ranks_most_held_phrasings_first(kb: KnowledgeBase, classifier: EntryClassifier):
    # measured 2026-12-02: 88.3% (657 of 744); 2026-12-03: 84.8% (634 of 748): 2,600 labelled questions, most of
    # them written as people ask, pull each centroid towards how people ask, away from the entries' own phrasings
    texts = [(n, t) for n, e in enumerate(kb.entries) for t in (e.question, *e.phrasings)]
    first = sum(int(np.argmax(classifier.scores(t).centroid)) == n for n, t in texts)
    assert first / len(texts) >= 0.83


def test_scores_are_cosines_and_deterministic(kb: KnowledgeBase, analyzer: Analyzer, classifier: EntryClassifier):
    again = EntryClassifier(analyzer, kb, load_examples())
    for question in ["how long is my ECA valid", "my wife is PR does she count for funds", "", "??", "zzzz qqqq"]:
        one, two = classifier.scores(question), again.scores(question)
        assert np.array_equal(one.centroid, two.centroid) and np.array_equal(one.nearest, two.nearest)
        for values in (one.centroid, one.nearest):
            assert values.shape == (len(kb.entries),)
            assert np.all(values >= -1e-6) and np.all(values <= 1 + 1e-5)
    empty = classifier.scores("")
    assert not empty.centroid.any() and not empty.nearest.any()


def _swap_letters(text: str) -> str:
    """The question with the 3rd and 4th letters of its longest word swapped ("assessment" -> "asessment")."""
    words = text.split()
    longest = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[longest]
    words[longest] = word[:2] + word[3] + word[2] + word[4:] if len(word) >= 5 else word
    return " ".join(words)


def test_a_typo_in_the_longest_word_keeps_the_entry_first(kb: KnowledgeBase, classifier: EntryClassifier):
    # measured 2026-12-02: 109 of 110 entries' questions keep their entry first with the typo
    first = 0
    for number, entry in enumerate(kb.entries):
        scores = classifier.scores(_swap_letters(entry.question))
        first += int(np.argmax(scores.centroid + scores.nearest)) == number
    assert first / len(kb.entries) >= 0.95


@pytest.mark.parametrize(
    ("name", "language"), [("faq_heldout.yaml", "en"), ("faq_heldout_fr.yaml", "fr"), ("faq_heldout_fr_v2.yaml", "fr")]
)
def test_the_learned_signal_lifts_the_ranking_over_lexical_alone(kb: KnowledgeBase, name: str, language: str):
    # held-out questions are never training examples; top-1 measured 2026-12-02 with the hand-set rank formula
    # (lexical strength + centroid + nearest): old held-out 86.4% -> 92.4%, French 86.9% -> 91.5%, 80.0% -> 85.6%;
    # with 9 French phrasings per entry (3 before) the lexical index alone is stronger: French v2 92.2% -> 95.0%
    data = EvalSet.load(DATA / name)
    fused = FaqRetriever(kb, models=ConfidenceModels.none())
    lexical = FaqRetriever(kb, gate=Gate(centroid_weight=0.0, nearest_weight=0.0))
    assert lexical.learned == {} and set(fused.learned) == {"en", "fr"}

    def top1(retriever: FaqRetriever) -> float:
        found = [retriever.search(i.q, language, k=1)[0].entry_id == i.id for i in data.in_scope]
        return sum(found) / len(found)

    assert top1(fused) >= top1(lexical) + 0.02


def test_a_question_asked_like_an_example_of_one_entry_is_answered(kb: KnowledgeBase):
    retriever = FaqRetriever(kb)
    result = retriever.ask("do i have to do my medical before the ita")  # a tuning example of medical-exam
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "medical-exam"
    assert result.matches[0].nearest == pytest.approx(1.0, abs=1e-5)


def test_the_training_sets_are_labelled_sets_of_questions_and_ids():
    for path in (p for paths in TRAINING_SETS.values() for p in paths):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all(set(item) == {"q", "id"} for item in raw["in_scope"]), path.name
