"""Measuring the retrieval on a labelled set: top-1, honest refusals, latency, beside plain BM25.

The set is a YAML file with ``in_scope`` (``{q, id}`` pairs) and ``out_of_scope`` (questions).

The labelled sets in ``knowledge/data/faq/labelled/`` and ``calibration/`` are trained on (the tuning
set, the two parts of the development set, the training paraphrases, the calibration sets; their
figures here are in-sample: ``maple-kb fit`` prints their out-of-fold figures, and the calibration
sets' as scored by models fitted without them). The sets in ``tests/data`` are measured on, never
trained on: the old held-out set, held-out v2 (frozen 2026-12-01, by someone who did not read the
entries), v3 to v7 (frozen 2026-12-02, each written by a separate engineer from the entries' ids,
questions and answers, before a change: v3 before the learned signal, v4 before the learned ranking
and gate, v5 before the gate's last calibration, v6 before the second batch of training questions, v7
before the calibration sets and the learned scope) and the four French held-out sets. The frozen ones
are reported as aggregates only: their questions and misses are never printed, so that nobody tunes on
them by accident.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import bm25s
import numpy as np
from pydantic import BaseModel

from knowledge.faq.entries import KnowledgeBase, Language
from knowledge.faq.learned import LABELLED_DIR
from knowledge.faq.retriever import FaqRetriever
from knowledge.provenance import read_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"  # the sets measured on, never trained on


class NamedSet(BaseModel):
    """A labelled set and whether its questions may be shown (the frozen held-out sets' may not)."""

    name: str
    path: Path
    blind: bool = False  # aggregates only: never print its questions or misses
    language: Language = "en"  # the questions' language: asked and answered in it


SETS = [
    NamedSet(name="tuning", path=LABELLED_DIR / "faq_eval.yaml"),
    NamedSet(name="dev rank", path=LABELLED_DIR / "faq_dev_rank.yaml"),
    NamedSet(name="dev gate", path=LABELLED_DIR / "faq_dev_gate.yaml"),
    NamedSet(name="held-out (old)", path=DATA_DIR / "faq_heldout.yaml"),
    NamedSet(name="held-out v2", path=DATA_DIR / "faq_heldout_v2.yaml", blind=True),
    NamedSet(name="held-out v3", path=DATA_DIR / "faq_heldout_v3.yaml", blind=True),
    NamedSet(name="held-out v4", path=DATA_DIR / "faq_heldout_v4.yaml", blind=True),
    NamedSet(name="held-out v5", path=DATA_DIR / "faq_heldout_v5.yaml", blind=True),
    NamedSet(name="held-out v6", path=DATA_DIR / "faq_heldout_v6.yaml", blind=True),
    NamedSet(name="held-out v7", path=DATA_DIR / "faq_heldout_v7.yaml", blind=True),
    NamedSet(name="held-out v8", path=DATA_DIR / "faq_heldout_v8.yaml", blind=True),
    NamedSet(name="French tuning", path=LABELLED_DIR / "fr" / "faq_eval_fr.yaml", language="fr"),
    NamedSet(name="French held-out", path=DATA_DIR / "faq_heldout_fr.yaml", blind=True, language="fr"),
    NamedSet(name="French held-out v2", path=DATA_DIR / "faq_heldout_fr_v2.yaml", blind=True, language="fr"),
    NamedSet(name="French held-out v3", path=DATA_DIR / "faq_heldout_fr_v3.yaml", blind=True, language="fr"),
    NamedSet(name="French held-out v4", path=DATA_DIR / "faq_heldout_fr_v4.yaml", blind=True, language="fr"),
    NamedSet(name="French held-out v5", path=DATA_DIR / "faq_heldout_fr_v5.yaml", blind=True, language="fr"),
]


class Labelled(BaseModel):
    q: str
    id: str


class EvalSet(BaseModel):
    in_scope: list[Labelled]
    out_of_scope: list[str]

    @classmethod
    def load(cls, path: Path) -> EvalSet:
        return cls.model_validate(read_yaml(path))


class Figures(BaseModel):
    """One method's results on the set."""

    method: str
    top1: float  # the first-ranked entry is the right one
    answered_right: float  # shown as the answer, and right
    answered_wrong: float  # shown as the answer, and wrong: the failure that matters most
    right_in_suggestions: float  # not answered, but the right entry is among the offered choices
    right_in_related: float  # answered, and the right entry is the answer or among the buttons under it
    refusals: float  # out-of-scope questions that got "don't know" or "outside what I know"
    p50_ms: float
    p95_ms: float
    misses: list[str]  # in-scope questions whose first-ranked entry was wrong
    leaks: list[str]  # out-of-scope questions that got an answer or suggestions


# what a method returns for a question: (the entry it ranks first or None, kind, offered ids); for an
# answer, the offered ids are the related entries shown as buttons under it
Decision = tuple[str | None, str, list[str]]


def _measure(method: str, decide: Callable[[str], Decision], data: EvalSet) -> Figures:
    timings: list[float] = []
    top1 = right = wrong = suggested = related = 0
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
            related += first == item.id or item.id in offered
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
        right_in_related=related / n,
        refusals=refused / len(data.out_of_scope),
        p50_ms=float(np.percentile(timings, 50)),
        p95_ms=float(np.percentile(timings, 95)),
        misses=misses,
        leaks=leaks,
    )


