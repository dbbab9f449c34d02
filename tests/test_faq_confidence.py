"""The learned ranking and gate (knowledge/faq/confidence.py), how they are fitted (knowledge/faq/fitting.py), and
the decisions the retriever takes with them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.faq.confidence import (
    CANDIDATE_FEATURES,
    GATE_FEATURES,
    MODEL_FILE,
    ConfidenceModels,
    candidate_features,
    gate_features,
    softmax,
)
from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.fitting import (
    CALIBRATION_SETS,
    FOLDS,
    PRIOR,
    Row,
    Scored,
    digests,
    fit_gate,
    fit_ranking,
    fold_of,
    thresholds,
    trained_without,
)
from knowledge.faq.learned import TRAINING_SETS
from knowledge.faq.retriever import FaqRetriever
from knowledge.provenance import read_yaml


@pytest.fixture(scope="module")
def shipped() -> ConfidenceModels:
    return ConfidenceModels.load()


@pytest.fixture(scope="module")
def retriever() -> FaqRetriever:
    return FaqRetriever(load_knowledge_base())


# --- the shipped models -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shipped_models_were_fitted_on_the_training_sets_as_they_are(shipped: ConfidenceModels, language: str):
    # a training set edited without `maple-kb fit` fails here: the thresholds would no longer be the measured ones
    model = shipped.languages[language]
    assert model.fitted.sets == digests(language)
    assert model.fitted.folds == FOLDS and model.fitted.semantic == (language == "en")
    assert set(model.ranking) == set(CANDIDATE_FEATURES) and set(model.gate) == set(GATE_FEATURES) == set(model.scope)
    assert 0.5 < model.answer_at < 1 and 0 < model.suggest_at < 1 and 0 < model.offer_at < 0.5
    assert MODEL_FILE.exists() and shipped.source.startswith("fitted by `maple-kb fit`")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_recorded_figures_meet_the_targets_the_fit_aimed_at(shipped: ConfidenceModels, language: str):
    figures = {f.name: f for f in shipped.languages[language].fitted.figures}
    calibration = [figures[p.name] for p in CALIBRATION_SETS[language]]
    assert calibration, "every language has its calibration sets"
    answered_wrong = sum(f.answered_wrong * f.in_scope for f in calibration) / sum(f.in_scope for f in calibration)
    assert answered_wrong <= 0.02  # the fit's max_wrong
    # the out-of-scope questions like people's (the training ones teach the boundary: see thresholds())
    refused = sum(f.refused * f.out_of_scope for f in calibration) / sum(f.out_of_scope for f in calibration)
    assert refused >= 0.95


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_calibration_set_is_scored_by_models_that_never_trained_on_its_questions(language: str):
    # the shipped models train on every set; a calibration set's figures come from models fitted without it, and
    # none of its questions is in another training set word for word (or those models would have seen it)
    total = 0
    for path in CALIBRATION_SETS[language]:
        others = trained_without(language, path)
        assert path in TRAINING_SETS[language] and path not in others
        assert len(others) == len(TRAINING_SETS[language]) - 1
        seen = {x["q"].strip().lower() for p in others for x in (read_yaml(p) or {}).get("in_scope") or []}
        questions = {x["q"].strip().lower() for x in read_yaml(path)["in_scope"]}
        assert len(questions) >= 150 and len(questions & seen) == 0
        total += len(questions)
    assert total >= 400  # the thresholds are chosen on this many people's questions


# --- the models' arithmetic ------------------------------------------------------------------------------------


@dataclass
class Candidate:
    score: float = 5.0
    coverage: float = 1.0
    precision: float = 1.0
    similarity: float = 0.0
    semantic_centroid: float = 0.0
    phrase_terms: int = 3
    centroid: float = 0.5
    nearest: float = 0.5
    relative: float = 1.0
    outside: float = 0.0
    unlike: float = 0.0


def test_candidate_features_follow_the_names():
    row = candidate_features([Candidate(centroid=0.3, nearest=0.7, phrase_terms=12, score=np.e - 1)])[0]
    named = dict(zip(CANDIDATE_FEATURES, row, strict=True))
    assert named["centroid"] == 0.3 and named["nearest"] == 0.7
    assert named["terms"] == 1.0 and named["score"] == pytest.approx(1.0)  # capped; log1p
    assert candidate_features([]).shape == (0, len(CANDIDATE_FEATURES))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-20, 20), min_size=1, max_size=16), st.floats(0.05, 5))
def test_softmax_is_a_distribution_and_keeps_the_order(scores, temperature):
    p = softmax(np.array(scores), temperature)
    assert p.sum() == pytest.approx(1.0) and np.all(p >= 0)
    for i, j in zip(range(len(scores)), range(1, len(scores)), strict=False):
        if scores[i] > scores[j]:
            assert p[i] >= p[j]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=16))
def test_confidence_and_scope_are_probabilities(values):
    model = ConfidenceModels.load().languages["en"]
    candidates = [Candidate(centroid=v, nearest=1 - v, relative=v) for v in values]
    scores, probabilities, _ = model.rank(candidates)
    order = np.argsort(-scores, kind="stable")
    ranked = [candidates[i] for i in order]
    confidence, in_scope = model.confidence(ranked, scores[order], float(probabilities[order[0]]), 3)
    assert 0 <= confidence <= 1 and 0 <= in_scope <= 1


def test_the_gate_reads_the_lead_over_the_second():
    features = candidate_features([Candidate(centroid=0.9), Candidate(centroid=0.2)])
    named = dict(zip(GATE_FEATURES, gate_features(features, np.array([2.0, 0.5]), 0.8, 4), strict=True))
    assert named["rank_lead"] == 1.5 and named["centroid_lead"] == pytest.approx(0.7) and named["words"] == 0.4
    alone = dict(zip(GATE_FEATURES, gate_features(features[:1], np.array([2.0]), 1.0, 4), strict=True))
    assert alone["rank_lead"] == 2.0 and alone["centroid_lead"] == pytest.approx(0.9)


# --- fitting ----------------------------------------------------------------------------------------------------


def _row(right: int, features: np.ndarray, name: str = "set.yaml", q: str = "q") -> Row:
    ids = [f"e{i}" for i in range(len(features))]
    return Row(name, q, ids[right], None, features, ids, 3)


def test_the_ranking_learns_the_feature_that_finds_the_right_entry():
    rng = np.random.default_rng(7)
    rows = []
    for n in range(200):
        features = rng.uniform(0, 1, size=(5, len(CANDIDATE_FEATURES)))
        right = int(np.argmax(features[:, CANDIDATE_FEATURES.index("coverage")]))  # coverage tells, nothing else
        rows.append(_row(right, features, q=str(n)))
    weights = fit_ranking(rows)
    coverage = CANDIDATE_FEATURES.index("coverage")
    assert weights[coverage] > PRIOR["coverage"] + 1.0 and weights[coverage] == max(weights)
    assert np.array_equal(weights, fit_ranking(rows))  # deterministic


def test_the_gate_learns_a_separating_feature_and_stays_finite_when_separable():
    x = np.linspace(0, 1, 200)
    inputs = np.column_stack([np.ones_like(x), x, np.zeros((200, len(GATE_FEATURES) - 2))])
    labels = (x > 0.5).astype(float)
    coefficients = fit_gate(inputs, labels)
    assert np.all(np.isfinite(coefficients)) and coefficients[1] > 5
    p = 1 / (1 + np.exp(-(inputs @ coefficients)))
    assert np.all(np.diff(p) >= 0) and p[0] < 0.1 and p[-1] > 0.9


def _scored(set_name: str, entry_id: str | None, top: str, confidence: float, in_scope: float) -> Scored:
    row = Row(set_name, f"{set_name}{entry_id}{confidence}{in_scope}", entry_id, None, np.zeros((1, 9)), [top], 3)
    return Scored(row, confidence, in_scope, top, [top])


CALIBRATION = frozenset({"faq_dev_gate.yaml"})


@pytest.mark.parametrize(
    ("items", "max_wrong", "answer_at"),
    [
        # right answers are confident, the wrong one is not: answer from the least confident right one above it
        ([("a", 0.95), ("a", 0.9), ("b", 0.6), ("a", 0.8)], 0.0, 0.8),
        # a wrong answer allowed, but it adds no right one: still not answered
        ([("a", 0.95), ("a", 0.9), ("b", 0.6), ("a", 0.8)], 0.25, 0.8),
        # one wrong answer allowed among four, and answering it also answers a right one below it
        ([("a", 0.95), ("b", 0.6), ("a", 0.5), ("a", 0.9)], 0.25, 0.5),
        # a confident wrong answer and none allowed: answer only above it
        ([("a", 0.99), ("b", 0.97), ("a", 0.8)], 0.0, 0.99),
    ],
)
def test_the_answer_threshold_answers_the_most_within_the_wrong_answers_allowed(items, max_wrong, answer_at):
    scored = [_scored("faq_dev_gate.yaml", "a", top, c, 0.0) for top, c in items]
    assert thresholds(scored, max_wrong, 0.0, CALIBRATION)[0] == answer_at


def test_the_suggestion_threshold_offers_choices_while_out_of_scope_questions_stay_refused():
    answered = _scored("faq_dev_gate.yaml", "a", "a", 0.99, 0.99)
    unsure = _scored("faq_dev_gate.yaml", "a", "a", 0.2, 0.7)  # not confident, but the right entry would be offered
    outside = [_scored("oos.yaml", None, "x", 0.1, s) for s in (0.2, 0.4, 0.6, 0.8)]
    # three of four out-of-scope questions refused: the unsure one is offered its choices (0.8 is offered them too)
    assert thresholds([answered, unsure, *outside], 0.0, 0.75, CALIBRATION) == (0.99, 0.7, 0.0)
    # all of them refused: no threshold offers the unsure one its choices without offering 0.8 some too
    assert thresholds([answered, unsure, *outside], 0.0, 1.0, CALIBRATION)[1] > 0.8


def test_the_calibration_sets_out_of_scope_questions_must_be_refused_too_not_only_all_of_them_pooled():
    answered = _scored("faq_dev_gate.yaml", "a", "a", 0.99, 0.99)
    unsure = _scored("faq_dev_gate.yaml", "a", "a", 0.2, 0.7)
    training = [_scored("oos.yaml", None, "x", 0.1, 0.1 + n / 1000) for n in range(10)]  # refused at any threshold
    # pooled, 10 of 12 are refused at any threshold; the two like people's questions are the ones that leak
    leaky = [_scored(name, None, "x", 0.1, s) for name, s in (("faq_dev_gate.yaml", 0.6), ("faq_dev_gate.yaml", 0.8))]
    assert thresholds([answered, unsure, *training, *leaky], 0.0, 0.75, CALIBRATION)[1] > 0.8
    # the same two in a training set: the pooled share alone decides, and the unsure question gets its choices
    aside = [_scored("oos.yaml", None, "x", 0.1, s) for s in (0.6, 0.8)]
    assert thresholds([answered, unsure, *training, *aside], 0.0, 0.75, CALIBRATION) == (0.99, 0.7, 0.0)


def test_an_answer_also_needs_the_scope_when_confident_out_of_scope_questions_would_be_answered():
    right = [_scored("faq_dev_gate.yaml", "a", "a", 0.9, 0.95) for _ in range(3)]
    # confident, but the scope model doubts it: answering it would leave only 4 of 5 refused
    outside = [_scored("faq_dev_gate.yaml", None, "x", 0.95, 0.55), *(_scored("oos.yaml", None, "x", 0.1, 0.1),) * 4]
    answer_at, _, answer_in_scope_at = thresholds([*right, *outside], 0.0, 1.0, CALIBRATION)
    assert answer_at <= 0.9 and 0.55 < answer_in_scope_at <= 0.95  # the right ones answered, the doubtful one not
    # the same question, confidently in scope: no scope threshold needed, and answering it is wrong for a gate of 0.95
    assert thresholds([*right, *outside[1:]], 0.0, 1.0, CALIBRATION)[2] == 0.0


def test_folds_are_stable_and_spread():
    questions = [f"question {n}" for n in range(1000)]
    folds = [fold_of(q) for q in questions]
    assert folds == [fold_of(q) for q in questions] and fold_of("ECA?") == fold_of("eca?")
    assert all(150 <= folds.count(f) <= 250 for f in range(FOLDS))


# --- the retriever's decisions with the models ------------------------------------------------------------------


def _with(retriever: FaqRetriever, **changes: float) -> FaqRetriever:
    models = dict(retriever.models)
    models["en"] = models["en"].model_copy(update=changes)
    clone = object.__new__(FaqRetriever)
    clone.__dict__.update(retriever.__dict__, models=models)
    return clone


# none typed exactly as an entry's phrasing (that is answered before any gate)
QUESTIONS = ["my online certificate, does it count?", "spouse", "how long is my eca valid", "what about the thing"]


def test_the_decision_follows_the_thresholds(retriever: FaqRetriever):
    for question in QUESTIONS:
        shipped = retriever.ask(question)
        assert shipped.confidence is not None and shipped.in_scope is not None
        always = _with(retriever, answer_at=0.0, answer_outside_at=0.0, answer_in_scope_at=0.0).ask(question)
        never = _with(retriever, answer_at=1.01, suggest_at=1.01).ask(question)
        assert always.kind == "answer" and always.entry is not None
        assert always.entry.id == shipped.matches[0].entry_id  # the same ranking, only the gate moved
        assert never.kind == "dont_know" and never.entry is None and never.suggestions == []
        expected = "answer" if shipped.confidence >= retriever.models["en"].answer_at else shipped.kind
        assert shipped.kind == expected


@pytest.mark.parametrize(("word", "answered"), [("ielts", False), ("pr", False), ("draw", False), ("eca", True)])
def test_one_word_is_answered_only_by_an_entry_whose_question_names_it(retriever: FaqRetriever, word, answered):
    # a stranger typed "ielts" and got the spouse's language test, "pr" and got the fees: one word is a topic
    result = _with(retriever, answer_at=0.0, answer_in_scope_at=0.0).ask(word)  # however confident the gate
    assert (result.kind == "answer") == answered
    if not answered:
        assert result.kind == "suggest" and result.suggestions[0].id == result.matches[0].entry_id


@pytest.mark.parametrize(
    ("question", "kind", "entry", "phrase"),
    [
        # it names a work permit, and asks an entry's question: the learned models answer it (the rule refused it)
        ("im on a work permit in canada, where do i give my biometrics for pr", "answer", "biometrics", None),
        ("how do i extend my study permit", "out_of_scope", None, "study permit"),  # no entry: outside, said so
        ("can i apply for citizenship after 3 years", "out_of_scope", None, "citizenship"),
    ],
)
def test_a_question_naming_another_process_is_decided_by_the_learned_scope(retriever, question, kind, entry, phrase):
    result = retriever.ask(question)
    assert result.kind == kind and (result.entry.id if result.entry else None) == entry
    assert result.scope_phrase == phrase
    assert result.matches[0].outside == 1.0  # searched without the phrase, and the models were told


def test_an_answer_carries_the_nearest_entries_under_it_and_a_suggestion_the_likely_ones(retriever: FaqRetriever):
    answer = retriever.ask("how long is my eca valid")
    assert answer.kind == "answer" and answer.entry is not None and answer.entry.id == "eca-validity"
    assert 1 <= len(answer.related) <= 2 and answer.entry not in answer.related
    choices = retriever.ask("spouse")
    assert choices.kind == "suggest" and 2 <= len(choices.suggestions) <= 3
    assert all(m.probability >= retriever.models["en"].offer_at for m in choices.matches[: len(choices.suggestions)])


def test_without_models_the_hand_set_gate_decides(retriever: FaqRetriever):
    rules = FaqRetriever(load_knowledge_base(), models=ConfidenceModels.none())
    assert rules.models == {} and rules.semantic is None  # no model reads the embedding: it is not loaded
    result = rules.ask("my online certificate, does it count?")
    assert result.kind == "answer" and result.confidence is None
