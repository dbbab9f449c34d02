"""NOC 2021 look-up: from a code or a job title as a person types it to the likely unit groups.

Data: Statistics Canada, NOC 2021 Version 1.0 (516 unit groups, 27,935 job titles), see
``data/noc/source.json``. Matching is fuzzy (rapidfuzz) over the job titles, after normalising
case, accents, gendered forms ("foreman/woman") and qualifiers, with a token index so that one
look-up compares only titles sharing a word (or a near word) with the query.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from knowledge.provenance import DATA_DIR

NOC_DIR = DATA_DIR / "noc"
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "in", "a", "an", "or", "for", "to", "except", "other", "n", "e", "c"})


class UnitGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    teer: int
    example_titles: tuple[str, ...]


class NocMatch(BaseModel):
    code: str
    title: str
    teer: int
    matched_title: str
    score: float


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"(\w+)/(wo)?m[ae]n\b", r"\1", text)  # foreman/woman -> foreman
    return " ".join(_WORD.findall(text))


class NocIndex:
    """Unit groups and job titles, searchable by code or by title."""

    def __init__(self, directory: Path = NOC_DIR) -> None:
        with (directory / "unit-groups.csv").open(encoding="utf-8") as handle:
            self.groups = {
                row["code"]: UnitGroup(
                    code=row["code"],
                    title=row["title"],
                    teer=int(row["teer"]),
                    example_titles=tuple(t for t in row["example_titles"].split(" | ") if t),
                )
                for row in csv.DictReader(handle)
            }
        titles: list[tuple[str, str, str]] = []  # (normalised, original, code)
        for group in self.groups.values():
            titles.append((normalise(group.title), group.title, group.code))
        with (directory / "job-titles.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                titles.append((normalise(row["title"]), row["title"], row["code"]))
        self.titles = titles
        self._by_word: dict[str, list[int]] = defaultdict(list)
        for index, (norm, _, _) in enumerate(titles):
            for word in set(norm.split()) - _STOP:
                self._by_word[word].append(index)
        self._vocabulary = list(self._by_word)
        self.aliases: dict[str, str] = json.loads((directory / "aliases.json").read_text(encoding="utf-8"))["aliases"]

    def get(self, code: str) -> UnitGroup | None:
        return self.groups.get(code.strip())

    def _candidates(self, words: list[str]) -> set[int]:
        found: set[int] = set()
        for word in words:
            exact = self._by_word.get(word)
            if exact:
                found.update(exact)
            near = process.extract(word, self._vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=80)
            for other, _, _ in near:
                found.update(self._by_word[other])
            if word.endswith("s") and word[:-1] in self._by_word:  # plural typed
                found.update(self._by_word[word[:-1]])
        return found

    def search(self, query: str, limit: int = 5) -> list[NocMatch]:
        """The most likely unit groups for a code or a typed job title, best first."""
        text = query.strip()
        if re.fullmatch(r"\d{5}", text):
            group = self.get(text)
            return (
                [NocMatch(code=group.code, title=group.title, teer=group.teer, matched_title=group.title, score=100.0)]
                if group
                else []
            )
        norm = normalise(text)
        norm = self.aliases.get(norm, norm)
        norm = " ".join(self.aliases.get(w, w) if len(w) <= 4 else w for w in norm.split())
        words = [w for w in norm.split() if w not in _STOP]
        if not words:
            return []
        candidates = self._candidates(words)
        if not candidates:
            return []
        choices = {i: self.titles[i][0] for i in candidates}
        ranked = process.extract(norm, choices, scorer=fuzz.WRatio, limit=limit * 20, score_cutoff=60)
        # equal scores: prefer the title closest to the whole query ("cook" before "cook helper")
        ranked.sort(key=lambda hit: (-round(hit[1]), -fuzz.ratio(norm, hit[0])))
        out: list[NocMatch] = []
        seen: set[str] = set()
        for _, score, index in ranked:
            _, original, code = self.titles[index]
            if code in seen:
                continue
            seen.add(code)
            group = self.groups[code]
            out.append(
                NocMatch(code=code, title=group.title, teer=group.teer, matched_title=original, score=round(score, 1))
            )
            if len(out) == limit:
                break
        return out


@lru_cache(maxsize=1)
def default_noc_index() -> NocIndex:
    return NocIndex()
