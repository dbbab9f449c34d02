"""The ranking's weights and the gate's confidence, learned from labelled questions.

Two small linear models per language, fitted by ``maple-kb fit`` (:mod:`knowledge.faq.fitting`) on
out-of-fold figures of the labelled sets (each question ranked by an index whose learned signal never
saw it), stored with their provenance in ``knowledge/data/faq/confidence.yaml``:

- **ranking**: each candidate entry scores ``weights · features`` (its lexical strength relative to the
  strongest candidate, similarity to the entry's centroid and nearest labelled example, coverage of the
  question, how much of a phrasing the question holds, BM25 score, the phrasing's length, and, when the
  embedding model is on, its cosine similarity); a softmax over the candidates (divided by
  ``temperature``) gives each one's probability of being the entry asked;
- **gate**: two logistic models over the ranked list (the top entry's figures, its lead over the
  second, its probability, the question's length): ``gate`` gives the probability that the top entry
  is the right one (out-of-scope questions count as wrong), ``scope`` the probability that some entry
  answers the question at all. At or above ``answer_at`` (and ``answer_in_scope_at`` in scope) the top
  entry is the answer (with the next likely ones as buttons under it); otherwise, at or above
  ``suggest_at`` in scope, the likely entries are offered as choices; below, "I don't know".

Pure numpy; the same figures give the same decision. Nothing here knows the knowledge base's content.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Protocol

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge.faq.entries import Language
from knowledge.provenance import DATA_DIR

MODEL_FILE = DATA_DIR / "faq" / "confidence.yaml"
CANDIDATE_FEATURES = (
    "strength",
    "centroid",
    "nearest",
    "coverage",
    "precision",
    "score",
    "terms",
    "similarity",
    "semantic_centroid",
    "outside",
    "unlike",
)
GATE_FEATURES = (
    "bias",
    "rank",
    "rank_lead",
    "probability",
    "centroid",
    "nearest",
    "centroid_lead",
    "nearest_lead",
    "coverage",
    "precision",
    "score",
    "terms",
    "words",
    "strength_lead",
    "similarity",
    "similarity_lead",
    "outside",
    "unlike",
)
TERMS_CAP = 6  # a phrasing of six content words or more counts as long
WORDS_CAP = 10  # a question of ten content words or more counts as long


class Candidate(Protocol):
    """What the models read of a ranked entry (``knowledge.faq.retriever.Match``)."""

    score: float
    coverage: float
    precision: float
    similarity: float
    semantic_centroid: float
    phrase_terms: int
    centroid: float
    nearest: float
    relative: float  # lexical strength relative to the strongest candidate of the question
    outside: float  # 1: the question names something outside Express Entry ("study permit"), searched without it
    unlike: float  # the question's learned similarity to the nearest out-of-scope example


def candidate_features(candidates: list[Candidate]) -> np.ndarray:
    """One row per candidate, one column per name of :data:`CANDIDATE_FEATURES`."""
    return np.array(
        [
            [
                c.relative,
                c.centroid,
                c.nearest,
                c.coverage,
                c.precision,
                math.log1p(max(c.score, 0.0)),
                min(c.phrase_terms, TERMS_CAP) / TERMS_CAP,
                c.similarity,
                c.semantic_centroid,
                c.outside,
                c.unlike,
            ]
            for c in candidates
        ],
        dtype=np.float64,
    ).reshape(len(candidates), len(CANDIDATE_FEATURES))


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    if not len(scores):
        return scores
    scaled = scores / temperature
    exp = np.exp(scaled - scaled.max())
    return exp / exp.sum()


def gate_features(features: np.ndarray, scores: np.ndarray, probability: float, words: int) -> np.ndarray:
    """The gate's inputs from the ranked candidates' features and scores (best first)."""
    top = features[0]
    runner = features[1] if len(features) > 1 else np.zeros_like(top)
    second = float(scores[1]) if len(scores) > 1 else 0.0
    named = {
        "bias": 1.0,
        "rank": float(scores[0]),
        "rank_lead": float(scores[0]) - second,
        "probability": probability,
        "centroid": top[1],
        "nearest": top[2],
        "centroid_lead": top[1] - runner[1],
        "nearest_lead": top[2] - runner[2],
        "coverage": top[3],
        "precision": top[4],
        "score": top[5] / 3,
        "terms": top[6],
        "words": min(words, WORDS_CAP) / WORDS_CAP,
        "strength_lead": top[0] - runner[0],
        "similarity": top[7],
        "similarity_lead": top[7] - runner[7],
        "outside": top[9],
        "unlike": top[10],
    }
    return np.array([named[name] for name in GATE_FEATURES], dtype=np.float64)


class SetFigures(BaseModel):
    """Figures of one labelled set at the chosen thresholds (shares of its questions): out of fold for a training
    set, as deployed for a calibration set."""

    name: str
    in_scope: int
    out_of_scope: int
    top1: float
    answered_right: float
    answered_wrong: float
    refused: float


class Fitted(BaseModel):
    """Where a language's models come from."""

    on: date
    sets: dict[str, str]  # file name -> sha256 of its content: a changed set needs a new fit
    folds: int
    semantic: bool  # fitted with the embedding model's similarity as a feature
    figures: list[SetFigures] = Field(default_factory=list)


