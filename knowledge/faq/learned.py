"""A supervised ranking signal, trained when the index is built: which entry do questions like this one ask?

Training examples are each entry's own question and phrasings plus labelled questions people asked
(``knowledge/data/faq/labelled/``: the tuning set, the development set and the training paraphrases;
never a held-out set), one classifier per language: English from the English sets, French from the
French ones (``labelled/fr/``) over the entries' French fields. Each text becomes a sparse TF-IDF
vector over three kinds of feature, L2-normalised:
- ``w:`` the analyzer's stems with their glossary expansions (what BM25 sees);
- ``b:`` pairs of adjacent content stems ("work permit", "job offer" as units);
- ``c:`` character 3- to 5-grams of each content word as typed (after typo repair), which make
  "certificat", "certifcate" and "certification" close without a dictionary.

Two scores per entry, both cosine similarities in [0, 1]: to the entry's centroid (the mean of its
examples: what its questions have in common) and to its nearest example (a question asked in nearly
the same words). The labelled out-of-scope questions are one more class: a question's similarity to the
nearest of them (``LearnedScores.outside``) says how much it resembles what Maple does not answer.
Nothing is random: the same examples give the same scores, in the same order.
Pure numpy, no training loop: building takes a few hundred milliseconds; a question, well under one.
"""

from __future__ import annotations

import itertools
import math
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from knowledge.faq.analysis import Analyzer
from knowledge.faq.entries import KnowledgeBase, Language
from knowledge.provenance import DATA_DIR, read_yaml

# the labelled sets trained on, per language: all their questions train the learned signal (the out-of-scope ones
# as one class: faq_out_of_scope*.yaml has only those) and fit the ranking and the gate
LABELLED_DIR = DATA_DIR / "faq" / "labelled"
CALIBRATION_DIR = DATA_DIR / "faq" / "calibration"  # questions as people ask them; they also set the thresholds
TRAINING_SETS: dict[Language, tuple[Path, ...]] = {
    "en": (
        *(
            LABELLED_DIR / name
            for name in (
                "faq_eval.yaml",
                "faq_dev_rank.yaml",
                "faq_dev_gate.yaml",
                "faq_paraphrases_1.yaml",
                "faq_paraphrases_2.yaml",
                "faq_paraphrases_3.yaml",
                "faq_paraphrases_4.yaml",
                "faq_out_of_scope.yaml",
                "faq_out_of_scope_2.yaml",
                "faq_countries.yaml",
            )
        ),
        CALIBRATION_DIR / "faq_calibration_1.yaml",
        CALIBRATION_DIR / "faq_calibration_2.yaml",
        CALIBRATION_DIR / "faq_calibration_3.yaml",
        CALIBRATION_DIR / "faq_calibration_4.yaml",
        CALIBRATION_DIR / "faq_calibration_5.yaml",
    ),
    "fr": (
        *(
            LABELLED_DIR / "fr" / name
            for name in (
                "faq_eval_fr.yaml",
                "faq_paraphrases_fr.yaml",
                "faq_paraphrases_fr_2.yaml",
                "faq_out_of_scope_fr.yaml",
                "faq_out_of_scope_fr_2.yaml",
            )
        ),
        CALIBRATION_DIR / "fr" / "faq_calibration_fr.yaml",
        CALIBRATION_DIR / "fr" / "faq_calibration_fr_2.yaml",
        CALIBRATION_DIR / "fr" / "faq_calibration_fr_3.yaml",
    ),
}
CHAR_NGRAMS = (3, 4, 5)
CHAR_WEIGHT = 0.5  # a character n-gram counts half a word (a word has many of them)


class Example(BaseModel):
    """A question and the id of the entry that answers it."""

    model_config = ConfigDict(frozen=True)

    q: str
    id: str


def load_examples(paths: tuple[Path, ...] = TRAINING_SETS["en"]) -> list[Example]:
    """The in-scope questions of the labelled sets ``paths`` (``in_scope``: a YAML list of ``{q, id}``)."""
    return list(_labelled(paths, tuple(p.stat().st_mtime_ns for p in paths))[0])


