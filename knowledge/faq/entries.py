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

The French versions live in their own files, ``knowledge/data/faq/fr/<theme file>.yaml`` (the same
file names as the English ones), keyed by entry id::

    - id: eca-validity
      question: Combien de temps une EDE est-elle valide?
      phrasings: [validite de l'ede, ...]    # at least three, as French speakers type them
      answer: >-
        ...                                   # the same facts and figures as the English answer
      source: https://www.canada.ca/fr/...    # the French twin of the English source
      source_note: ...                        # optional: how the French page was confirmed, or why not
      checked: 2026-12-02

The loader merges each into its entry's ``fr`` block; an id with no English entry, or an entry
translated twice, is a problem. ``glossary.yaml``, ``scope.yaml`` there are the French glossary and
out-of-scope phrases (see :mod:`knowledge.faq.french`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from knowledge.provenance import DATA_DIR, read_yaml

ENTRIES_DIR = DATA_DIR / "faq" / "entries"
FRENCH_DIR_NAME = "fr"  # next to the entries directory: knowledge/data/faq/fr/
FRENCH_DATA_FILES = frozenset({"glossary.yaml", "scope.yaml"})  # in that directory, not entry files
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


M = TypeVar("M", bound=BaseModel)


class LocalizedText(BaseModel):
    """The fields a person reads, in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Text
    phrasings: list[Text] = Field(min_length=2)
    answer: Annotated[Text, Field(max_length=900)]
    source: SourceUrl | None = None  # the page in this language, when it differs
    source_note: Text | None = None
    checked: date | None = None  # when this translation was last checked against its source


class FrenchEntry(LocalizedText):
    """One entry of a ``fr/*.yaml`` file: the French fields of the English entry with that id."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
    phrasings: list[Text] = Field(min_length=3)
    source: SourceUrl
    checked: date

    def localized(self) -> LocalizedText:
        return LocalizedText.model_validate(self.model_dump(exclude={"id"}))


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

    def french_pages(self) -> dict[str, str]:
        """Official pages in English -> their French twins, as the entries that cite both give them (an entry
        whose French version cites the same page, or another English one, gives none)."""
        return {
            str(e.source): str(e.fr.source)
            for e in self.entries
            if e.fr is not None and e.fr.source and "/en/" not in str(e.fr.source) and e.fr.source != e.source
        }


def _read_file(path: Path) -> tuple[list[FaqEntry], list[EntryProblem]]:
    return _read_list(path, path.name, FaqEntry, "entries", "")


def _read_list(path: Path, name: str, model: type[M], what: str, prefix: str) -> tuple[list[M], list[EntryProblem]]:
    """One YAML file holding a list of ``model``; every problem named by file, entry and field."""
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        return [], [EntryProblem(file=name, message=f"not valid YAML: {exc}")]
    if not isinstance(raw, list):
        return [], [EntryProblem(file=name, message=f"must be a YAML list of {what}")]
    entries: list[M] = []
    problems: list[EntryProblem] = []
    for position, item in enumerate(raw, 1):
        label = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"entry #{position}"
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"]) or "entry"
                problems.append(EntryProblem(file=name, entry=label, message=f"{prefix}{field}: {error['msg']}"))
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


def french_dir_of(directory: Path) -> Path:
    """Where the French versions of the entries of ``directory`` are."""
    return directory.parent / FRENCH_DIR_NAME


def _read_french(path: Path) -> tuple[list[FrenchEntry], list[EntryProblem]]:
    return _read_list(path, f"{FRENCH_DIR_NAME}/{path.name}", FrenchEntry, "French entries", "fr.")


def _merge_french(
    located: list[tuple[str, FaqEntry]], french_dir: Path
) -> tuple[list[tuple[str, FaqEntry]], list[EntryProblem]]:
    """Each French entry into the ``fr`` block of the English entry with its id."""
    problems: list[EntryProblem] = []
    translations: dict[str, tuple[str, FrenchEntry]] = {}
    for path in sorted(french_dir.glob("*.yaml")):
        if path.name in FRENCH_DATA_FILES:
            continue
        name = f"{FRENCH_DIR_NAME}/{path.name}"
        found, trouble = _read_french(path)
        problems.extend(trouble)
        for french in found:
            if french.id in translations:
                other = translations[french.id][0]
                problems.append(EntryProblem(file=name, entry=french.id, message=f"translated twice (also in {other})"))
                continue
            translations[french.id] = (name, french)
    known = {entry.id for _, entry in located}
    for entry_id, (name, _) in translations.items():
        if entry_id not in known:
            problems.append(EntryProblem(file=name, entry=entry_id, message="no English entry has this id"))
    merged: list[tuple[str, FaqEntry]] = []
    for file, entry in located:
        if entry.id in translations:
            name, french = translations[entry.id]
            if entry.fr is not None:
                problems.append(EntryProblem(file=name, entry=entry.id, message=f"already has a fr block in {file}"))
            else:
                entry = entry.model_copy(update={"fr": french.localized()})
        merged.append((file, entry))
    return merged, problems


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The shipped entries, read once per process (the retriever and the French page map share them)."""
    return load_knowledge_base()


@lru_cache(maxsize=1)
def default_french_pages() -> dict[str, str]:
    """The shipped entries' official pages in English -> their French twins (:meth:`KnowledgeBase.french_pages`)."""
    return default_knowledge_base().french_pages()


def load_knowledge_base(directory: Path = ENTRIES_DIR, french_dir: Path | None = None) -> KnowledgeBase:
    """Read every ``*.yaml`` file of ``directory``; invalid entries are left out and reported.

    The French versions are read from ``french_dir`` (by default ``fr/`` next to ``directory``, when
    it exists) and merged into each entry's ``fr`` block.
    """
    located: list[tuple[str, FaqEntry]] = []
    problems: list[EntryProblem] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(EntryProblem(file=str(directory), message="no *.yaml entry files"))
    for path in files:
        entries, found = _read_file(path)
        located.extend((path.name, e) for e in entries)
        problems.extend(found)
    french_dir = french_dir or directory.parent / FRENCH_DIR_NAME
    if french_dir.is_dir():
        located, found = _merge_french(located, french_dir)
        problems.extend(found)
    problems.extend(_duplicates(located))
    unique: dict[str, FaqEntry] = {}
    for _, entry in located:
        unique.setdefault(entry.id, entry)
    return KnowledgeBase(entries=list(unique.values()), problems=problems)
