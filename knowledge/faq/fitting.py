"""Fitting the learned ranking and gate (:mod:`knowledge.faq.confidence`) on the labelled sets, out of fold.

The labelled questions are split in :data:`FOLDS` folds by a hash of their text. Each fold's questions
are ranked by an index whose learned signal was trained on the other folds only, so every question is
seen as a new one would be: that gives each candidate entry's figures as they are for an unseen
question. On those figures:

1. the ranking weights: a softmax over each question's candidates, the right entry's log-probability
   maximised (gradient descent from the hand-set formula ``strength + centroid + nearest``, pulled
   back towards it by an L2 term);
2. the gate: a logistic regression (Newton's method, L2) of "the top entry is right" over the ranked
   list's figures (out-of-scope questions are negatives), and one of "some entry answers it" (the
   scope: in-scope questions against out-of-scope ones);
3. the thresholds: the answer and suggestion thresholds together, worth the most on the calibration
   sets (a right answer counts 1, the right entry among the "not sure" choices half), with no more than
   ``max_wrong`` wrong answers there and at least ``min_refused`` of their out-of-scope questions refused
   (:data:`MAX_WRONG`, :data:`MIN_REFUSED`: stricter than the targets, for a margin).

The index of each fold also learns the other folds' out-of-scope questions (the learned signal's similarity to
the nearest of them is a feature), so an out-of-scope question is never scored by an index that holds it.

The calibration sets (``knowledge/data/faq/calibration/``, :data:`CALIBRATION_SETS`) are questions
written as people ask, by writers who saw only the entries. Each is scored as a new question is: by
an index, a ranking and a gate fitted, as deployed, on every training set but that one (cross-fitting).
The shipped models then train on all of them (each calibration set is also a training set: natural
questions teach the ranking more than paraphrases do). Out-of-fold figures of every set were the
first choice and proved too cautious: an index trained on four fifths of the sets, and
boundary-teaching paraphrases, are harder than what people ask (0% answered wrong on the next
held-out sets, with 7% of them "not sure" although the right entry was first). A language without
calibration sets falls back to the cross-validated figures of every training set.

Deterministic: the same sets give the same models. Held-out sets are never read here.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from knowledge.faq.confidence import (
    CANDIDATE_FEATURES,
    GATE_FEATURES,
    ConfidenceModels,
    Fitted,
    LanguageModels,
    SetFigures,
    candidate_features,
    decided_kind,
    gate_features,
    logistic,
    softmax,
)
from knowledge.faq.embedding import Embedder
from knowledge.faq.entries import KnowledgeBase, Language
from knowledge.faq.learned import CALIBRATION_DIR, TRAINING_SETS, Example
from knowledge.faq.retriever import ALL_CANDIDATES, FaqResult, FaqRetriever, content_words
from knowledge.provenance import read_yaml

FOLDS = 5
TEMPERATURE = 0.2
PRIOR = dict.fromkeys(CANDIDATE_FEATURES, 0.0) | {"strength": 1.0, "centroid": 1.0, "nearest": 1.0}
RANKING_L2 = 0.01
GATE_L2 = 1.0  # on the sum of the log-loss (not the mean): a light pull towards 0 for ~2,000 questions
OFFER_AT = 0.05
OUTSIDE_UNANSWERED = 0.98  # of the out-of-scope questions naming a scope phrase, as many as the rule refused
ANSWER_IN_SCOPE_GRID = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9)  # the scope an answer needs, besides the gate
OUTSIDE = CANDIDATE_FEATURES.index("outside")  # the column saying the question names a scope phrase
# the operating point, on the calibration sets: stricter than the targets (at most 2% wrong, at least 95% of
# out-of-scope questions refused) by about a standard error of a held-out set of 300 + 75 questions, so that the
# targets hold on new questions, not only on the ones the thresholds were chosen on (at 2% / 95% the next held-out
# set refused 94% then 88% of its out-of-scope questions, and answered 2.7% wrong once)
MAX_WRONG = 0.015
MIN_REFUSED = 0.97
OFFERED_WORTH = 0.5  # the right entry among the "not sure" choices: half a right answer (one more tap)
# per language, the training sets whose questions set the thresholds, each scored by models fitted without it
CALIBRATION_SETS: dict[Language, tuple[Path, ...]] = {
    "en": tuple(CALIBRATION_DIR / f"faq_calibration_{n}.yaml" for n in (1, 2, 3, 4, 5)),
    "fr": tuple(CALIBRATION_DIR / "fr" / f"faq_calibration_fr{n}.yaml" for n in ("", "_2", "_3")),
}
SOURCE = "fitted by `maple-kb fit` (knowledge/faq/fitting.py) on the labelled sets in knowledge/data/faq/labelled/"


@dataclass
class Row:
    """One labelled question and what the index, trained without its fold, found for it."""

    set: str
    q: str
    id: str | None  # None: out of scope
    decided: FaqResult | None  # decided before the gate (outside Express Entry, nothing found, an exact phrasing)
    features: np.ndarray  # the candidates' rows of CANDIDATE_FEATURES (in the search's order)
    ids: list[str]
    words: int


def fold_of(question: str) -> int:
    return zlib.crc32(question.lower().encode("utf-8")) % FOLDS


def _sets(paths: tuple[Path, ...]) -> list[tuple[str, list[tuple[str, str | None]]]]:
    out = []
    for path in paths:
        raw = read_yaml(path) or {}
        items: list[tuple[str, str | None]] = [(x["q"], x["id"]) for x in raw.get("in_scope") or []]
        items += [(q, None) for q in raw.get("out_of_scope") or []]
        out.append((path.name, items))
    return out


def digests(language: Language) -> dict[str, str]:
    """The sha256 of each training set of ``language``: the fit records them, a test compares."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in TRAINING_SETS[language]}


