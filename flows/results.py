"""The result messages: the verdict, its details (breakdown, programs, categories, moves, notes) and what-ifs.

Every message here is Telegram HTML (``Reply.html``): headings in bold, and every piece of text that is
not Maple's own markup escaped with :func:`flows.markup.escape` (answers, labels, numbers alike).
A what-if never touches the answers: it re-scores a changed copy of the profile (knowledge.crs.whatif).

Every text is in the chat's language: the functions take a :class:`flows.i18n.Translator` (English when None),
:class:`Results` a ``language``. The labels and fixed sentences made in ``knowledge/`` are translated here, at the
edge, through :mod:`flows.result_terms` (a table keyed by their English text); their sentences with figures in them
(a factor's detail, a check's reason) stay English until knowledge gives them as keys and parameters.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime
from typing import Any, NamedTuple

from flows.chart_data import chart_data
from flows.i18n import N_, SOURCE_LANGUAGE, Languages, Translator, default_languages
from flows.markup import bold, escape
from flows.profile_builder import NotEnoughAnswers, build_profile
from flows.replies import Button, Reply
from flows.result_terms import term
from knowledge.crs.scoring import Scorer, ScoreResult, default_scorer
from knowledge.crs.whatif import (
    MOVES,
    PartnerSwap,
    WhatIf,
    next_birthday,
    partner_as_principal,
    what_ifs,
)
from knowledge.deadlines import Deadline, describe, eca_expiry, personal_dates
from knowledge.draws.rounds import Draws, DrawSummary, PoolPosition, RouteRounds
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine, EligibilityReport
from knowledge.wording import Phrase

MAX_MESSAGE = 3800  # Telegram allows 4096 characters; keep room for formatting
WHAT_IF_BUTTONS = 5  # the best moves offered under the verdict (the birthday and the partner's side come extra)
PARTNER_KEY = "partner"  # wi:partner: the couple with the partner as principal applicant
MOVES_KEPT = 256  # profiles whose what-ifs are kept for the taps on their buttons


class Moves(NamedTuple):
    ranked: list[WhatIf]  # the moves that help, best first
    birthday: WhatIf | None


def _english() -> Translator:
    return default_languages().get(SOURCE_LANGUAGE)


def _day(t: Translator, day: date) -> str:
    """A date as the English text has always shown it (ISO), as "8 mars 1985" in another language."""
    return day.isoformat() if t.language == SOURCE_LANGUAGE else t.format_date(day)


def _as_on(t: Translator, text: str) -> str:
    """The pool's date, given by the data as "September 13, 2026": shown so in English, in the language else."""
    try:
        return text if t.language == SOURCE_LANGUAGE else t.format_date(datetime.strptime(text, "%B %d, %Y").date())
    except ValueError:
        return text


def _colon(t: Translator, label: str, value: str) -> str:
    """ "label: value", with French's space before the colon."""
    return t("{label}: {value}", label=label, value=value)


def _signed(points: int) -> str:
    return f"{points:+d}"


def score_heading(t: Translator, score: int, max_total: int) -> str:
    return bold(t("Your CRS score: {score} / {max_total}", score=str(score), max_total=str(max_total)))


def score_text(result: ScoreResult, skip: tuple[str, ...] = (), t: Translator | None = None) -> str:
    """The breakdown, line by line (HTML); the caveats in ``skip`` are left to the notes."""
    t = t or _english()
    lines = [score_heading(t, result.total, result.max_total)]
    for section in result.sections:
        lines.append("\n" + bold(t("{label}: {value}", label=term(t, section.label), value=str(section.points))))
        for factor in section.factors:
            if factor.points or factor.key.endswith("_cap") or _explains_zero(factor.detail):
                value = f"{factor.points:+d} ({term(t, factor.detail)})"
                lines.append(escape("  " + t("{label}: {value}", label=term(t, factor.label), value=value)))
            elif factor.key == "spouse_not_applicable":
                lines.append(escape(f"  {term(t, factor.detail)}"))
    lines.append("\n" + escape(_rules_line(t, result, result.sources[:1])))
    lines.extend(escape(t("Note: {note}", note=term(t, c))) for c in result.caveats if c not in skip)
    return "\n".join(lines)


