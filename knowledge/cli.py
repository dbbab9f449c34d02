"""``maple-crs``: score profiles given as JSON, for machines (``score``) or people (``explain``).

    maple-crs score profile.json       # JSON breakdown
    maple-crs score profiles.jsonl     # JSON Lines: one profile per line in, one result per line out
    maple-crs explain profile.json     # the same, in words
    maple-crs eligibility profile.json # programs, categories, certificate, funds as JSON
    maple-crs explain-eligibility profile.json
    maple-crs noc "software developer" # the likely NOC 2021 unit groups
    cat profiles.jsonl | maple-crs score --jsonl -

Input: one JSON object (one result out, indented), a JSON array of objects (an array out, one
result per line), or JSON Lines (``--jsonl``, a ``.jsonl``/``.ndjson`` file, or detected when the
first line is one JSON value and more follow on later lines). Arrays and JSON Lines are read and
written one profile at a time, so memory stays flat however many profiles there are.

A profile that cannot be scored does not stop a batch: its place in the output holds
``{"line": N, "errors": [...]}`` (JSON Lines) or ``{"profile": N, "errors": [...]}`` (arrays), stderr
gets one line per problem, and the exit status is 2 at the end. Broken JSON inside an array (or in a
single document) stops the run there, since nothing after it can be read reliably.

Exit status: 0 on success; 2 for unreadable input, bad JSON or invalid fields (for a batch: any
profile); 1 if Maple itself failed on a profile (a bug: the message says so).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from pydantic import ValidationError

from knowledge.crs.scoring import Factor, ScoreResult, Section, score
from knowledge.explain import explain_eligibility, explain_score
from knowledge.profile import Profile, friendly_errors
from knowledge.programs.eligibility import assess
from knowledge.programs.noc import default_noc_index

USAGE_ERROR = 2
INTERNAL_ERROR = 1
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CHUNK_CHARS = 1 << 20
# A value that ends this close to the end of what has been read may go on (a number cut in two):
# read more before trusting it.
MARGIN = 64
# Every number a profile holds has a handful of digits; a longer integer is read as a float (inf
# past ~308 digits) so that the field's own check names it, instead of Python's int-size limit.
MAX_INT_DIGITS = 300


class InputError(Exception):
    """Input a person must fix; the message says how."""


class Unreadable(NamedTuple):
    """A JSON Lines line that is not JSON: why."""

    reason: str


class Item(NamedTuple):
    index: int  # 1-based position among the profiles
    line: int  # the line it starts on
    value: Any  # the decoded JSON value, or Unreadable


def _json_int(text: str) -> int | float:
    return int(text) if len(text) <= MAX_INT_DIGITS else float(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


DECODER = json.JSONDecoder(parse_int=_json_int, parse_constant=_no_constant)
_SPACE = re.compile(r"[ \t\n\r]*")


def _decode_line(text: str) -> Any:
    """One JSON Lines line: its value, or Unreadable with the reason."""
    try:
        return DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return Unreadable(f"not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}")
    except RecursionError:
        return Unreadable("not valid JSON: nested too deeply")
    except ValueError as exc:
        return Unreadable(f"not valid JSON: {exc}")


class Reader:
    """JSON text read in chunks: values decoded one at a time, with the line each starts on."""

    def __init__(self, stream: TextIO, name: str, chunk_chars: int | None = None) -> None:
        self._stream = stream
        self._name = name
        self._chunk = chunk_chars or CHUNK_CHARS
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._started = False
        self._column_base = 0  # the column (0-based) of _buf[0] on its line
        self.line = 1  # the line of _buf[_pos]

    def _fill(self) -> bool:
        """Read more (at least as much as is waiting, so a huge value is re-parsed O(log n) times)."""
        if self._eof:
            return False
        try:
            text = self._stream.read(max(self._chunk, len(self._buf) - self._pos))
        except UnicodeDecodeError:
            raise InputError(f"{self._name} is not UTF-8 text (after line {self.line})") from None
        except OSError as exc:
            raise InputError(f"cannot read {self._name}: {exc.strerror}") from None
        if not text:
            self._eof = True
            return False
        if not self._started:  # a byte-order mark (Windows editors write one) is not part of the JSON
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._pos:
            newline = self._buf.rfind("\n", 0, self._pos)
            self._column_base = self._pos - newline - 1 if newline >= 0 else self._column_base + self._pos
            self._buf = self._buf[self._pos :] + text
            self._pos = 0
        else:
            self._buf += text
        return True

    def _advance(self, end: int) -> None:
        self.line += self._buf.count("\n", self._pos, end)
        self._pos = end

    def where(self, index: int | None = None) -> str:
        """'line L, column C' of ``_buf[index]`` (default: the current position)."""
        index = self._pos if index is None else index
        line = self.line + self._buf.count("\n", self._pos, index)
        newline = self._buf.rfind("\n", 0, index)
        column = index - newline if newline >= 0 else self._column_base + index + 1
        return f"line {line}, column {column}"

    def peek(self) -> str:
        """Skip whitespace; the next character, or '' at the end of the input."""
        while True:
            space = _SPACE.match(self._buf, self._pos)
            self._advance(space.end() if space else self._pos)
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def take(self) -> None:
        """Step over the (non-newline) character ``peek`` returned."""
        self._pos += 1

    def value(self) -> Any:
        """The JSON value at the current position (call ``peek`` first)."""
        while True:
            try:
                value, end = DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf) - MARGIN
                if cut and self._fill():
                    continue
                message = exc.msg.removesuffix(" at")  # 'Unterminated string starting at'
                raise InputError(f"{self._name} is not valid JSON: {message} at {self.where(exc.pos)}") from None
            except RecursionError:
                raise InputError(f"{self._name} is not valid JSON: nested too deeply at {self.where()}") from None
            except ValueError as exc:
                raise InputError(f"{self._name} is not valid JSON: {exc} (the value at {self.where()})") from None
            if end > len(self._buf) - MARGIN and self._fill():
                continue
            self._advance(end)
            return value

    def lines(self) -> Iterator[tuple[int, str]]:
        """The remaining text, line by line, with line numbers."""
        while True:
            newline = self._buf.find("\n", self._pos)
            if newline < 0:
                if self._fill():
                    continue
                if self._pos < len(self._buf):
                    yield self.line, self._buf[self._pos :]
                    self._pos = len(self._buf)
                return
            yield self.line, self._buf[self._pos : newline]
            self._pos = newline + 1
            self.line += 1


def _jsonl_items(lines: Iterator[tuple[int, str]], first_index: int = 1) -> Iterator[Item]:
    index = first_index
    for number, text in lines:
        if text.strip():
            yield Item(index, number, _decode_line(text))
            index += 1


def _array_items(reader: Reader, name: str) -> Iterator[Item]:
    reader.take()  # '['
    if reader.peek() == "]":
        reader.take()
    else:
        index = 1
        while True:
            reader.peek()
            yield Item(index, reader.line, reader.value())
            following = reader.peek()
            if following == "]":
                reader.take()
                break
            if following != ",":
                problem = "the array is not closed" if following == "" else "Expecting ',' delimiter"
                raise InputError(f"{name} is not valid JSON: {problem} at {reader.where()}")
            reader.take()
            index += 1
    if reader.peek():
        raise InputError(f"{name} is not valid JSON: Extra data at {reader.where()}")


def read_items(reader: Reader, name: str, jsonl: bool) -> tuple[str, Iterator[Item]]:
    """The kind of input ('single', 'array' or 'jsonl') and its profiles, read lazily."""
    if jsonl:
        return "jsonl", _jsonl_items(reader.lines())
    first = reader.peek()
    if first == "":
        raise InputError(f"{name} is not valid JSON: it is empty")
    if first == "[":
        return "array", _array_items(reader, name)
    start = reader.line
    value = reader.value()
    end = reader.line
    following = reader.peek()
    if following == "":
        return "single", iter([Item(1, start, value)])
    if start == end and reader.line > end:  # one value on line 1, more on later lines: JSON Lines
        return "jsonl", chain([Item(1, start, value)], _jsonl_items(reader.lines(), first_index=2))
    raise InputError(f"{name} is not valid JSON: Extra data at {reader.where()}")


# --- output -------------------------------------------------------------------------------------

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_pretty = json.JSONEncoder(ensure_ascii=False, indent=2).encode
# Factors repeat a lot (about 4,000 distinct ones in 30,000 varied profiles); whole sections less so
# (the age line differs), so only the first sections seen are kept: the common ones come early.
MAX_FACTORS = 20_000
MAX_SECTIONS = 2_000
_factor_json: dict[Factor, str] = {}
_section_json: dict[Section, str] = {}
_rules_json: dict[str, str] = {}


def _cached(cache: dict[Any, str], key: Any, build: Callable[[], object]) -> str:
    text = cache.get(key)
    if text is None:
        if len(cache) >= MAX_FACTORS:
            cache.clear()
        text = cache[key] = _compact(build())
    return text


def _new_section_json(s: Section) -> str:
    factors = ",".join([_cached(_factor_json, f, f._asdict) for f in s.factors])
    head = _compact({"key": s.key, "label": s.label})[:-1]
    text = f'{head},"points":{s.points},"cap":{s.cap},"factors":[{factors}]}}'
    if len(_section_json) < MAX_SECTIONS:
        _section_json[s] = text
    return text


def score_line(result: ScoreResult) -> str:
    """``result.to_dict()`` as compact JSON, built from cached pieces (factors repeat a lot)."""
    rules = _cached(
        _rules_json,
        result.rule_set,
        lambda: {
            "rule_set": result.rule_set,
            "rule_set_label": result.rule_set_label,
            "rules_effective_from": result.rules_effective_from.isoformat(),
            "rules_checked": result.rules_checked.isoformat(),
            "sources": list(result.sources),
        },
    )
    get = _section_json.get  # sections and factors repeat a lot across profiles: each is encoded once
    sections = ",".join([get(s) or _new_section_json(s) for s in result.sections])
    caveats = _compact(list(result.caveats)) if result.caveats else "[]"
    return (
        f'{{"total":{result.total},"max_total":{result.max_total},'
        f'"profile_date":"{result.profile_date.isoformat()}","age":{result.age},'
        f'"scored_as":{_compact(result.scored_as)},{rules[1:-1]},"sections":[{sections}],"caveats":{caveats}}}'
    )


def _scored(profile: Profile) -> ScoreResult:
    try:
        return score(profile)
    except LookupError as exc:
        raise InputError(str(exc)) from None


def _score_json(profile: Profile, compact: bool) -> str:
    result = _scored(profile)
    return score_line(result) if compact else _pretty(result.to_dict())


def _score_text(profile: Profile, compact: bool) -> str:
    return explain_score(_scored(profile))


def _eligibility_json(profile: Profile, compact: bool) -> str:
    data = assess(profile).model_dump(mode="json")
    return _compact(data) if compact else _pretty(data)


def _eligibility_text(profile: Profile, compact: bool) -> str:
    return explain_eligibility(assess(profile))


class Command(NamedTuple):
    help: str
    json_out: bool
    render: Callable[[Profile, bool], str]  # (profile, compact) -> output


COMMANDS: dict[str, Command] = {
    "score": Command("print the CRS breakdown as JSON", True, _score_json),
    "explain": Command("print the CRS breakdown for a person", False, _score_text),
    "eligibility": Command("print program and category eligibility as JSON", True, _eligibility_json),
    "explain-eligibility": Command("print program and category eligibility for a person", False, _eligibility_text),
}


class Outcome(NamedTuple):
    """One profile's rendered result, or the problems (one line each) that stopped it."""

    text: str | None
    problems: list[str]
    status: int  # 0, USAGE_ERROR (the input) or INTERNAL_ERROR (Maple)


