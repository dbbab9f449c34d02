"""From a person's text to search terms: words, short forms, glossary expansion, stems, typo repair.

The glossary (``knowledge/data/faq/glossary.yaml``) is data: it maps the acronyms and everyday words
people type ("pnp", "wife", "wes") to the words the entries use. Stems come from the Snowball
stemmers of PyStemmer; stop words from bm25s' lists.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import Stemmer
import yaml
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_FRENCH
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from knowledge.faq.entries import Language
from knowledge.provenance import DATA_DIR

GLOSSARY_FILE = DATA_DIR / "faq" / "glossary.yaml"
_WORD = re.compile(r"[a-z0-9à-ÿ]+(?:-[a-z0-9à-ÿ]+)*")
_STEMMERS = {"en": "english", "fr": "french"}
# bm25s' stop words, plus the glossary's (pronouns, auxiliaries: "do I need", "can my wife")
_STOPWORDS: dict[Language, frozenset[str]] = {"en": frozenset(STOPWORDS_EN), "fr": frozenset(STOPWORDS_FRENCH)}
# kept as search terms (they tell "what is an ECA" from "where to get an ECA") but not counted as content
QUESTION_WORDS = frozenset(["what", "how", "why", "when", "where", "which", "who"])
MIN_TYPO_LENGTH = 4
TYPO_SCORE = 80.0
REPAIRED_KEPT = 20_000  # repaired words remembered (a few MB at most), then forgotten all at once


def _slip(typed: str, known: str, ratio: float) -> tuple[int, bool, float]:
    """How unlikely a slip turns ``known`` into ``typed``: fewest edits, a swap of two letters counting one ("ilets" is
    "ielts" as much as "lets"), then the first letter kept (people rarely miss it), then the closer spelling."""
    return DamerauLevenshtein.distance(typed, known), typed[0] != known[0], -ratio


class Glossary(BaseModel):
    """Per-language expansions (added to the query) and short forms (replacing a word)."""

    model_config = ConfigDict(extra="forbid")

    expansions: dict[Language, dict[str, str]] = Field(default_factory=dict)
    short_forms: dict[str, str] = Field(default_factory=dict)
    stop_words: dict[Language, list[str]] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = GLOSSARY_FILE) -> Glossary:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        short = raw.pop("short_forms", {})
        stop = raw.pop("stop_words", {})
        return cls(expansions=raw, short_forms=short, stop_words=stop)


class Analyzer:
    """Turns text into stemmed terms for one language; knows the corpus words once told them."""

    def __init__(self, language: Language, glossary: Glossary) -> None:
        self.language = language
        self.stemmer = Stemmer.Stemmer(_STEMMERS[language])
        self.stopwords = _STOPWORDS[language] | frozenset(glossary.stop_words.get(language, []))
        self.expansions = {tuple(k.split()): v for k, v in glossary.expansions.get(language, {}).items()}
        self.short_forms = glossary.short_forms if language == "en" else {}
        self.known_words: list[str] = []
        self._repaired: dict[str, str] = {}  # unknown word -> its repair (bounded: cleared at REPAIRED_KEPT)

    @cached_property
    def _max_phrase(self) -> int:
        return max((len(k) for k in self.expansions), default=1)

    def normalized(self, text: str) -> str:
        """The text as words are found in it: lower case, typographic apostrophes plain, no possessive 's."""
        return text.lower().replace("’", "'").replace("'s", "")

    def words(self, text: str) -> list[str]:
        """Lower-case words, short forms replaced ("u" -> "you"); "cut-off" gives "cut", "off" and "cutoff"."""
        out: list[str] = []
        for word in _WORD.findall(self.normalized(text)):
            if "-" in word:
                parts = [p for p in word.split("-") if p]
                out.extend([*parts, "".join(parts)])
                continue
            out.extend(self.short_forms.get(word, word).split())
        return out

    def learn(self, texts: list[str]) -> None:
        """The words of the corpus and of the glossary: the targets of typo repair."""
        words = {w for t in texts for w in self.words(t)} | {w for k in self.expansions for w in k}
        self.known_words = sorted(w for w in words if len(w) >= MIN_TYPO_LENGTH - 1 and not w.isdigit())
        self._known = set(self.known_words)
        self._repaired = {}

    def repair(self, words: list[str]) -> list[str]:
        """Replace unknown words by the closest corpus word ("assesment" -> "assessment")."""
        if not self.known_words:
            return words
        out = []
        for word in words:
            if len(word) >= MIN_TYPO_LENGTH and word not in self._known and word not in self.stopwords:
                word = self._closest(word)
            out.append(word)
        return out

    def _closest(self, word: str) -> str:
        """The corpus word closest to an unknown ``word`` (itself when none is close), remembered: a question is
        read three times (ranking, coverage, learned signal) and people repeat their typos."""
        found = self._repaired.get(word)
        if found is None:
            close = process.extract(word, self.known_words, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=8)
            found = min(close, key=lambda m: _slip(word, m[0], m[1]))[0] if close else word
            if len(self._repaired) >= REPAIRED_KEPT:
                self._repaired.clear()
            self._repaired[word] = found
        return found

    def expand(self, words: list[str]) -> list[list[str]]:
        """For each word, the word followed by its glossary expansion (phrases matched longest first)."""
        groups: list[list[str]] = [[w] for w in words]
        for size in range(self._max_phrase, 0, -1):
            for start in range(len(words) - size + 1):
                phrase = tuple(words[start : start + size])
                expansion = self.expansions.get(phrase)
                if expansion:
                    groups[start + size - 1].extend(self.words(expansion))
        return groups

    def stem(self, word: str) -> str | None:
        """The stem of a word, or None for a stop word."""
        if word in self.stopwords or (len(word) < 2 and not word.isdigit()):
            return None
        return self.stemmer.stemWord(word)

    def terms(self, text: str, repair: bool = False) -> list[list[str]]:
        """Groups of stems: one group per content word (its stem and the stems of its expansion)."""
        words = self.words(text)
        if repair:
            words = self.repair(words)
        groups = []
        for group in self.expand(words):
            head = self.stem(group[0])
            stems = [s for s in (self.stem(w) for w in group[1:]) if s]
            if head is None and not stems:
                continue
            if head is None:  # a stop word whose expansion carries meaning: the expansion leads the group
                head = stems.pop(0)
            groups.append(list(dict.fromkeys([head, *stems])))
        return groups

    def flat_terms(self, text: str) -> list[str]:
        return [s for group in self.terms(text) for s in group]
