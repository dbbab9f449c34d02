"""Checks of the knowledge base a curator runs before committing (``maple-kb lint``).

- every file parses and every entry matches the schema (see :mod:`knowledge.faq.entries`);
- no id, question or phrasing appears twice;
- the source is an https page of an official Government of Canada site;
- the date checked is not in the future and not older than the allowed age;
- every entry can be reached from /topics (it has one of the topics' tags);
- every entry is found by its own question (otherwise its phrasings collide with another entry's);
- French (once the knowledge base has a ``fr/`` directory): every entry has a French version, whose
  source is an official https page in French (or says why not in its ``source_note``; an English page's
  note must say it is the English page, « page anglaise »), whose answer
  is within the length limit and keeps exactly the figures of the English answer, and whose own
  question finds it in French.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from knowledge.faq.entries import (
    ENTRIES_DIR,
    EntryProblem,
    FaqEntry,
    KnowledgeBase,
    french_dir_of,
    load_knowledge_base,
)
from knowledge.faq.retriever import FaqRetriever

OFFICIAL_DOMAINS = ("canada.ca", "gc.ca")  # Government of Canada sites (IRCC, Statistics Canada, the Gazette...)
DEFAULT_MAX_AGE_DAYS = 180
MAX_ANSWER_CHARS = 900  # the schema's limit, in both languages
_FRENCH_PAGE = re.compile(r"/(fr|fra|francais)/")
_ENGLISH_PAGE = re.compile(r"/(en|eng|english)/")  # canada.ca /en/, Justice Laws /eng/, ircc.canada.ca /english/
_SAYS_ENGLISH = re.compile(r"\bpage anglaise\b", re.IGNORECASE)  # not just "anglais": "anglais-français" says nothing


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
)  # fmt: skip
_FRENCH_DAY = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(_FRENCH_MONTHS) + r") (\d{4})\b")


def _dates(text: str, language: str) -> tuple[str, set[str]]:
    """``text`` without its dates, and its dates as ISO days: "2025-07-07" and "7 juillet 2025" are one date."""
    found = {m.group(0) for m in _ISO_DAY.finditer(text)}
    text = _ISO_DAY.sub(" ", text)
    if language == "fr":
        for m in _FRENCH_DAY.finditer(text):
            found.add(f"{m[3]}-{_FRENCH_MONTHS.index(m[2]) + 1:02d}-{int(m[1]):02d}")
        text = _FRENCH_DAY.sub(" ", text)
    return text, found


def figures(text: str, language: str = "en") -> set[str]:
    """The numbers of ``text``: "15,263" (English) and "15 263" (French) are both 15263; "7,0" is 7.0 in French;
    a date is one figure, ISO or written in French words ("2025-07-07" = "7 juillet 2025")."""
    text, days = _dates(text, language)
    return days | _numbers(text, language)


def _numbers(text: str, language: str) -> set[str]:
    if language == "fr":
        text = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", text)
        text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    else:
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def french_problems(entry: FaqEntry) -> list[str]:
    """What is wrong with the French version of ``entry`` (without the retrieval check)."""
    if entry.fr is None:
        return ["no French version (add it to fr/<theme file>.yaml)"]
    out = []
    french = entry.fr
    source = french.source or entry.source
    note = french.source_note or ""
    if not _FRENCH_PAGE.search(source) and not note:
        out.append(f"French source is not a French page and no source_note says why: {source}")
    elif _ENGLISH_PAGE.search(source) and not _FRENCH_PAGE.search(source) and not _SAYS_ENGLISH.search(note):
        out.append(
            f"French source is an English page and its source_note does not say so (« page anglaise »): {source}"
        )
    if len(french.answer) > MAX_ANSWER_CHARS:
        out.append(f"French answer is {len(french.answer)} characters (limit {MAX_ANSWER_CHARS})")
    english, translated = figures(entry.answer, "en"), figures(french.answer, "fr")
    if english != translated:
        missing, extra = sorted(english - translated), sorted(translated - english)
        out.append(f"French answer's figures differ from the English: missing {missing}, extra {extra}")
    return out


def _official(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def lint(
    directory: Path = ENTRIES_DIR,
    today: date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    topic_tags: set[str] | None = None,
    require_french: bool | None = None,
) -> tuple[KnowledgeBase, list[EntryProblem]]:
    """All the problems found; an empty list means the knowledge base is fit to ship.

    ``require_french`` (default: when ``directory`` has a ``fr/`` sibling) checks every entry's French.
    """
    today = today or date.today()
    kb = load_knowledge_base(directory)
    if require_french is None:
        require_french = french_dir_of(directory).is_dir()
    problems = list(kb.problems)
    oldest = today - timedelta(days=max_age_days)
    for entry in kb.entries:

        def problem(message: str, entry_id: str = entry.id) -> None:
            problems.append(EntryProblem(file=directory.name, entry=entry_id, message=message))

        for language in entry.languages():
            source = entry.text(language).source or entry.source
            if not _official(source):
                problem(f"source ({language}) is not an official page ({', '.join(OFFICIAL_DOMAINS)}): {source}")
        if require_french:
            for message in french_problems(entry):
                problem(message)
        french_checked = entry.fr.checked if entry.fr is not None else None
        if french_checked is not None and french_checked > today:
            problem(f"French checked {french_checked} is in the future")
        if entry.checked > today:
            problem(f"checked {entry.checked} is in the future")
        elif entry.checked < oldest:
            problem(f"checked {entry.checked} is more than {max_age_days} days old: check it again against the source")
        if topic_tags is not None and not topic_tags.intersection(entry.tags):
            problem(f"no tag of /topics ({', '.join(sorted(topic_tags))}): it cannot be browsed")
    if kb.entries and not kb.problems:
        retriever = FaqRetriever(kb)
        for entry in kb.entries:
            for language in entry.languages():
                found = retriever.search(entry.text(language).question, language=language, k=1)
                if not found or found[0].entry_id != entry.id:
                    other = found[0].entry_id if found else "nothing"
                    where = "" if language == "en" else " French"
                    problems.append(
                        EntryProblem(
                            file=directory.name,
                            entry=entry.id,
                            message=f"its own{where} question finds {other}: make the question or phrasings more"
                            " distinct",
                        )
                    )
    return kb, problems
