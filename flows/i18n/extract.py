"""Every message the person can see in a translated module, for the catalogs and their tests.

Two sources, both with the English text as msgid:

- the code: an AST scan of the translated modules for calls whose first argument is a string literal:
  ``t("...")``, ``N_("...")``, ``Msg("...")``, ``x.gettext("...")`` and ``self._t(session)("...")``, and of every
  module under ``knowledge/`` for ``Phrase("...")`` (the sentences knowledge makes, :mod:`knowledge.wording`);
- the data: the question table (prompts, hints, labels, choice labels), the section names, the score hint, the
  ability names and the level units, enumerated from :mod:`flows.questions` and :mod:`knowledge.language`, the
  /topics labels (knowledge/data/faq/topics.yaml), and the texts knowledge reads from its own data files and shows
  (:func:`knowledge_data_messages`: the what-ifs' label and short templates, the CRS bands and rows, the rule sets'
  labels, the pending change's caveat, the FSW adaptability items, the education and Canadian-study labels).

``python -m flows.i18n.extract`` prints what is missing from the French catalog; ``--update`` adds those msgids
(empty msgstr, for a translator) and marks the ones no longer used as obsolete (``#~``), keeping every translation.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from flows.i18n import LANGUAGES, SOURCE_LANGUAGE, catalog_path

ROOT = Path(__file__).resolve().parents[2]
# the modules whose messages are translated (the rest of the dialogue is still English: see the catalog's header)
TRANSLATED_MODULES = (
    "flows/conversation.py",
    "flows/answers.py",
    "flows/faq_replies.py",
    "bot/core.py",
    "bot/telegram_bot.py",
    "flows/results.py",
    "flows/result_terms.py",
    "flows/chart_data.py",
    "bot/watch.py",
    "bot/chart.py",
    "bot/console.py",
)
MARKERS = frozenset({"t", "N_", "Msg", "gettext"})
# knowledge's sentences for people (knowledge.wording.Phrase): every module under knowledge/ is scanned for them
KNOWLEDGE_DIR = ROOT / "knowledge"
KNOWLEDGE_MARKERS = frozenset({"Phrase"})


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Call) and _called(node.func) == "_t":  # self._t(session)("...")
        return "t"
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def code_messages(paths: Iterable[Path], markers: frozenset[str] = MARKERS) -> dict[str, list[str]]:
    """msgid -> where it is used ("flows/answers.py:341"), for every marked string literal."""
    found: dict[str, list[str]] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called(node) not in markers or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno}"
                found.setdefault(first.value, []).append(where)
    return found


def data_messages() -> dict[str, list[str]]:
    """msgid -> the data it comes from, for the question table and the other shown vocabularies."""
    from flows.questions import QUESTIONS, SCORE_HINT, SECTIONS, TEF_COLUMNS
    from knowledge.faq.topics import load_topics
    from knowledge.language import ABILITIES

    found: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        if text:
            found.setdefault(text, []).append(where)

    for question in QUESTIONS:
        add(question.prompt, f"question {question.id}: prompt")
        add(question.hint, f"question {question.id}: hint")
        add(question.alone_prompt, f"question {question.id}: prompt, partner not scored")
        add(question.alone_hint, f"question {question.id}: hint, partner not scored")
        add(question.label, f"question {question.id}: label")
        for choice in question.choices:
            add(choice.label, f"question {question.id}: choice {choice.id}")
    for choice in TEF_COLUMNS:
        add(choice.label, f"TEF column {choice.id}")
    for name, _ in SECTIONS:
        add(name, "section")
    add(SCORE_HINT, "score hint")
    for ability in ABILITIES:
        add(ability, "language ability")
    for unit in ("CLB", "NCLC"):
        add(unit, "language level unit")
    for topic in load_topics():
        add(topic.label, f"/topics label {topic.tag}")
    for msgid, where in knowledge_data_messages().items():
        for w in where:
            add(msgid, w)
    return found


def knowledge_data_messages() -> dict[str, list[str]]:
    """msgid -> the data file it comes from, for the texts knowledge reads from its data files and shows as they are
    or as a template (a what-if's label and short label, a CRS band or row label, a rule set's label, a pending
    change's caveat, an FSW adaptability item, the education and Canadian-study labels)."""
    import json

    from knowledge.crs.rules import default_rule_book
    from knowledge.crs.whatif import move_table
    from knowledge.programs.federal import PROGRAM_DIR
    from knowledge.vocabulary import CANADIAN_STUDY_LABELS, EDUCATION_LABELS

    found: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        if text:
            found.setdefault(text, []).append(where)

    for key, move in move_table().moves.items():
        add(move.label, f"what-if {key}: label (knowledge/data/whatif/moves.json)")
        add(move.short, f"what-if {key}: short (knowledge/data/whatif/moves.json)")
    book = default_rule_book()
    for rule_set in book.rule_sets:
        where = f"CRS rule set {rule_set.id}"
        add(rule_set.label, where)
        tables = [rule_set.core.first_language, rule_set.core.second_language, rule_set.spouse.first_language]
        for table in tables:
            for band in table.bands:
                add(band.label, f"{where}: language band")
        for years in (rule_set.core.canadian_work, rule_set.spouse.canadian_work):
            for row in years.rows:
                add(row.label, f"{where}: years row")
        for item_key, item in rule_set.additional.items.items():
            if item_key.startswith("arranged_employment"):  # the only item whose label is shown (a factor's detail)
                add(item.label, f"{where}: additional item")
    for pending in book.pending:  # shown in full behind "About the rule change": every text of it
        where = "CRS pending change (knowledge/data/crs/pending-changes.json)"
        for text in (pending.caveat, pending.what, pending.status, *pending.sources):
            add(text, where)
    grid = json.loads((PROGRAM_DIR / "fsw-grid.json").read_text(encoding="utf-8"))
    for item_key, item in grid["adaptability"]["items"].items():
        add(item["label"], f"FSW adaptability {item_key} (knowledge/data/programs/fsw-grid.json)")
    for level, label in EDUCATION_LABELS.items():
        add(label, f"education {level}")
        add(label.lower(), f"education {level}, in a sentence (an ECA of your ...)")
    for key, label in CANADIAN_STUDY_LABELS.items():
        add(label, f"Canadian study {key}")
    return found


def all_messages() -> dict[str, list[str]]:
    found = code_messages(ROOT / m for m in TRANSLATED_MODULES)
    for msgid, where in code_messages(sorted(KNOWLEDGE_DIR.rglob("*.py")), KNOWLEDGE_MARKERS).items():
        found.setdefault(msgid, []).extend(where)
    for msgid, where in data_messages().items():
        found.setdefault(msgid, []).extend(where)
    return found


def update_catalog(language: str, messages: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Add the missing msgids (empty) and mark the unused ones obsolete; the (added, obsolete) msgids."""
    path = catalog_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = Catalog(locale=language, domain="maple")
    added = [m for m in messages if m not in catalog]
    for msgid in added:
        where = dict.fromkeys(w.partition(":")[0] if w.endswith(".py") or ".py:" in w else w for w in messages[msgid])
        catalog.add(msgid, "", auto_comments=list(where)[:3])  # no line numbers: they would churn on every edit
    obsolete = [str(m.id) for m in catalog if m.id and m.id not in messages]
    for msgid in obsolete:
        catalog.obsolete[msgid] = catalog[msgid]
        del catalog[msgid]
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = _header_comment(path.read_text(encoding="utf-8")) if path.exists() else None
    with path.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, sort_output=False)
    if kept is not None:  # Babel re-wraps the header's comment (the terms' sources): keep it as the translator wrote it
        written = path.read_text(encoding="utf-8")
        path.write_text(kept + written[len(_header_comment(written)) :], encoding="utf-8")
    return added, obsolete


def _header_comment(text: str) -> str:
    """The comment lines before the catalog's header entry."""
    return text[: text.index('msgid ""')] if 'msgid ""' in text else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="add missing msgids to the catalogs, mark unused ones")
    args = parser.parse_args(argv)
    messages = all_messages()
    status = 0
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        if args.update:
            added, obsolete = update_catalog(language, messages)
            print(f"{language}: {len(added)} added, {len(obsolete)} marked obsolete")
            continue
        with catalog_path(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        missing = [m for m in messages if m not in catalog or not catalog[m].string]
        for msgid in missing:
            print(f"{language}: no translation: {msgid!r} ({', '.join(messages[msgid][:2])})")
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
