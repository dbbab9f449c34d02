"""What if...? A move is a named, sourced change to a Profile, applied to a copy and re-scored.

Nothing here guesses a number: each move builds a changed copy of the profile (the original, and
the answers it came from, are never touched), and the real CRS scorer and eligibility engine score
the copy. A move's time is Maple's own estimate (``data/whatif/moves.json``); the age points lost
meanwhile are computed by scoring the changed profile at the age the person will have by then.

The API (kept stable; other flows use it):

- :data:`MOVE_KEYS`: the kinds of move; a move's key is one of them, ``first:<ability>`` for one
  first-language ability up one level (e.g. ``first:speaking``);
- :func:`what_if` ``(profile, key, scorer=..., eligibility=...)``: one move's :class:`WhatIf`, or
  None when the move does not apply to this profile (an ECA when there is one already);
- :func:`what_ifs` ``(profile, ...)``: every move that helps, ranked (see :func:`rank_key`);
- :func:`next_birthday` ``(profile, ...)``: the points the next birthday costs;
- :func:`partner_as_principal` ``(profile, ...)``: the score with the partner as principal applicant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.crs.scoring import Scorer, default_scorer, shown_decimal
from knowledge.draws.rounds import Draws, RouteRounds
from knowledge.language import ABILITIES, DIRECT_LEVELS, default_language_tables
from knowledge.profile import LanguageResult, Profile, add_years, years_between
from knowledge.programs.eligibility import EligibilityEngine, EligibilityReport
from knowledge.provenance import DATA_DIR
from knowledge.vocabulary import EDUCATION_LABELS, EducationLevel
from knowledge.wording import Fixed, Joined, Phrase, Text

MOVES_FILE = DATA_DIR / "whatif" / "moves.json"
MOVE_KEYS: tuple[str, ...] = (
    "first_test",
    "first",  # first:<ability>
    "first_all",
    "french",
    "eca",
    "partner_eca",
    "partner_test",
    "coq",
    "canadian_year",
    "second_credential",
    "masters",
    "birthday",
)
# moves with a level (a key with parameters; asked in words, never ranked among :func:`what_ifs`):
# ``first_level:<N>`` / ``first_level:<N>:<ability>[,<ability>]`` (the first language's abilities to level N),
# ``second_level:<N>[:<abilities>]`` (the other official language's), ``partner_level:<N>`` (the partner's four)
LEVEL_MOVES: tuple[str, ...] = ("first_level", "second_level", "partner_level")
PROGRAM_LABELS = {"cec": "Canadian Experience Class", "fsw": "Federal Skilled Worker", "fst": "Federal Skilled Trades"}
TOP_LEVEL = 10  # CLB/NCLC 10 is the top of every conversion table
PARTNER_TEST_LEVEL = 7
FIRST_TEST_LEVEL = 7  # the Federal Skilled Worker Program's minimum in all four abilities


class MoveInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    short: str  # for a button, e.g. "French NCLC 7"
    months: int
    source: str
    per_level: bool = False  # months per language level raised (summed over the abilities)


class MoveTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    checked: date
    months_basis: str
    moves: dict[str, MoveInfo]


@lru_cache(maxsize=1)
def move_table(path: Path = MOVES_FILE) -> MoveTable:
    table = MoveTable.model_validate(json.loads(path.read_text(encoding="utf-8")))
    missing = set(MOVE_KEYS) - {"first"} - set(table.moves)
    if missing:
        raise ValueError(f"{path}: no entry for {sorted(missing)}")
    return table


class Route(NamedTuple):
    """One way in (a program's rounds, the all-program rounds, a category's) against the new score."""

    key: str
    label: str  # a program's name, "All-program rounds" or "<category> (category)" (a Phrase)
    rounds: RouteRounds


class WhatIf(BaseModel):
    """One move, computed: the new total, what it opens, and how it fares against the recent rounds."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str  # the button's key, e.g. "eca" or "first:speaking"
    label: Text  # what the move is, e.g. "an Educational Credential Assessment (ECA) of your education"
    short: Text  # the same in a few words, e.g. "an ECA", "speaking CLB 8"
    detail: Text  # the change itself, e.g. "PTE Core speaking 72 -> 76 gives CLB 8"
    source: str
    months: int  # Maple's estimate of the time it takes
    before: int
    after: int  # the new total, on the same date
    by_then: int  # the new total at the age the person will have in ``months``
    eligible_before: list[str]
    eligible_after: list[str]
    grid_before: int | None  # the FSW 67-point grid
    grid_after: int | None
    categories_before: list[str]  # labels of the categories the person fits
    categories_after: list[str]
    routes: list[Route]  # the routes open after the move, against its new total
    profile: Profile  # the changed copy

    @property
    def gain(self) -> int:
        return self.after - self.before

    @property
    def age_points_lost(self) -> int:
        return self.after - self.by_then

    @property
    def net_gain(self) -> int:
        return self.by_then - self.before

    @property
    def opens_programs(self) -> list[str]:
        return [p for p in self.eligible_after if p not in self.eligible_before]

    @property
    def opens_categories(self) -> list[str]:
        return [c for c in self.categories_after if c not in self.categories_before]

    @property
    def unblocks(self) -> bool:
        """The move makes the person eligible for a first program: without one, no round can invite them."""
        return not self.eligible_before and bool(self.eligible_after)

    @property
    def helps(self) -> bool:
        return self.net_gain > 0 or bool(self.opens_programs) or bool(self.opens_categories)