class LanguageModels(BaseModel):
    """The ranking weights and the gate of one language."""

    model_config = ConfigDict(frozen=True)

    ranking: dict[str, float]
    temperature: float
    gate: dict[str, float]  # P(the top entry is right)
    scope: dict[str, float]  # P(some entry answers the question)
    answer_at: float  # on the gate
    answer_in_scope_at: float = 0.0  # ...and an answer needs this much on the scope too
    answer_outside_at: float = 0.0  # ...and this much on the gate when the question names a scope phrase
    suggest_at: float  # on the scope
    offer_at: float  # an entry is offered as a choice instead of an answer from this probability
    related_at: float = 0.01  # ...and as a button under an answer (the two nearest) from this one (or covering)
    fitted: Fitted

    def kind(self, confidence: float, in_scope: float, *, outside: bool, offered: bool, topic: bool = False) -> str:
        """The decision at these models' thresholds (:func:`decided_kind`)."""
        return decided_kind(
            confidence,
            in_scope,
            outside=outside,
            offered=offered,
            answer_at=self.answer_at,
            suggest_at=self.suggest_at,
            answer_in_scope_at=self.answer_in_scope_at,
            answer_outside_at=self.answer_outside_at,
            topic=topic,
        )

    def weights(self) -> np.ndarray:
        return np.array([self.ranking.get(name, 0.0) for name in CANDIDATE_FEATURES])

    def coefficients(self, which: str = "gate") -> np.ndarray:
        chosen = self.gate if which == "gate" else self.scope
        return np.array([chosen.get(name, 0.0) for name in GATE_FEATURES])

    def rank(self, candidates: list[Candidate]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each candidate's score and probability, and the feature rows (in the candidates' order)."""
        features = candidate_features(candidates)
        scores = features @ self.weights()
        return scores, softmax(scores, self.temperature), features

    def confidence(
        self, candidates: list[Candidate], scores: np.ndarray, probability: float, words: int
    ) -> tuple[float, float]:
        """The probabilities that the best candidate (the first, ranked by ``scores``) answers the question, and
        that some entry does."""
        x = gate_features(candidate_features(candidates), scores, probability, words)
        return logistic(float(x @ self.coefficients("gate"))), logistic(float(x @ self.coefficients("scope")))


def decided_kind(
    confidence: float,
    in_scope: float,
    *,
    outside: bool,
    offered: bool,
    answer_at: float,
    suggest_at: float,
    answer_in_scope_at: float = 0.0,
    answer_outside_at: float = 0.0,
    topic: bool = False,
) -> str:
    """What the gate decides at these thresholds: "answer", "suggest" (the likely entries offered) or "dont_know".
    ``outside``: the question names a scope phrase (an answer needs ``answer_outside_at`` too); ``offered``: some
    entry is likely enough to offer; ``topic``: one word no entry's question names, never answered, only offered.
    Shared by the retriever and by the fitting, so the thresholds are chosen for the decision that is made."""
    needed = max(answer_at, answer_outside_at) if outside else answer_at
    confident = confidence >= needed and in_scope >= answer_in_scope_at
    if confident and not topic:
        return "answer"
    return "suggest" if (in_scope >= suggest_at or confident) and offered else "dont_know"


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


class ConfidenceModels(BaseModel):
    """The models of each language that has them (a language without uses the hand-set gate)."""

    source: str
    checked: date
    languages: dict[Language, LanguageModels] = Field(default_factory=dict)

    @classmethod
    def none(cls) -> ConfidenceModels:
        """No learned models: every language uses the hand-set gate."""
        return cls(source="none", checked=date(2026, 12, 2))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ConfidenceModels:
        if not path.exists():
            return cls.none()
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))

    def dump(self, path: Path = MODEL_FILE) -> None:
        text = yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=110)
        path.write_text(text, encoding="utf-8")
