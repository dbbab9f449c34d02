"""The candidate's profile: everything the CRS uses, validated with messages a person can read."""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from knowledge.language import (
    ABILITIES,
    DIRECT_LEVELS,
    TEST_LABEL,
    TEST_LANGUAGE,
    LanguageScoreError,
    LanguageTest,
    convert,
    default_language_tables,
)
from knowledge.vocabulary import (
    EDUCATION_LEVELS,
    PARTNERED,
    ArrangedEmployment,
    CanadianStudy,
    EducationLevel,
    MaritalStatus,
)
from knowledge.work import (
    WorkPeriod,
    counts_for_crs_canadian,
    counts_for_crs_foreign,
    years_of,
)

LANGUAGE_VALIDITY_YEARS = 2
MAX_WORK_YEARS = 60
# Every date a profile holds lies in this range: far enough either way for any real person, and
# far from date.min/date.max, so the date arithmetic (validity, age, 10-year windows) cannot overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_RANGE = f"between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
NOT_A_BOOLEAN = "must be a number, not true or false"


def _not_a_boolean(value: object) -> object:
    """JSON true/false are not numbers (pydantic's lax mode would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_is_not_a_number", NOT_A_BOOLEAN)
    return value


def _out_of_range(day: date | None) -> PydanticCustomError | None:
    if day is None or EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return PydanticCustomError("date_out_of_range", "must be {range}", {"range": DATE_RANGE})


def _in_date_range(day: date) -> date:
    if error := _out_of_range(day):
        raise error
    return day


# Numbers: no booleans, and (for floats) no inf or nan; strings of digits are still read as numbers.
Number = Annotated[float, BeforeValidator(_not_a_boolean), Field(allow_inf_nan=False)]
WholeNumber = Annotated[int, BeforeValidator(_not_a_boolean)]
CalendarDate = Annotated[date, AfterValidator(_in_date_range)]

_WORK_PERIOD_NUMBERS = tuple(
    name for name, field in WorkPeriod.model_fields.items() if field.annotation in (int, float)
)
_WORK_PERIOD_DATES = tuple(
    name for name, field in WorkPeriod.model_fields.items() if field.annotation in (date, date | None)
)


def _field_errors(title: str, problems: list[tuple[str, PydanticCustomError, object]]) -> ValidationError:
    """Errors located at fields of a nested model (pydantic prefixes the outer location)."""
    details = [InitErrorDetails(type=error, loc=(name,), input=value) for name, error, value in problems]
    return ValidationError.from_exception_data(title, details)


def _work_period_numbers(value: Any) -> Any:
    """WorkPeriod's numbers (knowledge.work) get the same no-booleans rule, checked here before it reads them."""
    if isinstance(value, dict):
        problems = [
            (name, PydanticCustomError("bool_is_not_a_number", NOT_A_BOOLEAN), value[name])
            for name in _WORK_PERIOD_NUMBERS
            if isinstance(value.get(name), bool)
        ]
        if problems:
            raise _field_errors("WorkPeriod", problems)
    return value


def _work_period_dates(period: WorkPeriod) -> WorkPeriod:
    problems = [
        (name, error, getattr(period, name))
        for name in _WORK_PERIOD_DATES
        if (error := _out_of_range(getattr(period, name)))
    ]
    if problems:
        raise _field_errors("WorkPeriod", problems)
    return period


CheckedWorkPeriod = Annotated[WorkPeriod, BeforeValidator(_work_period_numbers), AfterValidator(_work_period_dates)]


def years_between(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (a 29th of February counts from 1 March)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, month=3, day=1)


