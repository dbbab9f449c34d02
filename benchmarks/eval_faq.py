"""Knowledge-base retrieval on the labelled sets, side by side with plain BM25.

knowledge/data/faq/labelled/ holds the sets trained on (the tuning set, the development set's two parts, the
training paraphrases, French ones in fr/): their figures here are in-sample (`maple-kb fit` prints them out of
fold). tests/data/ holds the held-out sets, never trained on; the frozen ones (v2 to v5, French v1 and v2) are
shown as aggregates only: their questions and misses are never printed.

Run: .venv/bin/python benchmarks/eval_faq.py [--misses] [--set NAME]   (`maple-kb eval` plus build time and memory)
"""

from __future__ import annotations

import argparse
import time

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import SETS, report, select_sets
from knowledge.faq.retriever import FaqRetriever


def rss_mib() -> float:
    """The process's resident memory, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list misses and leaks (never those of a frozen set)")
    parser.add_argument("--set", action="append", choices=[s.name for s in SETS], help="only this set (repeatable)")
    args = parser.parse_args()
    before = rss_mib()
    start = time.perf_counter()
    kb = load_knowledge_base()
    retriever = FaqRetriever(kb)
    built = (time.perf_counter() - start) * 1000
    grown = rss_mib() - before
    print(f"load + index build {built:.0f} ms, resident memory +{grown:.1f} MiB (total {rss_mib():.0f} MiB)")
    retriever.ask("warm up")
    print(report(retriever, kb, misses=args.misses, sets=select_sets(args.set)))


if __name__ == "__main__":
    main()
