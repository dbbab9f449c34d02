"""The result messages: CRS breakdown, program verdicts, categories, and the moves that raise the score."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flows.chart_data import chart_data
from flows.profile_builder import NotEnoughAnswers, build_profile
from knowledge.crs.advice import Improvement, top_improvements
from knowledge.crs.scoring import Scorer, ScoreResult
from knowledge.deadlines import Deadline, describe, personal_dates
from knowledge.draws.rounds import Draws, RouteRounds
from knowledge.programs.eligibility import EligibilityEngine, EligibilityReport

if TYPE_CHECKING:
    from flows.conversation import Reply

MAX_MESSAGE = 3800  # Telegram allows 4096 characters; keep room for formatting


def score_text(result: ScoreResult) -> str:
    lines = [f"Your CRS score: {result.total} / {result.max_total}"]
    for section in result.sections:
        lines.append(f"\n{section.label}: {section.points}")
        for factor in section.factors:
            if factor.points or factor.key.endswith("_cap") or _explains_zero(factor.detail):
                lines.append(f"  {factor.label}: {factor.points:+d} ({factor.detail})")
            elif factor.key == "spouse_not_applicable":
                lines.append(f"  {factor.detail}")
    lines.append(
        f"\nRules: {result.rule_set_label}, checked {result.rules_checked.isoformat()}. Source: {result.sources[0]}"
    )
    lines.extend(f"Note: {c}" for c in result.caveats)
    return "\n".join(lines)


ZERO_REASONS = (
    "needs an eca",
    "no points",
    "expired",
    "not valid",
    "no longer",
    "earn no",
    "below clb 4",
    "below nclc 4",
)


def _explains_zero(detail: str) -> bool:
    """A line worth 0 that says why (a degree without an ECA, an expired test): shown, never hidden."""
    lowered = detail.lower()
    return any(reason in lowered for reason in ZERO_REASONS)


_STATUS = {"eligible": "eligible", "not_eligible": "not eligible", "unknown": "possibly eligible"}


def eligibility_text(report: EligibilityReport) -> str:
    return programs_text(report) + "\n" + categories_text(report)


def programs_text(report: EligibilityReport) -> str:
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
    lines.extend(f"\nNote: {c}" for c in report.caveats)
    return "\n".join(lines)


def categories_text(report: EligibilityReport) -> str:
    if report.categories is None:
        return "No category rules apply on this date."
    fits = [f for f in report.categories.fits if f.fits]
    lines = ["Category-based draws you fit: " + (", ".join(f.label for f in fits) if fits else "none")]
    for fit in fits:
        lines.append(f"  {fit.label}: {fit.reason}")
        if fit.recent_draws is not None:
            lines.append(f"  {fit.recent_draws.sentence()}")
    others = [f for f in report.categories.fits if not f.fits]
    if others:
        lines.append("\nWhy not the others:")
        lines.extend(f"  {f.label}: {f.reason}" for f in others)
    lines.append("\n" + report.categories.meaning)
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


DETAILS = (
    ("breakdown", "Score breakdown"),
    ("programs", "Programs, and why"),
    ("chart", "Chart: your score and the cut-offs"),
    ("categories", "Categories, and why"),
    ("moves", "What would raise it"),
    ("notes", "Notes and sources"),
)
CLOSING = "/edit changes an answer, /summary lists them, /restart starts again, /forget deletes your data."
PROGRAM_ROUTES = {"cec": "Canadian Experience Class", "fsw": "Federal Skilled Worker", "fst": "Federal Skilled Trades"}
NOMINATION_POINTS = 600  # a provincial nomination (CRS criteria, additional points; see the rule files)


def _route_line(label: str, route: RouteRounds, score: int) -> str:
    if not route.rounds:
        return f"• {label}: no round in the 12 months to {route.snapshot_to.isoformat()}."
    last = route.last
    assert last is not None
    verdict = "would have been invited" if route.cleared else "below every cut-off"
    return (
        f"• {label}: {verdict}: {score} cleared {route.cleared} of {len(route.rounds)} rounds in the last 12 months "
        f"(cut-offs {route.lowest} to {max(d.min_crs for d in route.rounds)}; last {last.date.isoformat()}: "
        f"{last.min_crs})."
    )


def verdict_text(
    result: ScoreResult,
    report: EligibilityReport,
    draws: Draws,
    moves: list[Improvement],
    pending: list[str],
) -> str:
    """The short verdict: would this score have been invited, by which route, and what would help most."""
    score, day = result.total, result.profile.profile_date
    lines = [f"Your CRS score: {score} / {result.max_total}"]
    eligible = [v for v in report.programs if v.eligible]
    if eligible:
        lines.append("Eligible for: " + ", ".join(v.label for v in eligible) + ".")
    else:
        lines.append("Not eligible for a federal program yet, so no round can invite you:")
        for verdict in report.programs:
            missing = next((c.detail for c in verdict.checks if c.ok is False), None) or "to check"
            lines.append(f"  {verdict.label}: {missing}")
    lines.append(f"\nWould you have been invited? (IRCC rounds to {draws.snapshot_to.isoformat()})")
    for verdict in eligible:
        lines.append(
            _route_line(PROGRAM_ROUTES[verdict.program], draws.program_route(verdict.program, day, score), score)
        )
    if eligible:
        lines.append(_route_line("All-program rounds", draws.program_route("all", day, score), score))
        fits = [f for f in (report.categories.fits if report.categories else []) if f.fits]
        for fit in fits:
            lines.append(_route_line(f"{fit.label} (category)", draws.category_route(fit.key, day, score), score))
    nominated = min(score + NOMINATION_POINTS, result.max_total)
    if not result.profile.provincial_nomination:
        pnp = draws.program_route("pnp", day, nominated)
        lines.append(
            f"• With a provincial nomination (+{NOMINATION_POINTS}, to {nominated}): "
            f"{pnp.cleared} of {len(pnp.rounds)} provincial nominee rounds in the last 12 months."
        )
    pool = draws.pool_position(score, day)
    if pool is not None:
        lines.append(
            f"\nIn the pool on {pool.as_on}, {pool.above:,} of {pool.total:,} candidates ({pool.share_above:.0%}) "
            f"were in a band above yours ({pool.band[0]}-{pool.band[1]})."
        )
    if moves:
        lines.append("\nBest moves: " + "; ".join(f"{m.change}: +{m.gain} (to {m.new_total})" for m in moves) + ".")
    notes = [*pending, *(c for c in result.caveats if not c.startswith("Computed with"))]
    if pending:
        lines.append(f"\nNote: {pending[0]}; this uses the rules in force before it. 'Notes and sources' has more.")
    elif notes:
        lines.append(f"\nNote: {notes[0]}")
    return "\n".join(lines)


def _answered_date(answers: dict[str, Any], key: str) -> date | None:
    """An optional date answer (the ECA's issue date, the profile's creation), or None for "not yet"."""
    value = answers.get(key)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def answers_dates(answers: dict[str, Any], today: date, scorer: Scorer | None = None) -> list[Deadline]:
    """The person's dates (knowledge.deadlines) from the chat's answers; [] before the date of birth."""
    try:
        profile = build_profile(answers, today)
    except NotEnoughAnswers:
        return []
    return personal_dates(
        profile, today, _answered_date(answers, "eca_date"), _answered_date(answers, "ee_profile"), scorer=scorer
    )


def dates_text(deadlines: list[Deadline], answers: dict[str, Any]) -> str:
    """/dates: one line per date, past and near ones flagged, each with its rule's source."""
    if not deadlines:
        return "No dated event yet: the dates come from your date of birth and your test dates."
    lines = ["Your dates (today's rules and answers):"]
    sources: dict[str, str] = {}
    for item in deadlines:
        lines.append(f"• {describe(item)}")
        sources.setdefault(item.source, f"{item.kind.replace('_', ' ')}: {item.source} (checked {item.checked})")
    if answers.get("education_proof") == "eca" and "eca_date" not in answers:
        lines.append("• Your ECA: tell me its issue date to see when it turns 5 years old.")
    lines.append("\nSources: " + "; ".join(sources.values()))
    lines.append("/remind sends you a reminder 30 and 7 days before each date.")
    return "\n".join(lines)