class LanguageResult(BaseModel):
    """One language test as a person has it: the test, its date and the four raw scores."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    test: LanguageTest
    test_date: CalendarDate | None = Field(
        default=None, description="Needed for TEF Canada (it decides the scale) and to check validity"
    )
    tef_scale: Literal["old_scale", "699_scale"] | None = Field(
        default=None,
        description="TEF Canada only: force a scale, e.g. the certificate's 'Equivalence ancien score' column",
    )
    listening: Number
    reading: Number
    writing: Number
    speaking: Number

    _levels: tuple[int, int, int, int] = PrivateAttr(default=(0, 0, 0, 0))

    @model_validator(mode="after")
    def _convert(self) -> LanguageResult:
        if self.tef_scale is not None and self.test != LanguageTest.TEF_CANADA:
            raise ValueError("tef_scale only applies to TEF Canada results")
        scores = {a: getattr(self, a) for a in ABILITIES}
        try:
            self._levels = convert(default_language_tables(), self.test, scores, self.test_date, self.tef_scale)
        except LanguageScoreError as exc:
            raise ValueError(str(exc)) from None
        return self

    @cached_property
    def language(self) -> str:
        return TEST_LANGUAGE[self.test]

    @property
    def label(self) -> str:
        return TEST_LABEL[self.test]

    @property
    def levels(self) -> dict[str, int]:
        """CLB (English) or NCLC (French) level per ability; 0 means below level 4."""
        return dict(zip(ABILITIES, self.level_tuple, strict=True))

    @cached_property
    def level_tuple(self) -> tuple[int, int, int, int]:
        return self._levels

    @cached_property
    def capped_levels(self) -> tuple[int, ...]:
        """Levels for table look-ups: 11 and 12 read the open-ended top row."""
        return tuple(min(level, 12) for level in self._levels)

    @cached_property
    def level_texts(self) -> tuple[str, ...]:
        """Per ability, how the score reads, e.g. 'IELTS General Training 8.0 = CLB 9 (band: '."""
        unit = "NCLC" if self.language == "french" else "CLB"
        out = []
        for ability, level in zip(ABILITIES, self._levels, strict=True):
            shown = f"{unit} {level}" if level >= 4 else f"below {unit} 4"
            source = "" if self.test in DIRECT_LEVELS else f"{self.label} {self.raw(ability)} = "
            out.append(f"{source}{shown} (band: ")
        return tuple(out)

    @cached_property
    def lowest(self) -> int:
        return min(self._levels)

    def expired_on(self, day: date) -> bool:
        """Results are valid for 2 years from the test date."""
        return self.test_date is not None and day >= add_years(self.test_date, LANGUAGE_VALIDITY_YEARS)

    def raw(self, ability: str) -> str:
        value = getattr(self, ability)
        return f"{value:.1f}" if self.test == LanguageTest.IELTS else f"{value:g}"


EducationProof = Literal["canadian", "eca", "none"]


class JobOffer(BaseModel):
    """A job offer in Canada, as the FSW grid, FST and the funds exemption read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    noc: str = Field(pattern=r"^\d{5}$")
    full_time: bool = True
    at_least_one_year: bool = True
    lmia_or_exempt: bool = Field(
        default=True, description="supported by an LMIA, or meeting the LMIA-exempt work-permit conditions"
    )

    @property
    def teer(self) -> int:
        return int(self.noc[1])

    @property
    def valid(self) -> bool:
        return self.full_time and self.at_least_one_year and self.lmia_or_exempt


class Spouse(BaseModel):
    """The spouse or common-law partner: whether they count, and their own factors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    canadian_citizen_or_pr: bool = Field(
        default=False, description="A partner who is a Canadian citizen or PR: you are scored as single"
    )
    accompanying: bool = Field(
        default=True, description="A partner who does not come with you: you are scored as single"
    )
    education: EducationLevel = "less_than_secondary"
    education_proof: EducationProof | None = Field(
        default=None,
        description="the partner's credential: 'canadian', 'eca' (foreign, assessed) or 'none'; unset: assumed proven",
    )
    language: LanguageResult | None = None
    canadian_work_years: Number = Field(default=0, ge=0, le=MAX_WORK_YEARS)
    canadian_study_two_years: bool = Field(
        default=False, description="FSW adaptability: 2+ academic years of full-time study in Canada"
    )

    @property
    def counts(self) -> bool:
        return self.accompanying and not self.canadian_citizen_or_pr

    @property
    def scored_education(self) -> EducationLevel:
        """A partner's foreign education without an ECA earns no points (shared reference, crs-rules.md §7.2)."""
        return "less_than_secondary" if self.education_proof == "none" else self.education


