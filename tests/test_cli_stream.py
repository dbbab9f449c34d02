"""``maple-crs`` batches: JSON Lines and arrays are read and written one profile at a time, in order."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import knowledge.cli as cli
from knowledge.cli import Reader, main, read_items

LANGUAGE = {"test": "ielts", "listening": 8, "reading": 7, "writing": 7, "speaking": 7}
BASE: dict[str, Any] = {
    "profile_date": "2026-10-01",
    "age": 29,
    "education": "bachelors",
    "first_language": LANGUAGE,
    "foreign_work_years": 3,
}
SPOUSE = {"education": "masters", "language": {"test": "celpip", **dict.fromkeys(LANGUAGE.keys() - {"test"}, 7)}}
WORK = {"noc": "21231", "in_canada": True, "start": "2021-01-04", "hours_per_week": 40}
VARIED = [
    BASE,
    dict(BASE, age=45),
    dict(BASE, age=18, education="secondary"),
    dict(BASE, marital_status="married", spouse=SPOUSE),
    dict(BASE, marital_status="common_law", spouse=dict(SPOUSE, accompanying=False)),
    dict(BASE, second_language={"test": "nclc", "listening": 9, "reading": 8, "writing": 7, "speaking": 7}),
    dict({k: v for k, v in BASE.items() if k not in ("age", "foreign_work_years")}, date_of_birth="1990-02-28"),
    dict(
        {k: v for k, v in BASE.items() if k != "foreign_work_years"}, work_periods=[WORK, dict(WORK, in_canada=False)]
    ),
    dict(BASE, profile_date="2025-03-24", arranged_employment="other_teer_0_1_2_3", provincial_nomination=True),
    dict(BASE, education="masters", canadian_study="three_plus_years", sibling_in_canada=True),
    dict(BASE, first_language=dict(LANGUAGE, test_date="2023-01-01")),  # expired: a caveat
    dict(BASE, certificate_of_qualification=True, canadian_work_years=2),
]


ONE = len(json.dumps(BASE))  # columns in the messages below count from these
ONE_INDENTED_LINES = json.dumps(BASE, indent=2).count("\n") + 1


def run(args: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def alone(command: str, profile: dict[str, Any]) -> Any:
    """The result of scoring one profile on its own (a single JSON document in)."""
    code, out, err = run([command, "-"], json.dumps(profile))
    assert code == 0, err
    return json.loads(out)


def jsonl(*values: Any) -> str:
    return "".join((v if isinstance(v, str) else json.dumps(v)) + "\n" for v in values)


@pytest.mark.parametrize("command", ["score", "eligibility"])
def test_jsonl_in_gives_jsonl_out_in_order_with_the_single_results(command):
    code, out, err = run([command, "--jsonl", "-"], jsonl(*VARIED))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(VARIED)
    assert [json.loads(line) for line in lines] == [alone(command, p) for p in VARIED]
    if command == "score":
        assert len({json.loads(line)["total"] for line in lines}) > 6  # the profiles really differ


def test_an_array_gives_an_array_with_the_single_results_one_per_line():
    code, out, err = run(["score", "-"], json.dumps(VARIED, indent=2))
    assert (code, err) == (0, "")
    assert json.loads(out) == [alone("score", p) for p in VARIED]
    assert out.startswith("[\n{") and out.endswith("}\n]\n") and out.count("\n") == len(VARIED) + 2


def test_a_bad_line_in_the_middle_is_reported_in_its_place_and_the_rest_is_scored():
    text = jsonl(BASE, "{not json", dict(BASE, age=True), 42, dict(BASE, age=45))
    code, out, err = run(["score", "--jsonl", "-"], text)
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == alone("score", BASE)
    assert lines[1] == {
        "line": 2,
        "errors": ["not valid JSON: Expecting property name enclosed in double quotes at column 2"],
    }
    assert lines[2] == {"line": 3, "errors": ["age: must be a number, not true or false"]}
    assert lines[3] == {"line": 4, "errors": ["a profile must be a JSON object"]}
    assert lines[4] == alone("score", dict(BASE, age=45))
    assert err.splitlines() == [
        "maple-crs: line 2: not valid JSON: Expecting property name enclosed in double quotes at column 2",
        "maple-crs: line 3: age: must be a number, not true or false",
        "maple-crs: line 4: a profile must be a JSON object",
    ]


def test_empty_lines_are_ignored_and_line_numbers_stay_those_of_the_file():
    text = "\n   \n" + json.dumps(BASE) + "\n\n\t\n" + json.dumps(dict(BASE, age="old")) + "\r\n\n"
    code, out, err = run(["score", "--jsonl", "-"], text)
    assert code == 2
    assert [json.loads(line).get("total") for line in out.splitlines()] == [429, None]
    assert err == "maple-crs: line 6: age: Input should be a valid integer, unable to parse string as an integer\n"


def test_only_blank_lines_is_an_empty_batch():
    assert run(["score", "--jsonl", "-"], "\n \n") == (0, "", "")
    assert run(["score", "-"], "[]") == (0, "[]\n", "")


@pytest.mark.parametrize("name", ["many.jsonl", "many.ndjson", "many.NDJSON", "many.json", "many.txt"])
def test_json_lines_by_extension_or_detected(tmp_path, name):
    path = tmp_path / name
    path.write_text(jsonl(BASE, dict(BASE, age=45), dict(BASE, age=True)), encoding="utf-8")
    code, out, err = run(["score", str(path)])
    assert code == 2
    assert [json.loads(line).get("total") for line in out.splitlines()] == [429, 429 - 110, None]
    assert err == "maple-crs: line 3: age: must be a number, not true or false\n"


def test_json_lines_detected_on_stdin_without_the_flag():
    code, out, _ = run(["score", "-"], jsonl(BASE, dict(BASE, age=45)))
    assert code == 0 and [json.loads(line)["total"] for line in out.splitlines()] == [429, 319]


def test_jsonl_extension_reads_lines_even_when_the_first_is_broken(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(jsonl("{broken", BASE), encoding="utf-8")
    code, out, _ = run(["score", str(path)])
    assert code == 2 and json.loads(out.splitlines()[1])["total"] == 429


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            json.dumps(BASE, indent=2) + "\n" + json.dumps(BASE),
            f"Extra data at line {ONE_INDENTED_LINES + 1}, column 1",
        ),
        (json.dumps(BASE) + " " + json.dumps(BASE), f"Extra data at line 1, column {ONE + 2}"),
        (json.dumps([BASE]) + "\n[]", "Extra data at line 2, column 1"),
    ],
)
def test_several_documents_that_are_not_json_lines_are_bad_json(text, message):
    code, _, err = run(["score", "-"], text)
    assert code == 2
    assert err.splitlines() == [f"maple-crs: stdin is not valid JSON: {message}"]


def test_broken_json_inside_an_array_stops_there_with_its_line():
    text = "[\n" + json.dumps(BASE) + ",\n" + json.dumps(BASE) + ",\n{oops}\n, {}]"
    code, out, err = run(["score", "-"], text)
    assert code == 2
    assert out.startswith("[\n") and out.count("\n") == 2  # the two results before it
    assert err == (
        "maple-crs: stdin is not valid JSON: Expecting property name enclosed in double quotes at line 4, column 2\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" + json.dumps(BASE), f"the array is not closed at line 1, column {ONE + 2}"),
        ("[" + json.dumps(BASE) + " x", f"Expecting ',' delimiter at line 1, column {ONE + 3}"),
        ("[" + json.dumps(BASE) + ",]", f"Expecting value at line 1, column {ONE + 3}"),
    ],
)
def test_malformed_arrays(text, message):
    code, _, err = run(["score", "-"], text)
    assert (code, err) == (2, f"maple-crs: stdin is not valid JSON: {message}\n")


def test_explain_many_prints_blocks_and_marks_the_bad_ones():
    code, out, err = run(["explain", "--jsonl", "-"], jsonl(BASE, dict(BASE, education="phd"), dict(BASE, age=45)))
    assert code == 2
    blocks = out.split("\n\n")
    assert blocks[0].startswith("CRS score: 429 / 1200")
    assert "Line 2: not scored (see the messages on stderr)" in out
    assert out.count("CRS score: ") == 2 and "CRS score: 319 / 1200" in out
    assert err.startswith("maple-crs: line 2: education: must be one of:")


def test_score_line_is_exactly_to_dict():
    from knowledge.crs.scoring import score
    from knowledge.profile import Profile

    for data in VARIED:
        result = score(Profile.model_validate(data))
        assert json.loads(cli.score_line(result)) == result.to_dict()


# --- streaming: output starts before the input is read to the end ---------------------------------


class CountingInput(io.StringIO):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.consumed = 0

    def read(self, size: int | None = -1, /) -> str:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


class RecordingOutput(io.StringIO):
    """Notes how much input had been read at each write."""

    def __init__(self, source: CountingInput) -> None:
        super().__init__()
        self.source = source
        self.read_at_write: list[int] = []

    def write(self, text: str, /) -> int:
        self.read_at_write.append(self.source.consumed)
        return super().write(text)


@pytest.mark.parametrize("as_array", [True, False])
def test_results_are_written_while_the_input_is_still_being_read(monkeypatch, as_array):
    monkeypatch.setattr(cli, "CHUNK_CHARS", 1024)
    profiles = [dict(BASE, age=18 + i % 30) for i in range(300)]
    text = json.dumps(profiles) if as_array else jsonl(*profiles)
    source = CountingInput(text)
    out = RecordingOutput(source)
    assert main(["score", "-"], stdin=source, stdout=out, stderr=io.StringIO()) == 0
    assert len(out.read_at_write) >= 300
    assert out.read_at_write[0] <= 3 * 1024 < len(text) // 10  # the first result came from the first chunks
    assert source.consumed == len(text)
    results = json.loads(out.getvalue()) if as_array else [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["age"] for r in results] == [p["age"] for p in profiles]


# --- the incremental reader: any chunk size reads the same values as json.loads --------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(JSON_VALUES, max_size=8), st.integers(min_value=1, max_value=200), st.sampled_from([None, 2]))
def test_reader_reads_arrays_the_same_for_any_chunk_size(values, chunk, indent):
    text = json.dumps(values, indent=indent, ensure_ascii=False)
    kind, items = read_items(Reader(io.StringIO(text), "stdin", chunk_chars=chunk), "stdin", jsonl=False)
    assert kind == "array"
    assert [item.value for item in items] == json.loads(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4), min_size=2, max_size=6), st.integers(1, 80)
)
def test_reader_detects_json_lines_for_any_chunk_size(values, chunk):
    text = jsonl(*values)
    kind, items = read_items(Reader(io.StringIO(text), "stdin", chunk_chars=chunk), "stdin", jsonl=False)
    assert kind == "jsonl"
    got = list(items)
    assert [item.value for item in got] == values
    assert [item.line for item in got] == list(range(1, len(values) + 1))


def test_reader_reports_the_line_of_each_array_element():
    text = "[\n" + ",\n\n".join(json.dumps(v) for v in ({"a": 1}, {"b": 2}, {"c": "x\ny"})) + "\n]"
    _, items = read_items(Reader(io.StringIO(text), "stdin", chunk_chars=3), "stdin", jsonl=False)
    assert [(item.index, item.line) for item in items] == [(1, 2), (2, 4), (3, 6)]


def test_not_utf8_file_exits_2(tmp_path: Path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(dict(BASE, education="bachelors")).encode().replace(b"bachelors", b"caf\xe9"))
    code, _, err = run(["score", str(path)])
    assert code == 2 and err.startswith(f"maple-crs: {path} is not UTF-8 text")


def test_a_failure_inside_maple_is_one_line_status_1_and_the_batch_goes_on(monkeypatch):
    real_score = cli.score

    def failing(profile):
        if profile.age_on_date == 45:
            raise ValueError("boom\nsecond line")
        return real_score(profile)

    monkeypatch.setattr(cli, "score", failing)
    code, out, err = run(["score", "--jsonl", "-"], jsonl(BASE, dict(BASE, age=45), dict(BASE, age=True), BASE))
    assert code == 1
    assert err.splitlines() == [
        "maple-crs: line 2: internal error, please report it: ValueError: boom second line",
        "maple-crs: line 3: age: must be a number, not true or false",
    ]
    assert [json.loads(line).get("total") for line in out.splitlines()] == [429, None, None, 429]


@pytest.mark.parametrize("name", ["one.json", "many.jsonl"])
def test_a_byte_order_mark_is_skipped(tmp_path: Path, name):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode() + b"\n")
    code, out, err = run(["score", str(path)])
    assert (code, err) == (0, "") and json.loads(out)["total"] == 429
