"""The curated knowledge base: the entry schema, and loading the YAML files a non-programmer edits.

One file per theme under ``knowledge/data/faq/entries/``; each file is a YAML list of entries::

    - id: eca-validity                      # lower-case words joined by hyphens, unique
      question: How long is an ECA valid?   # the canonical question
      phrasings: [eca expiry, ...]          # other ways people ask it (at least two)
      answer: >-                            # short, plain words, no more than the source says
        ...
      source: https://www.canada.ca/...     # the official page (https)
      source_note: ...                      # optional: how the fact was read, when not from that page
      checked: 2026-11-22                   # the date someone last checked the answer against the source
      tags: [eca, education]                # topics for the /topics browser
      fr:                                   # optional: the French version of the fields above
        question: ...
        phrasings: [...]
        answer: ...
        source: https://www.canada.ca/fr/...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from knowledge.provenance import DATA_DIR

ENTRIES_DIR = DATA_DIR / "faq" / "entries"
Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")


def _https(url: str) -> str:
    if not re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", url):
        raise ValueError(f"the source must be an https:// address, got {url!r}")
    return url


def _plain(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValueError("must not be empty")
    return text


SourceUrl = Annotated[str, AfterValidator(_https)]
Text = Annotated[str, AfterValidator(_plain)]


class LocalizedText(BaseModel):
    """The fields a person reads, in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Text
    phrasings: list[Text] = Field(min_length=2)
    answer: Annotated[Text, Field(max_length=900)]
    source: SourceUrl | None = None  # the page in this language, when it differs
    source_note: Text | None = None


class FaqEntry(BaseModel):
    """One curated answer, with where it comes from and when it was checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
    question: Text
    phrasings: list[Text] = Field(min_length=2)
    answer: Annotated[Text, Field(max_length=900)]
    source: SourceUrl
    source_note: Text | None = None
    checked: date
    tags: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]] = Field(min_length=1)
    fr: LocalizedText | None = None

    def text(self, language: Language = "en") -> LocalizedText:
        """The fields in ``language``, falling back to English where no translation exists."""
        if language == "fr" and self.fr is not None:
            return self.fr
        return LocalizedText(
            question=self.question,
            phrasings=self.phrasings,
            answer=self.answer,
            source=self.source,
            source_note=self.source_note,
        )

    def languages(self) -> list[Language]:
        return ["en", "fr"] if self.fr is not None else ["en"]


class EntryProblem(BaseModel):
    """A problem found while loading or checking entries, located for the person who fixes it."""

    file: str
    entry: str | None = None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeBase(BaseModel):
    """All entries, in file order, with the problems met while reading them."""

    entries: list[FaqEntry]
    problems: list[EntryProblem] = Field(default_factory=list)

    def by_id(self) -> dict[str, FaqEntry]:
        return {e.id: e for e in self.entries}

    def tags(self) -> list[str]:
        """Tags in order of first appearance."""
        return list(dict.fromkeys(tag for e in self.entries for tag in e.tags))

    def tagged(self, tag: str) -> list[FaqEntry]:
        return [e for e in self.entries if tag in e.tags]


def _read_file(path: Path) -> tuple[list[FaqEntry], list[EntryProblem]]:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [], [EntryProblem(file=name, message=f"not valid YAML: {exc}")]
    if not isinstance(raw, list):
        return [], [EntryProblem(file=name, message="must be a YAML list of entries")]
    entries: list[FaqEntry] = []
    problems: list[EntryProblem] = []
    for position, item in enumerate(raw, 1):
        label = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"entry #{position}"
        try:
            entries.append(FaqEntry.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"]) or "entry"
                problems.append(EntryProblem(file=name, entry=label, message=f"{field}: {error['msg']}"))
    return entries, problems


def _duplicates(entries: Iterable[tuple[str, FaqEntry]]) -> list[EntryProblem]:
    """Same id twice, or the same question or phrasing (ignoring case and punctuation) in two places."""
    problems: list[EntryProblem] = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[tuple[str, str], str] = {}
    for file, entry in entries:
        if entry.id in seen_ids:
            problems.append(EntryProblem(file=file, entry=entry.id, message=f"id already used in {seen_ids[entry.id]}"))
        seen_ids.setdefault(entry.id, file)
        for language in entry.languages():
            localized = entry.text(language)
            for text in [localized.question, *localized.phrasings]:
                key = (language, normalized(text))
                owner = seen_texts.get(key)
                if owner is not None:
                    where = "twice in this entry" if owner == entry.id else f"also in {owner}"
                    message = f"duplicate question {text!r}: {where}"
                    problems.append(EntryProblem(file=file, entry=entry.id, message=message))
                seen_texts.setdefault(key, entry.id)
    return problems


def normalized(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def load_knowledge_base(directory: Path = ENTRIES_DIR) -> KnowledgeBase:
    """Read every ``*.yaml`` file of ``directory``; invalid entries are left out and reported."""
    located: list[tuple[str, FaqEntry]] = []
    problems: list[EntryProblem] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(EntryProblem(file=str(directory), message="no *.yaml entry files"))
    for path in files:
        entries, found = _read_file(path)
        located.extend((path.name, e) for e in entries)
        problems.extend(found)
    problems.extend(_duplicates(located))
    unique: dict[str, FaqEntry] = {}
    for _, entry in located:
        unique.setdefault(entry.id, entry)
    return KnowledgeBase(entries=list(unique.values()), problems=problems)