def _rules_line(t: Translator, result: ScoreResult, sources: list[str]) -> str:
    rules, day = term(t, result.rule_set_label), _day(t, result.rules_checked)
    joined = ", ".join(t.page(url) for url in sources)
    if len(sources) == 1:
        return t("Rules: {rules}, checked {day}. Source: {source}", rules=rules, day=day, source=joined)
    return t("Rules: {rules}, checked {day}. Sources: {sources}", rules=rules, day=day, sources=joined)


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


_STATUS = {"eligible": N_("eligible"), "not_eligible": N_("not eligible"), "unknown": N_("possibly eligible")}


def eligibility_text(report: EligibilityReport, t: Translator | None = None) -> str:
    return programs_text(report, t) + "\n" + categories_text(report, t)


def programs_text(report: EligibilityReport, t: Translator | None = None) -> str:
    t = t or _english()
    lines = [bold(t("Programs:"))]
    for verdict in report.programs:
        lines.append("\n" + bold(_colon(t, term(t, verdict.label), t(_STATUS[verdict.status]))))
        for check in verdict.checks:
            if check.ok is not True:
                mark = t("missing") if check.ok is False else t("to check")
                lines.append(escape("  - " + _colon(t, mark, term(t, check.detail))))
        if verdict.grid is not None:
            lines.append(escape(t("  67-point grid: {total}/100", total=str(verdict.grid.total))))
        lines.append(escape(t("  Source: {source}", source=t.page(verdict.source))))
    lines.extend("\n" + escape(t("Note: {note}", note=term(t, c))) for c in report.caveats)
    return "\n".join(lines)


def draws_sentence(t: Translator, summary: DrawSummary) -> str:
    """A category's recent rounds in one sentence (knowledge's ``DrawSummary.sentence``, in the language)."""
    return term(t, summary.sentence())


def categories_text(report: EligibilityReport, t: Translator | None = None) -> str:
    t = t or _english()
    if report.categories is None:
        return escape(t("No category rules apply on this date."))
    fits = [f for f in report.categories.fits if f.fits]
    fit_names = ", ".join(term(t, f.label) for f in fits) if fits else t("none")
    lines = [bold(t("Category-based draws you fit: ")) + escape(fit_names)]
    for fit in fits:
        lines.append(escape("  " + _colon(t, term(t, fit.label), term(t, fit.reason))))
        if fit.recent_draws is not None:
            lines.append(escape(f"  {draws_sentence(t, fit.recent_draws)}"))
    others = [f for f in report.categories.fits if not f.fits]
    if others:
        lines.append("\n" + bold(t("Why not the others:")))
        lines.extend(escape("  " + _colon(t, term(t, f.label), term(t, f.reason))) for f in others)
    lines.append("\n" + escape(term(t, report.categories.meaning)))
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
    ("breakdown", N_("Score breakdown")),
    ("programs", N_("Programs, and why")),
    ("chart", N_("Chart: your score and the cut-offs")),
    ("categories", N_("Categories, and why")),
    ("moves", N_("What would raise it")),
    ("notes", N_("Notes and sources")),
)
CLOSING = N_("/edit changes an answer, /summary lists them, /restart starts again, /forget deletes your data.")
PROGRAM_ROUTES = {
    "cec": N_("Canadian Experience Class"),
    "fsw": N_("Federal Skilled Worker"),
    "fst": N_("Federal Skilled Trades"),
}
NOMINATION_POINTS = 600  # a provincial nomination (CRS criteria, additional points; see the rule files)
UNCHANGED = N_("Your saved answers are unchanged: this only shows what the change would do.")
ALL_ROUNDS = N_("All-program rounds")


def program_routes(t: Translator) -> dict[str, str]:
    """The programs' names as the verdict says them, in the language."""
    return {key: t(name) for key, name in PROGRAM_ROUTES.items()}


def category_route(t: Translator, label: str) -> str:
    return t("{label} (category)", label=term(t, label))


def _route_line(label: str, route: RouteRounds, score: int, t: Translator | None = None) -> str:
    t = t or _english()
    if not route.rounds:
        return escape(t("• {label}: no round in the 12 months to {day}.", label=label, day=_day(t, route.snapshot_to)))
    last = route.last
    assert last is not None
    params = {
        "label": label,
        "score": str(score),
        "cleared": str(route.cleared),
        "rounds": str(len(route.rounds)),
        "low": str(route.lowest),
        "high": str(max(d.min_crs for d in route.rounds)),
        "last": _day(t, last.date),
        "last_crs": str(last.min_crs),
    }
    if route.cleared:
        text = t(
            "• {label}: would have been invited: {score} cleared {cleared} of {rounds} rounds in the last 12 months "
            "(cut-offs {low} to {high}; last {last}: {last_crs}).",
            **params,
        )
    else:
        text = t(
            "• {label}: below every cut-off: {score} cleared {cleared} of {rounds} rounds in the last 12 months "
            "(cut-offs {low} to {high}; last {last}: {last_crs}).",
            **params,
        )
    return escape(text)


