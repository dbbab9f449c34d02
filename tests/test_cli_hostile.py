"""``maple-crs`` on hostile input: status 2, one line per problem naming the field, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from knowledge.cli import main

LANGUAGE = {"test": "ielts", "listening": 8, "reading": 7, "writing": 7, "speaking": 7}
PROFILE: dict[str, Any] = {
    "profile_date": "2026-10-01",
    "age": 29,
    "education": "bachelors",
    "first_language": LANGUAGE,
    "foreign_work_years": 3,
}
WORK = {"noc": "21231", "in_canada": True, "start": "2020-01-01"}
HUGE = "1" + "0" * 5000  # past Python's 4,300-digit int conversion limit
DEEP = "[" * 100_000  # past the JSON decoder's recursion limit
NOT_A_BOOLEAN = "must be a number, not true or false"
DATE_RANGE = "must be between 1900-01-01 and 2100-12-31"


def profile(**changes: Any) -> dict[str, Any]:
    data = dict(PROFILE, **changes)
    return {k: v for k, v in data.items() if v is not None}


def text(**changes: Any) -> str:
    return json.dumps(profile(**changes))


def spliced(raw: str, **changes: Any) -> str:
    """The profile's JSON with the value "@" replaced by raw JSON text (a number json.dumps cannot write)."""
    return text(**changes).replace('"@"', raw)


