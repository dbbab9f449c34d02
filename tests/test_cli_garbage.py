"""Property: whatever JSON-ish garbage comes in as a profile, ``maple-crs`` exits 0 or 2 and never raises."""

from __future__ import annotations

import io
import json
from typing import Any, NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.cli import main
from knowledge.profile import Profile

LANGUAGE = {"test": "ielts", "listening": 8, "reading": 7, "writing": 7, "speaking": 7}
PROFILE: dict[str, Any] = {
    "profile_date": "2026-10-01",
    "age": 29,
    "education": "bachelors",
    "first_language": LANGUAGE,
    "foreign_work_years": 3,
}
FIELDS = sorted(Profile.model_fields)


class Raw(NamedTuple):
    """JSON text put in as it is: numbers json.dumps cannot write, nesting past the decoder's limit."""

    text: str


RAW = st.sampled_from(
    [
        Raw("1" + "0" * 5000),
        Raw("-" + "9" * 4400),
        Raw("1e5000"),
        Raw("-1e5000"),
        Raw("1e-5000"),
        Raw("[" * 3000 + "]" * 3000),
        Raw('{"a":' * 3000 + "1" + "}" * 3000),
    ]
)
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["9999-12-31", "0001-01-01", "2100-12-31", "1900-01-01", "2026-02-29", "tef_canada", "21231"])
    | RAW
)
GARBAGE = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.sampled_from(FIELDS), inner, max_size=4)
    ),
    max_leaves=12,
)


def _overlaid(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some fields replaced by garbage: near-valid, so it gets past the first checks."""
    return st.builds(lambda over: {**base, **over}, st.dictionaries(st.sampled_from(keys), GARBAGE, max_size=3))


LANGUAGE_LIKE = _overlaid(LANGUAGE, ["test", "test_date", "tef_scale", "listening", "reading", "writing", "speaking"])
WORK_LIKE = _overlaid(
    {"noc": "21231", "in_canada": True, "start": "2020-01-01"},
    ["noc", "in_canada", "start", "end", "hours_per_week", "paid", "self_employed", "authorized"],
)
SPOUSE_LIKE = _overlaid({"education": "masters"}, ["canadian_citizen_or_pr", "accompanying", "education", "language"])
PROFILE_LIKE = st.builds(
    lambda over: {k: v for k, v in {**PROFILE, **over}.items() if v is not Ellipsis},
    st.dictionaries(
        st.sampled_from(FIELDS),
        GARBAGE | LANGUAGE_LIKE | SPOUSE_LIKE | st.lists(WORK_LIKE, max_size=3) | st.just(Ellipsis),
        max_size=4,
    ),
)


def to_json(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + to_json(v) for k, v in value.items()) + "}"
    return json.dumps(value)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(GARBAGE, PROFILE_LIKE, PROFILE_LIKE),
    st.sampled_from(["score", "explain", "eligibility", "explain-eligibility"]),
    st.sampled_from(["single", "array", "jsonl"]),
)
def test_garbage_exits_0_or_2_and_never_raises(value, command, shape):
    one = to_json(value)
    text = {"single": one, "array": f"[{one},{to_json(PROFILE)}]", "jsonl": f"{one}\n\n{to_json(PROFILE)}\n"}[shape]
    out, err = io.StringIO(), io.StringIO()
    code = main([command, "--jsonl", "-"] if shape == "jsonl" else [command, "-"], io.StringIO(text), out, err)
    assert code in (0, 2), err.getvalue()
    messages = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue()
    assert all(m.startswith("maple-crs: ") for m in messages)
    assert bool(messages) == (code == 2)
    err.getvalue().encode("utf-8")
    if code == 0 and command in ("score", "eligibility"):
        if shape == "jsonl":
            assert len([json.loads(line) for line in out.getvalue().splitlines()]) == 2
        else:
            json.loads(out.getvalue())


DATES = (
    st.sampled_from(["9999-12-31", "9998-01-01", "0001-01-01", "0002-02-28", "2100-12-31", "1900-01-01"]) | st.dates()
)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {"profile_date": DATES, "test_date": DATES, "start": DATES, "end": DATES, "born": DATES | st.none()}
    ),
    st.sampled_from(["score", "explain", "eligibility", "explain-eligibility"]),
)
def test_any_dates_exit_0_or_2(dates, command):
    """Dates anywhere in the calendar: date arithmetic (validity, age, work windows) never overflows."""
    data = dict(
        PROFILE,
        profile_date=str(dates["profile_date"]),
        first_language=dict(
            LANGUAGE,
            test="tef_canada",
            test_date=str(dates["test_date"]),
            **dict.fromkeys(["listening", "reading", "writing", "speaking"], 400),
        ),
        work_periods=[{"noc": "21231", "in_canada": True, "start": str(dates["start"]), "end": str(dates["end"])}],
    )
    del data["foreign_work_years"]
    if dates["born"] is not None:
        del data["age"]
        data["date_of_birth"] = str(dates["born"])
    out, err = io.StringIO(), io.StringIO()
    code = main([command, "-"], io.StringIO(json.dumps(data)), out, err)
    assert code in (0, 2), err.getvalue()
    assert len(err.getvalue().splitlines()) >= (code == 2)
