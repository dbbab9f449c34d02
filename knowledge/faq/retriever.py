"""Finding the entry that answers a question: BM25 over curated phrasings, learned signals, then an honest gate.

Candidates: each entry's question and phrasings are indexed one per document, its answer in a second
index; an entry scores the best of its phrasings plus a fraction of its answer's score (bm25s with
Snowball stems, glossary expansion, typo repair). In each language the ten best by score, plus the three
nearest by a learned signal (:mod:`knowledge.faq.learned`: similarity to each entry's centroid and
nearest labelled example, over words, stem pairs and character n-grams) and, in English, the three
nearest by static word embeddings (:mod:`knowledge.faq.embedding`), are the candidates.

Ranking and gate: in a language with learned models (:mod:`knowledge.faq.confidence`, fitted out of fold
on the labelled sets by ``maple-kb fit``), the candidates are ranked by a learned weighting of their
figures, and two small logistic models give the probability that the first one is right and that the
question is in scope at all. Without them (``models=ConfidenceModels.none()``, or a ``Gate`` without the
learned signal), the hand-set :class:`Gate`'s rules decide on strength + similarities.

The decision, what the person sees:
- ``answer``: the best entry, confident enough (learned gate), or by the rules: it covers the
  question's words well (or the question holds nearly all of one of its phrasings, the rest being
  context) and clearly beats the next one, or, in a long question full of context, holds one of its
  phrasings and far outranks every other entry (the "clear lead"); typed exactly as one of an entry's
  phrasings, always; ``related`` then holds the next one or two plausible entries, to be shown as
  buttons under the answer, not instead of it;
- ``suggest``: a plausible but weak or ambiguous match: the two or three closest entries, as choices
  instead of an answer;
- ``out_of_scope``: the question names something outside Express Entry (another country, a study
  permit, citizenship...) that no entry covers;
- ``dont_know``: nothing relevant.
Language: ``ask`` and ``search`` take ``language`` ("en", the default, or "fr"). French questions
are searched in the entries' French fields with the French analyzer (folded accents, Snowball French
stems, French stop words and glossary: :mod:`knowledge.faq.french`) and checked against the French
out-of-scope phrases; ``FaqResult.language`` says which fields to show (``entry.text(language)``:
the French question, answer and source). :func:`knowledge.faq.language.detect_language` tells a
French question from an English one. With no French entries, a French question is searched in English.

Coverage is the share of the question's content words (weighted by rarity) that the entry's text
contains: an unknown word such as "Australia" or "hockey" weighs the most, which is what keeps an
unrelated entry from being presented as an answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import bm25s
import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge.faq.analysis import QUESTION_WORDS, Analyzer, Glossary
from knowledge.faq.confidence import ConfidenceModels, LanguageModels
from knowledge.faq.embedding import Embedder, SemanticIndex, wordllama_embedder
from knowledge.faq.entries import FaqEntry, KnowledgeBase, Language, default_knowledge_base
from knowledge.faq.french import FrenchAnalyzer, FrenchScope
from knowledge.faq.learned import TRAINING_SETS, EntryClassifier, Example, load_examples, load_outside
from knowledge.provenance import DATA_DIR

SCOPE_FILE = DATA_DIR / "faq" / "scope.yaml"
MAX_QUESTION_CHARS = 300
ALL_CANDIDATES = 50  # more than a search ever finds (the ten best by score and a few by similarity)
NUMBER_WEIGHT = 0.5  # the most a number weighs in coverage and precision (rare words weigh up to ~5)
Kind = Literal["answer", "suggest", "dont_know", "out_of_scope"]


class Gate(BaseModel):
    """The candidates' settings, and the hand-set gate's thresholds (a language without learned models).

    The thresholds were calibrated on 2026-12-02 on the development set's gate part (a grid over the
    clear-lead, answer and suggestion thresholds, then over the rules that answer on a small lead; the
    script was retired when the learned gate, ``maple-kb fit``, replaced them for both languages).
    """

    model_config = ConfigDict(frozen=True)

    answer_weight: float = 0.15  # share of the answer index in an entry's score
    rerank: int = 10  # the best entries by score are re-ranked by strength (score, coverage, precision)
    answer_coverage: float = 0.3  # answer when the best entry covers this much of the question...
    answer_precision: float = 0.6  # ...the question holds this much of one of its phrasings...
    answer_score: float = 1.0  # ...with at least this BM25 score...
    answer_margin: float = 1.35  # ...and it ranks this many times above the second entry
    context_precision: float = 0.7  # a question holding this much of a phrasing...
    context_coverage: float = 0.3  # ...and this covered is answered as if covered (the rest is context)
    context_phrase_terms: int = 2  # ...when that phrasing has at least this many content words
    scope_context_coverage: float = 0.66  # such a question stays in scope despite an out-of-scope word
    whole_precision: float = 0.999  # a question holding this much of a phrasing...
    whole_coverage: float = 0.9  # ...and covered this much...
    whole_margin: float = 1.1  # ...is answered with this smaller lead over the second entry
    related: int = 2  # entries shown as buttons under an answer (the next nearest, when plausible)
    related_rank: float = 0.2  # plausible: ranked at least this share of the answer (or covering the question)
    suggest_coverage: float = 0.5  # below: don't know
    suggest_precision: float = 0.4  # ...and so when the question shares next to nothing with any phrasing
    suggestions: int = 3
    scope_remaining_words: int = 3  # an out-of-scope word wins unless this many other words...
    scope_override_coverage: float = 0.66  # ...are this well covered by the best entry...
    scope_override_precision: float = 0.7  # ...and hold this much of one of its phrasings
    lead_margin: float = 1.5  # a best entry this many times above the second one is answered...
    lead_precision: float = 0.5  # ...when the question holds this much of one of its phrasings...
    lead_coverage: float = 0.35  # ...covers this much of the question...
    lead_phrase_terms: int = 2  # ...and that phrasing has at least this many content words...
    lead_score: float = 3.0  # ...with at least this BM25 score
    semantic_weight: float = 0.0  # hybrid only: weight of the embedding similarity in the ranking
    centroid_weight: float = 1.0  # weight of the learned similarity to the entry's centroid in the ranking
    nearest_weight: float = 1.0  # weight of the learned similarity to the entry's nearest example
    learned_candidates: int = 3  # entries added to the candidates by the learned similarity alone
    learned_nearest: float = 0.5  # a best entry with a labelled example this similar to the question...
    learned_margin: float = 1.1  # ...ranked this many times above the second entry...
    learned_lead: float = 0.05  # ...whose nearest example is at least this much less similar...
    learned_coverage: float = 0.66  # ...and covering this much of the question is answered...
    learned_words: int = 2  # ...when it has at least this many content words ("eca" alone is ambiguous)
    semantic_candidates: int = 3  # hybrid only: entries added to the candidates by similarity alone


class Scope(BaseModel):
    """Phrases that mark a question as outside Express Entry."""

    source: str
    checked: date
    phrases: list[str]

    @classmethod
    def load(cls, path: Path = SCOPE_FILE) -> Scope:
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class Match(BaseModel):
    entry_id: str
    score: float
    coverage: float  # share of the question's words found in the entry
    precision: float  # share of the entry's closest phrasing found in the question
    similarity: float = 0.0  # hybrid only: cosine similarity of the question to the entry's closest phrasing
    semantic_centroid: float = 0.0  # hybrid only: cosine similarity of the question to the entry's mean phrasing
    phrase_terms: int = 0  # content words of that closest phrasing (a short one is held by chance more easily)
    centroid: float = 0.0  # learned similarity to the entry's centroid (knowledge.faq.learned)
    nearest: float = 0.0  # learned similarity to the entry's nearest labelled example
    rank: float = 0.0  # what the ranking sorts by: the learned ranking's score (or strength + similarities)
    probability: float = 0.0  # with learned models: the softmax share of this entry among the candidates
    relative: float = 0.0  # strength relative to the strongest candidate of the question
    outside: float = 0.0  # 1: the question names a scope phrase ("study permit"); searched without it
    unlike: float = 0.0  # learned similarity of the question to the nearest out-of-scope example: the same for all

    @property
    def strength(self) -> float:
        return self.score * self.coverage * (0.5 + 0.5 * self.precision)


class FaqResult(BaseModel):
    """What the retrieval decided, with the figures behind the decision."""

    kind: Kind
    query: str
    entry: FaqEntry | None = None
    suggestions: list[FaqEntry] = Field(default_factory=list)  # "suggest": the choices shown instead of an answer
    related: list[FaqEntry] = Field(default_factory=list)  # "answer": the next nearest entries, shown under it
    matches: list[Match] = Field(default_factory=list)
    scope_phrase: str | None = None
    language: Language = "en"  # the language searched: show ``entry.text(language)``
    confidence: float | None = None  # with learned models: the gate's probability that ``matches[0]`` is right
    in_scope: float | None = None  # with learned models: the probability that some entry answers the question


class _LanguageIndex:
    """The two BM25 indexes, the term sets and the rarity weights of one language."""

    def __init__(self, language: Language, entries: list[FaqEntry], glossary: Glossary) -> None:
        self.analyzer = FrenchAnalyzer(glossary) if language == "fr" else Analyzer(language, glossary)
        self.entries = entries
        texts = [e.text(language) for e in entries]
        self.analyzer.learn([t for x in texts for t in (x.question, *x.phrasings, x.answer)])
        owners: list[int] = []  # the entry of each indexed phrasing
        self.entry_variants: list[list[list[list[str]]]] = []  # each entry's phrasings, as term groups
        variant_tokens: list[list[str]] = []
        answer_tokens: list[list[str]] = []
        self.entry_terms: list[set[str]] = []
        for number, (entry, text) in enumerate(zip(entries, texts, strict=True)):
            self.entry_variants.append([self.analyzer.terms(v) for v in (text.question, *text.phrasings)])
            for groups in self.entry_variants[-1]:
                variant_tokens.append([t for g in groups for t in g] or ["_"])
                owners.append(number)
            answer = " ".join([text.answer, *entry.tags])
            answer_tokens.append(self.analyzer.flat_terms(answer) or ["_"])
            self.entry_terms.append(set(answer_tokens[-1]).union(*variant_tokens[-len(text.phrasings) - 1 :]))
        self.variants = bm25s.BM25()
        self.variants.index(variant_tokens, show_progress=False)
        self.answers = bm25s.BM25()
        self.answers.index(answer_tokens, show_progress=False)
        self.owner = np.array(owners)
        count = len(entries)
        frequency: dict[str, int] = {}
        for terms in self.entry_terms:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        self.idf = {t: math.log(1 + (count - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
        self.unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self.vocabulary = set(frequency)
        # a question typed exactly as one entry's question or phrasing (its words, stop words included): that entry
        exact: dict[tuple[str, ...], set[int]] = {}
        for number, text in enumerate(texts):
            for variant in (text.question, *text.phrasings):
                exact.setdefault(tuple(self.analyzer.words(variant)), set()).add(number)
        self.exact = {words: next(iter(owners)) for words, owners in exact.items() if len(owners) == 1 and words}
        # each phrasing's term groups as sets with their weights, and its total weight: computed once
        self.weighted_variants = [[self._weighted(variant) for variant in variants] for variants in self.entry_variants]

    def _weight(self, term: str) -> float:
        w = self.idf.get(term, self.unknown_idf)
        return min(w, NUMBER_WEIGHT) if term.isdigit() else w  # a year, an age or a score is context

    def _weighted(self, groups: list[list[str]]) -> tuple[list[tuple[frozenset[str], float]], float, int]:
        weighted = [(frozenset(g), self._weight(g[0])) for g in groups]
        return weighted, sum(w for _, w in weighted), len(groups)

    def without(self, query: str, phrase: str) -> str:
        """The question with an out-of-scope phrase taken out (French: on folded words)."""
        if isinstance(self.analyzer, FrenchAnalyzer):
            return self.analyzer.without(query, phrase)
        return query.lower().replace(phrase, " ")

    def scores(self, terms: list[str], answer_weight: float) -> np.ndarray:
        known = [t for t in terms if t in self.vocabulary]
        total = np.zeros(len(self.entries), dtype=np.float32)
        if not known:
            return total
        per_variant = self.variants.get_scores(known)
        np.maximum.at(total, self.owner, per_variant)
        return total + answer_weight * self.answers.get_scores(known)

    def _share(self, groups: list[list[str]], present: set[str]) -> float:
        """The rarity-weighted share of ``groups`` with a term in ``present`` (unknown words weigh the most)."""
        weighted, total, _ = self._weighted(groups)
        return self._found(weighted, total, present)

    @staticmethod
    def _found(weighted: list[tuple[frozenset[str], float]], total: float, present: set[str]) -> float:
        if not total:
            return 0.0
        return sum(w for group, w in weighted if not present.isdisjoint(group)) / total

    def precision(self, groups: list[list[str]], entry: int) -> float:
        """How fully the question contains one of the entry's phrasings (the best one), weighted by rarity."""
        return self.held(groups, entry)[0]

    def held(self, groups: list[list[str]], entry: int) -> tuple[float, int]:
        """The best phrasing's share found in the question, and how many content words that phrasing has."""
        asked = {t for g in groups for t in g}
        found = [(self._found(weighted, total, asked), size) for weighted, total, size in self.weighted_variants[entry]]
        return max(found, default=(0.0, 0))

    def coverage(self, groups: list[list[str]], entry: int) -> float:
        """How much of the question the entry's text (phrasings, answer, tags) contains, weighted by rarity."""
        return self._share(groups, self.entry_terms[entry])