def run(args: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# (id, input text, the one stderr line expected after "maple-crs: ")
HOSTILE = [
    ("age true", text(age=True), f"age: {NOT_A_BOOLEAN}"),
    ("age false", text(age=False), f"age: {NOT_A_BOOLEAN}"),
    (
        "listening true",
        text(first_language=dict(LANGUAGE, listening=True)),
        f"first_language.listening: {NOT_A_BOOLEAN}",
    ),
    (
        "speaking false",
        text(first_language=dict(LANGUAGE, speaking=False)),
        f"first_language.speaking: {NOT_A_BOOLEAN}",
    ),
    ("canadian work true", text(canadian_work_years=True), f"canadian_work_years: {NOT_A_BOOLEAN}"),
    ("foreign work true", text(foreign_work_years=True), f"foreign_work_years: {NOT_A_BOOLEAN}"),
    ("funds true", text(settlement_funds=True), f"settlement_funds: {NOT_A_BOOLEAN}"),
    ("family true", text(family_size=True), f"family_size: {NOT_A_BOOLEAN}"),
    (
        "spouse work true",
        text(marital_status="married", spouse={"canadian_work_years": True}),
        f"spouse.canadian_work_years: {NOT_A_BOOLEAN}",
    ),
    (
        "spouse listening true",
        text(marital_status="married", spouse={"language": dict(LANGUAGE, reading=True)}),
        f"spouse.language.reading: {NOT_A_BOOLEAN}",
    ),
    (
        "hours true",
        text(foreign_work_years=None, work_periods=[dict(WORK, hours_per_week=True)]),
        f"work_periods.0.hours_per_week: {NOT_A_BOOLEAN}",
    ),
    ("age word", text(age="old"), "age: Input should be a valid integer, unable to parse string as an integer"),
    (
        "listening word",
        text(first_language=dict(LANGUAGE, listening="eight")),
        "first_language.listening: Input should be a valid number, unable to parse string as a number",
    ),
    ("age 5000 digits", spliced(HUGE, age="@"), "age: must be a finite number of a sensible size"),
    ("age -5000 digits", spliced("-" + HUGE, age="@"), "age: must be a finite number of a sensible size"),
    ("age 1e5000", spliced("1e5000", age="@"), "age: must be a finite number of a sensible size"),
    (
        "listening 5000 digits",
        spliced(HUGE, first_language=dict(LANGUAGE, listening="@")),
        "first_language.listening: must be a finite number of a sensible size",
    ),
    (
        "listening 1e5000",
        spliced("1e5000", first_language=dict(LANGUAGE, listening="@")),
        "first_language.listening: must be a finite number of a sensible size",
    ),
    (
        "work 5000 digits",
        spliced(HUGE, foreign_work_years="@"),
        "foreign_work_years: Input should be less than or equal to 60",
    ),
    (
        "work -1e5000",
        spliced("-1e5000", canadian_work_years="@"),
        "canadian_work_years: Input should be greater than or equal to 0",
    ),
    (
        "funds 5000 digits",
        spliced(HUGE, settlement_funds="@"),
        "settlement_funds: must be a finite number of a sensible size",
    ),
    (
        "hours 1e5000",
        spliced("1e5000", foreign_work_years=None, work_periods=[dict(WORK, hours_per_week="@")]),
        "work_periods.0.hours_per_week: Input should be less than or equal to 100",
    ),
    (
        "NaN",
        spliced("NaN", age="@"),
        "stdin is not valid JSON: NaN is not a JSON number (the value at line 1, column 1)",
    ),
    (
        "Infinity",
        spliced("-Infinity", age="@"),
        "stdin is not valid JSON: -Infinity is not a JSON number (the value at line 1, column 1)",
    ),
    ("deep array", DEEP, "stdin is not valid JSON: nested too deeply at line 1, column 2"),
    ("deep in a field", '{"age": ' + DEEP, "stdin is not valid JSON: nested too deeply at line 1, column 1"),
    ("deep object", '{"a": ' * 100_000, "stdin is not valid JSON: nested too deeply at line 1, column 1"),
    ("profile_date 9999", text(profile_date="9999-12-31"), f"profile_date: {DATE_RANGE}"),
    ("profile_date 0001", text(profile_date="0001-01-01"), f"profile_date: {DATE_RANGE}"),
    ("date_of_birth 9999", text(age=None, date_of_birth="9999-12-31"), f"date_of_birth: {DATE_RANGE}"),
    ("date_of_birth 0001", text(age=None, date_of_birth="0001-01-01"), f"date_of_birth: {DATE_RANGE}"),
    (
        "test_date 9999",
        text(first_language=dict(LANGUAGE, test_date="9999-12-31")),
        f"first_language.test_date: {DATE_RANGE}",
    ),
    (
        "work start 0001",
        text(foreign_work_years=None, work_periods=[dict(WORK, start="0001-01-01")]),
        f"work_periods.0.start: {DATE_RANGE}",
    ),
    (
        "work end 9999",
        text(foreign_work_years=None, work_periods=[dict(WORK, end="9999-12-31")]),
        f"work_periods.0.end: {DATE_RANGE}",
    ),
    (
        "date as a huge timestamp",
        spliced(HUGE, profile_date="@"),
        "profile_date: Input should be a valid date or datetime, dates after 9999 are not supported as unix timestamps",
    ),
    ("key with a newline", text(**{"bad\nkey": 1}), "bad\\nkey: is not a field Maple knows (check the spelling)"),
    (
        "key lone surrogate",
        text().replace("{", '{"\\udcff": 1, ', 1),
        "profile: Input should be a valid string, unable to parse raw data as a unicode string",
    ),
    ("not an object", "[1]", "profile 1: a profile must be a JSON object"),
    ("empty", "   \n", "stdin is not valid JSON: it is empty"),
    ("truncated", text()[:-5], "stdin is not valid JSON: Unterminated string starting at line 1, column 165"),
]


@pytest.mark.parametrize(("stdin_text", "expected"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_input_gives_one_line_and_status_2(stdin_text, expected):
    code, out, err = run(["score", "-"], stdin_text)
    assert code == 2
    assert err.splitlines() == [f"maple-crs: {expected}"]
    assert "Traceback" not in err
    if not expected.startswith("profile 1:"):  # a single document: nothing on stdout
        assert out == ""
    err.encode("utf-8")  # printable on any UTF-8 terminal (no lone surrogates)


@pytest.mark.parametrize("command", ["explain", "eligibility", "explain-eligibility"])
@pytest.mark.parametrize("case", ["age true", "age 5000 digits", "deep array", "test_date 9999", "work end 9999"])
def test_every_command_rejects_hostile_input_the_same_way(command, case):
    _, stdin_text, expected = next(c for c in HOSTILE if c[0] == case)
    code, _, err = run([command, "-"], stdin_text)
    assert (code, err.splitlines()) == (2, [f"maple-crs: {expected}"])


def test_dates_at_the_bounds_still_work_for_eligibility():
    """The latest allowed dates go through the date arithmetic (2-year validity, 10-year windows) fine."""
    data = profile(
        profile_date="2100-12-31",
        foreign_work_years=None,
        first_language=dict(LANGUAGE, test_date="2100-12-31"),
        work_periods=[dict(WORK, start="2100-12-31", end="2100-12-31")],
    )
    for command in ("score", "eligibility", "explain", "explain-eligibility"):
        code, out, err = run([command, "-"], json.dumps(data))
        assert code == 0 and err == "" and out


def test_two_problems_give_two_lines():
    code, _, err = run(["score", "-"], text(age=True, profile_date="9999-12-31"))
    assert code == 2
    assert err.splitlines() == [f"maple-crs: profile_date: {DATE_RANGE}", f"maple-crs: age: {NOT_A_BOOLEAN}"]


@pytest.mark.parametrize(
    ("stdin_text", "expected"),
    [
        (DEEP, "maple-crs: stdin is not valid JSON: nested too deeply at line 1, column 2"),
        (spliced(HUGE, age="@"), "maple-crs: age: must be a finite number of a sensible size"),
        (text(profile_date="9999-12-31"), f"maple-crs: profile_date: {DATE_RANGE}"),
        (text(age=True), f"maple-crs: age: {NOT_A_BOOLEAN}"),
    ],
    ids=["deep", "5000 digits", "year 9999", "boolean"],
)
def test_real_process_prints_one_line_and_no_traceback(stdin_text, expected):
    done = subprocess.run(
        [sys.executable, "-m", "knowledge.cli", "score", "-"],
        input=stdin_text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", expected + "\n")
