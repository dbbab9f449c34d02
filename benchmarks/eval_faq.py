"""Knowledge-base retrieval on the labelled sets, side by side with plain BM25.

tests/data/faq_eval.yaml is the tuning set (thresholds and curation were adjusted on it);
tests/data/faq_heldout.yaml was written later and never tuned on; tests/data/faq_heldout_v2.yaml is
frozen (2026-12-01) and shown as aggregates only: its questions and misses are never printed.

Run: .venv/bin/python benchmarks/eval_faq.py [--misses]   (the same as `maple-kb eval`)
"""

from __future__ import annotations

import argparse
import time

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import report
from knowledge.faq.retriever import FaqRetriever


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list misses and leaks (tuning and old held-out only)")
    args = parser.parse_args()
    start = time.perf_counter()
    kb = load_knowledge_base()
    retriever = FaqRetriever(kb)
    print(f"load + index build {(time.perf_counter() - start) * 1000:.0f} ms")
    retriever.ask("warm up")
    print(report(retriever, kb, misses=args.misses))


if __name__ == "__main__":
    main()
