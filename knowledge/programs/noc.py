"""NOC 2021 look-up: from a code or a job title as a person types it to the likely unit groups.

Data: Statistics Canada, NOC 2021 Version 1.0 (516 unit groups, 27,935 job titles), see
``data/noc/source.json``. Matching is fuzzy (rapidfuzz) over the job titles, after normalising
case, accents, gendered forms ("foreman/woman") and qualifiers, with a token index so that one
look-up compares only titles sharing a word (or a near word) with the query.

French (CNP 2021): every unit group also carries its official French title (``data/noc/unit-groups-fr.csv``), and
a French query ("infirmière autorisée", "développeur de logiciels") is matched against those titles and Maple's
everyday French words (``aliases-fr.json``) with French normalising: accents and French stop words dropped,
feminine and plural endings folded ("infirmières" -> "infirmier"). A query is read both ways; the French reading
is used only when it matches better than the English one, so English searches are unchanged.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from knowledge.provenance import DATA_DIR
from knowledge.wording import Occupation

NOC_DIR = DATA_DIR / "noc"
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "in", "a", "an", "or", "for", "to", "except", "other", "n", "e", "c"})


ENGLISH_FILL_SCORE = 85  # under a French reading, English matches this close still fill the list ("web developer")
_STOP_FR = frozenset(
    {"de", "des", "du", "la", "le", "les", "et", "en", "a", "au", "aux", "un", "une", "d", "l", "pour", "dans", "sur"}
    | {"par", "ou", "autre", "autres", "sauf", "qu", "j", "s", "avec"}
)
# feminine -> masculine endings, tried in order on a word without its plural -s/-x; a last mute -e goes after
# them, which folds the rest ("adjointe" -> "adjoint", "infirmière" -> "infirmier", "autorisée" -> "autoris")
_FEMININE = (
    ("trice", "teur"), ("euse", "eur"), ("enne", "en"), ("onne", "on"), ("elle", "el"), ("ive", "if"),
    ("esse", "e"), ("ee", ""),
)  # fmt: skip


class UnitGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    teer: int
    example_titles: tuple[str, ...]
    title_fr: str = ""  # the official CNP 2021 title; "" when not known (then the English one is shown)

    def title_for(self, language: str | None) -> str:
        """The title in ``language`` ("fr" or "en"), English when there is no French one."""
        return self.localised_title.in_language(language)

    @property
    def localised_title(self) -> Occupation:
        """The title as a parameter the edge says in the chat's language."""
        return Occupation(self.code, self.title, self.title_fr)


class NocMatch(BaseModel):
    code: str
    title: str
    teer: int
    matched_title: str
    score: float
    title_fr: str = ""

    def title_for(self, language: str | None) -> str:
        return self.title_fr if language == "fr" and self.title_fr else self.title


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"(\w+)/(wo)?m[ae]n\b", r"\1", text)  # foreman/woman -> foreman
    return " ".join(_WORD.findall(text))


