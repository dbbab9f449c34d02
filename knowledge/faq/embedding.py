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
        if any(not group for group in variants):
            raise ValueError("every entry needs at least one phrasing (its own question)")
        self._first = np.searchsorted(self.owner, np.arange(len(variants)))  # each entry's first phrasing
        self.vectors = embedder.embed(flat)
        self.answers = embedder.embed(answers)
        self.answer_weight = answer_weight
        self.count = len(variants)

        # each entry's centroid: the normalised mean of its phrasings' vectors
        sums = np.zeros((self.count, self.vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, self.owner, self.vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        self.centroids = sums / np.where(norms == 0, 1, norms)

    def similarities(self, query: str) -> np.ndarray:
        """Per entry: the best cosine similarity of the query to a phrasing (or, less, to the answer)."""
        return self.both(query)[0]

    def both(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Per entry: the best similarity to a phrasing (or, less, to the answer), and to the entry's centroid."""
        vector = self.embedder.embed([query])[0]
        best = np.maximum.reduceat(self.vectors @ vector, self._first)  # the phrasings are grouped by entry
        return np.maximum(best, self.answer_weight * (self.answers @ vector)), self.centroids @ vector
