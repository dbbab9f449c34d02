"""Knowledge-base retrieval on the labelled sets: top-1, honest refusals, latency, beside plain BM25.

tests/data/faq_eval.yaml is the tuning set (thresholds and curation were adjusted on it);
tests/data/faq_heldout.yaml was written later and never tuned on.

Run: .venv/bin/python benchmarks/eval_faq.py [--misses]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import EvalSet, Figures, evaluate_plain_bm25, evaluate_retriever
from knowledge.faq.retriever import FaqRetriever

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"tuning set": DATA / "faq_eval.yaml", "held-out set": DATA / "faq_heldout.yaml"}


def show(figures: Figures, misses: bool) -> None:
    print(f"  {figures.method}")
    print(f"    top-1 in scope              {figures.top1:6.1%}")
    print(f"    answered and right          {figures.answered_right:6.1%}")
    print(f"    answered and WRONG          {figures.answered_wrong:6.1%}")
    print(f"    not answered, right offered {figures.right_in_suggestions:6.1%}")
    print(f"    out-of-scope refused        {figures.refusals:6.1%}")
    print(f"    latency p50 / p95           {figures.p50_ms:.3f} / {figures.p95_ms:.3f} ms")
    if misses:
        for line in figures.misses:
            print("     miss:", line)
        for line in figures.leaks:
            print("     leak:", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the misses and the out-of-scope leaks")
    args = parser.parse_args()
    start = time.perf_counter()
    kb = load_knowledge_base()
    retriever = FaqRetriever(kb)
    built = (time.perf_counter() - start) * 1000
    print(f"{len(kb.entries)} entries; load + index build {built:.0f} ms")
    retriever.ask("warm up")
    for name, path in SETS.items():
        data = EvalSet.load(path)
        print(f"\n{name}: {len(data.in_scope)} in scope, {len(data.out_of_scope)} out of scope ({path.name})")
        show(evaluate_retriever(retriever, data), args.misses)
        show(evaluate_plain_bm25(kb, data), args.misses and False)


if __name__ == "__main__":
    main()
