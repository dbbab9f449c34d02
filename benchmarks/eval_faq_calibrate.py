"""Calibrating the gate on the development set's gate part (tests/data/faq_dev_gate.yaml) only.

The ranking was tuned on the other part (faq_dev_rank.yaml) and the tuning set (faq_eval.yaml); this
script searches a grid of the gate's thresholds and keeps the one that answers the most questions of
the gate part right, a wrong answer costing --wrong-cost right ones, with at most --max-wrong answered
wrong and at least --min-refused out-of-scope refusals there, and no worse than --tuning-max-wrong
wrong and --tuning-min-refused refusals on the tuning set (the gate part has only 22 out-of-scope
questions). The frozen held-out set is never read here. The ranking is computed once per question
(the grid changes only the gate).

Run: .venv/bin/python benchmarks/eval_faq_calibrate.py [--max-wrong 0.03] [--wrong-cost 8]
"""

from __future__ import annotations

import argparse
import itertools
from functools import lru_cache

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import DATA_DIR, EvalSet, Figures, evaluate_retriever, table
from knowledge.faq.learned import LABELLED_DIR
from knowledge.faq.retriever import FaqRetriever, Gate, Match

GRID: dict[str, list[float]] = {
    "lead_margin": [1.2, 1.35, 1.5, float("inf")],
    "lead_precision": [0.5, 0.7],
    "lead_coverage": [0.25, 0.35],
    "lead_score": [3.0, 5.0],
    "answer_margin": [1.1, 1.2, 1.35, 1.5],
    "answer_coverage": [0.3, 0.5],
    "answer_precision": [0.4, 0.6],
    "suggest_coverage": [0.5, 0.6],
    "suggest_precision": [0.25, 0.4],
}
# the second stage, the rest of the gate fixed: the rules that answer with a small lead (a whole phrasing typed,
# a question asked nearly as a labelled example: knowledge.faq.learned)
LEARNED_GRID: dict[str, list[float]] = {
    "whole_margin": [1.1, 1.2, 1.35],
    "learned_nearest": [0.5, 0.6, 0.7, float("inf")],
    "learned_margin": [1.1, 1.2, 1.35],
    "learned_coverage": [0.5, 0.66, 0.8],
    "learned_lead": [0.0, 0.05, 0.1],
}


class _Cached(FaqRetriever):
    """The ranking computed once per question: the grid only changes the gate."""

    def __init__(self, kb) -> None:  # type: ignore[no-untyped-def]
        super().__init__(kb)
        self._search = lru_cache(maxsize=None)(super().search)

    def search(self, query: str, language: str = "en", k: int = 3) -> list[Match]:  # type: ignore[override]
        return [m.model_copy() for m in self._search(query, language, k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-wrong", type=float, default=0.02)
    parser.add_argument("--wrong-cost", type=float, default=8.0, help="a wrong answer costs this many right ones")
    parser.add_argument("--min-refused", type=float, default=0.9)
    parser.add_argument("--tuning-max-wrong", type=float, default=0.015)
    parser.add_argument("--tuning-min-refused", type=float, default=0.98)
    args = parser.parse_args()
    retriever = _Cached(load_knowledge_base())
    best = _search(retriever, retriever.gate.model_copy(update={"learned_nearest": float("inf")}), GRID, args)
    if best is None:
        print("no gate meets the constraints")
        return
    best = _search(retriever, best[2], LEARNED_GRID, args) or best
    gate = best[2]
    names = [*GRID, *LEARNED_GRID]
    print("best gate:", {n: getattr(gate, n) for n in names})
    retriever.gate = gate
    rows = [
        (name, evaluate_retriever(retriever, EvalSet.load(path)))
        for name, path in [
            ("dev gate (calibration)", DATA_DIR / "faq_dev_gate.yaml"),
            ("dev rank", LABELLED_DIR / "faq_dev_rank.yaml"),
            ("tuning", LABELLED_DIR / "faq_eval.yaml"),
        ]
    ]
    print(table(rows))


def _search(
    retriever: _Cached, base: Gate, grid: dict[str, list[float]], args: argparse.Namespace
) -> tuple[float, float, Gate, Figures] | None:
    """The best gate of ``grid`` (the other thresholds as in ``base``) under the constraints, or None."""
    gate_set = EvalSet.load(DATA_DIR / "faq_dev_gate.yaml")
    tuning = EvalSet.load(LABELLED_DIR / "faq_eval.yaml")
    best: tuple[float, float, Gate, Figures] | None = None
    names = list(grid)
    for values in itertools.product(*grid.values()):
        gate = base.model_copy(update=dict(zip(names, values, strict=True)))
        retriever.gate = gate
        ours = evaluate_retriever(retriever, gate_set)
        if ours.answered_wrong > args.max_wrong or ours.refusals < args.min_refused:
            continue
        key = (ours.answered_right - args.wrong_cost * ours.answered_wrong, -ours.answered_wrong)
        if best is not None and key <= (best[0], best[1]):
            continue
        checked = evaluate_retriever(retriever, tuning)
        if checked.answered_wrong > args.tuning_max_wrong or checked.refusals < args.tuning_min_refused:
            continue
        best = (key[0], key[1], gate, ours)
    return best


if __name__ == "__main__":
    main()