def out_of_fold(
    kb: KnowledgeBase, language: Language, semantic: Embedder | None = None, paths: tuple[Path, ...] | None = None
) -> list[Row]:
    """Every labelled question of ``language`` (of ``paths``: by default every training set), ranked by an index
    that never trained on its fold."""
    sets = _sets(TRAINING_SETS[language] if paths is None else paths)
    rows: list[Row] = []
    for fold in range(FOLDS):
        kept = [(q, i) for _, items in sets for q, i in items if fold_of(q) != fold]
        retriever = _trained_on(kb, language, kept, semantic)
        rows += _rows(retriever, language, sets, lambda q, fold=fold: fold_of(q) == fold)
    return rows


def _trained_on(
    kb: KnowledgeBase, language: Language, items: list[tuple[str, str | None]], semantic: Embedder | None
) -> FaqRetriever:
    """An index whose learned signal knows only ``items`` (in scope with their entry, out of scope with None), with
    no fitted ranking or gate: what a fold, or a set held aside, is scored by."""
    train = [Example(q=q, id=i) for q, i in items if i is not None]
    unanswered = [q for q, i in items if i is None]
    return FaqRetriever(
        kb,
        examples={language: train},
        outside={language: unanswered},
        models=ConfidenceModels.none(),
        semantic=semantic,
    )


def trained_without(language: Language, calibration: Path) -> tuple[Path, ...]:
    """The training sets of the models that score the calibration set ``calibration``: all but it."""
    return tuple(p for p in TRAINING_SETS[language] if p != calibration)


def held_aside(
    kb: KnowledgeBase, language: Language, calibration: Path, semantic: Embedder | None = None
) -> list[Scored]:
    """The questions of ``calibration`` scored as new ones: by the index, ranking and gate fitted, as the shipped
    ones are, on every other training set."""
    paths = trained_without(language, calibration)
    weights, gate, scope = fit_models(out_of_fold(kb, language, semantic, paths))
    retriever = _trained_on(kb, language, [item for _, items in _sets(paths) for item in items], semantic)
    rows = _rows(retriever, language, _sets((calibration,)), lambda q: True)
    return [_score(r, weights, gate, scope) for r in rows]


def _rows(
    retriever: FaqRetriever,
    language: Language,
    sets: list[tuple[str, list[tuple[str, str | None]]]],
    keep: Callable[[str], bool],
) -> list[Row]:
    """Each kept question of ``sets`` with what ``retriever`` found for it."""
    analyzer = retriever.indexes[language].analyzer
    rows: list[Row] = []
    for name, items in sets:
        for q, entry_id in items:
            if not keep(q):
                continue
            decided, matches = retriever.candidates(q, language, ALL_CANDIDATES, learned_scope=True)
            words = content_words(analyzer.terms(q, repair=True))
            rows.append(
                Row(name, q, entry_id, decided, candidate_features(matches), [m.entry_id for m in matches], words)
            )
    return rows