def verdict_text(
    result: ScoreResult,
    report: EligibilityReport,
    draws: Draws,
    moves: list[WhatIf],
    notes: list[str],
    t: Translator | None = None,
    scorer: Scorer | None = None,
) -> str:
    """The short verdict (HTML): would this score have been invited, by which route, and what would help most.
    ``notes``: one line each, in the language already (the caller keeps them few)."""
    t = t or _english()
    routes = program_routes(t)
    score, day = result.total, result.profile.profile_date
    lines = [score_heading(t, score, result.max_total)]
    eligible = [v for v in report.programs if v.eligible]
    if eligible:
        lines.append(escape(t("Eligible for: {programs}.", programs=", ".join(term(t, v.label) for v in eligible))))
    else:
        lines.append(bold(t("Not eligible for a federal program yet, so no round can invite you:")))
        for verdict in report.programs:
            missing = next((c.detail for c in verdict.checks if c.ok is False), None) or N_("to check")
            lines.append(escape("  " + _colon(t, term(t, verdict.label), term(t, missing))))
    rounds_to = escape(t(" (IRCC rounds to {day})", day=_day(t, draws.snapshot_to)))
    if eligible:
        lines.append("\n" + bold(t("Would you have been invited?")) + rounds_to)
    for verdict in eligible:
        lines.append(_route_line(routes[verdict.program], draws.program_route(verdict.program, day, score), score, t))
    if eligible:
        lines.append(_route_line(t(ALL_ROUNDS), draws.program_route("all", day, score), score, t))
        fits = [f for f in (report.categories.fits if report.categories else []) if f.fits]
        for fit in fits:
            lines.append(_route_line(category_route(t, fit.label), draws.category_route(fit.key, day, score), score, t))
    nominated = (scorer or default_scorer()).with_nomination(result.profile)
    if not eligible:  # a nomination through Express Entry needs a profile in the pool, so one of the programs
        lines.append(
            escape(
                t(
                    "A provincial nomination (+{points}) comes through a profile in the pool, which needs one of "
                    "these programs first.",
                    points=str(NOMINATION_POINTS),
                )
            )
        )
    elif not result.profile.provincial_nomination:
        pnp = draws.program_route("pnp", day, nominated)
        lines.append(
            escape(
                t(
                    "• With a provincial nomination (+{points}, to {nominated}): "
                    "{cleared} of {rounds} provincial nominee rounds in the last 12 months.",
                    points=str(nominated - score),
                    nominated=str(nominated),
                    cleared=str(pnp.cleared),
                    rounds=str(len(pnp.rounds)),
                )
            )
        )
    pool = draws.pool_position(score, day)
    if pool is not None:
        lines.append("\n" + escape(pool_sentence(t, pool)))
    if moves:
        summary = "; ".join(_move_summary(m, t) for m in moves)
        lines.append("\n" + bold(t("Best moves:")) + " " + escape(summary + "."))
        lines.append(escape(t("Tap a 'What if' button to see one in full: your answers stay as they are.")))
    if notes:
        lines.append("")
        lines.extend(bold(t("Note:")) + " " + escape(note) for note in notes)
    return "\n".join(lines)


def pool_sentence(t: Translator, pool: PoolPosition) -> str:
    return t(
        "In the pool on {day}, {above} of {total} candidates ({share}) were in a band above yours ({low}-{high}).",
        day=_as_on(t, pool.as_on),
        above=pool.above,
        total=pool.total,
        share=f"{pool.share_above:.0%}" if t.language == SOURCE_LANGUAGE else f"{pool.share_above * 100:.0f}\u00a0%",
        low=str(pool.band[0]),
        high=str(pool.band[1]),
    )


