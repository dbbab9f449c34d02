"""``maple-kb``: check the knowledge base, or ask it a question from the terminal.

    maple-kb lint [--max-age-days N] [--dir DIR] [--today YYYY-MM-DD]
    maple-kb ask "does my online degree count?"
    maple-kb eval [--misses] [--set NAME ...]

``eval`` prints the figures of the tuning set, the two parts of the development set, the old held-out
set and held-out v2 side by side with plain BM25 (v2 as aggregates only; ``--misses`` lists the misses
of the others); ``--set`` limits it to the sets named.

Exit status: 0 when all is well, 1 when lint finds problems, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from knowledge.faq.entries import ENTRIES_DIR, load_knowledge_base
from knowledge.faq.evaluation import SETS, report, select_sets
from knowledge.faq.lint import DEFAULT_MAX_AGE_DAYS, lint
from knowledge.faq.retriever import FaqRetriever, default_retriever
from knowledge.faq.topics import load_topics


def _lint(args: argparse.Namespace) -> int:
    kb, problems = lint(Path(args.dir), args.today, args.max_age_days, topic_tags={t.tag for t in load_topics()})
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(kb.entries)} entries", file=sys.stderr)
        return 1
    print(f"{len(kb.entries)} entries: all good")
    return 0


def _ask(args: argparse.Namespace) -> int:
    result = default_retriever().ask(" ".join(args.question))
    print(f"decision: {result.kind}" + (f" (names {result.scope_phrase!r})" if result.scope_phrase else ""))
    if result.entry is not None:
        print(
            f"\n{result.entry.question}\n{result.entry.answer}\nSource: {result.entry.source} ({result.entry.checked})"
        )
    for entry in result.suggestions:
        print(f"  maybe: {entry.question} [{entry.id}]")
    print("\nranking:")
    for match in result.matches:
        figures = f"score {match.score:6.2f}  coverage {match.coverage:.2f}  precision {match.precision:.2f}"
        figures += f"  centroid {match.centroid:.2f}  nearest {match.nearest:.2f}  rank {match.rank:.2f}"
        print(f"  {match.entry_id:40} {figures}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    kb = load_knowledge_base()
    retriever = FaqRetriever(kb)
    retriever.ask("warm up")
    try:
        sets = select_sets(args.set)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(report(retriever, kb, misses=args.misses, sets=sets))
    return 0


def entry_point(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="maple-kb", description="Maple's knowledge base: check it, or ask it.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("lint", help="validate every entry")
    check.add_argument("--dir", default=str(ENTRIES_DIR), help="the directory of entry files")
    check.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS, help="oldest allowed 'checked' date")
    check.add_argument("--today", type=date.fromisoformat, default=None, help="the date to check against")
    ask = commands.add_parser("ask", help="show what Maple answers to a question, and why")
    ask.add_argument("question", nargs="+")
    evaluate = commands.add_parser("eval", help="figures on the labelled sets, beside plain BM25")
    evaluate.add_argument("--misses", action="store_true", help="list misses (never those of held-out v2)")
    evaluate.add_argument(
        "--set", action="append", choices=[s.name for s in SETS], help="only this set (repeatable; default: all)"
    )
    args = parser.parse_args(argv)
    handler = {"lint": _lint, "ask": _ask, "eval": _eval}[args.command]
    sys.exit(handler(args))
