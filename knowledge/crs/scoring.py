"""The CRS scoring engine: a profile in, the total and an explained breakdown out.

The tables come from the dated rule sets (``knowledge.crs.rules``); this module holds only the order of
the sections, the tier logic and the caps.

Scoring runs in two steps that share one source of points:
1. ``_points`` looks every factor up in the tables and returns the points as a tuple of integers
   (fast: this is all that totals, rankings and "what would raise my score" need);
2. ``_explain`` turns those same points into labelled lines with their reasons, on first access
   of ``ScoreResult.sections``. Every cap that bites appears there as a negative "cap" line, so the
   lines of a result always add up to its total.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from knowledge.crs.rules import LanguageTable, RuleBook, RuleSet, YearsTable, default_rule_book
from knowledge.language import ABILITIES, DIRECT_LEVELS, LanguageTest
from knowledge.profile import LanguageResult, Profile
from knowledge.programs.coq import CoqList, default_coq_list
from knowledge.vocabulary import CANADIAN_STUDY_LABELS, EDUCATION_LABELS
from knowledge.wording import Fixed, Phrase

MAX_LEVEL = 12
SECTION_KEYS = ("core", "spouse", "transferability", "additional")


class Factor(NamedTuple):
    """One line of the breakdown."""

    key: str
    label: str
    points: int
    maximum: int
    detail: str


class Section(NamedTuple):
    key: str
    label: str
    points: int
    cap: int
    factors: tuple[Factor, ...]


class Points(NamedTuple):
    """Every factor's points, before section caps, in a fixed order."""

    age: int
    education: int
    first: tuple[int, int, int, int]
    second: tuple[int, int, int, int]
    canadian_work: int
    spouse_education: int
    spouse_language: tuple[int, int, int, int]
    spouse_work: int
    education_x_language: int
    education_x_canadian_work: int
    foreign_x_language: int
    foreign_x_canadian_work: int
    certificate: int
    nomination: int
    sibling: int
    french: int
    canadian_study: int
    arranged_employment: int
    certificate_listed: bool = True