def _ranked(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.decided is None and r.ids]


def fit_ranking(rows: list[Row], steps: int = 400, rate: float = 0.5) -> np.ndarray:
    """Weights that put the right entry first, by softmax over each question's candidates."""
    usable = [r for r in _ranked(rows) if r.id in r.ids]
    prior = np.array([PRIOR[n] for n in CANDIDATE_FEATURES])
    if not usable:
        return prior
    width = max(len(r.ids) for r in usable)
    features = np.zeros((len(usable), width, len(CANDIDATE_FEATURES)))
    mask = np.full((len(usable), width), -np.inf)
    right = np.array([r.ids.index(r.id) for r in usable])
    for n, r in enumerate(usable):
        features[n, : len(r.ids)] = r.features
        mask[n, : len(r.ids)] = 0.0
    weights = prior.copy()
    for _ in range(steps):
        scores = features @ weights / TEMPERATURE + mask
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        expected = np.einsum("qc,qcf->qf", p, features)
        gradient = (expected - features[np.arange(len(usable)), right]).mean(axis=0) / TEMPERATURE
        weights -= rate * (gradient + RANKING_L2 * (weights - prior))
    return weights


def _gate_inputs(rows: list[Row], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gate's features of each ranked row, whether its top entry is right, and whether it is in scope."""
    inputs, labels, scope = [], [], []
    for r in _ranked(rows):
        scores = r.features @ weights
        order = np.argsort(-scores, kind="stable")
        probability = softmax(scores, TEMPERATURE)[order[0]]
        inputs.append(gate_features(r.features[order], scores[order], float(probability), r.words))
        labels.append(1.0 if r.id is not None and r.ids[order[0]] == r.id else 0.0)
        scope.append(0.0 if r.id is None else 1.0)
    return np.array(inputs).reshape(-1, len(GATE_FEATURES)), np.array(labels), np.array(scope)


def fit_gate(inputs: np.ndarray, labels: np.ndarray, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method, L2 on every coefficient but the bias."""
    size = inputs.shape[1]
    penalty = np.full(size, GATE_L2)
    penalty[GATE_FEATURES.index("bias")] = 0.0
    coefficients = np.zeros(size)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(inputs @ coefficients, -50, 50)))
        gradient = inputs.T @ (p - labels) + penalty * coefficients
        hessian = (inputs * (p * (1 - p))[:, None]).T @ inputs + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        coefficients -= step
        if np.abs(step).max() < 1e-9:
            break
    return coefficients


@dataclass
class Scored:
    """A row with its cross-validated confidence and top entry (decided rows keep their decision)."""

    row: Row
    confidence: float
    in_scope: float
    top: str | None
    offered: list[str]


def cross_validated(rows: list[Row]) -> list[Scored]:
    """Each fold's rows scored by a ranking and gate fitted on the other folds."""
    out: list[Scored] = []
    for fold in range(FOLDS):
        train = [r for r in rows if fold_of(r.q) != fold]
        test = [r for r in rows if fold_of(r.q) == fold]
        weights = fit_ranking(train)
        inputs, right, scope = _gate_inputs(train, weights)
        gate, in_scope = fit_gate(inputs, right), fit_gate(inputs, scope)
        for r in test:
            out.append(_score(r, weights, gate, in_scope))
    return out


def _score(r: Row, weights: np.ndarray, gate: np.ndarray, scope: np.ndarray) -> Scored:
    if r.decided is not None or not r.ids:
        entry = r.decided.entry.id if r.decided is not None and r.decided.entry is not None else None
        return Scored(r, 1.0 if entry else 0.0, 1.0 if entry else 0.0, entry, [])
    scores = r.features @ weights
    order = np.argsort(-scores, kind="stable")
    probabilities = softmax(scores, TEMPERATURE)
    x = gate_features(r.features[order], scores[order], float(probabilities[order[0]]), r.words)
    offered = [r.ids[i] for i in order if probabilities[i] >= OFFER_AT]
    return Scored(r, logistic(float(x @ gate)), logistic(float(x @ scope)), r.ids[order[0]], offered)


def _kind(
    s: Scored, answer_at: float, suggest_at: float, answer_in_scope_at: float = 0.0, answer_outside_at: float = 0.0
) -> str:
    if s.row.decided is not None:
        return s.row.decided.kind
    if not s.row.ids:
        return "dont_know"
    return decided_kind(
        s.confidence,
        s.in_scope,
        outside=_names_scope_phrase(s),
        offered=bool(s.offered),
        answer_at=answer_at,
        suggest_at=suggest_at,
        answer_in_scope_at=answer_in_scope_at,
        answer_outside_at=answer_outside_at,
    )


def _names_scope_phrase(s: Scored) -> bool:
    return bool(s.row.features[0, OUTSIDE])


def figures(
    scored: list[Scored],
    answer_at: float,
    suggest_at: float,
    name: str,
    answer_in_scope_at: float = 0.0,
    answer_outside_at: float = 0.0,
) -> SetFigures:
    inside = [s for s in scored if s.row.id is not None]
    outside = [s for s in scored if s.row.id is None]
    levels = (answer_at, suggest_at, answer_in_scope_at, answer_outside_at)
    kinds = [_kind(s, *levels) for s in inside]
    n = max(len(inside), 1)
    right = sum(k == "answer" and s.top == s.row.id for k, s in zip(kinds, inside, strict=True))
    wrong = sum(k == "answer" and s.top != s.row.id for k, s in zip(kinds, inside, strict=True))
    refused = sum(_kind(s, *levels) in ("dont_know", "out_of_scope") for s in outside)
    return SetFigures(
        name=name,
        in_scope=len(inside),
        out_of_scope=len(outside),
        top1=round(sum(s.top == s.row.id for s in inside) / n, 4),
        answered_right=round(right / n, 4),
        answered_wrong=round(wrong / n, 4),
        refused=round(refused / max(len(outside), 1), 4),
    )


def thresholds(
    scored: list[Scored], max_wrong: float, min_refused: float, calibration_sets: frozenset[str] | None = None
) -> tuple[float, float, float]:
    """The thresholds (answer, suggestion, in scope for an answer) worth the most on the calibration sets (a
    right answer counts 1, the right entry among the offered choices :data:`OFFERED_WORTH`) with at most
    ``max_wrong`` answered wrong there and at least ``min_refused`` of the calibration sets' out-of-scope questions
    refused (of all of them when the calibration sets have none). The training sets' out-of-scope questions are
    not counted there: they were written to teach the boundary, and are harder than what people ask (with them
    pooled, the thresholds refused 95% of those and answered 5% fewer people's questions)."""
    grid = np.round(np.arange(0.30, 0.995, 0.005), 3)
    kinds = [
        s.row.decided.kind if s.row.decided is not None else ("dont_know" if not s.row.ids else "") for s in scored
    ]
    fixed = np.array([k != "" for k in kinds])
    fixed_answer = np.array([k == "answer" for k in kinds])
    confidence = np.array([s.confidence for s in scored])
    in_scope = np.array([s.in_scope for s in scored])
    inside = np.array([s.row.id is not None for s in scored])
    calibrating = np.array([calibration_sets is None or s.row.set in calibration_sets for s in scored])
    calibration, calibration_outside = inside & calibrating, ~inside & calibrating
    right_top = np.array([s.top == s.row.id for s in scored])
    offered_right = np.array([s.row.id is not None and s.row.id in s.offered for s in scored])
    offers = np.array([bool(s.offered) for s in scored])
    calibrated, outside = max(int(calibration.sum()), 1), max(int((~inside).sum()), 1)
    calibrated_outside = max(int(calibration_outside.sum()), 1)
    # (worth, -wrong, answer_at, suggest_at, -answer_in_scope_at): the least demanding scope threshold among equals
    best: tuple[float, float, float, float, float] = (-1.0, 0.0, 1.0, 1.0, 0.0)
    for answer_at, answer_in_scope_at in itertools.product(grid, ANSWER_IN_SCOPE_GRID):
        answer = fixed_answer | (~fixed & (confidence >= answer_at) & (in_scope >= answer_in_scope_at))
        wrong = float((calibration & answer & ~right_top).sum()) / calibrated
        if wrong > max_wrong:
            continue
        right = float((calibration & answer & right_top).sum()) / calibrated
        # one column per suggestion threshold
        suggest = (~fixed & ~answer & offers)[:, None] & (in_scope[:, None] >= grid[None, :])
        refusing = (~inside & ~answer)[:, None] & ~suggest
        if calibration_outside.any():  # the out-of-scope questions like people's; else all of them
            refused = (refusing & calibration_outside[:, None]).sum(axis=0) / calibrated_outside
        else:
            refused = refusing.sum(axis=0) / outside
        worth = (
            right + OFFERED_WORTH * (calibration[:, None] & suggest & offered_right[:, None]).sum(axis=0) / calibrated
        )
        for k in np.flatnonzero(refused >= min_refused):
            candidate = (round(float(worth[k]), 9), -wrong, float(answer_at), float(grid[k]), -answer_in_scope_at)
            if candidate > best:
                best = candidate
    return best[2], best[3], -best[4]


def outside_threshold(scored: list[Scored], answer_at: float, answer_in_scope_at: float) -> float:
    """The gate an answer needs when the question names something outside Express Entry (a scope phrase): the lowest,
    from ``answer_at`` up, that leaves :data:`OUTSIDE_UNANSWERED` of the out-of-scope questions naming one unanswered
    (of every set: the training sets' are mostly those, as people ask them about study permits, visas or PGWPs)."""
    named = [s for s in scored if s.row.id is None and s.row.decided is None and s.row.ids and _names_scope_phrase(s)]
    if not named:
        return answer_at
    confidence = np.array([s.confidence for s in named])
    answerable = np.array([s.in_scope >= answer_in_scope_at for s in named])
    for at in np.round(np.arange(answer_at, 1.0, 0.005), 3):
        if 1 - float((answerable & (confidence >= at)).mean()) >= OUTSIDE_UNANSWERED:
            return float(at)
    return 1.0


def fit_models(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ranking weights, the gate and the scope model fitted on ``rows``."""
    weights = fit_ranking(rows)
    inputs, right, scope = _gate_inputs(rows, weights)
    return weights, fit_gate(inputs, right), fit_gate(inputs, scope)


def fit_language(
    kb: KnowledgeBase,
    language: Language,
    semantic: Embedder | None = None,
    max_wrong: float = MAX_WRONG,
    min_refused: float = MIN_REFUSED,
    today: date | None = None,
) -> LanguageModels:
    rows = out_of_fold(kb, language, semantic)
    scored = cross_validated(rows)
    weights, gate, in_scope = fit_models(rows)
    calibrating = CALIBRATION_SETS[language]
    aside = [s for path in calibrating for s in held_aside(kb, language, path, semantic)]
    names = frozenset(p.name for p in calibrating)
    # the calibration sets as new questions, the other sets' out-of-scope questions out of fold
    pool = [s for s in scored if s.row.set not in names] + aside
    answer_at, suggest_at, answer_in_scope_at = thresholds(pool, max_wrong, min_refused, names or None)
    answer_outside_at = outside_threshold(pool, answer_at, answer_in_scope_at)
    levels = (answer_at, suggest_at, answer_in_scope_at, answer_outside_at)
    per_set = [
        figures([s for s in pool if s.row.set == path.name], *levels[:2], path.name, *levels[2:])
        for path in TRAINING_SETS[language]
    ]
    per_set.append(figures(scored, *levels[:2], "all", *levels[2:]))
    return LanguageModels(
        ranking={n: round(float(w), 6) for n, w in zip(CANDIDATE_FEATURES, weights, strict=True)},
        temperature=TEMPERATURE,
        gate={n: round(float(c), 6) for n, c in zip(GATE_FEATURES, gate, strict=True)},
        scope={n: round(float(c), 6) for n, c in zip(GATE_FEATURES, in_scope, strict=True)},
        answer_at=answer_at,
        answer_in_scope_at=float(answer_in_scope_at),
        answer_outside_at=answer_outside_at,
        suggest_at=suggest_at,
        offer_at=OFFER_AT,
        fitted=Fitted(
            on=today or date.today(),
            sets=digests(language),
            folds=FOLDS,
            semantic=semantic is not None,
            figures=per_set,
        ),
    )


def fit(kb: KnowledgeBase, languages: list[Language], semantic: Embedder | None = None) -> ConfidenceModels:
    today = date.today()
    models = {lang: fit_language(kb, lang, semantic if lang == "en" else None, today=today) for lang in languages}
    return ConfidenceModels(source=SOURCE, checked=today, languages=models)