def outcome(value: Any, render: Callable[[Profile, bool], str], compact: bool) -> Outcome:
    if isinstance(value, Unreadable):
        return Outcome(None, [value.reason], USAGE_ERROR)
    if not isinstance(value, dict):
        return Outcome(None, ["a profile must be a JSON object"], USAGE_ERROR)
    try:
        profile = Profile.model_validate(value)
        return Outcome(render(profile, compact), [], 0)
    except ValidationError as exc:
        return Outcome(None, friendly_errors(exc), USAGE_ERROR)
    except InputError as exc:
        return Outcome(None, [str(exc)], USAGE_ERROR)
    except Exception as exc:  # a bug in Maple, not in the input: one line that says so; a batch goes on
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return Outcome(None, [f"internal error, please report it: {detail}"], INTERNAL_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maple-crs", description="Express Entry CRS scoring from a JSON profile (see README)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        cmd = sub.add_parser(name, help=command.help)
        cmd.add_argument(
            "file", help="a JSON file with a profile or an array of profiles, or a JSON Lines file; - for stdin"
        )
        cmd.add_argument(
            "--jsonl",
            action="store_true",
            help="read JSON Lines (one profile per line); implied by a .jsonl or .ndjson file name",
        )
    noc = sub.add_parser("noc", help="find the NOC 2021 unit groups for a job title or code")
    noc.add_argument("query", nargs="+")
    return parser


def _open(path: str, stdin: TextIO) -> AbstractContextManager[TextIO]:
    if path == "-":
        return nullcontext(stdin)
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def run_profiles(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    command = COMMANDS[args.command]
    name = "stdin" if args.file == "-" else args.file
    jsonl = args.jsonl or Path(args.file).suffix.lower() in JSONL_SUFFIXES
    with _open(args.file, stdin) as stream:
        kind, items = read_items(Reader(stream, name), name, jsonl)
        if kind == "single":
            result = outcome(next(items).value, command.render, compact=False)
            for problem in result.problems:
                print(f"maple-crs: {problem}", file=stderr)
            if result.text is not None:
                print(result.text, file=stdout)
            return result.status
        return _run_batch(kind, items, command, stdout, stderr)


def _run_batch(kind: str, items: Iterator[Item], command: Command, stdout: TextIO, stderr: TextIO) -> int:
    """Each profile's result in its place as it comes; the worst status at the end."""
    where = "line" if kind == "jsonl" else "profile"
    array_out = kind == "array" and command.json_out
    status = count = 0
    for item in items:
        number = item.line if kind == "jsonl" else item.index
        text, problems, item_status = outcome(item.value, command.render, compact=True)
        if text is None:
            status = INTERNAL_ERROR if INTERNAL_ERROR in (status, item_status) else USAGE_ERROR  # a bug outranks
            for problem in problems:
                stderr.write(f"maple-crs: {where} {number}: {problem}\n")
            if command.json_out:
                text = _compact({where: number, "errors": problems})
            else:
                text = f"{where.capitalize()} {number}: not scored (see the messages on stderr)"
        if array_out:
            stdout.write(("," if count else "[") + "\n" + text)  # '[' with the first: no output if that fails
        elif command.json_out:
            stdout.write(text + "\n")
        else:
            stdout.write(("\n" if count else "") + text + "\n")
        count += 1
    if array_out:
        stdout.write("\n]\n" if count else "[]\n")
    return status


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
    try:
        return run_profiles(args, stdin, stdout, stderr)
    except InputError as exc:
        stdout.flush()
        print(f"maple-crs: {exc}", file=stderr)
        return USAGE_ERROR


def entry_point() -> None:
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `maple-crs score big.jsonl | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = INTERNAL_ERROR
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
