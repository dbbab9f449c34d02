"""Eligibility for the three federal programs (FSW with its 67-point grid, FST, CEC) and proof of funds.

The thresholds are data (``data/programs``); each verdict lists its checks, and each failed check
names the gap in words a person can act on.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from knowledge.language import ABILITIES
from knowledge.profile import LanguageResult, Profile
from knowledge.provenance import DATA_DIR
from knowledge.wording import Fixed, Joined, Money, Phrase, Text
from knowledge.work import HOURS_PER_YEAR, WorkPeriod, continuous_runs, hours_between, window_start

PROGRAM_DIR = DATA_DIR / "programs"
Status = Literal["eligible", "not_eligible", "unknown"]


class Check(BaseModel):
    """One requirement: met (True), not met (False) or not known from the answers (None)."""

    key: str
    ok: bool | None
    detail: Text


class GridLine(BaseModel):
    key: str
    label: Text
    points: int
    maximum: int
    detail: Text


class FswGrid(BaseModel):
    total: int
    pass_mark: int
    lines: list[GridLine]
    gains: list[Text]


class FundsCheck(BaseModel):
    family_size: int
    required: int
    available: int | None
    exempt: bool
    enough: bool | None
    detail: Text
    table_from: date
    source: str


class ProgramVerdict(BaseModel):
    program: str
    label: str
    status: Status
    checks: list[Check]
    grid: FswGrid | None = None
    source: str
    page_modified: str

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"


def _status(checks: list[Check]) -> Status:
    if any(c.ok is False for c in checks):
        return "not_eligible"
    return "unknown" if any(c.ok is None for c in checks) else "eligible"


def _verdict(program: str, rules: dict[str, Any], checks: list[Check], grid: FswGrid | None = None) -> ProgramVerdict:
    """A program's verdict from its checks, with the program page it was read from."""
    return ProgramVerdict(
        program=program,
        label=rules["label"],
        status=_status(checks),
        checks=checks,
        grid=grid,
        source=rules["url"],
        page_modified=rules["page_modified"],
    )


def _hours_text(hours: float) -> Phrase:
    years = math.floor(hours / HOURS_PER_YEAR * 100) / 100  # never rounded up: 1,513 hours is 0.96, not 1.0
    return Phrase("{hours} hours ({years} years full-time)", hours=round(hours), years=Fixed(years, 2))