def _answered_date(answers: dict[str, Any], key: str) -> date | None:
    """An optional date answer (the ECA's issue date, the profile's creation), or None for "not yet"."""
    value = answers.get(key)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def document_notes(answers: dict[str, Any], today: date) -> list[Phrase]:
    """What the answers' own documents say of the score: an ECA 5 or more years old no longer counts (as an expired
    test result's note says of its points)."""
    issued = _answered_date(answers, "eca_date")
    if answers.get("education_proof") != "eca" or issued is None:
        return []
    expiry = eca_expiry(issued, today)
    if expiry.status != "past":
        return []
    return [
        Phrase(
            "Your ECA of {issued} turned 5 years old on {expired}: it is no longer valid for Express Entry and cannot "
            "be used in a new profile, so the education points above need a new ECA.",
            issued=issued,
            expired=expiry.day,
        )
    ]


def answers_dates(answers: dict[str, Any], today: date, scorer: Scorer | None = None) -> list[Deadline]:
    """The person's dates (knowledge.deadlines) from the chat's answers; [] before the date of birth."""
    try:
        profile = build_profile(answers, today)
    except NotEnoughAnswers:
        return []
    return personal_dates(
        profile, today, _answered_date(answers, "eca_date"), _answered_date(answers, "ee_profile"), scorer=scorer
    )


def dates_text(deadlines: list[Deadline], answers: dict[str, Any], t: Translator | None = None) -> str:
    """/dates: one line per date, past and near ones flagged, each with its rule's source."""
    t = t or _english()
    if not deadlines:
        return t("No dated event yet: the dates come from your date of birth and your test dates.")
    lines = [t("Your dates (today's rules and answers):")]
    sources: dict[str, str] = {}
    for item in deadlines:
        lines.append(f"• {describe_date(t, item)}")
        sources.setdefault(
            item.source,
            t(
                "{kind}: {source} (checked {checked})",
                kind=term(t, item.kind.replace("_", " ")),
                source=t.page(item.source),
                checked=_day(t, item.checked),
            ),
        )
    if answers.get("education_proof") == "eca" and "eca_date" not in answers:
        lines.append(t("• Your ECA: tell me its issue date to see when it turns 5 years old."))
    lines.append("\n" + t("Sources: {sources}", sources="; ".join(sources.values())))
    lines.append(t("/remind sends you a reminder 30 and 7 days before each date."))
    return "\n".join(lines)


def describe_date(t: Translator, deadline: Deadline) -> str:
    """One line for a date (knowledge.deadlines.describe, in the language; ``what`` is translated when it is a
    fixed sentence)."""
    if t.language == SOURCE_LANGUAGE:
        return describe(deadline)
    text = f"{_day(t, deadline.day)} : {term(t, deadline.what)}"
    if deadline.kind == "age_points":
        text += t(
            ": age points {before} -> {after}", before=str(deadline.points_before), after=str(deadline.points_after)
        )
        if deadline.total_before is not None:
            text += t(
                " (CRS {before} -> {after} if nothing else changes)",
                before=str(deadline.total_before),
                after=str(deadline.total_after),
            )
    if deadline.status == "past":
        text += t(" (already passed)") if deadline.days_left < 0 else t(" (today)")
    elif deadline.status == "near":
        text += t(" (in {days} days)", days=str(deadline.days_left))
    return text


def _move_summary(move: WhatIf, t: Translator | None = None) -> str:
    t = t or _english()
    routes = program_routes(t)
    text = t("{label}: {gain} (to {after})", label=term(t, move.label), gain=_signed(move.gain), after=str(move.after))
    if move.opens_programs:
        text += t(", and eligible for {programs}", programs=", ".join(routes[p] for p in move.opens_programs))
    return text


PROGRAM_SHORT = {"fsw": N_("FSW"), "fst": N_("FST"), "cec": N_("CEC")}  # a button's room: the programs' initials


def _button_label(move: WhatIf, t: Translator | None = None) -> str:
    t = t or _english()
    label = t(
        "What if {short}: {after} ({gain})", short=term(t, move.short), after=str(move.after), gain=_signed(move.gain)
    )
    if move.opens_programs:
        label += t(", {programs}-eligible", programs="/".join(t(PROGRAM_SHORT[p]) for p in move.opens_programs))
    return label


