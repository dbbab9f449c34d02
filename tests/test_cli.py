"""``maple-crs``: JSON in, JSON or words out; bad input gives a clear message and status 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from knowledge.cli import main

PROFILE = {
    "profile_date": "2026-10-01",
    "age": 29,
    "education": "bachelors",
    "first_language": {"test": "ielts", "listening": 8, "reading": 7, "writing": 7, "speaking": 7},
    "foreign_work_years": 3,
}


def run(args, stdin_text=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_score_one_profile_from_stdin():
    code, out, err = run(["score", "-"], json.dumps(PROFILE))
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 429
    assert [s["key"] for s in result["sections"]] == ["core", "spouse", "transferability", "additional"]
    assert result["rule_set"] == "crs-2025-03-25"
    assert result["sources"][0].startswith("https://www.canada.ca/")


def test_score_an_array_gives_an_array(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([PROFILE, dict(PROFILE, age=45)]))
    code, out, _ = run(["score", str(path)])
    assert code == 0
    assert [r["total"] for r in json.loads(out)] == [429, 429 - 110]


def test_explain_is_for_a_person():
    code, out, _ = run(["explain", "-"], json.dumps(PROFILE))
    assert code == 0
    assert "CRS score: 429 / 1200" in out
    assert "IELTS General Training 8.0 = CLB 9" in out
    assert "Source: https://www.canada.ca/" in out


def test_bad_json_exits_2_with_a_message():
    code, out, err = run(["score", "-"], "{not json")
    assert code == 2 and out == ""
    assert "not valid JSON" in err and "line 1" in err


def test_invalid_fields_exit_2_naming_each_problem():
    bad = [PROFILE, dict(PROFILE, education="phd"), dict(PROFILE, age=None)]
    code, out, err = run(["score", "-"], json.dumps(bad))
    assert code == 2
    assert err.splitlines() == [
        "maple-crs: profile 2: education: must be one of: 'less_than_secondary', 'secondary', 'one_year', "
        "'two_year', 'bachelors', 'two_or_more', 'masters' or 'doctoral'",
        "maple-crs: profile 3: profile: give either age or date_of_birth (one of the two)",
    ]
    # the batch goes on: each profile keeps its place, a bad one as an error object
    results = json.loads(out)
    assert results[0]["total"] == 429
    assert results[1] == {"profile": 2, "errors": [err.splitlines()[0].removeprefix("maple-crs: profile 2: ")]}
    assert results[2]["profile"] == 3 and len(results[2]["errors"]) == 1


def test_single_invalid_profile_prints_nothing_on_stdout():
    code, out, err = run(["score", "-"], json.dumps(dict(PROFILE, education="phd")))
    assert code == 2 and out == ""
    assert err.startswith("maple-crs: education: must be one of:") and err.count("\n") == 1


def test_missing_file_exits_2(tmp_path):
    code, _, err = run(["score", str(tmp_path / "nope.json")])
    assert code == 2 and "cannot read" in err


def test_non_object_exits_2():
    code, _, err = run(["score", "-"], "42")
    assert code == 2 and "must be a JSON object" in err


def test_date_before_the_rules_exits_2():
    code, _, err = run(["score", "-"], json.dumps(dict(PROFILE, profile_date="2015-01-01")))
    assert code == 2 and "earliest rule set" in err


def test_installed_console_script_runs():
    script = "import sys; from knowledge.cli import entry_point; sys.argv=['maple-crs','score','-']; entry_point()"
    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(PROFILE), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and json.loads(done.stdout)["total"] == 429
