"""Searching the knowledge base in French: accents, elisions, French stems, stop words, glossary and scope.

French is typed with and without accents ("évaluation", "evaluation"), with elisions ("l'EDE",
"qu'est-ce") and with its own short forms ("svp", "cmt"). The French analyzer folds accents away
before anything else, so that both spellings give the same Snowball French stem; it drops the
elided articles and pronouns with the French stop words (bm25s' list plus ``fr/glossary.yaml``'s).

Data (a curator edits them, like the English ones):
- ``knowledge/data/faq/fr/glossary.yaml``: French expansions (``ede: evaluation diplomes etudes``),
  short forms and extra stop words;
- ``knowledge/data/faq/fr/scope.yaml``: French phrases that mark a question as outside Express Entry.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml
from bm25s.stopwords import STOPWORDS_FRENCH
from pydantic import BaseModel, ConfigDict, Field

from knowledge.faq.analysis import Analyzer, Glossary
from knowledge.faq.entries import FRENCH_DIR_NAME
from knowledge.provenance import DATA_DIR

FRENCH_DATA_DIR = DATA_DIR / "faq" / FRENCH_DIR_NAME
FRENCH_GLOSSARY_FILE = FRENCH_DATA_DIR / "glossary.yaml"
FRENCH_SCOPE_FILE = FRENCH_DATA_DIR / "scope.yaml"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u00a0": " ", "\u202f": " "})


def fold(text: str) -> str:
    """Lower case without accents: "Évaluation des diplômes" -> "evaluation des diplomes"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe").replace("æ", "ae")


class FrenchGlossary(BaseModel):
    """French expansions (added to the query), short forms (replacing a word) and extra stop words."""

    model_config = ConfigDict(extra="forbid")

    expansions: dict[str, str] = Field(default_factory=dict)
    short_forms: dict[str, str] = Field(default_factory=dict)
    stop_words: list[str] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path = FRENCH_GLOSSARY_FILE) -> FrenchGlossary:
        if not path.exists():
            return cls()
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class FrenchAnalyzer(Analyzer):
    """The :class:`Analyzer` for French: folded accents, elisions dropped, Snowball French stems."""

    def __init__(self, glossary: Glossary, french: FrenchGlossary | None = None) -> None:
        super().__init__("fr", glossary)
        french = french or FrenchGlossary.load()
        extra = glossary.stop_words.get("fr", []) + french.stop_words
        self.stopwords = frozenset(fold(w) for w in [*STOPWORDS_FRENCH, *extra])
        expansions = {**glossary.expansions.get("fr", {}), **french.expansions}
        self.expansions = {tuple(fold(k).split()): fold(v) for k, v in expansions.items()}
        self.short_forms = {fold(k): fold(v) for k, v in french.short_forms.items()}

    def normalized(self, text: str) -> str:
        """Folded (lower case, no accents): "l'EDE" gives "l", "ede"; "a-t-il" gives "a", "t", "il" and "atil"."""
        return fold(text)

    def without(self, text: str, phrase: str) -> str:
        """``text`` with the words of ``phrase`` (as :meth:`words` reads them) taken out, once."""
        words, target = self.words(text), phrase.split()
        size = len(target)
        for start in range(len(words) - size + 1):
            if words[start : start + size] == target:
                return " ".join(words[:start] + words[start + size :])
        return " ".join(words)


class FrenchScope(BaseModel):
    """French phrases that mark a question as outside Express Entry (matched on folded words)."""

    source: str
    checked: str | None = None
    phrases: list[str]

    @classmethod
    def load(cls, path: Path = FRENCH_SCOPE_FILE) -> FrenchScope:
        if not path.exists():
            return cls(source="none", phrases=[])
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["checked"] = str(raw.get("checked")) if raw.get("checked") else None
        return cls.model_validate(raw)
