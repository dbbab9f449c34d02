"""Plain-text explanations of results, for a person (terminal, console mode, the bot)."""

from __future__ import annotations

from knowledge.crs.scoring import ScoreResult
from knowledge.programs.eligibility import EligibilityReport


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


_STATUS = {"eligible": "eligible", "not_eligible": "not eligible", "unknown": "possibly eligible"}
_MARK = {True: "ok", False: "missing", None: "to check"}


def explain_eligibility(report: EligibilityReport) -> str:
    """Each program's verdict with its reasons, then categories, certificate and funds."""
    lines = [f"Express Entry eligibility on {report.profile_date.isoformat()}", ""]
    for verdict in report.programs:
        lines.append(f"{verdict.label}: {_STATUS[verdict.status]}")
        for check in verdict.checks:
            lines.append(f"  [{_MARK[check.ok]}] {check.key.replace('_', ' ')}: {check.detail}")
        if verdict.grid is not None:
            grid = verdict.grid
            parts = ", ".join(f"{line.label.lower()} {line.points}/{line.maximum}" for line in grid.lines)
            lines.append(f"  67-point grid: {grid.total}/100 ({parts})")
            if grid.total < grid.pass_mark or grid.gains:
                lines.extend(f"    {gain}" for gain in grid.gains[:3])
        lines.append(f"  Source: {verdict.source} (page modified {verdict.page_modified})")
        lines.append("")
    if report.categories is not None:
        cats = report.categories
        lines.append(f"Category-based draws ({cats.rules}): {cats.meaning}")
        for fit in cats.fits:
            mark = {True: "fits", False: "does not fit", None: "cannot tell"}[fit.fits]
            lines.append(f"  {fit.label}: {mark} - {fit.reason}")
            if fit.recent_draws is not None and fit.fits is not False:
                lines.append(f"    {fit.recent_draws.sentence()}")
        lines.append(f"  Sources: {', '.join(cats.sources)} (checked {cats.checked.isoformat()})")
        lines.append("")
    if report.certificate is not None:
        lines.append(f"Certificate of qualification: {report.certificate.reason}")
        lines.append("")
    lines.append(
        f"Proof of funds: {report.funds.detail} (table from {report.funds.table_from.isoformat()}; "
        f"{report.funds.source})"
    )
    lines.extend(f"Note: {c}" for c in report.caveats)
    return "\n".join(lines)
