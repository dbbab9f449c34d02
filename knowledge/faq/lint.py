"""Checks of the knowledge base a curator runs before committing (``maple-kb lint``).

- every file parses and every entry matches the schema (see :mod:`knowledge.faq.entries`);
- no id, question or phrasing appears twice;
- the source is an https page of an official Government of Canada site;
- the date checked is not in the future and not older than the allowed age;
- every entry can be reached from /topics (it has one of the topics' tags);
- every entry is found by its own question (otherwise its phrasings collide with another entry's).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from knowledge.faq.entries import ENTRIES_DIR, EntryProblem, KnowledgeBase, load_knowledge_base
from knowledge.faq.retriever import FaqRetriever

OFFICIAL_DOMAINS = ("canada.ca", "gc.ca")  # Government of Canada sites (IRCC, Statistics Canada, the Gazette...)
DEFAULT_MAX_AGE_DAYS = 180


def _official(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def lint(
    directory: Path = ENTRIES_DIR,
    today: date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    topic_tags: set[str] | None = None,
) -> tuple[KnowledgeBase, list[EntryProblem]]:
    """All the problems found; an empty list means the knowledge base is fit to ship."""
    today = today or date.today()
    kb = load_knowledge_base(directory)
    problems = list(kb.problems)
    oldest = today - timedelta(days=max_age_days)
    for entry in kb.entries:

        def problem(message: str, entry_id: str = entry.id) -> None:
            problems.append(EntryProblem(file=directory.name, entry=entry_id, message=message))

        for language in entry.languages():
            source = entry.text(language).source or entry.source
            if not _official(source):
                problem(f"source ({language}) is not an official page ({', '.join(OFFICIAL_DOMAINS)}): {source}")
        if entry.checked > today:
            problem(f"checked {entry.checked} is in the future")
        elif entry.checked < oldest:
            problem(f"checked {entry.checked} is more than {max_age_days} days old: check it again against the source")
        if topic_tags is not None and not topic_tags.intersection(entry.tags):
            problem(f"no tag of /topics ({', '.join(sorted(topic_tags))}): it cannot be browsed")
    if kb.entries and not kb.problems:
        retriever = FaqRetriever(kb)
        for entry in kb.entries:
            found = retriever.search(entry.question, k=1)
            if not found or found[0].entry_id != entry.id:
                other = found[0].entry_id if found else "nothing"
                problems.append(
                    EntryProblem(
                        file=directory.name,
                        entry=entry.id,
                        message=f"its own question finds {other}: make the question or phrasings more distinct",
                    )
                )
    return kb, problems