class Results:
    """Builds result replies from answers, with injected engines."""

    def __init__(self, scorer: Scorer, eligibility: EligibilityEngine) -> None:
        self.scorer = scorer
        self.eligibility = eligibility

    def final(self, answers: dict[str, Any], today: date) -> list[Reply]:
        """One message: the verdict (score, routes against recent rounds, the pool, the best moves);
        the details behind buttons (see :meth:`detail`)."""
        from flows.conversation import Button, Reply

        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        report = self.eligibility.assess(profile)
        moves = top_improvements(profile, scorer=self.scorer)
        text = verdict_text(result, report, self.draws, moves[:2], self._pending(profile.profile_date))
        upcoming = [d for d in answers_dates(answers, today, self.scorer) if d.status != "past"]
        if upcoming:
            text += f"\n\nNext date: {describe(upcoming[0])}. /dates lists them all."
        buttons = [Button(label, f"res:{key}") for key, label in DETAILS if key != "categories" or report.categories]
        return [Reply(text + "\n\n" + CLOSING, buttons)]

    def detail(self, key: str, answers: dict[str, Any], today: date) -> list[Reply]:
        """One of the result's details, on a tap: the breakdown, programs, categories, moves, notes."""
        from flows.conversation import Reply

        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        if key == "breakdown":
            texts = _split(score_text(result))
        elif key in ("programs", "categories"):
            report = self.eligibility.assess(profile)
            texts = _split(programs_text(report) if key == "programs" else categories_text(report))
        elif key == "moves":
            moves = top_improvements(profile, scorer=self.scorer)
            texts = [
                "What would raise your score most (each computed by re-scoring your answers with the change):\n"
                + "\n".join(f"  {m.change}: +{m.gain} (to {m.new_total})" for m in moves)
                if moves
                else "I found no single change that raises your score."
            ]
        elif key == "chart":  # a picture, drawn at the edge; its text says the same in words
            data = chart_data(result, self.eligibility.assess(profile), self.draws, PROGRAM_ROUTES)
            return [Reply(data.text(), chart=data)]
        elif key == "notes":
            texts = ["\n\n".join(result.caveats) or "No notes on this result."]
        else:
            texts = ["That detail is no longer there: /score shows your result."]
        return [Reply(t) for t in texts]

    def dates(self, answers: dict[str, Any], today: date) -> list[Reply]:
        """/dates: the next birthdays that change the points, the expiries of results and documents."""
        from flows.conversation import Reply

        try:
            build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        return [Reply(dates_text(answers_dates(answers, today, self.scorer), answers))]

    @property
    def draws(self) -> Draws:
        return self.eligibility.categories.draws

    def _pending(self, day: date) -> list[str]:
        return [f"a CRS change reported for {p.reported_effective} is not confirmed yet"
                for p in self.scorer.book.caveats_for(day)]  # fmt: skip

    def partial(self, answers: dict[str, Any], today: date) -> list[Reply]:
        from flows.conversation import Reply

        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        return [Reply("Your result so far (questions not answered yet count as nothing):\n\n" + score_text(result))]
