"""Questions typed in the middle of the questionnaire: do they reach the knowledge base, and store nothing?

Each in-scope question of the tuning and development sets (knowledge/data/faq/labelled/faq_eval.yaml,
faq_dev_rank.yaml and faq_dev_gate.yaml; never a held-out set) is typed at each of a few
representative pending questions (date of birth, marital status, education, a language test, language
scores, a job title, a job's start date, hours a week, a yes/no question, family size, funds); the French
tuning set (knowledge/data/faq/labelled/fr/faq_eval_fr.yaml) the same way in a French session. The
dialogue's reply is compared
with what the knowledge base alone replies to the same text (``FaqReplies.ask``, with the same answers), and
the session's answers must be unchanged.

Each (question, step) is one of:
- kb: the knowledge base's reply is in the dialogue's reply, nothing stored;
- stored: an answer was stored (or the dialogue moved on): the question was read as an answer;
- reasked: nothing stored, but the knowledge base's reply is not there (re-asked as an invalid answer, offered
  choices, or the entry offered as a button only: "offer" counts those).

Run: .venv/bin/python benchmarks/eval_faq_in_dialogue.py [--failures] [--step ID] [--lang en|fr]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from flows.conversation import Dialogue, Session
from flows.faq_replies import FaqReplies
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.faq.retriever import default_retriever
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/ (the walk to each pending question is shared with its test)
from tests.waiting import STEPS, waiting_at_each_step  # noqa: E402

TODAY = date(2026, 10, 1)
ENGLISH_SETS = (
    ROOT / "knowledge/data/faq/labelled/faq_eval.yaml",
    ROOT / "knowledge/data/faq/labelled/faq_dev_rank.yaml",
    ROOT / "knowledge/data/faq/labelled/faq_dev_gate.yaml",
)
FRENCH_SETS = (ROOT / "knowledge/data/faq/labelled/fr/faq_eval_fr.yaml",)


def questions(paths: tuple[Path, ...]) -> list[str]:
    """The in-scope questions of the sets, each once (a held-out set is never read)."""
    seen: dict[str, None] = {}
    for path in paths:
        assert "heldout" not in path.name, path
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data.get("in_scope", []):
            seen.setdefault(item["q"], None)
    return list(seen)


def build_dialogue() -> tuple[Dialogue, FaqReplies]:
    """As tests/test_flow_faq.py builds it."""
    faq = FaqReplies(default_retriever())
    results = Results(default_scorer(), EligibilityEngine())
    return Dialogue(results, default_noc_index(), lambda: TODAY, faq), faq


def classify(dialogue: Dialogue, faq: FaqReplies, at: Session, text: str) -> tuple[str, str, str]:
    """(outcome, the dialogue's reply, the knowledge base's kind) for ``text`` typed at ``at``."""
    session = at.model_copy(deep=True)
    answers, state = at.model_copy(deep=True).answers, at.state
    result, expected = faq.ask(text, dialogue._asker(session))
    replies = dialogue.text(session, text)
    said = "\n".join(r.text for r in replies)
    if session.answers != answers or session.state != state:
        return "stored", said, result.kind
    if expected.text and expected.text in said:
        return "kb", said, result.kind
    buttons = [b.data for r in replies for b in r.buttons]
    offered = result.entry is not None and f"q:{result.entry.id}" in buttons
    return ("offer" if offered else "reasked"), said, result.kind


def run(language: str, paths: tuple[Path, ...], steps: list[str], failures: bool) -> Counter:
    dialogue, faq = build_dialogue()
    faq.ask("warm up")
    texts = questions(paths)
    at = waiting_at_each_step(dialogue, "fr" if language == "fr" else None)
    total: Counter = Counter()
    print(f"\n== {language}: {len(texts)} questions x {len(steps)} steps ==")
    print(f"{'step':<14}{'kb':>8}{'stored':>9}{'reasked':>9}  (of which offered as a button)")
    listed: list[str] = []
    for step in steps:
        counts: Counter = Counter()
        for text in texts:
            outcome, said, kind = classify(dialogue, faq, at[step], text)
            counts[outcome] += 1
            if outcome != "kb":
                first = said.replace("\n", " | ")[:90]
                listed.append(f"  [{step}] {outcome:<7} (kb: {kind:<12}) {text!r} -> {first}")
        n = len(texts)
        reasked = counts["reasked"] + counts["offer"]
        print(
            f"{step:<14}{counts['kb'] / n:>8.1%}{counts['stored'] / n:>9.1%}{reasked / n:>9.1%}"
            f"  ({counts['offer'] / n:.1%})"
        )
        total.update(counts)
    n = sum(total.values())
    reasked = total["reasked"] + total["offer"]
    print(
        f"{'all':<14}{total['kb'] / n:>8.1%}{total['stored'] / n:>9.1%}{reasked / n:>9.1%}"
        f"  ({total['offer'] / n:.1%})   [{total['stored']} stored, {reasked} reasked of {n}]"
    )
    if failures:
        print("\n".join(listed))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--failures", action="store_true", help="list every question not answered by the KB")
    parser.add_argument("--step", action="append", choices=STEPS, help="only this pending question (repeatable)")
    parser.add_argument("--lang", choices=("en", "fr"), action="append", help="only this language (repeatable)")
    args = parser.parse_args()
    steps = args.step or list(STEPS)
    start = time.perf_counter()
    for language in args.lang or ["en", "fr"]:
        run(language, ENGLISH_SETS if language == "en" else FRENCH_SETS, steps, args.failures)
    print(f"\n{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