class ProgramRules:
    """The minimums, the FSW grid and the funds table, read from their data files."""

    def __init__(self, directory: Path = PROGRAM_DIR) -> None:
        self.minimums: dict[str, Any] = json.loads((directory / "minimums.json").read_text(encoding="utf-8"))
        self.grid: dict[str, Any] = json.loads((directory / "fsw-grid.json").read_text(encoding="utf-8"))
        self.funds: dict[str, Any] = json.loads((directory / "proof-of-funds.json").read_text(encoding="utf-8"))

    # --- proof of funds ---------------------------------------------------------------------
    def funds_required(self, family_size: int, day: date) -> tuple[int, dict[str, Any]]:
        tables = [t for t in self.funds["tables"] if date.fromisoformat(t["effective_from"]) <= day]
        table = tables[-1] if tables else self.funds["tables"][0]
        amounts = table["amounts"]
        if family_size <= len(amounts):
            return amounts[family_size - 1], table
        return amounts[-1] + (family_size - len(amounts)) * table["each_additional"], table

    def funds_check(self, p: Profile, cec_eligible: bool) -> FundsCheck:
        size = p.household_size
        required, table = self.funds_required(size, p.profile_date)
        exempt_offer = p.authorized_to_work_in_canada and p.job_offer is not None and p.job_offer.valid
        base = {
            "family_size": size,
            "required": required,
            "available": p.settlement_funds,
            "table_from": date.fromisoformat(table["effective_from"]),
            "source": table["sources"][0]["url"],
        }
        if exempt_offer:
            return FundsCheck(
                **base,
                exempt=True,
                enough=True,
                detail=Phrase(
                    "no proof of funds needed: you are authorized to work in Canada and have a valid job offer"
                ),
            )
        need = {"need": Money(required), "size": size}
        if p.settlement_funds is None or p.settlement_funds >= required:
            detail = (
                Phrase(
                    "FSW and FST need {need} for a family of {size} (not needed if you apply through the Canadian "
                    "Experience Class)",
                    **need,
                )
                if cec_eligible
                else Phrase("FSW and FST need {need} for a family of {size}", **need)
            )
        else:
            short = {"have": Money(p.settlement_funds), "short": Money(required - p.settlement_funds)}
            detail = (
                Phrase(
                    "FSW and FST need {need} for a family of {size}; you have {have}, {short} short (not needed if "
                    "you apply through the Canadian Experience Class)",
                    **need,
                    **short,
                )
                if cec_eligible
                else Phrase(
                    "FSW and FST need {need} for a family of {size}; you have {have}, {short} short", **need, **short
                )
            )
        if p.family_size_raised:
            detail = Phrase(
                "{detail} (a family of {size}, not {given}: your spouse or common-law partner counts even if they "
                "are not coming with you or are a Canadian citizen or permanent resident)",
                detail=detail,
                size=size,
                given=p.family_size,
            )
        enough = None if p.settlement_funds is None else p.settlement_funds >= required
        return FundsCheck(**base, exempt=False, enough=enough, detail=detail)

    # --- shared checks ----------------------------------------------------------------------
    @staticmethod
    def _valid(result: LanguageResult | None, day: date) -> LanguageResult | None:
        return result if result is not None and not result.expired_on(day) else None

    def _language_check(self, p: Profile, need: dict[str, int], key: str = "language") -> Check:
        """Met by either official language's valid result; the detail names each gap."""
        candidates = [r for r in (p.first_language, p.second_language) if r is not None]
        valid = [r for r in candidates if not r.expired_on(p.profile_date)]
        if not candidates:
            return Check(key=key, ok=False, detail=Phrase("you need a language test result (English or French)"))
        if not valid:
            return Check(
                key=key,
                ok=False,
                detail=Phrase("your language results are more than 2 years old: a new test is needed"),
            )
        best_gaps: list[str] | None = None
        for result in valid:
            unit = "NCLC" if result.language == "french" else "CLB"
            gaps = [
                Phrase(
                    "you need {unit} {need} in {ability}; you have {unit} {level}",
                    unit=unit,
                    need=need[a],
                    ability=a,
                    level=result.levels[a],
                )
                for a in ABILITIES
                if result.levels[a] < need[a]
            ]
            if not gaps:
                unit = "NCLC" if result.language == "french" else "CLB"
                met = Joined(
                    ", ",
                    (
                        Phrase(
                            "{ability} {unit} {level} (needs {need})",
                            ability=a,
                            unit=unit,
                            level=result.levels[a],
                            need=need[a],
                        )
                        for a in ABILITIES
                    ),
                )
                return Check(key=key, ok=True, detail=Phrase("{test}: {levels}", test=result.label, levels=met))
            if best_gaps is None or len(gaps) < len(best_gaps):
                best_gaps = gaps
        return Check(key=key, ok=False, detail=Joined("; ", best_gaps or []))

    # --- FSW --------------------------------------------------------------------------------
    def fsw(self, p: Profile) -> ProgramVerdict:
        rules = self.minimums["programs"]["fsw"]
        day = p.profile_date
        start = window_start(day, rules["window_years"])
        skilled = [w for w in p.work_periods if w.skilled and w.paid]
        best_noc, best_hours = None, 0.0
        for noc in {w.noc for w in skilled}:
            runs = continuous_runs([w for w in skilled if w.noc == noc], day)
            hours = max(hours_between(run, start, day) for run in runs)
            if hours > best_hours:
                best_noc, best_hours = noc, hours
        if p.work_unknown:
            work = Check(
                key="work",
                ok=None,
                detail=Phrase(
                    "add your work history (NOC code, dates, hours) to check 1 year of continuous skilled work"
                ),
            )
        elif best_hours >= rules["hours"] - 1e-6:
            work = Check(
                key="work",
                ok=True,
                detail=Phrase(
                    "{hours} of continuous skilled work in NOC {noc} in the last 10 years",
                    hours=_hours_text(best_hours),
                    noc=str(best_noc),
                ),
            )
        else:
            have = (
                Phrase("your best is {hours} in NOC {noc}", hours=_hours_text(best_hours), noc=best_noc)
                if best_noc
                else Phrase("you have none in TEER 0-3")
                if p.work_periods
                else Phrase("you have no work experience")
            )
            work = Check(
                key="work",
                ok=False,
                detail=Phrase(
                    "you need 1 year (1,560 hours) of continuous, paid skilled work (TEER 0-3) in one occupation in "
                    "the last 10 years; {have}",
                    have=have,
                ),
            )
        first = self._valid(p.first_language, day)
        if first is None:
            language = Check(
                key="language",
                ok=False,
                detail=Phrase("you need a valid first-official-language result with CLB 7 in all four"),
            )
        else:
            gaps = [
                Phrase(
                    "you need {unit} {need} in {ability}; you have {unit} {level}",
                    unit="CLB",
                    need=7,
                    ability=a,
                    level=lv,
                )
                for a, lv in first.levels.items()
                if lv < 7
            ]
            language = Check(
                key="language",
                ok=not gaps,
                detail=Joined("; ", gaps) if gaps else Phrase("CLB 7+ in all four abilities"),
            )
        if p.education_proof == "none":
            education = Check(
                key="education",
                ok=False,
                detail=Phrase(
                    "you need a Canadian credential or an Educational Credential Assessment (ECA) of your foreign "
                    "education"
                ),
            )
        elif p.education_proof is None:
            education = Check(
                key="education",
                ok=None,
                detail=Phrase("you need a Canadian credential or an ECA of your foreign education: do you have one?"),
            )
        else:
            education = Check(
                key="education",
                ok=True,
                detail=Phrase("Canadian credential") if p.education_proof == "canadian" else Phrase("ECA"),
            )
        grid = self.fsw_grid(p, best_hours)
        points = Check(
            key="grid",
            ok=grid.total >= grid.pass_mark,
            detail=_grid_text(grid),
        )
        checks = [work, language, education, points]
        return _verdict("fsw", rules, checks, grid)

    def fsw_grid(self, p: Profile, best_hours: float | None = None) -> FswGrid:
        g = self.grid
        lines: list[GridLine] = []
        first = self._valid(p.first_language, p.profile_date)
        per = g["language"]["first_per_ability"]
        lang = 0
        if first is not None and first.lowest >= g["language"]["first_minimum_clb"]:
            for level in first.level_tuple:
                lang += next(row["points"] for row in per if level >= row["clb_min"])
        second = self._valid(p.second_language, p.profile_date)
        second_pts = (
            g["language"]["second_points"]
            if second is not None and second.lowest >= g["language"]["second_all_four_clb_min"]
            else 0
        )
        lines.append(
            GridLine(
                key="language",
                label="Official languages",
                points=lang + second_pts,
                maximum=g["language"]["cap"],
                detail=(
                    Phrase("first language {first}, second language {second}", first=lang, second=second_pts)
                    if first
                    else Phrase("no valid first-language result, second language {second}", second=second_pts)
                ),
            )
        )
        edu_level = p.scored_education
        edu = g["education"]["points_by_level"][edu_level]
        lines.append(
            GridLine(
                key="education",
                label="Education",
                points=edu,
                maximum=g["education"]["cap"],
                detail=edu_level.replace("_", " "),
            )
        )
        if best_hours is None or not p.work_periods:
            years = int(p.canadian_years + p.foreign_years) if not p.work_periods else 0
        else:
            skilled = [w for w in p.work_periods if w.skilled and w.paid]
            years = int(hours_between(skilled, window_start(p.profile_date, 10), p.profile_date) / HOURS_PER_YEAR)
        exp = max((r["points"] for r in g["experience"]["rows"] if years >= r["years_min"]), default=0)
        lines.append(
            GridLine(
                key="experience",
                label="Skilled work experience",
                points=exp,
                maximum=g["experience"]["cap"],
                detail=Phrase("{years} year(s) in the last 10", years=years),
            )
        )
        age = p.age_on_date
        age_pts = next(r["points"] for r in g["age"]["rows"] if r["age_min"] <= age <= r["age_max"])
        lines.append(GridLine(key="age", label="Age", points=age_pts, maximum=g["age"]["cap"], detail=f"{age}"))
        offer = p.job_offer is not None and p.job_offer.valid and p.job_offer.teer <= 3
        lines.append(
            GridLine(
                key="arranged_employment",
                label="Arranged employment",
                points=g["arranged_employment"]["points"] if offer else 0,
                maximum=g["arranged_employment"]["cap"],
                detail=Phrase("valid job offer (TEER 0-3)") if offer else Phrase("no valid job offer"),
            )
        )
        adapt_items = self._adaptability(p, offer)
        items = g["adaptability"]["items"]
        adapt = min(sum(items[k]["points"] for k in adapt_items), g["adaptability"]["cap"])
        lines.append(
            GridLine(
                key="adaptability",
                label="Adaptability",
                points=adapt,
                maximum=g["adaptability"]["cap"],
                detail=Joined("; ", (items[k]["label"] for k in adapt_items)) if adapt_items else Phrase("none"),
            )
        )
        total = sum(line.points for line in lines)
        return FswGrid(
            total=total,
            pass_mark=g["pass_mark"],
            lines=lines,
            gains=self._grid_gains(p, first, lang, second_pts, offer, adapt, adapt_items),
        )

    @staticmethod
    def _adaptability(p: Profile, offer: bool) -> list[str]:
        out = []
        sp = p.spouse if p.spouse is not None and p.spouse.accompanying else None
        if sp is not None and sp.language is not None and sp.language.lowest >= 4:
            out.append("spouse_language_clb4")
        if p.canadian_study_two_years:
            out.append("own_canadian_study")
        if sp is not None and sp.canadian_study_two_years:
            out.append("spouse_canadian_study")
        if p.canadian_years >= 1:
            out.append("own_canadian_work")
        if sp is not None and sp.canadian_work_years >= 1:
            out.append("spouse_canadian_work")
        if offer:
            out.append("arranged_employment")
        if p.relative_in_canada or p.sibling_in_canada:
            out.append("relative_in_canada")
        return out

    def _grid_gains(
        self,
        p: Profile,
        first: LanguageResult | None,
        lang: int,
        second_pts: int,
        offer: bool,
        adapt: int,
        adapt_items: list[str],
    ) -> list[Text]:
        """Computed moves that would add grid points, largest first."""
        g = self.grid
        gains: list[tuple[int, Phrase]] = []
        top_first = 4 * g["language"]["first_per_ability"][0]["points"]
        if first is not None and first.lowest >= g["language"]["first_minimum_clb"] and lang < top_first:
            gains.append((top_first - lang, Phrase("+{gain} from CLB 9 in all four abilities", gain=top_first - lang)))
        if second_pts == 0:
            gains.append(
                (
                    g["language"]["second_points"],
                    Phrase(
                        "+{gain} from CLB/NCLC 5+ in all four abilities of the other official language",
                        gain=g["language"]["second_points"],
                    ),
                )
            )
        room = g["adaptability"]["cap"] - adapt
        items = g["adaptability"]["items"]
        if not offer:
            gain = g["arranged_employment"]["points"] + min(items["arranged_employment"]["points"], room)
            gains.append((gain, Phrase("+{gain} from a valid job offer (TEER 0-3)", gain=gain)))
        for key in ("own_canadian_work", "relative_in_canada", "spouse_language_clb4"):
            accompanied = p.spouse is not None and p.spouse.accompanying  # only an accompanying partner's counts
            if room > 0 and key not in adapt_items and (key != "spouse_language_clb4" or accompanied):
                gain = min(items[key]["points"], room)
                gains.append((gain, Phrase("+{gain} if {condition}", gain=gain, condition=items[key]["label"])))
        gains.sort(key=lambda x: -x[0])
        return [text for _, text in gains]

    # --- FST --------------------------------------------------------------------------------
    def is_trade(self, noc: str) -> bool:
        r = self.minimums["programs"]["fst"]
        if noc[:3] in r["trade_excluded_sub_major_groups"]:
            return False
        return noc[:2] in r["trade_major_groups"] or noc[:4] in r["trade_minor_groups"] or noc in r["trade_unit_groups"]

    def fst(self, p: Profile) -> ProgramVerdict:
        rules = self.minimums["programs"]["fst"]
        day = p.profile_date
        start = window_start(day, rules["window_years"])
        trades = [w for w in p.work_periods if w.paid and self.is_trade(w.noc)]
        best_noc, best_hours = (trades[0].noc if trades else None), 0.0
        for noc in {w.noc for w in trades}:
            hours = hours_between([w for w in trades if w.noc == noc], start, day)
            if hours > best_hours:
                best_noc, best_hours = noc, hours
        if p.work_unknown:
            work = Check(
                key="work", ok=None, detail=Phrase("add your work history to check 2 years in a skilled trade")
            )
        elif not p.work_periods:
            work = Check(
                key="work",
                ok=False,
                detail=Phrase(
                    "you need 2 years (3,120 hours) of work in a skilled trade in the last 5 years; you have none"
                ),
            )
        elif best_hours >= rules["hours"] - 1e-6:
            work = Check(
                key="work",
                ok=True,
                detail=Phrase(
                    "{hours} in the trade NOC {noc} in the last 5 years", hours=_hours_text(best_hours), noc=best_noc
                ),
            )
        elif best_noc is None:
            work = Check(
                key="work",
                ok=False,
                detail=Phrase(
                    "none of your jobs is in an eligible skilled trade (NOC major groups 72, 73, 82, 83, 92, 93, "
                    "minor group 6320 or unit group 62200)"
                ),
            )
        else:
            work = Check(
                key="work",
                ok=False,
                detail=Phrase(
                    "you need 2 years (3,120 hours) in a skilled trade in the last 5 years; you have {hours} in NOC "
                    "{noc}",
                    hours=_hours_text(best_hours),
                    noc=best_noc,
                ),
            )
        language = self._language_check(p, rules["min_clb"])
        trade_nocs = {w.noc for w in trades}
        offer = p.job_offer is not None and p.job_offer.valid
        certificate = p.certificate_of_qualification and (
            p.certificate_trade_noc is None or p.certificate_trade_noc in trade_nocs
        )
        if offer or certificate:
            offer_check = Check(
                key="offer_or_certificate",
                ok=True,
                detail=Phrase("valid job offer") if offer else Phrase("certificate of qualification"),
            )
        else:
            offer_check = Check(
                key="offer_or_certificate",
                ok=False,
                detail=Phrase(
                    "you need a full-time job offer of at least 1 year, or a Canadian certificate of qualification "
                    "in your trade"
                ),
            )
        checks = [work, language, offer_check]
        return _verdict("fst", rules, checks)

    # --- CEC --------------------------------------------------------------------------------
    def cec(self, p: Profile) -> ProgramVerdict:
        rules = self.minimums["programs"]["cec"]
        day = p.profile_date
        start = window_start(day, rules["window_years"])
        in_canada = [w for w in p.work_periods if w.in_canada and w.skilled and w.paid]
        counted = [w for w in in_canada if w.authorized and not w.self_employed and not w.full_time_student]
        excluded = _exclusions(in_canada)
        high = hours_between([w for w in counted if w.teer <= 1], start, day)
        total = hours_between(counted, start, day)
        if p.work_unknown:
            work = Check(key="work", ok=None, detail=Phrase("add your work history to check 1 year of Canadian work"))
        elif not p.work_periods:
            work = Check(
                key="work",
                ok=False,
                detail=Phrase(
                    "you need 1 year (1,560 hours) of skilled work in Canada in the last 3 years; you have none"
                ),
            )
        elif total >= rules["hours"] - 1e-6:
            work = Check(
                key="work",
                ok=True,
                detail=Phrase("{hours} of skilled Canadian work in the last 3 years", hours=_hours_text(total)),
            )
        else:
            work = Check(
                key="work",
                ok=False,
                detail=(
                    Phrase(
                        "you need 1 year (1,560 hours) of skilled work in Canada in the last 3 years; you have {hours} "
                        "({excluded} do not count)",
                        hours=_hours_text(total),
                        excluded=excluded,
                    )
                    if excluded
                    else Phrase(
                        "you need 1 year (1,560 hours) of skilled work in Canada in the last 3 years; you have {hours}",
                        hours=_hours_text(total),
                    )
                ),
            )
        language = self._cec_language(p, high, total, rules)
        checks = [work, language]
        return _verdict("cec", rules, checks)

    def _cec_language(self, p: Profile, high: float, total: float, rules: dict[str, Any]) -> Check:
        """CLB 7 for TEER 0/1 experience, CLB 5 for TEER 2/3: with CLB 5 or 6, only the TEER 2/3 hours count."""
        clb7 = self._language_check(p, dict.fromkeys(ABILITIES, rules["min_clb_by_teer"]["0"]))
        if clb7.ok:
            return clb7
        clb5 = self._language_check(p, dict.fromkeys(ABILITIES, rules["min_clb_by_teer"]["3"]))
        if not clb5.ok:
            return clb7 if high > 0 and total - high < rules["hours"] else clb5
        if high == 0 or total - high >= rules["hours"] - 1e-6:
            return Check(key="language", ok=True, detail=Phrase("CLB/NCLC 5+ in all four: enough for TEER 2 or 3 work"))
        return Check(
            key="language",
            ok=False,
            detail=Phrase(
                "your TEER 0 or 1 experience needs CLB 7 in all four abilities (CLB 5 is enough only with 1,560 hours "
                "in TEER 2 or 3); {gaps}",
                gaps=clb7.detail,
            ),
        )


def _exclusions(periods: list[WorkPeriod]) -> Joined:
    kinds: list[str] = []
    if any(w.self_employed for w in periods):
        kinds.append(Phrase("self-employment"))
    if any(w.full_time_student for w in periods):
        kinds.append(Phrase("work while a full-time student"))
    if any(not w.authorized for w in periods):
        kinds.append(Phrase("unauthorized work"))
    return Joined(", ", kinds)


def _grid_text(grid: FswGrid) -> Phrase:
    """The grid check: the points, and when short, the gap and the three largest gains."""
    points = {"total": grid.total, "mark": grid.pass_mark}
    if grid.total >= grid.pass_mark:
        return Phrase("{total} of the {mark} points needed", **points)
    if not grid.gains:
        return Phrase("{total} of the {mark} points needed; +{gap} needed", **points, gap=grid.pass_mark - grid.total)
    return Phrase(
        "{total} of the {mark} points needed; +{gap} needed: {gains}",
        **points,
        gap=grid.pass_mark - grid.total,
        gains=Joined("; ", grid.gains[:3]),
    )


@lru_cache(maxsize=1)
def default_program_rules() -> ProgramRules:
    return ProgramRules()