def _fold_fr(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\(.*?\)", " ", text)


def stem_fr(word: str) -> str:
    """A French word without its plural and feminine endings, for matching: "infirmières" and "infirmier" ->
    "infirmier", "soudeuse" -> "soudeur", "sociaux" and "sociale" -> "social"."""
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    for feminine, masculine in _FEMININE:
        if word.endswith(feminine) and len(word) > len(feminine) + 1:
            word = word[: -len(feminine)] + masculine
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def french_words(text: str) -> tuple[str, ...]:
    """The words of a French title or query for matching: accents, stop words and gender/plural endings gone,
    each word once ("Infirmiers autorisés/infirmières autorisées" -> ("infirmier", "autorise"))."""
    out: list[str] = []
    for word in _WORD.findall(_fold_fr(text)):
        if word in _STOP_FR:
            continue
        stemmed = stem_fr(word)
        if stemmed not in out:
            out.append(stemmed)
    return tuple(out)


def _french_phrases(title: str) -> list[tuple[str, ...]]:
    """A French class title and its parts ("Vérificateurs/vérificatrices et comptables" -> the whole, then
    "vérificateurs", "comptables"), each as :func:`french_words`."""
    parts = [title, *re.split(r"/|,| et | - ", _fold_fr(title))]
    phrases: list[tuple[str, ...]] = []
    for part in parts:
        words = french_words(part)
        if words and words not in phrases:
            phrases.append(words)
    return phrases


class NocIndex:
    """Unit groups and job titles, searchable by code or by title."""

    def __init__(self, directory: Path = NOC_DIR) -> None:
        french = french_titles(directory)
        with (directory / "unit-groups.csv").open(encoding="utf-8") as handle:
            self.groups = {
                row["code"]: UnitGroup(
                    code=row["code"],
                    title=row["title"],
                    teer=int(row["teer"]),
                    example_titles=tuple(t for t in row["example_titles"].split(" | ") if t),
                    title_fr=french.get(row["code"], ""),
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
        self._init_french(directory)

    def _init_french(self, directory: Path) -> None:
        """The French phrases to match: each French title and its parts, then the everyday French words."""
        entries: list[tuple[tuple[str, ...], str, str, int]] = []  # (words, shown as matched, code, rank on a tie)
        for group in self.groups.values():
            if group.title_fr:
                phrases = _french_phrases(group.title_fr)  # the whole title first (rank 1), then its parts (2)
                entries.extend(
                    (words, group.title_fr, group.code, 1 if n == 0 else 2) for n, words in enumerate(phrases)
                )
        path = directory / "aliases-fr.json"
        if path.exists():
            for word, codes in json.loads(path.read_text(encoding="utf-8"))["aliases"].items():
                words = french_words(word)
                entries.extend((words, word, code, 0) for code in codes if code in self.groups and words)
        self._fr_entries = entries
        self._fr_alias_order = {
            (entry[0], entry[2]): position for position, entry in enumerate(e for e in entries if e[3] == 0)
        }
        self._fr_by_word: dict[str, list[int]] = defaultdict(list)
        for index, (words, _, _, _) in enumerate(entries):
            for word in words:
                self._fr_by_word[word].append(index)
        self._fr_vocabulary = list(self._fr_by_word)

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

    def _match(self, code: str, matched_title: str, score: float) -> NocMatch:
        group = self.groups[code]
        return NocMatch(
            code=code,
            title=group.title,
            teer=group.teer,
            matched_title=matched_title,
            score=round(score, 1),
            title_fr=group.title_fr,
        )

    def search(self, query: str, limit: int = 5, language: str | None = None) -> list[NocMatch]:
        """The most likely unit groups for a code or a job title typed in English or French, best first.

        ``language`` "en" reads the query as English only, "fr" puts the French reading first; by default the
        reading that matches better wins (English on a tie), then the other one fills the list."""
        text = query.strip()
        if re.fullmatch(r"\d{5}", text):
            group = self.get(text)
            return [self._match(group.code, group.title, 100.0)] if group else []
        english = self.search_english(text, limit)
        if language == "en":
            return english
        french = self.search_french(text, limit)
        if not french or (language != "fr" and english and english[0].score >= french[0].score):
            return english
        seen = {m.code for m in french}
        fill = (m for m in english if m.code not in seen and m.score >= ENGLISH_FILL_SCORE)
        return [*french, *fill][:limit]

    def search_french(self, query: str, limit: int = 5) -> list[NocMatch]:
        """The unit groups whose French title (or an everyday French word for it) matches ``query``, best first.

        Score: how much of the query the phrase covers (each word exactly, or a near spelling for a part), and a
        little for how little else the phrase says, so "infirmière autorisée" prefers "infirmiers autorisés" to
        "infirmiers psychiatriques autorisés"."""
        words = french_words(query)
        if not words:
            return []
        credit: dict[int, dict[str, float]] = defaultdict(dict)  # entry -> query word -> best credit
        for word in words:
            near = [(word, 100.0)] if word in self._fr_by_word else []
            if len(word) >= 4:
                near += process.extract(word, self._fr_vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=85)[:3]
            for other, similarity, *_ in near:
                for index in self._fr_by_word[other]:
                    best = credit[index].get(word, 0.0)
                    credit[index][word] = max(best, 1.0 if other == word else similarity / 100 * 0.9)
        scored: list[tuple[float, int, float, int]] = []
        for index, found in credit.items():
            entry_words, _, code, rank = self._fr_entries[index]
            covered = sum(found.values()) / len(words)
            precision = len(found) / len(entry_words)
            score = 100 * (0.8 * covered + 0.2 * precision)
            if covered < 0.5:
                continue
            order = self._fr_alias_order.get((entry_words, code), len(self._fr_alias_order)) if rank == 0 else 0
            scored.append((score, rank, order, index))
        scored.sort(key=lambda hit: (-round(hit[0], 1), hit[1], hit[2], len(self._fr_entries[hit[3]][0])))
        hits = ((self._fr_entries[index][2], self._fr_entries[index][1], score) for score, _, _, index in scored)
        return self._best_per_code(hits, limit)

    def search_english(self, query: str, limit: int = 5) -> list[NocMatch]:
        """The most likely unit groups for an English job title, best first (Maple's original look-up)."""
        text = query.strip()
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
        return self._best_per_code(
            ((self.titles[index][2], self.titles[index][1], score) for _, score, index in ranked), limit
        )

    def _best_per_code(self, hits: Iterable[tuple[str, str, float]], limit: int) -> list[NocMatch]:
        """The first ``limit`` unit groups of ``hits`` (code, title matched, score), best first, each once."""
        out: list[NocMatch] = []
        seen: set[str] = set()
        for code, shown, score in hits:
            if code in seen:
                continue
            seen.add(code)
            out.append(self._match(code, shown, score))
            if len(out) == limit:
                break
        return out


@lru_cache(maxsize=1)
def french_titles(directory: Path = NOC_DIR) -> dict[str, str]:
    """code -> the official CNP 2021 French title (``data/noc/unit-groups-fr.csv``), without building the index."""
    path = directory / "unit-groups-fr.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["title_fr"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def default_noc_index() -> NocIndex:
    return NocIndex()