class ScoreResult:
    """The total, the four section totals, and (built on first use) the explained lines."""

    __slots__ = ("_compiled", "_points", "_sections", "caveats", "profile", "section_points", "total")

    def __init__(
        self,
        profile: Profile,
        compiled: CompiledRules,
        points: Points,
        section_points: tuple[int, int, int, int],
        caveats: tuple[str, ...],
    ) -> None:
        self.profile = profile
        self._compiled = compiled
        self._points = points
        self.section_points = section_points
        self.total = min(sum(section_points), compiled.rs.max_total)
        self.caveats = caveats
        self._sections: tuple[Section, ...] | None = None

    @property
    def sections(self) -> tuple[Section, ...]:
        if self._sections is None:
            self._sections = _explain(self._compiled, self.profile, self._points)
        return self._sections

    @property
    def max_total(self) -> int:
        return self._compiled.rs.max_total

    @property
    def profile_date(self) -> date:
        return self.profile.profile_date

    @property
    def age(self) -> int:
        return self.profile.age_on_date

    @property
    def scored_as(self) -> str:
        return "with_spouse" if self.profile.scored_with_spouse else "single"

    @property
    def rule_set(self) -> str:
        return self._compiled.rs.id

    @property
    def rule_set_label(self) -> str:
        return self._compiled.rs.label

    @property
    def rules_effective_from(self) -> date:
        return self._compiled.rs.effective_from

    @property
    def rules_checked(self) -> date:
        return self._compiled.rs.checked

    @property
    def sources(self) -> tuple[str, ...]:
        return self._compiled.sources

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def factor(self, key: str) -> Factor:
        for section in self.sections:
            for factor in section.factors:
                if factor.key == key:
                    return factor
        raise KeyError(key)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (dates as ISO strings)."""
        return {
            "total": self.total,
            "max_total": self.max_total,
            "profile_date": self.profile_date.isoformat(),
            "age": self.age,
            "scored_as": self.scored_as,
            "rule_set": self.rule_set,
            "rule_set_label": self.rule_set_label,
            "rules_effective_from": self.rules_effective_from.isoformat(),
            "rules_checked": self.rules_checked.isoformat(),
            "sources": list(self.sources),
            "sections": [
                {
                    "key": s.key,
                    "label": s.label,
                    "points": s.points,
                    "cap": s.cap,
                    "factors": [f._asdict() for f in s.factors],
                }
                for s in self.sections
            ],
            "caveats": list(self.caveats),
        }


def _by_level(table: LanguageTable, column: str) -> tuple[tuple[int, str], ...]:
    """(points, band label and closing parenthesis) for each level 0..12."""
    out = []
    for level in range(MAX_LEVEL + 1):
        for band in table.bands:
            if band.clb_min <= level and (band.clb_max is None or level <= band.clb_max):
                out.append((getattr(band, column), band.label + ")"))
                break
    return tuple(out)


def _by_years(table: YearsTable, column: str) -> tuple[tuple[int, str], ...]:
    """(points, row label) for 0..N whole years; the last entry covers N or more."""
    top = max(r.years_min for r in table.rows)
    out = []
    for years in range(top + 1):
        for row in table.rows:
            if row.years_min <= years and (row.years_max is None or years <= row.years_max):
                out.append((getattr(row, column), row.label))
                break
    return tuple(out)


class CompiledRules:
    """One rule set turned into direct look-ups (built once per rule set)."""

    def __init__(self, rs: RuleSet) -> None:
        self.rs = rs
        core = rs.core
        self.core_cap = (core.cap.without_spouse, core.cap.with_spouse)
        self.age = {flag: {row.age: row.pick(flag) for row in core.age} for flag in (False, True)}
        self.age_max = {flag: max(ages.values()) for flag, ages in self.age.items()}
        self.education = {row.key: row for row in core.education}
        self.education_max = {flag: max(r.pick(flag) for r in core.education) for flag in (False, True)}
        self.first = {
            flag: _by_level(core.first_language, "with_spouse" if flag else "without_spouse") for flag in (False, True)
        }
        self.second = {
            flag: _by_level(core.second_language, "with_spouse" if flag else "without_spouse") for flag in (False, True)
        }
        cap2 = core.second_language.cap
        assert not isinstance(cap2, int)
        self.second_cap = {False: cap2.without_spouse, True: cap2.with_spouse}
        self.canadian_work = {
            flag: _by_years(core.canadian_work, "with_spouse" if flag else "without_spouse") for flag in (False, True)
        }
        sp = rs.spouse
        self.spouse_cap = sp.cap
        self.spouse_education = sp.education.points_by_level
        self.spouse_education_max = max(self.spouse_education.values())
        self.spouse_language = _by_level(sp.first_language, "points")
        self.spouse_work = _by_years(sp.canadian_work, "points")
        groups = rs.transferability.groups
        self.tr_cap = rs.transferability.cap
        self.edu_lang = groups["education"].combinations["education_x_language"]
        self.edu_cdn = groups["education"].combinations["education_x_canadian_work"]
        self.edu_cap = groups["education"].cap
        self.fw_lang = groups["foreign_work"].combinations["foreign_work_x_language"]
        self.fw_cdn = groups["foreign_work"].combinations["foreign_work_x_canadian_work"]
        self.fw_cap = groups["foreign_work"].cap
        self.coq = groups["certificate_of_qualification"].combinations["coq_x_language"]
        self.coq_cap = groups["certificate_of_qualification"].cap
        self.items = rs.additional.items
        self.item_points = {key: item.points for key, item in rs.additional.items.items()}
        self.education_points = {flag: {row.key: row.pick(flag) for row in core.education} for flag in (False, True)}
        self.education_tier = {row.key: row.transferability_tier for row in core.education}
        self.additional_cap = rs.additional.cap
        self.sources = tuple(s.url for s in rs.sources)


class Scorer:
    """Scores profiles against an injected rule book."""

    def __init__(self, book: RuleBook, coq: CoqList | None = None) -> None:
        self.book = book
        self.coq = coq or default_coq_list()
        self._compiled = {rs.id: CompiledRules(rs) for rs in book.rule_sets}
        self._by_day: dict[date, tuple[CompiledRules, tuple[str, ...]]] = {}

    def rules_for(self, day: date) -> CompiledRules:
        return self._for_day(day)[0]

    def _for_day(self, day: date) -> tuple[CompiledRules, tuple[str, ...]]:
        found = self._by_day.get(day)
        if found is None:
            compiled = self._compiled[self.book.for_date(day).id]
            pending = tuple(p.caveat for p in self.book.caveats_for(day))
            if len(self._by_day) > 4096:
                self._by_day.clear()
            found = self._by_day[day] = (compiled, pending)
        return found

    def with_nomination(self, profile: Profile) -> int:
        """The total ``profile`` would have with a provincial nomination (+600 within the additional points' cap)."""
        if profile.provincial_nomination:
            return self.score(profile).total
        data = profile.model_dump(mode="json", exclude_unset=True)
        return self.score(Profile.model_validate({**data, "provincial_nomination": True})).total

    def score(self, profile: Profile) -> ScoreResult:
        compiled, pending = self._for_day(profile.profile_date)
        coq = (
            self.coq.check(profile.certificate_trade_noc, profile.profile_date)
            if profile.certificate_trade_noc
            else None
        )
        points = _points(compiled, profile, coq is None or coq.earns_points)
        caveats = pending + _language_caveats(profile) if profile.has_dated_results else pending
        if coq is not None and not coq.earns_points:
            caveats += (Phrase("{reason}: it earns no CRS points.", reason=coq.reason),)
        return ScoreResult(profile, compiled, points, _section_totals(compiled, profile, points), caveats)


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    return Scorer(default_rule_book())


def score(profile: Profile, scorer: Scorer | None = None) -> ScoreResult:
    """The CRS score of ``profile`` under the rules in force on its date."""
    return (scorer or default_scorer()).score(profile)


# --- step 1: points -------------------------------------------------------------------------
_NO_LANGUAGE = (0, 0, 0, 0)


def _language_points(result: LanguageResult | None, table: tuple[tuple[int, str], ...]) -> tuple[int, int, int, int]:
    if result is None:
        return _NO_LANGUAGE
    a, b, c, d = result.capped_levels
    return table[a][0], table[b][0], table[c][0], table[d][0]


def _points(c: CompiledRules, p: Profile, certificate_counts: bool = True) -> Points:
    on = p.scored_with_spouse
    first = p.first_language
    lang = _language_tier(first)
    cdn = _canadian_tier(p.canadian_years)
    edu_tier = c.education_tier[p.scored_education]
    fw_tier = _foreign_tier(p.foreign_years)
    coq_tier = _coq_tier(first)
    work = c.canadian_work[on]
    sp = p.spouse if on else None
    items = c.item_points
    french = _french_item(p)
    study = _STUDY_ITEM.get(p.canadian_study)
    arranged = _ARRANGED_ITEM.get(p.arranged_employment)
    return Points(
        c.age[on][min(max(p.age_on_date, 17), 45)],
        c.education_points[on][p.scored_education],
        _language_points(first, c.first[on]),
        _language_points(p.second_language, c.second[on]),
        work[min(int(p.canadian_years), len(work) - 1)][0],
        c.spouse_education[sp.scored_education] if sp else 0,
        _language_points(sp.language, c.spouse_language) if sp else _NO_LANGUAGE,
        c.spouse_work[min(int(sp.canadian_work_years), len(c.spouse_work) - 1)][0] if sp else 0,
        c.edu_lang[edu_tier][lang] if lang else 0,
        c.edu_cdn[edu_tier][cdn] if cdn else 0,
        c.fw_lang[fw_tier][lang] if lang else 0,
        c.fw_cdn[fw_tier][cdn] if cdn else 0,
        c.coq["has_coq" if p.certificate_of_qualification and certificate_counts else "no_coq"][coq_tier]
        if coq_tier
        else 0,
        items["provincial_nomination"] if p.provincial_nomination else 0,
        items["sibling_in_canada"] if p.sibling_in_canada else 0,
        items[french] if french else 0,
        items[study] if study else 0,
        items.get(arranged, 0) if arranged else 0,
        certificate_counts,
    )


def _section_totals(c: CompiledRules, p: Profile, t: Points) -> tuple[int, int, int, int]:
    on = p.scored_with_spouse
    second = min(sum(t.second), c.second_cap[on])
    core = min(t.age + t.education + sum(t.first) + second + t.canadian_work, c.core_cap[1 if on else 0])
    spouse = min(t.spouse_education + sum(t.spouse_language) + t.spouse_work, c.spouse_cap)
    transfer = min(
        min(t.education_x_language + t.education_x_canadian_work, c.edu_cap)
        + min(t.foreign_x_language + t.foreign_x_canadian_work, c.fw_cap)
        + min(t.certificate, c.coq_cap),
        c.tr_cap,
    )
    additional = min(t.nomination + t.sibling + t.french + t.canadian_study + t.arranged_employment, c.additional_cap)
    return core, spouse, transfer, additional


def _language_tier(result: LanguageResult | None) -> str | None:
    low = result.lowest if result else 0
    return "clb9" if low >= 9 else "clb7" if low >= 7 else None


def _coq_tier(result: LanguageResult | None) -> str | None:
    low = result.lowest if result else 0
    return "coq_clb7" if low >= 7 else "coq_clb5" if low >= 5 else None


def _canadian_tier(years: float) -> str | None:
    whole = int(years)
    return "two_plus" if whole >= 2 else "one" if whole == 1 else None


def _foreign_tier(years: float) -> str:
    whole = int(years)
    return "three_plus" if whole >= 3 else "one_or_two" if whole >= 1 else "none"


_TIER_TEXT: dict[str | None, str] = {
    "clb9": "CLB 9+ in all four abilities",
    "clb7": "CLB 7+ in all four, one or more under 9",
    "coq_clb7": "CLB 7+ in all four abilities",
    "coq_clb5": "CLB 5+ in all four, one or more under 7",
    "one": "1 year of Canadian work",
    "two_plus": "2+ years of Canadian work",
    "none": "no foreign work",
    "one_or_two": "1-2 years of foreign work",
    "three_plus": "3+ years of foreign work",
    "secondary_or_less": "secondary school or less",
    "one_credential_1yr_plus": "one post-secondary credential of 1+ years",
    "two_plus_or_masters_or_phd": "two+ credentials (one of 3+ years), master's or PhD",
}


_BELOW = {
    "language": "language below CLB 7 in some ability",
    "canadian": "less than 1 year of Canadian work",
    "coq": "language below CLB 5 in some ability",
}


def _french_item(p: Profile) -> str | None:
    """Which French-bonus item applies: NCLC 7+ in all four French abilities, then English decides."""
    french = p.french_result
    if french is None or french.lowest < 7:
        return None
    english = p.english_result
    if english is not None and english.lowest >= 5:
        return "french_nclc7_english_clb5_all"
    return "french_nclc7_english_clb4_or_less_or_none"


_STUDY_ITEM = {
    "one_or_two_years": "canadian_post_secondary_1_or_2_years",
    "three_plus_years": "canadian_post_secondary_3_plus_years",
}
_ARRANGED_ITEM = {
    "teer0_major_group_00": "arranged_employment_teer0_major_group_00",
    "other_teer_0_1_2_3": "arranged_employment_other_teer_0_1_2_3",
}


# --- step 2: explanation ----------------------------------------------------------------------


def _explain(c: CompiledRules, p: Profile, t: Points) -> tuple[Section, ...]:
    return (_core(c, p, t), _spouse(c, p, t), _transferability(c, p, t), _additional(c, p, t))


def _capped(key: str, label: str, factors: list[Factor], cap: int) -> Section:
    raw = sum(f.points for f in factors)
    if raw > cap:
        factors.append(Factor(key + "_cap", _cap_label(label), cap - raw, 0, _capped_text(raw, cap)))
        raw = cap
    return Section(key, label, raw, cap, tuple(factors))


def _cap_label(label: str) -> Phrase:
    return Phrase("{label} cap", label=label)


def _capped_text(raw: int, cap: int) -> Phrase:
    return Phrase("{raw} capped at {cap}", raw=raw, cap=cap)


def shown_decimal(value: float) -> Fixed:
    """A figure as ``{value:g}`` writes it (2.5, 3), kept as a decimal for the language's comma."""
    shown = f"{value:g}"
    return Fixed(value, len(shown.partition(".")[2]) if "e" not in shown else 0)


def _years_text(years: float) -> Phrase:
    whole = int(years)
    text = Phrase("{years} year", years=whole) if whole == 1 else Phrase("{years} years", years=whole)
    if years == whole:
        return text
    return Phrase("{years} ({exact} years worked; only whole years count)", years=text, exact=Fixed(years, 2))


def _years_and_band(years: float, band: str) -> Phrase:
    """The years counted and the grid's row, the row left out when it says the same ("1 year (1 year)")."""
    text = _years_text(years)
    whole = Phrase("{years} year", years=int(years)) if int(years) == 1 else Phrase("{years} years", years=int(years))
    return text if band == str(whole) else Phrase("{years} ({band})", years=text, band=band)


def _level_text(result: LanguageResult, ability: str, level: int, band: str) -> Phrase:
    """How the score reads, e.g. "IELTS General Training 8.0 = CLB 9 (band: CLB 9)" (as ``level_texts``)."""
    unit = "NCLC" if result.language == "french" else "CLB"
    shown = Phrase("{unit} {level}", unit=unit, level=level) if level >= 4 else Phrase("below {unit} 4", unit=unit)
    if result.test in DIRECT_LEVELS:
        return Phrase("{level} (band: {band})", level=shown, band=band)
    value = getattr(result, ability)
    score = Fixed(value, 1) if result.test == LanguageTest.IELTS else shown_decimal(value)
    return Phrase("{test} {score} = {level} (band: {band})", test=result.label, score=score, level=shown, band=band)


def _language_lines(
    prefix: str,
    title: str,
    result: LanguageResult | None,
    table: tuple[tuple[int, str], ...],
    points: tuple[int, int, int, int],
) -> list[Factor]:
    top = table[-1][0]
    if result is None:
        return [Factor(prefix, title, 0, 4 * top, Phrase("no test result"))]
    return [
        Factor(
            f"{prefix}_{ability}",
            f"{title}: {ability}",
            pts,
            top,
            _level_text(result, ability, shown_level, table[level][1][:-1]),
        )
        for ability, pts, level, shown_level in zip(
            ABILITIES, points, result.capped_levels, result.level_tuple, strict=True
        )
    ]


def _education_text(p: Profile) -> str:
    if p.scored_education != p.education:
        return Phrase("{level}, but foreign education needs an ECA to earn points", level=EDUCATION_LABELS[p.education])
    return EDUCATION_LABELS[p.education]


def _core(c: CompiledRules, p: Profile, t: Points) -> Section:
    on = p.scored_with_spouse
    factors = [
        Factor(
            "age",
            "Age",
            t.age,
            c.age_max[on],
            Phrase("{age} years old on {day}", age=p.age_on_date, day=p.profile_date),
        ),
        Factor("education", "Level of education", t.education, c.education_max[on], _education_text(p)),
    ]
    factors += _language_lines("first_language", "First official language", p.first_language, c.first[on], t.first)
    factors += _language_lines("second_language", "Second official language", p.second_language, c.second[on], t.second)
    second_raw, cap2 = sum(t.second), c.second_cap[on]
    if second_raw > cap2:
        factors.append(
            Factor("second_language_cap", "Second language cap", cap2 - second_raw, 0, _capped_text(second_raw, cap2))
        )
    work = c.canadian_work[on]
    label = work[min(int(p.canadian_years), len(work) - 1)][1]
    factors.append(
        Factor(
            "canadian_work",
            "Canadian work experience",
            t.canadian_work,
            work[-1][0],
            _years_and_band(p.canadian_years, label),
        )
    )
    return _capped("core", "Core / human capital", factors, c.core_cap[1 if on else 0])


def _spouse(c: CompiledRules, p: Profile, t: Points) -> Section:
    sp = p.spouse
    if not p.scored_with_spouse or sp is None:
        if sp is None:
            why = Phrase("no spouse or common-law partner: scored as single")
        elif sp.canadian_citizen_or_pr:
            why = Phrase("your partner is a Canadian citizen or permanent resident: scored as single")
        else:
            why = Phrase("your partner is not coming with you to Canada: scored as single")
        return Section(
            "spouse",
            "Spouse or common-law partner",
            0,
            c.spouse_cap,
            (Factor("spouse_not_applicable", "Not applicable", 0, 0, why),),
        )
    factors = [
        Factor(
            "spouse_education",
            "Spouse's education",
            t.spouse_education,
            c.spouse_education_max,
            Phrase("{level}, but foreign education needs an ECA to earn points", level=EDUCATION_LABELS[sp.education])
            if sp.scored_education != sp.education
            else EDUCATION_LABELS[sp.education],
        )
    ]
    factors += _language_lines(
        "spouse_language", "Spouse's first official language", sp.language, c.spouse_language, t.spouse_language
    )
    label = c.spouse_work[min(int(sp.canadian_work_years), len(c.spouse_work) - 1)][1]
    factors.append(
        Factor(
            "spouse_canadian_work",
            "Spouse's Canadian work experience",
            t.spouse_work,
            c.spouse_work[-1][0],
            _years_and_band(sp.canadian_work_years, label),
        )
    )
    return _capped("spouse", "Spouse or common-law partner", factors, c.spouse_cap)


def _tier_text(tier: str | None, below: str) -> str:
    return _TIER_TEXT[tier] if tier is not None else _BELOW[below]


def _group_lines(cap_key: str, cap_label: str, factors: list[Factor], cap: int) -> list[Factor]:
    raw = sum(f.points for f in factors)
    if raw > cap:
        factors.append(Factor(cap_key, cap_label, cap - raw, 0, _capped_text(raw, cap)))
    return factors


def _transferability(c: CompiledRules, p: Profile, t: Points) -> Section:
    lang = _tier_text(_language_tier(p.first_language), "language")
    cdn = _tier_text(_canadian_tier(p.canadian_years), "canadian")
    edu = _TIER_TEXT[c.education[p.scored_education].transferability_tier]
    fw = _TIER_TEXT[_foreign_tier(p.foreign_years)]
    coq = Phrase("no certificate of qualification")
    if p.certificate_of_qualification:
        coq = (
            Phrase("certificate of qualification")
            if t.certificate_listed
            else Phrase("certificate in NOC {noc}, not a trade on IRCC's list", noc=str(p.certificate_trade_noc))
        )
    factors = _group_lines(
        "education_group_cap",
        "Education combinations cap",
        [
            Factor("education_x_language", "Education + language", t.education_x_language, c.edu_cap, _both(edu, lang)),
            Factor(
                "education_x_canadian_work",
                "Education + Canadian work",
                t.education_x_canadian_work,
                c.edu_cap,
                _both(edu, cdn),
            ),
        ],
        c.edu_cap,
    )
    factors += _group_lines(
        "foreign_work_group_cap",
        "Foreign work combinations cap",
        [
            Factor(
                "foreign_work_x_language", "Foreign work + language", t.foreign_x_language, c.fw_cap, _both(fw, lang)
            ),
            Factor(
                "foreign_work_x_canadian_work",
                "Foreign work + Canadian work",
                t.foreign_x_canadian_work,
                c.fw_cap,
                _both(fw, cdn),
            ),
        ],
        c.fw_cap,
    )
    factors.append(
        Factor(
            "certificate_x_language",
            "Certificate of qualification + language",
            min(t.certificate, c.coq_cap),
            c.coq_cap,
            _both(coq, _tier_text(_coq_tier(p.first_language), "coq")),
        )
    )
    return _capped("transferability", "Skill transferability", factors, c.tr_cap)


def _both(first: str, second: str) -> Phrase:
    """A combination's two parts: "Bachelor's degree or a 3+ year program + CLB 9+ in all four abilities"."""
    return Phrase("{first} + {second}", first=first, second=second)


def _french_reason(p: Profile) -> Phrase:
    french, english = p.french_result, p.english_result
    if french is None:
        return Phrase("no French result")
    if french.lowest < 7:
        return Phrase("French below NCLC 7 in some ability (lowest NCLC {lowest})", lowest=french.lowest)
    if english is None:
        return Phrase("NCLC 7+ in all four French abilities, no English test")
    if english.lowest >= 5:
        return Phrase(
            "NCLC 7+ in all four French abilities and CLB 5+ in all four English (lowest CLB {lowest})",
            lowest=english.lowest,
        )
    return Phrase(
        "NCLC 7+ in all four French abilities, English below CLB 5 in some ability (lowest CLB {lowest})",
        lowest=english.lowest,
    )


def _additional(c: CompiledRules, p: Profile, t: Points) -> Section:
    items = c.items
    factors = [
        Factor(
            "provincial_nomination",
            "Provincial or territorial nomination",
            t.nomination,
            items["provincial_nomination"].points,
            Phrase("nominated") if p.provincial_nomination else Phrase("no nomination"),
        ),
        Factor(
            "sibling_in_canada",
            "Brother or sister in Canada",
            t.sibling,
            items["sibling_in_canada"].points,
            Phrase("sibling 18+ in Canada, citizen or PR") if p.sibling_in_canada else Phrase("none declared"),
        ),
        Factor(
            "french_bonus",
            "French-language skills",
            t.french,
            items["french_nclc7_english_clb5_all"].points,
            _french_reason(p),
        ),
        Factor(
            "canadian_study",
            "Post-secondary education in Canada",
            t.canadian_study,
            items["canadian_post_secondary_3_plus_years"].points,
            CANADIAN_STUDY_LABELS[p.canadian_study],
        ),
    ]
    if p.arranged_employment != "none":
        key = _ARRANGED_ITEM[p.arranged_employment]
        if key in items:
            factors.append(
                Factor(
                    "arranged_employment",
                    "Arranged employment",
                    t.arranged_employment,
                    items[key].points,
                    items[key].label,
                )
            )
        else:
            factors.append(
                Factor(
                    "arranged_employment",
                    "Arranged employment",
                    0,
                    0,
                    Phrase("job offers earn no CRS points under the rules from {day}", day=c.rs.effective_from),
                )
            )
    return _capped("additional", "Additional points", factors, c.additional_cap)


def _language_caveats(p: Profile) -> tuple[str, ...]:
    out = []
    for result in p.language_results():
        if result.expired_on(p.profile_date):
            assert result.test_date is not None
            out.append(
                Phrase(
                    "The {test} result of {taken} is 2 or more years old on {day}: it is no longer valid for Express "
                    "Entry and cannot be used in a new profile, so these points need a new test.",
                    test=result.label,
                    taken=result.test_date,
                    day=p.profile_date,
                )
            )
    return tuple(out)