def evaluate_retriever(retriever: FaqRetriever, data: EvalSet, language: Language = "en") -> Figures:
    def decide(question: str) -> Decision:
        result = retriever.ask(question, language)
        first = result.matches[0].entry_id if result.matches else None
        if result.kind == "answer" and result.entry is not None:
            first = result.entry.id
        offered = result.related if result.kind == "answer" else result.suggestions
        return first, result.kind, [e.id for e in offered]

    return _measure("maple (bm25s + stems + glossary + typo repair + learned similarity + gate)", decide, data)


def evaluate_plain_bm25(kb: KnowledgeBase, data: EvalSet, language: Language = "en") -> Figures:
    """The baseline: one document per entry (question, phrasings, answer), bm25s' own tokenizer and
    stop words of the language, no stemming, no glossary; it answers whenever any word matches."""
    texts = [e.text(language) for e in kb.entries]
    corpus = [" ".join([t.question, *t.phrasings, t.answer]) for t in texts]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords=language, show_progress=False), show_progress=False)

    def decide(question: str) -> Decision:
        tokens = bm25s.tokenize(question, stopwords=language, return_ids=False, show_progress=False)[0]
        known = [t for t in tokens if t in retriever.vocab_dict]
        if not known:
            return None, "dont_know", []
        scores = retriever.get_scores(known)
        best = int(np.argmax(scores))
        if scores[best] <= 0:
            return None, "dont_know", []
        return kb.entries[best].id, "answer", []

    return _measure("plain BM25 (bm25s, one document per entry, no stems, answers any match)", decide, data)


def evaluate_all(
    retriever: FaqRetriever, kb: KnowledgeBase, sets: list[NamedSet] | None = None
) -> list[tuple[NamedSet, EvalSet, Figures, Figures]]:
    """Maple and the plain-BM25 baseline on each set that exists."""
    out = []
    for named in sets or SETS:
        if not named.path.exists():
            continue
        data = EvalSet.load(named.path)
        ours = evaluate_retriever(retriever, data, named.language)
        out.append((named, data, ours, evaluate_plain_bm25(kb, data, named.language)))
    return out


def select_sets(names: list[str] | None) -> list[NamedSet]:
    """The sets named (all of them when ``names`` is empty); an unknown name is a ValueError."""
    if not names:
        return SETS
    known = {named.name: named for named in SETS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown set(s) {unknown}; known: {list(known)}")
    return [known[n] for n in names]


COLUMNS: list[tuple[str, str]] = [
    ("top-1", "top1"),
    ("right", "answered_right"),
    ("WRONG", "answered_wrong"),
    ("offered", "right_in_suggestions"),
    ("shown", "right_in_related"),
    ("refused", "refusals"),
]
LEGEND = (
    "top-1: the first-ranked entry is right; right / WRONG: answered, and right / wrong; offered: not answered,\n"
    "the right entry among the choices; shown: answered, the right entry is the answer or a button under it;\n"
    "refused: out-of-scope questions refused"
)


def table(rows: list[tuple[str, Figures]]) -> str:
    """One line per (set, method), one column per figure, then latency."""
    width = max(20, *(len(label) for label, _ in rows))
    head = "".join(f"{name:>9}" for name, _ in COLUMNS)
    lines = [f"  {'':{width}}{head}   p50 / p95 ms"]
    for label, f in rows:
        cells = "".join(f"{getattr(f, field):>9.1%}" for _, field in COLUMNS)
        lines.append(f"  {label:{width}}{cells}   {f.p50_ms:.2f} / {f.p95_ms:.2f}")
    return "\n".join(lines)


def report(retriever: FaqRetriever, kb: KnowledgeBase, misses: bool = False, sets: list[NamedSet] | None = None) -> str:
    """The figures of every set side by side with plain BM25; misses only for the sets that may show them."""
    results = evaluate_all(retriever, kb, sets)
    lines = [f"{len(kb.entries)} entries"]
    for named, data, _, _ in results:
        blind = " (frozen: aggregates only)" if named.blind else ""
        lines.append(f"  {named.name}: {len(data.in_scope)} in scope, {len(data.out_of_scope)} out of scope{blind}")
    lines.append("\nmaple (bm25s + stems + glossary + typo repair + learned similarity + gate) | plain BM25 (any)")
    rows: list[tuple[str, Figures]] = []
    for named, _, ours, plain in results:
        rows += [(f"{named.name} maple", ours), (f"{named.name} bm25", plain)]
    lines += [table(rows), LEGEND]
    if misses:
        for named, _, ours, _ in results:
            if named.blind:
                continue
            lines.append(f"\n{named.name}: misses and leaks")
            lines += [f"   miss: {m}" for m in ours.misses] + [f"   leak: {m}" for m in ours.leaks]
    return "\n".join(lines)
