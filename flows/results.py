"""The result messages: the verdict, its details (breakdown, programs, categories, moves, notes) and what-ifs.

Every message here is Telegram HTML (``Reply.html``): headings in bold, and every piece of text that is
not Maple's own markup escaped with :func:`flows.markup.escape` (answers, labels, numbers alike).
A what-if never touches the answers: it re-scores a changed copy of the profile (knowledge.crs.whatif).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any, NamedTuple

from flows.chart_data import chart_data
from flows.markup import bold, escape
from flows.profile_builder import NotEnoughAnswers, build_profile
from flows.replies import Button, Reply
from knowledge.crs.scoring import Scorer, ScoreResult
from knowledge.crs.whatif import (
    MOVES,
    PartnerSwap,
    WhatIf,
    next_birthday,
    partner_as_principal,
    what_ifs,
)
from knowledge.deadlines import Deadline, describe, personal_dates
from knowledge.draws.rounds import Draws, RouteRounds
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine, EligibilityReport

MAX_MESSAGE = 3800  # Telegram allows 4096 characters; keep room for formatting
WHAT_IF_BUTTONS = 5  # the best moves offered under the verdict (the birthday and the partner's side come extra)
PARTNER_KEY = "partner"  # wi:partner: the couple with the partner as principal applicant
MOVES_KEPT = 256  # profiles whose what-ifs are kept for the taps on their buttons


class Moves(NamedTuple):
    ranked: list[WhatIf]  # the moves that help, best first
    birthday: WhatIf | None


def score_text(result: ScoreResult, skip: tuple[str, ...] = ()) -> str:
    """The breakdown, line by line (HTML); the caveats in ``skip`` are left to the notes."""
    lines = [bold(f"Your CRS score: {result.total} / {result.max_total}")]
    for section in result.sections:
        lines.append("\n" + bold(f"{section.label}: {section.points}"))
        for factor in section.factors:
            if factor.points or factor.key.endswith("_cap") or _explains_zero(factor.detail):
                lines.append(escape(f"  {factor.label}: {factor.points:+d} ({factor.detail})"))
            elif factor.key == "spouse_not_applicable":
                lines.append(escape(f"  {factor.detail}"))
    lines.append(
        "\n"
        + escape(
            f"Rules: {result.rule_set_label}, checked {result.rules_checked.isoformat()}. Source: {result.sources[0]}"
        )
    )
    lines.extend(escape(f"Note: {c}") for c in result.caveats if c not in skip)
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
    lines = [bold("Programs:")]
    for verdict in report.programs:
        lines.append("\n" + bold(f"{verdict.label}: {_STATUS[verdict.status]}"))
        for check in verdict.checks:
            if check.ok is not True:
                mark = "missing" if check.ok is False else "to check"
                lines.append(escape(f"  - {mark}: {check.detail}"))
        if verdict.grid is not None:
            lines.append(escape(f"  67-point grid: {verdict.grid.total}/100"))
        lines.append(escape(f"  Source: {verdict.source}"))
    lines.extend("\n" + escape(f"Note: {c}") for c in report.caveats)
    return "\n".join(lines)


def categories_text(report: EligibilityReport) -> str:
    if report.categories is None:
        return "No category rules apply on this date."
    fits = [f for f in report.categories.fits if f.fits]
    lines = [bold("Category-based draws you fit: ") + escape(", ".join(f.label for f in fits) if fits else "none")]
    for fit in fits:
        lines.append(escape(f"  {fit.label}: {fit.reason}"))
        if fit.recent_draws is not None:
            lines.append(escape(f"  {fit.recent_draws.sentence()}"))
    others = [f for f in report.categories.fits if not f.fits]
    if others:
        lines.append("\n" + bold("Why not the others:"))
        lines.extend(escape(f"  {f.label}: {f.reason}") for f in others)
    lines.append("\n" + escape(report.categories.meaning))
    return "\n".join(lines)


def _split(text: str) -> list[str]:
    """Messages of at most MAX_MESSAGE characters, cut between lines (each line's tags are closed on it)."""
    parts, current = [], ""
    for line in text.split("\n"):
        if len(current) + len(line) + 1 > MAX_MESSAGE and current:
            parts.append(current)
            current = ""
        current += line + "\n"
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
UNCHANGED = "Your saved answers are unchanged: this only shows what the change would do."


def _route_line(label: str, route: RouteRounds, score: int) -> str:
    if not route.rounds:
        return escape(f"• {label}: no round in the 12 months to {route.snapshot_to.isoformat()}.")
    last = route.last
    assert last is not None
    verdict = "would have been invited" if route.cleared else "below every cut-off"
    return escape(
        f"• {label}: {verdict}: {score} cleared {route.cleared} of {len(route.rounds)} rounds in the last 12 months "
        f"(cut-offs {route.lowest} to {max(d.min_crs for d in route.rounds)}; last {last.date.isoformat()}: "
        f"{last.min_crs})."
    )


def verdict_text(
    result: ScoreResult,
    report: EligibilityReport,
    draws: Draws,
    moves: list[WhatIf],
    notes: list[str],
) -> str:
    """The short verdict (HTML): would this score have been invited, by which route, and what would help most.
    ``notes``: one line each (the caller keeps them few)."""
    score, day = result.total, result.profile.profile_date
    lines = [bold(f"Your CRS score: {score} / {result.max_total}")]
    eligible = [v for v in report.programs if v.eligible]
    if eligible:
        lines.append(escape("Eligible for: " + ", ".join(v.label for v in eligible) + "."))
    else:
        lines.append(bold("Not eligible for a federal program yet, so no round can invite you:"))
        for verdict in report.programs:
            missing = next((c.detail for c in verdict.checks if c.ok is False), None) or "to check"
            lines.append(escape(f"  {verdict.label}: {missing}"))
    rounds_to = escape(f" (IRCC rounds to {draws.snapshot_to.isoformat()})")
    if eligible:
        lines.append("\n" + bold("Would you have been invited?") + rounds_to)
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
    if not eligible:  # a nomination through Express Entry needs a profile in the pool, so one of the programs
        lines.append(
            escape(
                f"A provincial nomination (+{NOMINATION_POINTS}) comes through a profile in the pool, which needs "
                "one of these programs first."
            )
        )
    elif not result.profile.provincial_nomination:
        pnp = draws.program_route("pnp", day, nominated)
        lines.append(
            escape(
                f"• With a provincial nomination (+{NOMINATION_POINTS}, to {nominated}): "
                f"{pnp.cleared} of {len(pnp.rounds)} provincial nominee rounds in the last 12 months."
            )
        )
    pool = draws.pool_position(score, day)
    if pool is not None:
        lines.append(
            "\n"
            + escape(
                f"In the pool on {pool.as_on}, {pool.above:,} of {pool.total:,} candidates ({pool.share_above:.0%}) "
                f"were in a band above yours ({pool.band[0]}-{pool.band[1]})."
            )
        )
    if moves:
        lines.append("\n" + bold("Best moves:") + " " + escape("; ".join(_move_summary(m) for m in moves) + "."))
        lines.append(escape("Tap a 'What if' button to see one in full: your answers stay as they are."))
    if notes:
        lines.append("")
        lines.extend(bold("Note:") + " " + escape(note) for note in notes)
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


def _move_summary(move: WhatIf) -> str:
    opens = [PROGRAM_ROUTES[p] for p in move.opens_programs]
    text = f"{move.label}: {move.gain:+d} (to {move.after})"
    return text + (f", and eligible for {', '.join(opens)}" if opens else "")


def _button_label(move: WhatIf) -> str:
    tail = f", {'/'.join(p.upper() for p in move.opens_programs)}-eligible" if move.opens_programs else ""
    return f"What if {move.short}: {move.after} ({move.gain:+d}){tail}"


def what_if_text(move: WhatIf, draws: Draws) -> str:
    """One what-if in full (HTML): the new total, the programs and categories it opens, the recent rounds,
    the time it takes and the age points lost meanwhile, its source."""
    lines = [bold(f"What if: {move.label}?"), escape(move.detail[:1].upper() + move.detail[1:] + ".")]
    lines.append("\n" + bold("CRS score: ") + escape(f"{move.before} -> {move.after} ({move.gain:+d})"))
    if move.opens_programs:
        opened = ", ".join(PROGRAM_ROUTES[p] for p in move.opens_programs)
        lines.append(bold("Opens: ") + escape(opened + "."))
    elif move.eligible_after:
        names = ", ".join(PROGRAM_ROUTES[p] for p in move.eligible_after)
        lines.append(escape(f"Programs: no change (eligible for {names})."))
    else:
        lines.append(escape("Programs: still not eligible for any, so no round could invite you yet."))
    if move.grid_before is not None and move.grid_after is not None and move.grid_after != move.grid_before:
        lines.append(escape(f"FSW 67-point grid: {move.grid_before} -> {move.grid_after}/100."))
    if move.opens_categories:
        lines.append(bold("Categories: ") + escape("you would fit " + ", ".join(move.opens_categories) + "."))
    if move.routes:
        lines.append("\n" + bold("Against the recent rounds") + escape(f" (IRCC data to {draws.snapshot_to}):"))
        lines.extend(_route_line(r.label, r.rounds, move.after) for r in move.routes)
    if move.key != "birthday":
        when = f"about {move.months} months" if move.months else "now"
        age = (
            f"by then your age costs {move.age_points_lost} points (to {move.by_then})"
            if move.age_points_lost
            else "your age costs no points meanwhile"
        )
        lines.append("\n" + bold("Time: ") + escape(f"{when} (Maple's estimate); {age}."))
    lines.append(escape(f"Source: {move.source}"))
    lines.append("\n" + escape(UNCHANGED))
    return "\n".join(lines)


def partner_text(swap: PartnerSwap) -> str:
    lines = [
        bold("Side by side: who applies as principal?"),
        escape(f"You as principal applicant: {swap.you}"),
        escape(f"Your partner as principal applicant: {swap.partner}"),
        "\n" + bold("Assumed: ") + escape("; ".join(swap.assumptions) + "."),
        escape(
            "The principal applicant must meet a program's requirements (work experience, language, education) "
            "on their own: /edit your partner's answers for a closer figure."
        ),
        "\n" + escape(UNCHANGED),
    ]
    return "\n".join(lines)


def pending_key(effective: date) -> str:
    return f"pending:{effective.isoformat()}"


class Results:
    """Builds result replies from answers, with injected engines."""

    def __init__(self, scorer: Scorer, eligibility: EligibilityEngine) -> None:
        self.scorer = scorer
        self.eligibility = eligibility
        self._moves: OrderedDict[tuple[str, int, date], Moves] = OrderedDict()

    def moves(self, profile: Profile) -> Moves:
        """The ranked what-ifs and the next birthday of a profile, computed once for the verdict and reused by
        the taps on its buttons (the rounds are part of the key: a refreshed table computes them again)."""
        key = (profile.model_dump_json(), id(self.draws.rounds), self.draws.snapshot_to)
        found = self._moves.get(key)
        if found is None:
            found = Moves(
                what_ifs(profile, self.scorer, self.eligibility, self.draws),
                next_birthday(profile, self.scorer, self.eligibility, self.draws),
            )
            self._moves[key] = found
            if len(self._moves) > MOVES_KEPT:
                self._moves.popitem(last=False)
        else:
            self._moves.move_to_end(key)
        return found

    def final(self, answers: dict[str, Any], today: date, seen: list[str] | None = None) -> list[Reply]:
        """One message: the verdict (score, routes against recent rounds, the pool, the best moves); the details
        and the what-ifs behind buttons (see :meth:`detail`, :meth:`what_if`).

        ``seen``: the notes already shown in this chat (an unconfirmed rule change is told once, briefly, with
        a button for more); the keys of the notes shown now are added to it."""
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        report = self.eligibility.assess(profile)
        moves = self.moves(profile).ranked
        pending, more = self._fresh_pending(today, seen)
        personal = [c for c in result.caveats if c not in self._pending_caveats(today)]
        text = verdict_text(result, report, self.draws, moves[:2], [*pending, *personal[:1]])
        upcoming = [d for d in answers_dates(answers, today, self.scorer) if d.status != "past"]
        if upcoming:
            text += "\n\n" + escape(f"Next date: {describe(upcoming[0])}. /dates lists them all.")
        buttons = [Button(label, f"res:{key}") for key, label in DETAILS if key != "categories" or report.categories]
        if more:
            buttons.append(Button("About the rule change", "res:rulechange"))
        buttons += self._what_if_buttons(profile, moves)
        return [Reply(text + "\n\n" + escape(CLOSING), buttons, html=True)]

    def detail(self, key: str, answers: dict[str, Any], today: date) -> list[Reply]:
        """One of the result's details, on a tap: the breakdown, programs, categories, moves, notes."""
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        buttons: list[Button] = []
        if key == "breakdown":
            texts = _split(score_text(result, skip=self._pending_caveats(today)))
        elif key in ("programs", "categories"):
            report = self.eligibility.assess(profile)
            texts = _split(programs_text(report) if key == "programs" else categories_text(report))
        elif key == "moves":
            moves = self.moves(profile).ranked
            texts = [
                bold("What would raise your score most")
                + escape(" (each computed by re-scoring your answers with the change; the time is Maple's estimate):")
                + "\n"
                + "\n".join(escape(f"  {_move_summary(m)}; about {m.months} months") for m in moves)
                if moves
                else escape("I found no single change that raises your score.")
            ]
            buttons = self._what_if_buttons(profile, moves)
        elif key == "chart":  # a picture, drawn at the edge; its text says the same in words
            data = chart_data(result, self.eligibility.assess(profile), self.draws, PROGRAM_ROUTES)
            return [Reply(data.text(), chart=data)]
        elif key == "notes":
            texts = _split(self._notes_text(result, today))
        elif key == "rulechange":
            texts = _split(self._rule_change_text(today))
        else:
            texts = [escape("That detail is no longer there: /score shows your result.")]
        replies = [Reply(t, html=True) for t in texts]
        replies[-1].buttons = buttons
        return replies

    def what_if(self, key: str, answers: dict[str, Any], today: date) -> list[Reply] | None:
        """A what-if on a tap (``wi:<key>``), computed on a copy of the profile: the answers are never changed.
        None when the move no longer fits the answers (they changed since the button was made)."""
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers:
            return None
        if key == PARTNER_KEY:
            swap = partner_as_principal(profile, self.scorer)
            if swap is None:
                return None
            return [Reply(partner_text(swap), self._what_if_buttons(profile, None, skip=key), html=True)]
        if key not in MOVES:
            return None
        known = self.moves(profile)
        move = next((m for m in [*known.ranked, known.birthday] if m is not None and m.key == key), None)
        if move is None or (key != "birthday" and not move.helps):
            return None
        text = what_if_text(move, self.draws)
        return [Reply(text, self._what_if_buttons(profile, None, skip=key), html=True)]

    def what_if_menu(self, answers: dict[str, Any], today: date, note: str) -> list[Reply]:
        """The what-ifs that fit the answers as they are now, under ``note`` (a stale button's explanation)."""
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers:
            return [Reply(note)]
        buttons = self._what_if_buttons(profile, None)
        if not buttons:
            return [Reply(note + " No what-if fits your answers now.")]
        return [Reply(note + " Here are the ones that fit your answers now.", buttons)]

    def _what_if_buttons(self, profile: Profile, moves: list[WhatIf] | None, skip: str = "") -> list[Button]:
        known = self.moves(profile)
        moves = known.ranked if moves is None else moves
        buttons = [Button(_button_label(m), f"wi:{m.key}") for m in moves[:WHAT_IF_BUTTONS] if m.key != skip]
        birthday = known.birthday
        if birthday is not None and skip != "birthday":
            buttons.append(Button(f"What if: {birthday.short} ({birthday.gain:+d})", "wi:birthday"))
        if profile.scored_with_spouse and skip != PARTNER_KEY:
            buttons.append(Button("What if my partner applies as principal?", f"wi:{PARTNER_KEY}"))
        return buttons

    def _rule_change_text(self, day: date) -> str:
        changes = self.scorer.book.caveats_for(day)
        if not changes:
            return escape("No unconfirmed rule change concerns this date.")
        return "\n\n".join(
            bold(f"Reported rule change ({change.reported_effective.isoformat()}), not confirmed:")
            + "\n"
            + escape(change.caveat)
            + "\n"
            + escape(f"What is reported: {change.what}. Status: {change.status} (checked {change.checked}).")
            + "\n"
            + escape("Reported by: " + "; ".join(change.sources))
            for change in changes
        )

    def _notes_text(self, result: ScoreResult, day: date) -> str:
        lines = [bold("Notes and sources")]
        if self.scorer.book.caveats_for(day):
            lines.append("\n" + self._rule_change_text(day))
        others = [c for c in result.caveats if c not in self._pending_caveats(day)]
        lines.extend("\n" + escape(c) for c in others)
        lines.append(
            "\n"
            + escape(
                f"Rules: {result.rule_set_label}, checked {result.rules_checked.isoformat()}. "
                f"Sources: {', '.join(result.sources)}"
            )
        )
        return "\n".join(lines)

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

    def _pending_caveats(self, day: date) -> tuple[str, ...]:
        return tuple(p.caveat for p in self.scorer.book.caveats_for(day))

    def _fresh_pending(self, day: date, seen: list[str] | None) -> tuple[list[str], bool]:
        """The brief line for an unconfirmed rule change not shown in this chat yet (recorded in ``seen``),
        and whether there is a rule change to tell more about."""
        changes = self.scorer.book.caveats_for(day)
        fresh = [p for p in changes if seen is None or pending_key(p.reported_effective) not in seen]
        if seen is not None:
            seen.extend(pending_key(p.reported_effective) for p in fresh)
        lines = [
            f"a CRS change reported for {p.reported_effective} is not confirmed yet; this uses the rules in force "
            "before it. 'About the rule change' has more."
            for p in fresh
        ]
        return lines, bool(fresh)

    def partial(self, answers: dict[str, Any], today: date, seen: list[str] | None = None) -> list[Reply]:
        """/score: the breakdown so far (an unconfirmed rule change told once per chat, as in :meth:`final`)."""
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(str(exc))]
        result = self.scorer.score(profile)
        pending, more = self._fresh_pending(today, seen)
        text = escape("Your result so far (questions not answered yet count as nothing):") + "\n\n"
        text += score_text(result, skip=self._pending_caveats(today))
        if pending:
            text += "\n" + bold("Note:") + " " + escape(pending[0])
        buttons = [Button("About the rule change", "res:rulechange")] if more else []
        return [Reply(text, buttons, html=True)]
