"""The hybrid ranking experiment: the lexical index alone, then with WordLlama static embeddings.

WordLlama (PyPI ``wordllama`` 0.4.x, optional: ``pip install -e '.[hybrid]'``) ships its
``l2_supercat`` 256-d weights in its wheel; see knowledge/faq/embedding.py for the loading. Each
method's gate was calibrated on the tuning set only (HYBRID_GATE below); held-out v2 is printed as
aggregates only. Also prints the p95 latency per question and the resident-memory growth of loading
the model and building its index.

Run: .venv/bin/python benchmarks/eval_faq_hybrid.py
"""

from __future__ import annotations

import logging
import resource
import time

from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import SETS, EvalSet, Figures, evaluate_retriever, table
from knowledge.faq.retriever import FaqRetriever, Gate

# calibrated on the tuning set only, as the lexical gate (refusals >= 97%, wrong <= 1%, the most answered right)
HYBRID_GATE = Gate(
    semantic_weight=1.0, answer_margin=1.1, whole_margin=1.05, context_coverage=0.4, context_phrase_terms=4
)


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(retriever: FaqRetriever) -> list[tuple[str, Figures]]:
    retriever.ask("warm up")
    return [
        (named.name, evaluate_retriever(retriever, EvalSet.load(named.path))) for named in SETS if named.path.exists()
    ]


def main() -> None:
    logging.disable(logging.INFO)
    kb = load_knowledge_base()
    before = rss_mib()
    lexical = FaqRetriever(kb)
    lexical_mib = rss_mib() - before
    columns = figures(lexical)
    try:
        from knowledge.faq.embedding import wordllama_embedder
    except ImportError:
        print("wordllama is not installed: pip install -e '.[hybrid]'")
        return
    before = rss_mib()
    start = time.perf_counter()
    hybrid = FaqRetriever(kb, gate=HYBRID_GATE, semantic=wordllama_embedder())
    built = (time.perf_counter() - start) * 1000
    hybrid_mib = rss_mib() - before
    columns += [(f"{name} +emb", f) for name, f in figures(hybrid)]
    half = len(columns) // 2
    order = [columns[i] for pair in zip(range(half), range(half, 2 * half), strict=True) for i in pair]
    print(
        f"{len(kb.entries)} entries. Lexical build: RSS +{lexical_mib:.1f} MiB. Hybrid build (model load + "
        f"embedding every phrasing): {built:.0f} ms, RSS +{hybrid_mib:.1f} MiB"
    )
    print(table(order))


if __name__ == "__main__":
    main()
