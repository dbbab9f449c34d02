"""Optional static word embeddings for the knowledge-base search (the hybrid ranking experiment).

WordLlama (PyPI ``wordllama`` 0.4.x) ships its ``l2_supercat`` 256-dimension weights inside its
wheel, so nothing is downloaded at run time. Its loader finds the weights in the package but looks
for the tokenizer file in ``cache_dir/tokenizers``, so that file is copied to a temporary folder, and
Hugging Face downloads are disabled (``HF_HUB_OFFLINE=1``).

Used by ``FaqRetriever(kb, semantic=...)`` and measured by ``benchmarks/eval_faq_hybrid.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

CONFIG = "l2_supercat"
DIMENSION = 256


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


class WordLlamaEmbedder:
    """The packaged WordLlama model, normalized embeddings; ImportError when wordllama is absent."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import wordllama
        from wordllama import WordLlama

        package = Path(wordllama.__file__).parent
        folder = Path(tempfile.mkdtemp(prefix="maple-wordllama-"))
        try:  # the weights are found in the package; only the tokenizer is looked for in cache_dir
            (folder / "tokenizers").mkdir()
            tokenizer = f"{CONFIG}_tokenizer_config.json"
            shutil.copy(package / "tokenizers" / tokenizer, folder / "tokenizers" / tokenizer)
            self.model = WordLlama.load(config=CONFIG, dim=DIMENSION, cache_dir=folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.model.embed(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


@cache
def wordllama_embedder() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()


class SemanticIndex:
    """Each entry's question and phrasings (and its answer, weighted less) as vectors."""

    def __init__(self, embedder: Embedder, variants: list[list[str]], answers: list[str], answer_weight: float = 0.5):
        self.embedder = embedder
        flat = [v for group in variants for v in group]
        self.owner = np.array([i for i, group in enumerate(variants) for _ in group])
        self.vectors = embedder.embed(flat)
        self.answers = embedder.embed(answers)
        self.answer_weight = answer_weight
        self.count = len(variants)

    def similarities(self, query: str) -> np.ndarray:
        """Per entry: the best cosine similarity of the query to a phrasing (or, less, to the answer)."""
        vector = self.embedder.embed([query])[0]
        best = np.full(self.count, -1.0, dtype=np.float32)
        np.maximum.at(best, self.owner, self.vectors @ vector)
        return np.maximum(best, self.answer_weight * (self.answers @ vector))