def what_if_text(move: WhatIf, draws: Draws, t: Translator | None = None) -> str:
    """One what-if in full (HTML): the new total, the programs and categories it opens, the recent rounds,
    the time it takes and the age points lost meanwhile, its source."""
    t = t or _english()
    routes = program_routes(t)
    detail = term(t, move.detail)
    lines = [bold(t("What if: {label}?", label=term(t, move.label))), escape(detail[:1].upper() + detail[1:] + ".")]
    lines.append("\n" + bold(t("CRS score: ")) + escape(f"{move.before} -> {move.after} ({move.gain:+d})"))
    if move.opens_programs:
        opened = ", ".join(routes[p] for p in move.opens_programs)
        lines.append(bold(t("Opens: ")) + escape(opened + "."))
    elif move.eligible_after:
        names = ", ".join(routes[p] for p in move.eligible_after)
        lines.append(escape(t("Programs: no change (eligible for {programs}).", programs=names)))
    else:
        lines.append(escape(t("Programs: still not eligible for any, so no round could invite you yet.")))
    if move.grid_before is not None and move.grid_after is not None and move.grid_after != move.grid_before:
        lines.append(
            escape(
                t(
                    "FSW 67-point grid: {before} -> {after}/100.",
                    before=str(move.grid_before),
                    after=str(move.grid_after),
                )
            )
        )
    if move.opens_categories:
        cats = ", ".join(term(t, c) for c in move.opens_categories)
        lines.append(bold(t("Categories: ")) + escape(t("you would fit {categories}.", categories=cats)))
    if move.routes:
        lines.append(
            "\n"
            + bold(t("Against the recent rounds"))
            + escape(t(" (IRCC data to {day}):", day=_day(t, draws.snapshot_to)))
        )
        lines.extend(_route_line(_route_label(t, r.label), r.rounds, move.after, t) for r in move.routes)
    if move.key != "birthday":
        when = t("about {months} months", months=str(move.months)) if move.months else t("now")
        age = (
            t(
                "by then your age costs {points} points (to {total})",
                points=str(move.age_points_lost),
                total=str(move.by_then),
            )
            if move.age_points_lost
            else t("your age costs no points meanwhile")
        )
        lines.append("\n" + bold(t("Time: ")) + escape(t("{when} (Maple's estimate); {age}.", when=when, age=age)))
    lines.append(escape(t("Source: {source}", source=t.page(move.source))))
    lines.append("\n" + escape(t(UNCHANGED)))
    return "\n".join(lines)


def _route_label(t: Translator, label: str) -> str:
    """A route's label made in knowledge ("STEM occupations (category)", "Federal Skilled Worker")."""
    suffix = " (category)"
    if label.endswith(suffix):
        return category_route(t, label[: -len(suffix)])
    return t(label) if t.has(label) else term(t, label)


def partner_text(swap: PartnerSwap, t: Translator | None = None) -> str:
    t = t or _english()
    lines = [
        bold(t("Side by side: who applies as principal?")),
        escape(t("You as principal applicant: {score}", score=str(swap.you))),
        escape(t("Your partner as principal applicant: {score}", score=str(swap.partner))),
        "\n" + bold(t("Assumed: ")) + escape("; ".join(term(t, a) for a in swap.assumptions) + "."),
        escape(
            t(
                "The principal applicant must meet a program's requirements (work experience, language, education) "
                "on their own: /edit your partner's answers for a closer figure."
            )
        ),
        "\n" + escape(t(UNCHANGED)),
    ]
    return "\n".join(lines)


def pending_key(effective: date) -> str:
    return f"pending:{effective.isoformat()}"


