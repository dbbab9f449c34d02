"""The learned ranking and gate with and without WordLlama's static embeddings, on every labelled set.

WordLlama (PyPI ``wordllama`` 0.4.x) ships its ``l2_supercat`` 256-d weights in its wheel: nothing is
downloaded (knowledge/faq/embedding.py). The shipped models (knowledge/data/faq/confidence.yaml) read its
similarity; this script fits the same models without it (``maple-kb fit --lexical``, into a temporary file,
about a minute), then prints both side by side with build time, resident memory and latency. The frozen
held-out sets are aggregates only.

Run: .venv/bin/python benchmarks/eval_faq_hybrid.py
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from knowledge.faq.confidence import ConfidenceModels
from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.evaluation import SETS, EvalSet, Figures, evaluate_retriever, table
from knowledge.faq.fitting import fit
from knowledge.faq.retriever import FaqRetriever


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def figures(retriever: FaqRetriever) -> list[tuple[str, Figures]]:
    retriever.ask("warm up")
    return [
        (named.name, evaluate_retriever(retriever, EvalSet.load(named.path), named.language))
        for named in SETS
        if named.path.exists()
    ]


def main() -> None:
    logging.disable(logging.INFO)
    kb = load_knowledge_base()
    with tempfile.TemporaryDirectory() as folder:
        lexical_file = Path(folder) / "lexical.yaml"
        fit(kb, ["en", "fr"], semantic=None).dump(lexical_file)
        lexical_models = ConfidenceModels.load(lexical_file)
    before = rss_mib()
    start = time.perf_counter()
    lexical = FaqRetriever(kb, models=lexical_models)
    lexical_ms, lexical_mib = (time.perf_counter() - start) * 1000, rss_mib() - before
    columns = figures(lexical)
    before = rss_mib()
    start = time.perf_counter()
    hybrid = FaqRetriever(kb)  # the shipped models: they load the embedding model
    hybrid_ms, hybrid_mib = (time.perf_counter() - start) * 1000, rss_mib() - before
    columns += [(f"{name} +emb", f) for name, f in figures(hybrid)]
    half = len(columns) // 2
    order = [columns[i] for pair in zip(range(half), range(half, 2 * half), strict=True) for i in pair]
    print(
        f"{len(kb.entries)} entries. Without the embedding: build {lexical_ms:.0f} ms, RSS +{lexical_mib:.1f} MiB. "
        f"With it (model load + embedding every phrasing and example): build {hybrid_ms:.0f} ms, "
        f"RSS +{hybrid_mib:.1f} MiB more"
    )
    print(table(order))


if __name__ == "__main__":
    main()