def load_outside(paths: tuple[Path, ...] = TRAINING_SETS["en"]) -> list[str]:
    """The out-of-scope questions of the labelled sets ``paths`` (``out_of_scope``: a YAML list of questions)."""
    return list(_labelled(paths, tuple(p.stat().st_mtime_ns for p in paths))[1])


@cache
def _labelled(paths: tuple[Path, ...], _versions: tuple[int, ...]) -> tuple[tuple[Example, ...], tuple[str, ...]]:
    """Read once per process and per version of the files (a retriever is built by many tests and cores)."""
    examples: list[Example] = []
    outside: list[str] = []
    for path in paths:
        raw = read_yaml(path) or {}
        examples += [Example.model_validate(item) for item in raw.get("in_scope") or []]
        outside += [str(q) for q in raw.get("out_of_scope") or []]
    return tuple(examples), tuple(outside)


def unknown_ids(examples: list[Example], kb: KnowledgeBase) -> list[str]:
    """The example ids that name no entry of ``kb`` (a renamed or removed entry)."""
    known = kb.by_id()
    return sorted({e.id for e in examples if e.id not in known})


class LearnedScores(BaseModel):
    """Per entry (in the knowledge base's order): similarity to its centroid and to its nearest example."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    centroid: np.ndarray
    nearest: np.ndarray
    outside: float = 0.0  # similarity to the nearest out-of-scope example (0 without any)


class EntryClassifier:
    """Centroid and nearest-example similarity of a question to each entry, over words and character n-grams.

    In ``language``: the entries that have that language's fields (all of them in English), in the
    knowledge base's order, as the language's search index holds them."""

    def __init__(
        self,
        analyzer: Analyzer,
        kb: KnowledgeBase,
        examples: list[Example],
        language: Language = "en",
        outside: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.analyzer = analyzer
        entries = [e for e in kb.entries if language == "en" or e.fr is not None]
        number = {e.id: i for i, e in enumerate(entries)}
        labelled: list[tuple[int, str]] = []
        for i, entry in enumerate(entries):
            text = entry.text(language)
            labelled += [(i, v) for v in (text.question, *text.phrasings)]
        # an example of an entry this knowledge base lacks is left out (tests check the shipped file names none)
        labelled += [(number[e.id], e.q) for e in examples if e.id in number]
        # the out-of-scope questions as one more class, after the entries: how near a question is to what Maple
        # does not answer ("reschedule my biometrics appointment", "pgwp eligibility")
        labelled += [(len(entries), q) for q in outside]
        labelled.sort(key=lambda pair: pair[0])  # stable: each entry's examples contiguous, in order
        self.entries = len(entries)
        self.has_outside = bool(outside)
        classes = self.entries + self.has_outside
        # the features of each text as arrays of (feature number, count): no dict per text is kept
        seen: dict[str, int] = {}
        numbers: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for _, text in labelled:
            features = self._features(text)
            numbers.append(np.fromiter((seen.setdefault(n, len(seen)) for n in features), np.int64, len(features)))
            counts.append(np.fromiter(features.values(), np.float32, len(features)))
        names = list(seen)
        alphabetical = sorted(range(len(names)), key=names.__getitem__)
        self.vocabulary = {names[old]: new for new, old in enumerate(alphabetical)}
        renumber = np.empty(len(names), np.int64)
        renumber[alphabetical] = np.arange(len(names))
        size = len(labelled)
        column_of = renumber[np.concatenate(numbers)]
        row_of = np.repeat(np.arange(size), [len(n) for n in numbers])
        count_of = np.concatenate(counts)
        frequency = np.bincount(column_of, minlength=len(names))  # in how many texts each feature is
        self.idf = (np.log((1 + size) / (1 + frequency)) + 1).astype(np.float32)
        weight = np.where(count_of >= 1, 1 + np.log(np.maximum(count_of, 1)), count_of) * self.idf[column_of]
        norms = np.sqrt(np.bincount(row_of, weights=weight.astype(np.float64) ** 2, minlength=size))
        value_of = (weight / np.where(norms > 0, norms, 1.0)[row_of]).astype(np.float32)
        labels = np.array([label for label, _ in labelled])
        # the examples by feature (a column-major sparse matrix): a question's features pick their examples
        order = np.lexsort((row_of, column_of))
        self._example = row_of[order]
        self._value = value_of[order]
        self._start = np.searchsorted(column_of[order], np.arange(len(self.vocabulary) + 1))
        self._first = np.searchsorted(labels, np.arange(classes))  # each class's first example
        if len(np.unique(labels)) != classes:
            raise ValueError("every entry needs at least one example (its own question)")
        # each class's centroid, sparse the same way: the sum of its examples by feature, then L2-normalised
        cells, inverse = np.unique(column_of * classes + labels[row_of], return_inverse=True)
        summed = np.bincount(inverse, weights=value_of).astype(np.float32)
        owner = cells % classes
        norms = np.sqrt(np.bincount(owner, weights=summed.astype(np.float64) ** 2, minlength=classes))
        self._centroid_entry = owner
        self._centroid_value = (summed / norms[owner]).astype(np.float32)
        self._centroid_start = np.searchsorted(cells // classes, np.arange(len(self.vocabulary) + 1))
        self._classes = classes
        self.examples = size

    def _features(self, text: str) -> dict[str, float]:
        analyzer = self.analyzer
        counts: dict[str, float] = {}
        groups = analyzer.terms(text, repair=True)
        for group in groups:
            for term in group:
                counts["w:" + term] = counts.get("w:" + term, 0.0) + 1.0
        heads = [g[0] for g in groups]
        for left, right in itertools.pairwise(heads):
            name = f"b:{left}_{right}"
            counts[name] = counts.get(name, 0.0) + 1.0
        for word in analyzer.repair(analyzer.words(text)):
            if word in analyzer.stopwords:
                continue
            padded = f"<{word}>"
            for n in CHAR_NGRAMS:
                for start in range(len(padded) - n + 1):
                    name = "c:" + padded[start : start + n]
                    counts[name] = counts.get(name, 0.0) + CHAR_WEIGHT
        return counts

    def _vector(self, counts: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """The known features' indexes and their normalised TF-IDF weights (sublinear term frequency)."""
        known = [(self.vocabulary[n], c) for n, c in counts.items() if n in self.vocabulary]
        if not known:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        index = np.array([i for i, _ in known], np.int64)
        value = np.array([1.0 + math.log(c) if c >= 1 else c for _, c in known], np.float32) * self.idf[index]
        norm = float(np.linalg.norm(value))
        return index, value / norm if norm else value

    def scores(self, text: str) -> LearnedScores:
        """The question's similarity to each entry's centroid and to its nearest example."""
        index, value = self._vector(self._features(text))
        starts = (self._centroid_start, self._start)
        centroid = _gather(index, value, starts[0], self._centroid_entry, self._centroid_value, self._classes)
        similarity = _gather(index, value, starts[1], self._example, self._value, self.examples)
        nearest = np.maximum.reduceat(similarity, self._first)
        outside = float(nearest[self.entries]) if self.has_outside else 0.0
        return LearnedScores(centroid=centroid[: self.entries], nearest=nearest[: self.entries], outside=outside)


def _gather(
    index: np.ndarray, value: np.ndarray, start: np.ndarray, target: np.ndarray, weight: np.ndarray, size: int
) -> np.ndarray:
    """The dot products of a sparse vector (``index``, ``value``) with the ``size`` rows of a sparse matrix
    stored by column: column ``c`` holds ``target[start[c]:start[c + 1]]`` with ``weight`` there."""
    begins = start[index]
    lengths = start[index + 1] - begins
    offsets = np.cumsum(lengths) - lengths  # where each column's span starts among the picked cells
    picked = np.arange(int(lengths.sum())) + np.repeat(begins - offsets, lengths)
    return np.bincount(target[picked], weights=weight[picked] * np.repeat(value, lengths), minlength=size)
