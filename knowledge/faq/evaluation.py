"""Measuring the retrieval on a labelled set: top-1, honest refusals, latency, beside plain BM25.

The set is a YAML file with ``in_scope`` (``{q, id}`` pairs) and ``out_of_scope`` (questions).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import bm25s
import numpy as np
import yaml
from pydantic import BaseModel

from knowledge.faq.entries import KnowledgeBase
from knowledge.faq.retriever import FaqRetriever


class Labelled(BaseModel):
    q: str
    id: str


class EvalSet(BaseModel):
    in_scope: list[Labelled]
    out_of_scope: list[str]

    @classmethod
    def load(cls, path: Path) -> EvalSet:
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class Figures(BaseModel):
    """One method's results on the set."""

    method: str
    top1: float  # the first-ranked entry is the right one
    answered_right: float  # shown as the answer, and right
    answered_wrong: float  # shown as the answer, and wrong: the failure that matters most
    right_in_suggestions: float  # not answered, but the right entry is among the offered choices
    refusals: float  # out-of-scope questions that got "don't know" or "outside what I know"
    p50_ms: float
    p95_ms: float
    misses: list[str]  # in-scope questions whose first-ranked entry was wrong
    leaks: list[str]  # out-of-scope questions that got an answer or suggestions


# what a method returns for a question: (the entry it ranks first or None, kind, suggested ids)
Decision = tuple[str | None, str, list[str]]


def _measure(method: str, decide: Callable[[str], Decision], data: EvalSet) -> Figures:
    timings: list[float] = []
    top1 = right = wrong = suggested = 0
    misses: list[str] = []
    for item in data.in_scope:
        start = time.perf_counter()
        first, kind, offered = decide(item.q)
        timings.append((time.perf_counter() - start) * 1000)
        top1 += first == item.id
        if first != item.id:
            misses.append(f"{item.q!r}: got {first} ({kind}), want {item.id}")
        if kind == "answer":
            right += first == item.id
            wrong += first != item.id
        elif item.id in offered:
            suggested += 1
    refused = 0
    leaks: list[str] = []
    for question in data.out_of_scope:
        start = time.perf_counter()
        first, kind, _ = decide(question)
        timings.append((time.perf_counter() - start) * 1000)
        if kind in ("dont_know", "out_of_scope"):
            refused += 1
        else:
            leaks.append(f"{question!r}: {kind} {first}")
    n = len(data.in_scope)
    return Figures(
        method=method,
        top1=top1 / n,
        answered_right=right / n,
        answered_wrong=wrong / n,
        right_in_suggestions=suggested / n,
        refusals=refused / len(data.out_of_scope),
        p50_ms=float(np.percentile(timings, 50)),
        p95_ms=float(np.percentile(timings, 95)),
        misses=misses,
        leaks=leaks,
    )


def evaluate_retriever(retriever: FaqRetriever, data: EvalSet) -> Figures:
    def decide(question: str) -> Decision:
        result = retriever.ask(question)
        first = result.matches[0].entry_id if result.matches else None
        if result.kind == "answer" and result.entry is not None:
            first = result.entry.id
        return first, result.kind, [e.id for e in result.suggestions]

    return _measure("maple (bm25s + stems + glossary + typo repair + gate)", decide, data)


def evaluate_plain_bm25(kb: KnowledgeBase, data: EvalSet) -> Figures:
    """The baseline: one document per entry (question, phrasings, answer), bm25s' own tokenizer and
    English stop words, no stemming, no glossary; it answers whenever any word matches."""
    corpus = [" ".join([e.question, *e.phrasings, e.answer]) for e in kb.entries]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

    def decide(question: str) -> Decision:
        tokens = bm25s.tokenize(question, stopwords="en", return_ids=False, show_progress=False)[0]
        known = [t for t in tokens if t in retriever.vocab_dict]
        if not known:
            return None, "dont_know", []
        scores = retriever.get_scores(known)
        best = int(np.argmax(scores))
        if scores[best] <= 0:
            return None, "dont_know", []
        return kb.entries[best].id, "answer", []

    return _measure("plain BM25 (bm25s, one document per entry, no stems, answers any match)", decide, data)
