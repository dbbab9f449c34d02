"""The result messages: CRS breakdown, program verdicts, categories, and the moves that raise the score."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flows.profile_builder import NotEnoughAnswers, build_profile
from knowledge.crs.advice import top_improvements
from knowledge.crs.scoring import Scorer, ScoreResult
from knowledge.programs.eligibility import EligibilityEngine, EligibilityReport

if TYPE_CHECKING:
    from flows.conversation import Reply

MAX_MESSAGE = 3800  # Telegram allows 4096 characters; keep room for formatting


def score_text(result: ScoreResult) -> str:
    lines = [f"Your CRS score: {result.total} / {result.max_total}"]
    for section in result.sections:
        lines.append(f"\n{section.label}: {section.points}")
        for factor in section.factors:
            if factor.points or factor.key.endswith("_cap"):
                lines.append(f"  {factor.label}: {factor.points:+d} ({factor.detail})")
            elif factor.key == "spouse_not_applicable":
                lines.append(f"  {factor.detail}")
    lines.append(
        f"\nRules: {result.rule_set_label}, checked {result.rules_checked.isoformat()}. Source: {result.sources[0]}"
    )
    lines.extend(f"Note: {c}" for c in result.caveats)
    return "\n".join(lines)


_STATUS = {"eligible": "eligible", "not_eligible": "not eligible", "unknown": "possibly eligible"}


def eligibility_text(report: EligibilityReport) -> str:
    lines = ["Programs:"]
    for verdict in report.programs:
        lines.append(f"\n{verdict.label}: {_STATUS[verdict.status]}")
        for check in verdict.checks:
            if check.ok is not True:
                mark = "missing" if check.ok is False else "to check"
                lines.append(f"  - {mark}: {check.detail}")
        if verdict.grid is not None:
            lines.append(f"  67-point grid: {verdict.grid.total}/100")
        lines.append(f"  Source: {verdict.source}")
    if report.categories is not None:
        fits = [f for f in report.categories.fits if f.fits]
        lines.append("\nCategory-based draws you fit: " + (", ".join(f.label for f in fits) if fits else "none"))
        for fit in fits:
            lines.append(f"  {fit.label}: {fit.reason}")
            if fit.recent_draws is not None:
                lines.append(f"  {fit.recent_draws.sentence()}")
        lines.append("  " + report.categories.meaning)
    lines.extend(f"\nNote: {c}" for c in report.caveats)
    return "\n".join(lines)


def _split(text: str) -> list[str]:
    parts, current = [], ""
    for line in text.split("\n"):
        if len(current) + len(line) + 1 > MAX_MESSAGE and current:
            parts.append(current)
            current = ""
        current += line[:MAX_MESSAGE] + "\n"
    if current.strip():
        parts.append(current.rstrip())
    return parts


class Results:
    """Builds result replies from answers, with injected engines."""

    def __init__(self, scorer: Scorer, eligibility: EligibilityEngine) -> None:
        self.scorer = scorer
        self.eligibility = eligibility

    def final(self, answers: dict[str, Any], today: date) -> list[Reply]:
        from flows.conversation import Reply

        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        report = self.eligibility.assess(profile)
        texts = [*_split(score_text(result)), *_split(eligibility_text(report))]
        moves = top_improvements(profile, scorer=self.scorer)
        if moves:
            texts.append(
                "What would raise your score most:\n"
                + "\n".join(f"  {m.change}: +{m.gain} (to {m.new_total})" for m in moves)
            )
        texts.append("That's everything. /edit changes an answer, /restart starts again, /forget deletes your data.")
        return [Reply(t) for t in texts]

    def partial(self, answers: dict[str, Any], today: date) -> list[Reply]:
        from flows.conversation import Reply

        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        return [Reply("Your result so far (questions not answered yet count as nothing):\n\n" + score_text(result))]