class FaqRetriever:
    """Answers from the knowledge base, per language; built once, then queried in well under a millisecond."""

    def __init__(
        self,
        kb: KnowledgeBase,
        glossary: Glossary | None = None,
        scope: Scope | None = None,
        gate: Gate | None = None,
        semantic: Embedder | None = None,
        french_scope: FrenchScope | None = None,
        examples: Mapping[Language, list[Example]] | None = None,
        models: ConfidenceModels | None = None,
        outside: Mapping[Language, list[str]] | None = None,
    ) -> None:
        self.kb = kb
        self.gate = gate or Gate()
        # the learned ranking and gate of each language that has them; pass ConfidenceModels with no language for the
        # hand-set gate alone (a Gate without the learned signal implies it: the models read that signal)
        learned_on = bool(self.gate.centroid_weight or self.gate.nearest_weight)
        chosen_models = (models or ConfidenceModels.load()).languages if learned_on else {}
        self.models: dict[Language, LanguageModels] = dict(chosen_models)
        self.scope = scope or Scope.load()
        glossary = glossary or Glossary.load()
        self.by_id = kb.by_id()
        self.indexes: dict[Language, _LanguageIndex] = {"en": _LanguageIndex("en", kb.entries, glossary)}
        french = [e for e in kb.entries if e.fr is not None]
        if french:
            self.indexes["fr"] = _LanguageIndex("fr", french, glossary)
        # the learned signal of each language, from the phrasings and labelled examples (by default the shipped ones)
        self.learned: dict[Language, EntryClassifier] = {}
        trained: dict[Language, list[Example]] = {}
        if learned_on:
            for language, index in self.indexes.items():
                given = examples.get(language) if examples is not None else None
                trained[language] = load_examples(TRAINING_SETS[language]) if given is None else given
                # the out-of-scope questions: the shipped ones with the shipped examples, else only those given
                if outside is not None:
                    unanswered = outside.get(language, [])
                else:
                    unanswered = load_outside(TRAINING_SETS[language]) if given is None else []
                self.learned[language] = EntryClassifier(index.analyzer, kb, trained[language], language, unanswered)
        self._scopes: dict[Language, list[tuple[str, ...]]] = {
            "en": [tuple(p.lower().split()) for p in self.scope.phrases]
        }
        if "fr" in self.indexes:
            french_phrases = (french_scope or FrenchScope.load()).phrases
            self._scopes["fr"] = [tuple(self.indexes["fr"].analyzer.words(p)) for p in french_phrases]
        # by first word, and each phrase's first place in its file (the earliest listed wins)
        self._scope_by_word: dict[Language, dict[str, list[tuple[str, ...]]]] = {}
        self._scope_order: dict[Language, dict[tuple[str, ...], int]] = {}
        for language, phrases in self._scopes.items():
            by_word: dict[str, list[tuple[str, ...]]] = {}
            for phrase in phrases:
                if phrase:
                    by_word.setdefault(phrase[0], []).append(phrase)
            self._scope_by_word[language] = by_word
            self._scope_order[language] = {phrase: n for n, phrase in reversed(list(enumerate(phrases)))}
        self.semantic: SemanticIndex | None = None
        if semantic is None and any(m.fitted.semantic for m in self.models.values()):
            semantic = wordllama_embedder()  # the models were fitted with the embedding similarity: they read it
        if semantic is not None:  # English only: the packaged model is English
            texts = [e.text("en") for e in kb.entries]
            variants = [[t.question, *t.phrasings] for t in texts]
            number = {e.id: i for i, e in enumerate(kb.entries)}
            for example in trained.get("en", []):  # the labelled questions too: nearest example, as the learned signal
                if example.id in number:
                    variants[number[example.id]].append(example.q)
            self.semantic = SemanticIndex(semantic, variants, [t.answer for t in texts])

    def _index(self, language: Language) -> _LanguageIndex:
        return self.indexes.get(language) or self.indexes["en"]

    def search(self, query: str, language: Language = "en", k: int = 3) -> list[Match]:
        """The ``k`` best entries, by score, with their coverage of the question."""
        query = query[:MAX_QUESTION_CHARS]
        index = self._index(language)
        groups = index.analyzer.terms(query, repair=True)
        scores = index.scores([t for g in groups for t in g], self.gate.answer_weight)
        chosen = [int(i) for i in np.argsort(-scores, kind="stable")[: self.gate.rerank] if scores[i] > 0]
        similar = similar_centroid = None
        if self.semantic is not None and language == "en" and any(ch.isalpha() for ch in query):
            similar, similar_centroid = self.semantic.both(query)
            extra = [int(i) for i in np.argsort(-similar, kind="stable")[: self.gate.semantic_candidates]]
            chosen += [i for i in extra if i not in chosen]
        learned = None
        classifier = self.learned.get(index.analyzer.language)
        if classifier is not None:
            learned = classifier.scores(query)
            both = self.gate.centroid_weight * learned.centroid + self.gate.nearest_weight * learned.nearest
            extra = [int(i) for i in np.argsort(-both, kind="stable")[: self.gate.learned_candidates] if both[i] > 0]
            chosen += [i for i in extra if i not in chosen]
        candidates = [
            Match(
                entry_id=index.entries[i].id,
                score=float(scores[i]),
                coverage=index.coverage(groups, i),
                precision=held[0],
                phrase_terms=held[1],
                similarity=float(similar[i]) if similar is not None else 0.0,
                semantic_centroid=float(similar_centroid[i]) if similar_centroid is not None else 0.0,
                centroid=float(learned.centroid[i]) if learned is not None else 0.0,
                nearest=float(learned.nearest[i]) if learned is not None else 0.0,
                unlike=learned.outside if learned is not None else 0.0,
            )
            for i in chosen
            for held in [index.held(groups, i)]
        ]
        strongest = max((m.strength for m in candidates), default=1.0) or 1.0
        for m in candidates:
            m.relative = m.strength / strongest
        model = self.models.get(index.analyzer.language)
        if candidates and model is not None:
            ranks, probabilities, _ = model.rank(candidates)
            for m, rank, probability in zip(candidates, ranks, probabilities, strict=True):
                m.rank, m.probability = float(rank), float(probability)
        else:
            for m in candidates:
                m.rank = (
                    m.relative
                    + self.gate.semantic_weight * m.similarity
                    + self.gate.centroid_weight * m.centroid
                    + self.gate.nearest_weight * m.nearest
                )
        candidates.sort(key=lambda m: m.rank, reverse=True)
        return candidates[:k]

    def _scope_phrase(self, words: list[str], language: Language = "en") -> str | None:
        if language not in self._scopes:
            language = "en"
        by_word, order = self._scope_by_word[language], self._scope_order[language]
        found: list[tuple[int, tuple[str, ...]]] = []  # (the phrase's place in the file, the phrase)
        for start, word in enumerate(words):
            for phrase in by_word.get(word, ()):
                if tuple(words[start : start + len(phrase)]) == phrase:
                    found.append((order[phrase], phrase))
        return " ".join(min(found)[1]) if found else None

    def ask(self, query: str, language: Language = "en") -> FaqResult:
        """Decide between an answer, a few suggestions, "outside what I know" and "I don't know"."""
        query = query[:MAX_QUESTION_CHARS]  # a question is short; a pasted page would only cost time
        index = self._index(language)
        language = index.analyzer.language
        model = self.models.get(language)
        shown = max(self.gate.suggestions, 2)
        # the learned gate sees every candidate, as when it was fitted (knowledge.faq.fitting); the rules, the first few
        learned_scope = model is not None and "outside" in model.gate
        decided, matches = self.candidates(
            query, language, ALL_CANDIDATES if model is not None else shown, learned_scope=learned_scope
        )
        if decided is not None:
            return decided.model_copy(update={"matches": decided.matches[:shown]})
        groups = index.analyzer.terms(query, repair=True)
        if model is None:
            return self._by_rules(query, matches, language, groups)
        result = self._decide(query, matches, model, language, content_words(groups))
        if result.kind == "dont_know" and matches[0].outside:  # it names e.g. a study permit, and no entry answers
            phrase = self._named_scope(index.analyzer.words(query), index, language)
            return result.model_copy(update={"kind": "out_of_scope", "scope_phrase": phrase})
        return result

    def _named_scope(self, typed: list[str], index: _LanguageIndex, language: Language) -> str | None:
        """The scope phrase the words name, as typed (repair turns "card" into "cad"), then repaired ("sponser")."""
        return self._scope_phrase(typed, language) or self._scope_phrase(index.analyzer.repair(typed), language)

    def candidates(
        self, query: str, language: Language, k: int, learned_scope: bool = False
    ) -> tuple[FaqResult | None, list[Match]]:
        """The ``k`` best entries to decide between, or the decision already made: outside Express Entry, nothing
        to search (no words, no entry), or typed as one of an entry's own phrasings (that entry is the answer).

        A question naming a scope phrase ("study permit", "Australia") is outside Express Entry unless the rest of
        it asks an entry's question: by the hand-set rule (:meth:`_in_scope_despite`), or with ``learned_scope``
        by the learned models, which read the candidates found for the rest with ``outside`` set (they answer
        "i am on a pgwp, when am i eligible for cec", and need more confidence to: ``answer_outside_at``)."""
        query = query[:MAX_QUESTION_CHARS]
        index = self._index(language)
        language = index.analyzer.language  # French falls back to English when there is no French index
        typed = index.analyzer.words(query)
        phrase = self._named_scope(typed, index, language)
        if phrase is not None and learned_scope:  # searched once, without the phrase
            matches = self.search(index.without(query, phrase), language, k=k)
            for m in matches:
                m.outside = 1.0
            if not matches:
                return FaqResult(kind="out_of_scope", query=query, scope_phrase=phrase, language=language), matches
        else:
            matches = self.search(query, language, k=k)
        if phrase is not None and not learned_scope:
            if not self._in_scope_despite(query, phrase, index, matches):
                outside = FaqResult(
                    kind="out_of_scope", query=query, matches=matches, scope_phrase=phrase, language=language
                )
                return outside, matches
            # decide on the rest: "Australia" is context there, not a word the answer must contain
            matches = self.search(index.without(query, phrase), language, k=k)
        wordless = not any(ch.isalpha() for ch in query)  # "8 7" is a mistyped answer, not a question
        if wordless or not matches:
            return FaqResult(kind="dont_know", query=query, matches=matches, language=language), matches
        exact = index.exact.get(tuple(typed))
        if exact is not None:  # typed as one of an entry's own phrasings ("c'est quoi une EDE?"): that entry
            found = next((m for m in matches if m.entry_id == index.entries[exact].id), None)
            if found is not None:
                return self._answer(query, [found, *(m for m in matches if m is not found)], language), matches
        return None, matches

    def _decide(
        self, query: str, matches: list[Match], model: LanguageModels, language: Language, words: int
    ) -> FaqResult:
        """The learned gate: answer when confident, offer the closest entries when plausible, else "I don't know"."""
        ranks = np.array([m.rank for m in matches])
        confidence, in_scope = model.confidence(matches, ranks, matches[0].probability, words)
        offered = [self.by_id[m.entry_id] for m in matches if m.probability >= model.offer_at]
        shown = matches[: max(self.gate.suggestions, 2)]
        found = dict(query=query, matches=shown, language=language, confidence=confidence, in_scope=in_scope)
        # one word ("ielts", "pr") is a topic, not yet a question: answered only by an entry whose own question names
        # it ("eca": What is an ECA?), else its likely entries, one tap away (a stranger got the spouse's test for
        # "ielts", the fees for "pr")
        analyzer = self._index(language).analyzer
        typed = analyzer.words(query)
        named = set(analyzer.words(self.by_id[matches[0].entry_id].text(language).question))
        topic = len(typed) == 1 and typed[0] not in named
        kind = model.kind(confidence, in_scope, outside=bool(matches[0].outside), offered=bool(offered), topic=topic)
        if kind == "answer":
            answer = self._answer(query, matches, language)
            return answer.model_copy(update={"matches": shown, "confidence": confidence, "in_scope": in_scope})
        if kind == "suggest":
            return FaqResult(kind="suggest", suggestions=offered[: self.gate.suggestions], **found)
        return FaqResult(kind="dont_know", **found)

    def _by_rules(self, query: str, matches: list[Match], language: Language, groups: list[list[str]]) -> FaqResult:
        """The hand-set gate (a language without learned models)."""
        gate = self.gate
        top = matches[0]
        runner = matches[1] if len(matches) > 1 else None
        if self._leads(top, runner) or self._learned(top, runner, groups):
            return self._answer(query, matches, language)
        in_context = self._in_context(top)
        if (top.coverage < gate.suggest_coverage and not in_context) or top.precision < gate.suggest_precision:
            return FaqResult(kind="dont_know", query=query, matches=matches, language=language)
        # a question that is one of the entry's phrasings and nothing more needs a smaller lead
        whole = top.precision >= gate.whole_precision and top.coverage >= gate.whole_coverage
        margin = gate.whole_margin if whole else gate.answer_margin
        clear = runner is None or runner.rank <= 0 or top.rank >= margin * runner.rank
        confident = (top.coverage >= gate.answer_coverage and top.precision >= gate.answer_precision) or in_context
        if confident and top.score >= gate.answer_score and clear:
            return self._answer(query, matches, language)
        close = [m for m in matches if m.coverage >= gate.suggest_coverage or self._in_context(m)][: gate.suggestions]
        suggestions = [self.by_id[m.entry_id] for m in close]
        return FaqResult(kind="suggest", query=query, suggestions=suggestions, matches=matches, language=language)

    def _answer(self, query: str, matches: list[Match], language: Language) -> FaqResult:
        """The best entry as the answer, the next plausible ones as buttons under it: covering the question, or
        likely (the learned ranking's probability) or ranked near it (the rules' rank)."""
        gate = self.gate
        model = self.models.get(language)

        def plausible(m: Match) -> bool:
            near = m.probability >= model.related_at if model is not None else m.rank >= gate.related_rank
            return near or m.coverage >= gate.suggest_coverage

        related = [self.by_id[m.entry_id] for m in matches[1:] if plausible(m)]
        return FaqResult(
            kind="answer",
            query=query,
            entry=self.by_id[matches[0].entry_id],
            related=related[: gate.related],
            matches=matches,
            language=language,
        )

    def _leads(self, top: Match, runner: Match | None) -> bool:
        """A long question, full of context, whose best entry holds one of its phrasings and far outranks the rest."""
        gate = self.gate
        far = runner is None or runner.rank <= 0 or top.rank >= gate.lead_margin * runner.rank
        held = top.precision >= gate.lead_precision and top.phrase_terms >= gate.lead_phrase_terms
        return far and held and top.coverage >= gate.lead_coverage and top.score >= gate.lead_score

    def _learned(self, top: Match, runner: Match | None, groups: list[list[str]]) -> bool:
        """Asked nearly as one of the best entry's labelled examples, ranked above the rest, covering the question."""
        gate = self.gate
        ahead = runner is None or runner.rank <= 0 or top.rank >= gate.learned_margin * runner.rank
        unlike = runner is None or top.nearest - runner.nearest >= gate.learned_lead  # not asked as both were
        if not (ahead and unlike) or top.nearest < gate.learned_nearest or top.coverage < gate.learned_coverage:
            return False
        return content_words(groups) >= gate.learned_words

    def _in_context(self, match: Match) -> bool:
        """A long question that holds nearly all of one phrasing: the rest is context ("I'm 31, from Lagos...")."""
        gate = self.gate
        long_enough = match.phrase_terms >= gate.context_phrase_terms
        return long_enough and match.precision >= gate.context_precision and match.coverage >= gate.context_coverage

    def _in_scope_despite(self, query: str, phrase: str, index: _LanguageIndex, matches: list[Match]) -> bool:
        """A question that names e.g. Australia but is about police certificates stays in scope."""
        if not matches:
            return False
        rest = index.without(query, phrase)
        groups = [g for g in index.analyzer.terms(rest, repair=True) if g[0] not in QUESTION_WORDS]
        if len(groups) < self.gate.scope_remaining_words:
            return False
        number = next(i for i, e in enumerate(index.entries) if e.id == matches[0].entry_id)
        gate = self.gate
        coverage = index.coverage(groups, number)
        share, size = index.held(groups, number)
        if share < gate.scope_override_precision:  # the rest must ask an entry's question, not just share words
            return False
        held = share >= gate.context_precision and size >= gate.context_phrase_terms
        return coverage >= gate.scope_override_coverage or (held and coverage >= gate.scope_context_coverage)


def content_words(groups: list[list[str]]) -> int:
    """The question's content words (its term groups less "what", "how"...)."""
    return sum(g[0] not in QUESTION_WORDS for g in groups)


@cache
def default_retriever() -> FaqRetriever:
    """The shipped knowledge base, glossary, scope and models: built once per process (~1 s: two learned signals
    and the embeddings of 2,800 texts) and shared, read-only, by every core that asks for it."""
    return FaqRetriever(default_knowledge_base())
