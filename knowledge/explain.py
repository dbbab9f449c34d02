"""Plain-text explanations of results, for a person (terminal, console mode, the bot)."""

from __future__ import annotations

from knowledge.crs import ScoreResult


def explain_score(result: ScoreResult) -> str:
    """The total, then each section with every line that earns (or caps) points."""
    scored_as = "with your spouse or partner" if result.scored_as == "with_spouse" else "as a single candidate"
    lines = [
        f"CRS score: {result.total} / {result.max_total}",
        f"Scored {scored_as}, age {result.age}, on {result.profile_date.isoformat()}.",
        "",
    ]
    for section in result.sections:
        lines.append(f"{section.label}: {section.points} (max {section.cap})")
        for factor in section.factors:
            if factor.key.endswith("_cap") or factor.points or factor.maximum:
                sign = f"{factor.points:+d}" if factor.points < 0 else f"{factor.points}"
                lines.append(f"  {factor.label}: {sign} - {factor.detail}")
            else:
                lines.append(f"  {factor.detail}")
        lines.append("")
    lines.append(
        f"Rules: {result.rule_set_label} (in force from {result.rules_effective_from.isoformat()}, "
        f"checked {result.rules_checked.isoformat()})."
    )
    lines.extend(f"Source: {url}" for url in result.sources)
    for caveat in result.caveats:
        lines.append(f"Note: {caveat}")
    return "\n".join(lines)