class Results:
    """Builds result replies from answers, with injected engines."""

    def __init__(self, scorer: Scorer, eligibility: EligibilityEngine, languages: Languages | None = None) -> None:
        self.scorer = scorer
        self.eligibility = eligibility
        self.languages = languages or default_languages()
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

    def final(
        self, answers: dict[str, Any], today: date, seen: list[str] | None = None, language: str | None = None
    ) -> list[Reply]:
        """One message: the verdict (score, routes against recent rounds, the pool, the best moves); the details
        and the what-ifs behind buttons (see :meth:`detail`, :meth:`what_if`).

        ``seen``: the notes already shown in this chat (an unconfirmed rule change is told once, briefly, with
        a button for more); the keys of the notes shown now are added to it. ``language``: the chat's."""
        t = self.languages.get(language)
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(t(str(exc)))]
        result = self.scorer.score(profile)
        report = self.eligibility.assess(profile)
        moves = self.moves(profile).ranked
        pending, more = self._fresh_pending(today, seen, t)
        personal = [term(t, c) for c in result.caveats if c not in self._pending_caveats(today)]
        personal += [term(t, n) for n in document_notes(answers, today)]
        text = verdict_text(result, report, self.draws, moves[:2], [*pending, *personal[:1]], t, self.scorer)
        upcoming = [d for d in answers_dates(answers, today, self.scorer) if d.status != "past"]
        if upcoming:
            text += "\n\n" + escape(t("Next date: {date}. /dates lists them all.", date=describe_date(t, upcoming[0])))
        buttons = [Button(t(label), f"res:{key}") for key, label in DETAILS if key != "categories" or report.categories]
        if more:
            buttons.append(Button(t("About the rule change"), "res:rulechange"))
        buttons += self._what_if_buttons(profile, moves, t=t)
        return [Reply(text + "\n\n" + escape(t(CLOSING)), buttons, html=True)]

    def detail(self, key: str, answers: dict[str, Any], today: date, language: str | None = None) -> list[Reply]:
        """One of the result's details, on a tap: the breakdown, programs, categories, moves, notes."""
        t = self.languages.get(language)
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(t(str(exc)))]
        result = self.scorer.score(profile)
        buttons: list[Button] = []
        if key == "breakdown":
            texts = _split(score_text(result, skip=self._pending_caveats(today), t=t))
        elif key in ("programs", "categories"):
            report = self.eligibility.assess(profile)
            texts = _split(programs_text(report, t) if key == "programs" else categories_text(report, t))
        elif key == "moves":
            moves = self.moves(profile).ranked
            texts = [
                bold(t("What would raise your score most"))
                + escape(
                    t(" (each computed by re-scoring your answers with the change; the time is Maple's estimate):")
                )
                + "\n"
                + "\n".join(
                    escape(t("  {move}; about {months} months", move=_move_summary(m, t), months=str(m.months)))
                    for m in moves
                )
                if moves
                else escape(t("I found no single change that raises your score."))
            ]
            buttons = self._what_if_buttons(profile, moves, t=t)
        elif key == "chart":  # a picture, drawn at the edge; its text says the same in words
            data = chart_data(result, self.eligibility.assess(profile), self.draws, program_routes(t), t)
            return [Reply(data.text(t), chart=data)]
        elif key == "notes":
            texts = _split(self._notes_text(result, today, t, document_notes(answers, today)))
        elif key == "rulechange":
            texts = _split(self._rule_change_text(today, t))
        else:
            texts = [escape(t("That detail is no longer there: /score shows your result."))]
        replies = [Reply(t, html=True) for t in texts]
        replies[-1].buttons = buttons
        return replies

    def what_if(
        self, key: str, answers: dict[str, Any], today: date, language: str | None = None
    ) -> list[Reply] | None:
        """A what-if on a tap (``wi:<key>``), computed on a copy of the profile: the answers are never changed.
        None when the move no longer fits the answers (they changed since the button was made)."""
        t = self.languages.get(language)
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers:
            return None
        if key == PARTNER_KEY:
            swap = partner_as_principal(profile, self.scorer)
            if swap is None:
                return None
            return [Reply(partner_text(swap, t), self._what_if_buttons(profile, None, skip=key, t=t), html=True)]
        if key not in MOVES:
            return None
        known = self.moves(profile)
        move = next((m for m in [*known.ranked, known.birthday] if m is not None and m.key == key), None)
        if move is None or (key != "birthday" and not move.helps):
            return None
        text = what_if_text(move, self.draws, t)
        return [Reply(text, self._what_if_buttons(profile, None, skip=key, t=t), html=True)]

    def what_if_menu(self, answers: dict[str, Any], today: date, note: str, language: str | None = None) -> list[Reply]:
        """The what-ifs that fit the answers as they are now, under ``note`` (a stale button's explanation)."""
        t = self.languages.get(language)
        note = t(note)
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers:
            return [Reply(note)]
        buttons = self._what_if_buttons(profile, None, t=t)
        if not buttons:
            return [Reply(note + t(" No what-if fits your answers now."))]
        return [Reply(note + t(" Here are the ones that fit your answers now."), buttons)]

    def _what_if_buttons(
        self, profile: Profile, moves: list[WhatIf] | None, skip: str = "", t: Translator | None = None
    ) -> list[Button]:
        t = t or _english()
        known = self.moves(profile)
        moves = known.ranked if moves is None else moves
        buttons = [Button(_button_label(m, t), f"wi:{m.key}") for m in moves[:WHAT_IF_BUTTONS] if m.key != skip]
        birthday = known.birthday
        if birthday is not None and birthday.gain != 0 and skip != "birthday":  # a birthday that costs nothing: none
            label = t("What if: {short} ({gain})", short=term(t, birthday.short), gain=_signed(birthday.gain))
            buttons.append(Button(label, "wi:birthday"))
        if profile.scored_with_spouse and skip != PARTNER_KEY:
            buttons.append(Button(t("What if my partner applies as principal?"), f"wi:{PARTNER_KEY}"))
        return buttons

    def _rule_change_text(self, day: date, t: Translator | None = None) -> str:
        t = t or _english()
        changes = self.scorer.book.caveats_for(day)
        if not changes:
            return escape(t("No unconfirmed rule change concerns this date."))
        return "\n\n".join(
            bold(t("Reported rule change ({day}), not confirmed:", day=_day(t, change.reported_effective)))
            + "\n"
            + escape(term(t, change.caveat))
            + "\n"
            + escape(
                t(
                    "What is reported: {what}. Status: {status} (checked {checked}).",
                    what=term(t, change.what),
                    status=term(t, change.status),
                    checked=_day(t, change.checked) if isinstance(change.checked, date) else str(change.checked),
                )
            )
            + "\n"
            + escape(t("Reported by: {sources}", sources="; ".join(term(t, source) for source in change.sources)))
            for change in changes
        )

    def _notes_text(
        self, result: ScoreResult, day: date, t: Translator | None = None, documents: list[Phrase] | None = None
    ) -> str:
        t = t or _english()
        lines = [bold(t("Notes and sources"))]
        if self.scorer.book.caveats_for(day):
            lines.append("\n" + self._rule_change_text(day, t))
        others = [c for c in result.caveats if c not in self._pending_caveats(day)] + list(documents or [])
        lines.extend("\n" + escape(term(t, c)) for c in others)
        lines.append("\n" + escape(_rules_line(t, result, list(result.sources))))
        return "\n".join(lines)

    def dates(self, answers: dict[str, Any], today: date, language: str | None = None) -> list[Reply]:
        """/dates: the next birthdays that change the points, the expiries of results and documents."""
        t = self.languages.get(language)
        try:
            build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(t(str(exc)))]
        return [Reply(dates_text(answers_dates(answers, today, self.scorer), answers, t))]

    @property
    def draws(self) -> Draws:
        return self.eligibility.categories.draws

    def _pending_caveats(self, day: date) -> tuple[str, ...]:
        return tuple(p.caveat for p in self.scorer.book.caveats_for(day))

    def _fresh_pending(self, day: date, seen: list[str] | None, t: Translator | None = None) -> tuple[list[str], bool]:
        """The brief line for an unconfirmed rule change not shown in this chat yet (recorded in ``seen``),
        and whether there is a rule change to tell more about."""
        changes = self.scorer.book.caveats_for(day)
        fresh = [p for p in changes if seen is None or pending_key(p.reported_effective) not in seen]
        if seen is not None:
            seen.extend(pending_key(p.reported_effective) for p in fresh)
        t = t or _english()
        lines = [
            t(
                "a CRS change reported for {day} is not confirmed yet; this uses the rules in force "
                "before it. 'About the rule change' has more.",
                day=_day(t, p.reported_effective),
            )
            for p in fresh
        ]
        return lines, bool(fresh)

    def partial(
        self, answers: dict[str, Any], today: date, seen: list[str] | None = None, language: str | None = None
    ) -> list[Reply]:
        """/score: the breakdown so far (an unconfirmed rule change told once per chat, as in :meth:`final`)."""
        t = self.languages.get(language)
        try:
            profile = build_profile(answers, today)
        except NotEnoughAnswers as exc:
            return [Reply(t(str(exc)))]
        result = self.scorer.score(profile)
        pending, more = self._fresh_pending(today, seen, t)
        text = escape(t("Your result so far (questions not answered yet count as nothing):")) + "\n\n"
        text += score_text(result, skip=self._pending_caveats(today), t=t)
        if pending:
            text += "\n" + bold(t("Note:")) + " " + escape(pending[0])
        buttons = [Button(t("About the rule change"), "res:rulechange")] if more else []
        return [Reply(text, buttons, html=True)]