class Profile(BaseModel):
    """Everything the CRS uses. ``profile_date`` decides which rules apply and the age."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_date: CalendarDate = Field(default_factory=date.today)
    age: WholeNumber | None = Field(default=None, ge=0, le=120)
    date_of_birth: CalendarDate | None = None
    marital_status: MaritalStatus = "never_married"
    spouse: Spouse | None = None
    education: EducationLevel
    canadian_study: CanadianStudy = "none"
    first_language: LanguageResult | None = None
    second_language: LanguageResult | None = None
    canadian_work_years: Number = Field(default=0, ge=0, le=MAX_WORK_YEARS)
    foreign_work_years: Number = Field(default=0, ge=0, le=MAX_WORK_YEARS)
    certificate_of_qualification: bool = False
    provincial_nomination: bool = False
    arranged_employment: ArrangedEmployment = "none"
    sibling_in_canada: bool = False
    # --- what eligibility needs (issue 3) ---
    work_periods: list[CheckedWorkPeriod] = Field(default_factory=list, max_length=40)
    work_history_complete: bool = Field(
        default=False,
        description=(
            "true: work_periods is the whole work history (an empty list means no work experience); "
            "false (default): jobs may be missing, so an empty list means the work history is not given yet"
        ),
    )
    education_proof: EducationProof | None = Field(
        default=None,
        description="'canadian' credential, 'eca' for foreign education, or 'none'; unset: assumed proven",
    )
    job_offer: JobOffer | None = None
    certificate_trade_noc: str | None = Field(default=None, pattern=r"^\d{5}$")
    authorized_to_work_in_canada: bool = False
    settlement_funds: WholeNumber | None = Field(default=None, ge=0, le=100_000_000, description="CAD available")
    family_size: WholeNumber | None = Field(default=None, ge=1, le=30)
    canadian_study_two_years: bool = Field(
        default=False, description="FSW adaptability: 2+ academic years of full-time study in Canada"
    )
    relative_in_canada: bool = Field(
        default=False, description="FSW adaptability: a relative 18+ in Canada who is a citizen or PR"
    )

    _age: int = PrivateAttr(default=0)

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        if (self.age is None) == (self.date_of_birth is None):
            raise ValueError("give either age or date_of_birth (one of the two)")
        if self.date_of_birth is not None:
            if self.date_of_birth > self.profile_date:
                raise ValueError("date_of_birth is after the profile date")
            self._age = years_between(self.date_of_birth, self.profile_date)
            if self._age > 120:
                raise ValueError("date_of_birth gives an age over 120; please check the year")
        else:
            self._age = self.age or 0
        partnered = self.marital_status in PARTNERED
        if partnered and self.spouse is None:
            raise ValueError(
                f"marital_status '{self.marital_status}' needs a 'spouse' object: at least whether "
                "your partner is a Canadian citizen or PR and whether they come with you"
            )
        if not partnered and self.spouse is not None:
            raise ValueError("a 'spouse' is only scored for marital_status 'married' or 'common_law'")
        if self.second_language is not None:
            if self.first_language is None:
                raise ValueError("a second_language needs a first_language")
            if self.second_language.language == self.first_language.language:
                raise ValueError(
                    "first_language and second_language must be different languages (one English test, one French test)"
                )
        for result in self.language_results():
            if result.test_date and result.test_date > self.profile_date:
                raise ValueError(f"the {result.label} test date is after the profile date")
        if self.work_periods and self.model_fields_set & {"canadian_work_years", "foreign_work_years"}:
            raise ValueError("give work_periods or the canadian_work_years/foreign_work_years totals, not both")
        if self.work_history_complete and self.model_fields_set & {"canadian_work_years", "foreign_work_years"}:
            raise ValueError(
                "work_history_complete says work_periods lists every job: give the jobs as work_periods, "
                "not the canadian_work_years/foreign_work_years totals"
            )
        for period in self.work_periods:
            if period.start > self.profile_date:
                raise ValueError(f"a work period (NOC {period.noc}) starts after the profile date")
        if self.certificate_trade_noc and not self.certificate_of_qualification:
            raise ValueError("certificate_trade_noc needs certificate_of_qualification: true")
        level = EDUCATION_LEVELS.index(self.education)
        if self.canadian_study == "one_or_two_years" and level < EDUCATION_LEVELS.index("one_year"):
            raise ValueError(
                "a Canadian credential of one or two years needs an education level of 'one_year' or higher"
            )
        if self.canadian_study == "three_plus_years" and level < EDUCATION_LEVELS.index("bachelors"):
            raise ValueError(
                "a Canadian credential of three years or more needs an education level of 'bachelors' or higher"
            )
        return self

    @cached_property
    def canadian_years(self) -> float:
        """Years of CRS Canadian work: derived from work_periods when given."""
        if self.work_periods:
            return years_of(self.work_periods, counts_for_crs_canadian, self.profile_date)
        return self.canadian_work_years

    @cached_property
    def foreign_years(self) -> float:
        """Years of CRS foreign work: derived from work_periods when given."""
        if self.work_periods:
            return years_of(self.work_periods, counts_for_crs_foreign, self.profile_date)
        return self.foreign_work_years

    @cached_property
    def work_unknown(self) -> bool:
        """No job listed and the work history not declared complete: the work checks cannot tell yet."""
        return not self.work_periods and not self.work_history_complete

    @cached_property
    def scored_education(self) -> EducationLevel:
        """The level that earns points: foreign education without an ECA earns none."""
        return "less_than_secondary" if self.education_proof == "none" else self.education

    @cached_property
    def household_size(self) -> int:
        """Family size for proof of funds: as given, or you plus a spouse or partner. A spouse or common-law
        partner always counts (even one who is not coming or is a Canadian citizen or PR: FAQ entry
        ``proof-of-funds-canadian-spouse``), so a partnered profile counts at least 2 whatever ``family_size`` says."""
        least = 2 if self.spouse is not None else 1
        return least if self.family_size is None else max(self.family_size, least)

    @cached_property
    def family_size_raised(self) -> bool:
        """``family_size`` was given as 1 with a spouse or partner: the funds are checked for 2 instead."""
        return self.family_size is not None and self.family_size < self.household_size

    @cached_property
    def age_on_date(self) -> int:
        return self._age

    @cached_property
    def scored_with_spouse(self) -> bool:
        """True only for an accompanying partner who is not a Canadian citizen or PR."""
        return self.spouse is not None and self.spouse.counts

    def language_results(self) -> list[LanguageResult]:
        out = [r for r in (self.first_language, self.second_language) if r is not None]
        if self.spouse and self.spouse.language:
            out.append(self.spouse.language)
        return out

    def result_in(self, language: str) -> LanguageResult | None:
        for result in (self.first_language, self.second_language):
            if result is not None and result.language == language:
                return result
        return None

    @cached_property
    def french_result(self) -> LanguageResult | None:
        return self.result_in("french")

    @cached_property
    def english_result(self) -> LanguageResult | None:
        return self.result_in("english")

    @cached_property
    def has_dated_results(self) -> bool:
        return any(r.test_date is not None for r in self.language_results())


MAX_NAME_SHOWN = 60


def _shown(part: str | int) -> str:
    """A field name as one short printable line: control characters and lone surrogates escaped."""
    text = str(part)
    if not text.isprintable():
        text = json.dumps(text)[1:-1]
    return text if len(text) <= MAX_NAME_SHOWN else text[: MAX_NAME_SHOWN - 3] + "..."


def friendly_errors(error: ValidationError) -> list[str]:
    """One readable line per problem: 'field.path: message' (the first message for each field)."""
    lines, seen = [], set()
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(_shown(p) for p in item["loc"]) or "profile"
        if where in seen:  # e.g. inf: 'must be finite' and then 'must be at most 60' again
            continue
        seen.add(where)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a field Maple knows (check the spelling)"
        elif item["type"] == "missing":
            message = "is required"
        elif item["type"] == "literal_error":
            message = message.replace("Input should be", "must be one of:")
        elif item["type"] == "finite_number":
            message = "must be a finite number of a sensible size"
        lines.append(f"{where}: {' '.join(message.split())}")
    return lines
