"""``maple-kb``: check the knowledge base, or ask it a question from the terminal.

    maple-kb lint [--max-age-days N] [--dir DIR] [--today YYYY-MM-DD]
    maple-kb ask [--language en|fr] "does my online degree count?"   (the language is told from the question)
    maple-kb eval [--misses] [--set NAME ...]
    maple-kb fit [--lexical] [--language en|fr ...]

``eval`` prints the figures of every labelled set (knowledge.faq.evaluation.SETS: the training sets and
the held-out ones, English and French) side by side with plain BM25 (the frozen held-out sets as aggregates
only; ``--misses`` lists the misses of the others); ``--set`` limits it to the sets named.

``fit`` fits the learned ranking and gate (knowledge/faq/fitting.py) on the labelled sets, out of fold,
prints the figures and writes knowledge/data/faq/confidence.yaml (``--lexical``: without the embedding
model's similarity).

Exit status: 0 when all is well, 1 when lint finds problems, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from knowledge.faq.entries import ENTRIES_DIR, load_knowledge_base
from knowledge.faq.evaluation import SETS, report, select_sets
from knowledge.faq.language import detect_language
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
    question = " ".join(args.question)
    language = args.language or detect_language(question)
    result = default_retriever().ask(question, language)
    print(
        f"decision: {result.kind} ({result.language})"
        + (f" (names {result.scope_phrase!r})" if result.scope_phrase else "")
    )
    if result.confidence is not None:
        print(f"confidence {result.confidence:.3f}, in scope {result.in_scope:.3f}")
    if result.entry is not None:
        text = result.entry.text(result.language)
        print(
            f"\n{text.question}\n{text.answer}\nSource: {text.source or result.entry.source} ({result.entry.checked})"
        )
    for entry in result.suggestions:
        print(f"  maybe: {entry.text(result.language).question} [{entry.id}]")
    for entry in result.related:
        print(f"  related: {entry.text(result.language).question} [{entry.id}]")
    print("\nranking:")
    for match in result.matches:
        figures = f"score {match.score:6.2f}  coverage {match.coverage:.2f}  precision {match.precision:.2f}"
        figures += f"  centroid {match.centroid:.2f}  nearest {match.nearest:.2f}  rank {match.rank:.2f}"
        figures += f"  p {match.probability:.2f}"
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


def _fit(args: argparse.Namespace) -> int:
    from knowledge.faq.confidence import MODEL_FILE, ConfidenceModels
    from knowledge.faq.embedding import wordllama_embedder
    from knowledge.faq.fitting import fit

    kb = load_knowledge_base()
    semantic = None if args.lexical else wordllama_embedder()
    languages = args.language or ["en", "fr"]
    out = Path(args.out) if args.out else MODEL_FILE
    fitted = fit(kb, languages, semantic)
    kept = ConfidenceModels.load(out).languages if set(languages) != {"en", "fr"} else {}  # the other language's
    models = ConfidenceModels(source=fitted.source, checked=fitted.checked, languages={**kept, **fitted.languages})
    for language, model in fitted.languages.items():
        print(
            f"{language}: answer at {model.answer_at} (in scope at {model.answer_in_scope_at}; naming a scope phrase"
            f" at {model.answer_outside_at}), suggest at"
            f" {model.suggest_at} (calibration sets: by models fitted without them; the others: out of fold)"
        )
        for f in model.fitted.figures:
            print(
                f"  {f.name:28} top-1 {f.top1:6.1%}  right {f.answered_right:6.1%}  wrong {f.answered_wrong:5.1%}"
                f"  refused {f.refused:6.1%}  ({f.in_scope} + {f.out_of_scope})"
            )
    models.dump(out)
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
    ask.add_argument("--language", choices=["en", "fr"], default=None, help="default: told from the question")
    evaluate = commands.add_parser("eval", help="figures on the labelled sets, beside plain BM25")
    evaluate.add_argument("--misses", action="store_true", help="list misses (never those of a frozen set)")
    evaluate.add_argument(
        "--set", action="append", choices=[s.name for s in SETS], help="only this set (repeatable; default: all)"
    )
    fitting = commands.add_parser("fit", help="fit the learned ranking and gate on the labelled sets")
    fitting.add_argument("--lexical", action="store_true", help="without the embedding model's similarity")
    fitting.add_argument("--language", action="append", choices=["en", "fr"], help="only this language")
    fitting.add_argument("--out", default=None, help="write the models here (default: the shipped file)")
    args = parser.parse_args(argv)
    handler = {"lint": _lint, "ask": _ask, "eval": _eval, "fit": _fit}[args.command]
    sys.exit(handler(args))
