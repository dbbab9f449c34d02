"""``maple-crs``: score profiles given as JSON, for machines (``score``) or people (``explain``).

    maple-crs score profile.json       # JSON breakdown (an array in gives an array out)
    maple-crs explain profile.json     # the same, in words
    maple-crs eligibility profile.json # programs, categories, certificate, funds as JSON
    maple-crs explain-eligibility profile.json
    maple-crs noc "software developer" # the likely NOC 2021 unit groups
    cat profile.json | maple-crs score -

Exit status: 0 on success, 2 for unreadable input, bad JSON or invalid fields.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from knowledge.crs.scoring import ScoreResult, score
from knowledge.explain import explain_eligibility, explain_score
from knowledge.profile import Profile, friendly_errors
from knowledge.programs.eligibility import assess
from knowledge.programs.noc import default_noc_index

USAGE_ERROR = 2


class InputError(Exception):
    """Input a person must fix; the message says how."""


def read_json(path: str, stdin: TextIO) -> tuple[Any, bool]:
    """The parsed document, and whether it was an array."""
    try:
        text = stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    return data, isinstance(data, list)


def parse_profiles(data: Any, many: bool) -> list[Profile]:
    items = data if many else [data]
    profiles, problems = [], []
    for index, item in enumerate(items):
        where = f"profile {index + 1}: " if many else ""
        if not isinstance(item, dict):
            problems.append(f"{where}a profile must be a JSON object")
            continue
        try:
            profiles.append(Profile.model_validate(item))
        except ValidationError as exc:
            problems.extend(where + line for line in friendly_errors(exc))
    if problems:
        raise InputError("\n".join(problems))
    return profiles


def _scored(profile: Profile) -> ScoreResult:
    try:
        return score(profile)
    except LookupError as exc:
        raise InputError(str(exc)) from None


def _score_json(profiles: list[Profile], many: bool) -> str:
    results = [_scored(p).to_dict() for p in profiles]
    return json.dumps(results if many else results[0], indent=2, ensure_ascii=False)


def _score_text(profiles: list[Profile], many: bool) -> str:
    return "\n\n".join(explain_score(_scored(p)) for p in profiles)


def _eligibility_json(profiles: list[Profile], many: bool) -> str:
    results = [assess(p).model_dump(mode="json") for p in profiles]
    return json.dumps(results if many else results[0], indent=2, ensure_ascii=False)


def _eligibility_text(profiles: list[Profile], many: bool) -> str:
    return "\n\n".join(explain_eligibility(assess(p)) for p in profiles)


COMMANDS: dict[str, tuple[str, Callable[[list[Profile], bool], str]]] = {
    "score": ("print the CRS breakdown as JSON", _score_json),
    "explain": ("print the CRS breakdown for a person", _score_text),
    "eligibility": ("print program and category eligibility as JSON", _eligibility_json),
    "explain-eligibility": ("print program and category eligibility for a person", _eligibility_text),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maple-crs", description="Express Entry CRS scoring from a JSON profile (see README)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("file", help="a JSON file with a profile or an array of profiles; - for stdin")
    noc = sub.add_parser("noc", help="find the NOC 2021 unit groups for a job title or code")
    noc.add_argument("query", nargs="+")
    return parser


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    if args.command == "noc":
        matches = default_noc_index().search(" ".join(args.query))
        if not matches:
            print("maple-crs: no NOC 2021 unit group matches that title", file=stderr)
            return 1
        for m in matches:
            print(f"{m.code}  TEER {m.teer}  {m.title}  (matched '{m.matched_title}')", file=stdout)
        return 0
    _, render = COMMANDS[args.command]
    try:
        data, many = read_json(args.file, stdin)
        profiles = parse_profiles(data, many)
        output = render(profiles, many)
    except InputError as exc:
        print(f"maple-crs: {exc}", file=stderr)
        return USAGE_ERROR
    print(output, file=stdout)
    return 0


def entry_point() -> None:
    sys.exit(main())
