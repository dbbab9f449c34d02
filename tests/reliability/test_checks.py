"""The comparison itself, on made-up rows: lost, doubled and misplaced answers are told apart and counted."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reliability.checks import CrashFigures, compare_chat, flatten
from tests.reliability.harness import encodings, raw_search, token_leaks
from tests.reliability.workload import Expected

pytestmark = pytest.mark.reliability

ANSWERS: dict[str, Any] = {
    "dob": "1990-05-17",
    "marital": "never_married",
    "education": "masters",
    "education_proof": "eca",
    "lang1_scores": {"listening": 8.0, "reading": 7.0, "writing": 7.0, "speaking": 7.5},
    "job_add": "yes",
    "job_draft": {"job_noc": "21232", "job_where": "abroad"},
}
REPLIES = [["Hello", "What is your date of birth?"], ["What is your marital status?"], ["Education?"]]


def expected() -> Expected:
    return Expected(1, "job_start", ANSWERS, list(ANSWERS), REPLIES)


def row(answers: dict[str, Any], state: str = "job_start") -> tuple[str, dict[str, Any]]:
    return state, {"answers": answers, "history": list(answers)}


def sent() -> list[str]:
    return [t for texts in REPLIES for t in texts]


def test_the_same_answers_and_state_are_exact() -> None:
    verdict = compare_chat(expected(), row(dict(ANSWERS)), sent())
    assert verdict.exact and (verdict.lost, verdict.doubled, verdict.misplaced) == (0, 0, 0)
    assert (verdict.duplicate_replies, verdict.missing_replies, verdict.unexpected_replies) == (0, 0, 0)


def test_a_lost_update_shows_as_lost_answers_and_the_wrong_state() -> None:
    stored = {k: v for k, v in ANSWERS.items() if k not in ("job_add", "job_draft")}
    verdict = compare_chat(expected(), row(stored, "job_add"), sent())
    assert not verdict.exact and not verdict.state_ok
    assert (verdict.lost, verdict.doubled, verdict.misplaced) == (3, 0, 0)


def test_an_update_applied_twice_shows_as_doubled_and_shifted_answers() -> None:
    # "never_married" applied again lands on education; the next answers move one question on
    stored = {**ANSWERS, "education": "never_married", "education_proof": "masters", "lang1_test": "eca"}
    verdict = compare_chat(expected(), row(stored), sent())
    assert (verdict.lost, verdict.doubled, verdict.misplaced) == (0, 1, 3) and not verdict.exact


def test_an_answer_on_the_wrong_question_is_misplaced() -> None:
    stored = {**ANSWERS, "education": "eca", "education_proof": "masters"}
    verdict = compare_chat(expected(), row(stored), sent())
    assert (verdict.lost, verdict.doubled, verdict.misplaced) == (0, 0, 2) and not verdict.exact


def test_a_missing_row_loses_everything() -> None:
    verdict = compare_chat(expected(), None, [])
    assert verdict.lost == len(flatten(ANSWERS)) and not verdict.state_ok
    assert verdict.missing_replies == len(sent())


def test_replies_sent_twice_count_as_duplicates_in_an_exact_chat() -> None:
    verdict = compare_chat(expected(), row(dict(ANSWERS)), [*sent(), "Education?", "Sorry, something went wrong"])
    assert (verdict.duplicate_replies, verdict.unexpected_replies, verdict.missing_replies) == (1, 1, 0)


def test_jobs_are_compared_field_by_field() -> None:
    assert flatten({"jobs": [{"job_noc": "1", "job_where": "canada"}], "job_draft": {"job_noc": "2"}}) == {
        "jobs[0].job_noc": "1",
        "jobs[0].job_where": "canada",
        "job_draft.job_noc": "2",
    }


def test_figures_name_every_broken_promise() -> None:
    figures = CrashFigures(chats=1, drained=True, stop_exit_code=0)
    figures.add(compare_chat(expected(), None, []))
    problems = " ".join(figures.failures())
    assert "lost" in problems and "wrong state" in problems and "0/1" in problems


def test_raw_search_finds_utf8_and_json_escaped_forms(tmp_path) -> None:
    title = "Maîtres d'hôtel"
    assert encodings(title)["json"] == b"Ma\\u00eetres d'h\\u00f4tel"
    (tmp_path / "a.db").write_bytes(b"\x00\x01" + encodings(title)["json"] + b"\x00")
    (tmp_path / "a.db-wal").write_bytes(title.encode())
    found = {(f.file, f.form) for f in raw_search([tmp_path / "a.db", tmp_path / "a.db-wal"], [title])}
    assert found == {("a.db", "json"), ("a.db-wal", "utf-8")}


def test_token_leaks_look_for_the_secret_part_too(tmp_path) -> None:
    (tmp_path / "out.log").write_text("GET /bot123:SECRETPART/getMe\n")
    (tmp_path / "err.log").write_text("the secret alone: SECRETPART\n")
    (tmp_path / "clean.log").write_text("nothing here\n")
    leaks = token_leaks([tmp_path], token="123:SECRETPART")
    assert sorted((leak.file.rsplit("/", 1)[1], leak.what) for leak in leaks) == [
        ("err.log", "secret"),
        ("out.log", "token"),
    ]
    assert all("SECRETPART" not in leak.line for leak in leaks)