class PartnerSwap(BaseModel):
    """The couple's score with the partner as principal applicant, beside the person's own."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    you: int
    partner: int
    assumptions: list[Text]
    profile: Profile


# --- building changed copies -------------------------------------------------------------------
class Change(NamedTuple):
    data: dict[str, Any]  # the changed profile, as data
    detail: str  # the change in words (a Phrase)
    levels: int = 1  # language levels raised, summed over the abilities (for a per-level time)
    months: int | None = None  # the time, when the move's own table entry does not give it


def _data(profile: Profile) -> dict[str, Any]:
    """The profile as data that validates again (only the fields it was given, plus its date)."""
    data = profile.model_dump(mode="json", exclude_unset=True)
    data["profile_date"] = profile.profile_date.isoformat()
    return data


def _unit(result: LanguageResult) -> str:
    return "NCLC" if result.language == "french" else "CLB"


def _raw_for(result: LanguageResult, ability: str, level: int) -> float:
    """The lowest score of this test that gives ``level`` in ``ability`` (the test's own table)."""
    if result.test in DIRECT_LEVELS:
        return float(level)
    table = default_language_tables().table_for(result.test, result.test_date, result.tef_scale)
    return table.levels[str(level)][ability]


def _shown(result: LanguageResult, value: float) -> Fixed:
    return Fixed(value, 1) if result.test == "ielts" else shown_decimal(value)


def _raised(result: LanguageResult, targets: dict[str, int]) -> tuple[dict[str, Any], list[Phrase], int]:
    """The result's data with some abilities raised to a level; the changes in words; the levels raised."""
    data = result.model_dump(mode="json", exclude_unset=True)
    words = []
    steps = 0
    unit = _unit(result)
    for ability, level in targets.items():
        if result.levels[ability] >= level:
            continue
        raw = _raw_for(result, ability, level)
        data[ability] = raw
        steps += level - max(result.levels[ability], 3)  # below CLB 4 counts from 3
        if result.test in DIRECT_LEVELS:
            words.append(
                Phrase(
                    "{ability} {unit} {before} -> {unit} {level}",
                    ability=ability,
                    unit=unit,
                    before=result.levels[ability],
                    level=level,
                )
            )
        else:
            words.append(
                Phrase(
                    "{test} {ability} {before} -> {after} gives {unit} {level}",
                    test=result.label,
                    ability=ability,
                    before=_shown(result, getattr(result, ability)),
                    after=_shown(result, raw),
                    unit=unit,
                    level=level,
                )
            )
    return data, words, steps


def _first_ability(ability: str) -> Callable[[Profile, Context], Change | None]:
    def change(p: Profile, ctx: Context) -> Change | None:
        first = p.first_language
        if first is None or first.expired_on(p.profile_date) or first.levels[ability] >= TOP_LEVEL:
            return None
        target = max(first.levels[ability] + 1, 4)
        language, words, steps = _raised(first, {ability: target})
        return Change({**_data(p), "first_language": language}, words[0], steps)

    return change


def _first_test(p: Profile, ctx: Context) -> Change | None:
    """No valid first-language result: what a test at CLB 7 in all four abilities would give (every program
    needs a valid result; CLB 7 is the Federal Skilled Worker minimum)."""
    first = p.first_language
    if first is not None and not first.expired_on(p.profile_date):
        return None
    level = FIRST_TEST_LEVEL
    language = {"test": "clb", "listening": level, "reading": level, "writing": level, "speaking": level}
    return Change(
        {**_data(p), "first_language": language},
        Phrase("a language test at CLB {level} in all four abilities", level=level),
    )


def _first_all(p: Profile, ctx: Context) -> Change | None:
    first = p.first_language
    if first is None or first.expired_on(p.profile_date) or first.lowest >= TOP_LEVEL:
        return None
    target = 9 if first.lowest < 9 else TOP_LEVEL
    below = [a for a in ABILITIES if first.levels[a] < target]
    if len(below) == 1 and first.levels[below[0]] == target - 1:
        return None  # the same as raising that one ability one level
    language, words, steps = _raised(first, dict.fromkeys(ABILITIES, target))
    return Change({**_data(p), "first_language": language}, Joined("; ", words), steps)


def _french(p: Profile, ctx: Context) -> Change | None:
    first, second = p.first_language, p.second_language
    if first is None or first.language == "french":
        return None
    data = _data(p)
    if second is None:
        data["second_language"] = {"test": "nclc", "listening": 7, "reading": 7, "writing": 7, "speaking": 7}
        return Change(data, Phrase("NCLC 7 in all four French abilities (a TEF Canada or TCF Canada result)"))
    if second.lowest >= 7 and not second.expired_on(p.profile_date):
        return None
    if second.expired_on(p.profile_date):
        return None  # a new test is needed first: not a what-if of the same result
    data["second_language"], words, steps = _raised(second, dict.fromkeys(ABILITIES, 7))
    months = move_table().moves["first_ability"].months * steps  # a French result raised, as English would be
    return Change(data, Joined("; ", words), steps, months)


def _eca(p: Profile, ctx: Context) -> Change | None:
    if p.education_proof != "none" or p.education == "less_than_secondary":
        return None
    credential = EDUCATION_LABELS[p.education].lower()  # the catalog has each one lower-cased (flows.i18n.extract)
    return Change({**_data(p), "education_proof": "eca"}, Phrase("an ECA of your {credential}", credential=credential))


def _partner_eca(p: Profile, ctx: Context) -> Change | None:
    sp = p.spouse
    if not p.scored_with_spouse or sp is None or sp.education_proof != "none":
        return None
    data = _data(p)
    data["spouse"] = {**data["spouse"], "education_proof": "eca"}
    return Change(data, Phrase("an ECA of your partner's credential"))


def _partner_test(p: Profile, ctx: Context) -> Change | None:
    sp = p.spouse
    if not p.scored_with_spouse or sp is None or sp.language is not None:
        return None
    data = _data(p)
    level = PARTNER_TEST_LEVEL
    data["spouse"] = {
        **data["spouse"],
        "language": {"test": "clb", "listening": level, "reading": level, "writing": level, "speaking": level},
    }
    return Change(data, Phrase("your partner's language test at CLB {level} in all four abilities", level=level))


def _coq(p: Profile, ctx: Context) -> Change | None:
    if p.certificate_of_qualification:
        return None
    trades = [w for w in p.work_periods if w.paid and ctx.eligibility.programs.is_trade(w.noc)]
    if not trades:
        return None
    noc = max(trades, key=lambda w: (w.end or p.profile_date, w.start)).noc
    data = {**_data(p), "certificate_of_qualification": True, "certificate_trade_noc": noc}
    return Change(data, Phrase("a certificate of qualification in NOC {noc} from a province or territory", noc=noc))


def _canadian_year(p: Profile, ctx: Context) -> Change | None:
    data = _data(p)
    if not p.work_periods:
        if p.canadian_work_years <= 0:
            return None  # no job in Canada to go on with
        data["canadian_work_years"] = int(p.canadian_work_years) + 1
        return Change(
            data,
            Phrase(
                "{years} years of Canadian work instead of {now}",
                years=int(p.canadian_work_years) + 1,
                now=shown_decimal(p.canadian_years),
            ),
        )
    ongoing = [i for i, w in enumerate(p.work_periods) if w.in_canada and w.end is None and w.skilled and w.paid]
    if not ongoing:
        return None
    index = max(ongoing, key=lambda i: p.work_periods[i].start)
    job = p.work_periods[index]
    periods = list(data["work_periods"])
    periods[index] = {**periods[index], "start": add_years(job.start, -1).isoformat()}
    data["work_periods"] = periods
    return Change(data, Phrase("your job in NOC {noc} one more year (the hours you will have in a year)", noc=job.noc))


# a move one step up from where the person is (a master's after a first degree, not after secondary school)
EDUCATION_STEPS: dict[str, tuple[EducationLevel, ...]] = {
    "two_or_more": ("one_year", "two_year", "bachelors"),
    "masters": ("bachelors", "two_or_more"),
}


def _education_to(level: str) -> Callable[[Profile, Context], Change | None]:
    def change(p: Profile, ctx: Context) -> Change | None:
        if p.education not in EDUCATION_STEPS[level]:
            return None
        data = {**_data(p), "education": level}
        label = Phrase(move_table().moves["masters" if level == "masters" else "second_credential"].label)
        if p.education_proof == "none":
            data["education_proof"] = "eca"  # the new credential, assessed (or Canadian)
            label = Phrase(
                "{move}, Canadian or with an ECA (your present credential has none: an ECA alone is a separate move)",
                move=label,
            )
        return Change(data, label)

    return change


def _birthday(p: Profile, ctx: Context) -> Change | None:
    data = _aged(p, 1)
    if data is None:
        return None
    on = add_years(p.date_of_birth, p.age_on_date + 1) if p.date_of_birth else None
    age = p.age_on_date + 1
    return Change(
        data,
        Phrase("you turn {age} on {day}", age=age, day=on)
        if on
        else Phrase("you turn {age} (in a year at most)", age=age),
    )


def _language_to(which: str, level: int, abilities: tuple[str, ...]) -> Callable[[Profile, Context], Change | None]:
    """A language result's ``abilities`` raised to ``level`` (``which``: first, second or partner); with no valid
    result, a test at that level in all four (CLB, or NCLC for the second language). None when nothing rises."""

    def change(p: Profile, ctx: Context) -> Change | None:
        data = _data(p)
        if which == "partner":
            if not p.scored_with_spouse or p.spouse is None:
                return None
            result = p.spouse.language
        else:
            result = p.first_language if which == "first" else p.second_language
        if result is None or result.expired_on(p.profile_date):
            if abilities != ABILITIES:
                return None  # one ability of a test not taken: the others' levels are not known
            first = p.first_language
            french = which == "second" and (first is None or first.language != "french")  # the other language
            language: dict[str, Any] = {"test": "nclc" if french else "clb", **dict.fromkeys(ABILITIES, level)}
            unit = "NCLC" if french else "CLB"
            detail: Text = Phrase("a test at {unit} {level} in all four abilities", unit=unit, level=level)
            months: int | None = move_table().moves["first_test"].months  # a test taken, as for a first test
            steps = 1
        else:
            months = None
            if all(result.levels[a] >= level for a in abilities):
                return None
            language, words, steps = _raised(result, dict.fromkeys(abilities, level))
            detail = Joined("; ", words)
        if which == "partner":
            data["spouse"] = {**data["spouse"], "language": language}
        else:
            data[f"{which}_language"] = language
        return Change(data, detail, steps, months)

    return change


def level_key(which: str, level: int, abilities: tuple[str, ...] = ABILITIES) -> str:
    """The key of a move with a level (see :data:`LEVEL_MOVES`)."""
    key = f"{which}_level:{level}"
    return key if tuple(abilities) == tuple(ABILITIES) else f"{key}:{','.join(abilities)}"


def _level_parts(key: str) -> tuple[str, int, tuple[str, ...]] | None:
    """(which, level, abilities) of a key with a level, or None when it is not one (or not a valid one)."""
    name, _, rest = key.partition(":")
    if name not in LEVEL_MOVES or not rest:
        return None
    level_text, _, names = rest.partition(":")
    if not level_text.isdigit() or not 4 <= int(level_text) <= TOP_LEVEL:
        return None
    abilities = tuple(names.split(",")) if names else tuple(ABILITIES)
    if not set(abilities) <= set(ABILITIES) or (name == "partner_level" and abilities != tuple(ABILITIES)):
        return None
    return name.removesuffix("_level"), int(level_text), abilities


def _move(key: str) -> Callable[[Profile, Context], Change | None] | None:
    parts = _level_parts(key)
    return MOVES.get(key) if parts is None else _language_to(*parts)


class Context(NamedTuple):
    scorer: Scorer
    eligibility: EligibilityEngine


MOVES: dict[str, Callable[[Profile, Context], Change | None]] = {
    "first_test": _first_test,
    **{f"first:{a}": _first_ability(a) for a in ABILITIES},
    "first_all": _first_all,
    "french": _french,
    "eca": _eca,
    "partner_eca": _partner_eca,
    "partner_test": _partner_test,
    "coq": _coq,
    "canadian_year": _canadian_year,
    "second_credential": _education_to("two_or_more"),
    "masters": _education_to("masters"),
    "birthday": _birthday,
}


def _info(key: str) -> MoveInfo:
    parts = _level_parts(key)
    if parts is not None:
        return move_table().moves[f"{parts[0]}_level" + ("" if parts[2] == tuple(ABILITIES) else "_ability")]
    return move_table().moves["first_ability" if key.startswith("first:") else key]


def _labels(key: str, p: Profile) -> tuple[Phrase, Phrase]:
    """The move's label and short label, for this person (their first language, the level it reaches)."""
    info = _info(key)
    parts = _level_parts(key)
    if parts is not None:
        which, asked, abilities = parts
        result = {"first": p.first_language, "second": p.second_language}.get(which)
        if which == "partner":
            result = p.spouse.language if p.spouse is not None else None
        french = result.language == "french" if result is not None else which == "second"
        names = {"language": "French" if french else "English", "unit": "NCLC" if french else "CLB"}
        names |= {"level": asked, "ability": abilities[0] if len(abilities) == 1 else Joined(", ", abilities)}
        return Phrase(info.label, **names), Phrase(info.short, **names)
    first = p.first_language
    language = "French" if first is not None and first.language == "french" else "English"
    unit = "NCLC" if language == "French" else "CLB"
    level = 9 if first is None or first.lowest < 9 else TOP_LEVEL
    ability = ""
    if key.startswith("first:") and first is not None:
        ability = key.split(":", 1)[1]
        level = max(first.levels[ability] + 1, 4)
    words = {"language": language, "unit": unit, "level": level, "ability": ability}
    # the templates are data (moves.json): flows.i18n.extract lists them for the catalog
    return Phrase(info.label, **words), Phrase(info.short, **words)


# --- age -------------------------------------------------------------------------------------
def _birthdays_within(p: Profile, months: int) -> int:
    """How many birthdays fall in the next ``months`` (an age without a date of birth: one a year)."""
    if months <= 0:
        return 0
    if p.date_of_birth is None:
        return months // 12
    return max(0, years_between(p.date_of_birth, _months_after(p.profile_date, months)) - p.age_on_date)


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _aged(p: Profile, years: int) -> dict[str, Any] | None:
    """The profile's data with the person ``years`` older on the same date (only the age changes)."""
    data = _data(p)
    if p.date_of_birth is not None:
        data["date_of_birth"] = add_years(p.date_of_birth, -years).isoformat()
    else:
        data["age"] = p.age_on_date + years
    try:
        Profile.model_validate(data)
    except ValidationError:
        return None
    return data


# --- computing -------------------------------------------------------------------------------
def _fits(report: EligibilityReport) -> list[str]:
    return [f.label for f in (report.categories.fits if report.categories else []) if f.fits]


def routes(report: EligibilityReport, draws: Draws, total: int) -> list[Route]:
    """The routes a report opens (each eligible program, the all-program rounds, the categories it fits)
    against ``total``, over the 12 months before the report's date."""
    day = report.profile_date
    out = [
        Route(p, PROGRAM_LABELS[p], draws.program_route(p, day, total))
        for p in report.eligible_programs
        if p in PROGRAM_LABELS
    ]
    if report.eligible_programs:
        out.append(Route("all", Phrase("All-program rounds"), draws.program_route("all", day, total)))
        for fit in report.categories.fits if report.categories else []:
            if fit.fits:
                label = Phrase("{label} (category)", label=fit.label)
                out.append(Route(fit.key, label, draws.category_route(fit.key, day, total)))
    return out


def _grid(report: EligibilityReport) -> int | None:
    return next((v.grid.total for v in report.programs if v.program == "fsw" and v.grid is not None), None)


class _Base(NamedTuple):
    total: int
    report: EligibilityReport


def _compute(profile: Profile, key: str, ctx: Context, base: _Base, draws: Draws) -> WhatIf | None:
    move = _move(key)
    if move is None:
        return None
    found = move(profile, ctx)
    if found is None:
        return None
    try:
        changed = Profile.model_validate(found.data)
    except ValidationError:
        return None
    info = _info(key)
    label, short = _labels(key, profile)
    after = ctx.scorer.score(changed).total
    months = found.months if found.months is not None else info.months * (found.levels if info.per_level else 1)
    birthdays = 0 if key == "birthday" else _birthdays_within(profile, months)
    aged = _aged(changed, birthdays) if birthdays else None
    by_then = ctx.scorer.score(Profile.model_validate(aged)).total if aged is not None else after
    report = ctx.eligibility.assess(changed)
    return WhatIf(
        key=key,
        label=label,
        short=short,
        detail=found.detail,
        source=info.source,
        months=months,
        before=base.total,
        after=after,
        by_then=by_then,
        eligible_before=base.report.eligible_programs,
        eligible_after=report.eligible_programs,
        grid_before=_grid(base.report),
        grid_after=_grid(report),
        categories_before=_fits(base.report),
        categories_after=_fits(report),
        routes=routes(report, draws, after),
        profile=changed,
    )


def _context(scorer: Scorer | None, eligibility: EligibilityEngine | None) -> Context:
    return Context(scorer or default_scorer(), eligibility or EligibilityEngine())


def _base(profile: Profile, ctx: Context) -> _Base:
    return _Base(ctx.scorer.score(profile).total, ctx.eligibility.assess(profile))


def what_if(
    profile: Profile,
    key: str,
    scorer: Scorer | None = None,
    eligibility: EligibilityEngine | None = None,
    draws: Draws | None = None,
) -> WhatIf | None:
    """One move (a key of :data:`MOVES`), computed on a copy of ``profile``; None if it does not apply."""
    ctx = _context(scorer, eligibility)
    return _compute(profile, key, ctx, _base(profile, ctx), draws or ctx.eligibility.categories.draws)


def rank_key(w: WhatIf) -> tuple[int, int, int, str]:
    """Blockers first, the quickest first (a move that makes the person eligible for a first program: without
    one no round can invite them); then the points by the time the move is done (the age points lost meanwhile
    taken off), the quicker move first on a tie."""
    if w.unblocks:
        return (0, w.months, -w.net_gain, w.key)
    return (1, -w.net_gain, w.months, w.key)


def what_ifs(
    profile: Profile,
    scorer: Scorer | None = None,
    eligibility: EligibilityEngine | None = None,
    draws: Draws | None = None,
    limit: int | None = None,
) -> list[WhatIf]:
    """Every move that helps this person (points, a program or a category), ranked by :func:`rank_key`."""
    ctx = _context(scorer, eligibility)
    base = _base(profile, ctx)
    draws = draws or ctx.eligibility.categories.draws
    found = []
    for key in MOVES:
        if key == "birthday":
            continue
        outcome = _compute(profile, key, ctx, base, draws)
        if outcome is not None and outcome.helps:
            found.append(outcome)
    found.sort(key=rank_key)
    return found[:limit] if limit is not None else found


def next_birthday(
    profile: Profile,
    scorer: Scorer | None = None,
    eligibility: EligibilityEngine | None = None,
    draws: Draws | None = None,
) -> WhatIf | None:
    """The next birthday's what-if (its ``gain`` is the age points it costs, 0 or less)."""
    return what_if(profile, "birthday", scorer, eligibility, draws)


def partner_as_principal(profile: Profile, scorer: Scorer | None = None) -> PartnerSwap | None:
    """The couple with the partner as principal applicant and the person as the accompanying partner.

    Maple asks less about the partner: their age is taken as the person's, and they are counted with no
    foreign work, no second language, no job offer, no nomination and no Canadian study (the assumptions
    are listed with the result). Only for a partner who counts (accompanying, not Canadian).
    """
    sp = profile.spouse
    if not profile.scored_with_spouse or sp is None:
        return None
    scorer = scorer or default_scorer()
    data: dict[str, Any] = {
        "profile_date": profile.profile_date.isoformat(),
        "age": profile.age_on_date,
        "marital_status": profile.marital_status,
        "education": sp.education,
        "canadian_work_years": sp.canadian_work_years,
        "sibling_in_canada": profile.sibling_in_canada,  # a sibling of either partner counts
        "spouse": {
            "education": profile.education,
            "canadian_work_years": profile.canadian_years,
            "canadian_study_two_years": profile.canadian_study_two_years,
        },
    }
    if sp.education_proof is not None:
        data["education_proof"] = sp.education_proof
    if profile.education_proof is not None:
        data["spouse"]["education_proof"] = profile.education_proof
    if sp.language is not None:
        data["first_language"] = sp.language.model_dump(mode="json", exclude_unset=True)
    if profile.first_language is not None:
        data["spouse"]["language"] = profile.first_language.model_dump(mode="json", exclude_unset=True)
    try:
        swapped = Profile.model_validate(data)
    except ValidationError:
        return None
    assumptions: list[Text] = [
        Phrase("your partner's age is not asked: counted as yours ({age})", age=profile.age_on_date),
        Phrase("no foreign work, second language, job offer, nomination or Canadian study counted for your partner"),
    ]
    if profile.second_language is not None:
        assumptions.append(Phrase("your second language earns nothing as the accompanying partner"))
    return PartnerSwap(
        you=scorer.score(profile).total, partner=scorer.score(swapped).total, assumptions=assumptions, profile=swapped
    )
