"""Reading a person's answer to one question: a value to store, a list of options, or a friendly error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from flows.questions import SCORE_HINT, Choice, Question, choices_for
from knowledge.language import ABILITIES, LanguageScoreError, LanguageTest, convert, default_language_tables
from knowledge.programs.noc import NocIndex

MAX_TEXT = 200
SCORE_EXAMPLES = {
    "ielts": "8 7.5 7 6.5",
    "celpip": "9 8 8 9",
    "pte_core": "82 78 79 84",
    "tef_canada": "480 470 460 500",
    "tcf_canada": "520 510 12 12",
}


@dataclass
class Accepted:
    value: Any
    note: str = ""  # e.g. the CLB levels the scores correspond to


@dataclass
class Invalid:
    message: str


@dataclass
class Options:
    """The answer needs one more tap: pick among these (e.g. NOC matches for a job title)."""

    message: str
    choices: list[Choice] = field(default_factory=list)


Outcome = Accepted | Invalid | Options


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9'+-]+", text.lower()))


def match_choice(question: Question, text: str, answers: dict[str, Any] | None = None) -> Choice | None:
    """A typed answer to a fixed choice: by id, label or synonym, then by close spelling."""
    norm = _norm(text)
    if not norm:
        return None
    names: dict[str, Choice] = {}
    for choice in choices_for(question, answers or {}):
        for name in (choice.id.replace("_", " "), choice.label, *choice.synonyms):
            names.setdefault(_norm(name), choice)
    if norm in names:
        return names[norm]
    best = process.extractOne(norm, list(names), scorer=fuzz.ratio, score_cutoff=82)
    return names[best[0]] if best else None


_DATE = re.compile(r"^\s*(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})\s*$")


def parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


_NUMBER = re.compile(r"^\s*\$?\s*(\d[\d,\s]*(?:\.\d+)?)\s*(k|K)?\s*(cad|\$)?\s*$")


def parse_number(text: str) -> float | None:
    match = _NUMBER.match(text)
    if not match:
        return None
    try:
        value = float(match[1].replace(",", "").replace(" ", ""))
    except ValueError:
        return None
    return value * 1000 if match[2] else value


def read_answer(question: Question, text: str, answers: dict[str, Any], today: date, noc: NocIndex) -> Outcome:
    """Validate ``text`` as an answer to ``question``."""
    text = text.strip()[:MAX_TEXT]
    if question.kind in ("choice", "yesno"):
        choice = match_choice(question, text, answers)
        if choice is None:
            options = ", ".join(c.label for c in choices_for(question, answers))
            return Invalid(f"Please tap a button or type one of: {options}.")
        return Accepted(choice.id)
    if question.kind == "date":
        return _read_date(question, text, answers, today)
    if question.kind == "number":
        return _read_number(question, text)
    if question.kind == "scores":
        return _read_scores(question, text, answers)
    return _read_noc(text, noc)


def _read_date(question: Question, text: str, answers: dict[str, Any], today: date) -> Outcome:
    if question.choices:
        choice = match_choice(question, text)
        if choice is not None:
            return Accepted(choice.id)
    day = parse_date(text)
    if day is None:
        return Invalid("Please send a date as YYYY-MM-DD, for example 2021-03-15.")
    if day > today:
        return Invalid(f"That date is in the future (today is {today.isoformat()}). Please check it.")
    if question.id == "dob":
        age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        if not 16 <= age <= 100:
            return Invalid(f"That makes you {age} years old; please send a date of birth for an age from 16 to 100.")
    if question.id == "job_end":
        start = date.fromisoformat(answers.get("job_draft", {}).get("job_start", "0001-01-01"))
        if day < start:
            return Invalid(f"The end date is before the start ({start.isoformat()}). Please check it.")
    if question.id == "job_start" and day.year < today.year - 30:
        return Invalid(f"Only work in the last 10 years counts; please send a start date after {today.year - 30}.")
    return Accepted(day.isoformat())


def _read_number(question: Question, text: str) -> Outcome:
    value = parse_number(text)
    low, high = question.minimum or 0, question.maximum or 1e12
    if value is None or not low <= value <= high:
        return Invalid(f"Please send a number from {low:g} to {high:,.0f}.")
    if question.id == "family_size" and value != int(value):
        return Invalid("Please send a whole number of people.")
    return Accepted(int(value) if value == int(value) else value)


def scores_prefix(question_id: str) -> str:
    return {"lang1_scores": "lang1", "lang2_scores": "lang2", "spouse_scores": "spouse"}[question_id]


def _test_of(question: Question, answers: dict[str, Any]) -> tuple[str, date | None]:
    prefix = scores_prefix(question.id)
    test_key = {"lang1": "lang1_test", "lang2": "lang2_test", "spouse": "spouse_test"}[prefix]
    date_key = {"lang1": "lang1_date", "lang2": "lang2_date", "spouse": "spouse_date"}[prefix]
    test_date = answers.get(date_key)
    return answers[test_key], date.fromisoformat(test_date) if test_date else None


def score_hint(question: Question, answers: dict[str, Any]) -> str:
    test, _ = _test_of(question, answers)
    return SCORE_HINT.format(example=SCORE_EXAMPLES.get(test, "8 7 7 7"))


def _read_scores(question: Question, text: str, answers: dict[str, Any]) -> Outcome:
    test, test_date = _test_of(question, answers)
    parts = re.split(r"[\s,;/|]+", text.replace("L:", " ").strip())
    numbers = [parse_number(p) for p in parts if p]
    if len(numbers) != 4 or any(n is None for n in numbers):
        return Invalid("I need exactly four numbers. " + score_hint(question, answers))
    scores = dict(zip(ABILITIES, [float(n) for n in numbers if n is not None], strict=True))
    try:
        levels = convert(default_language_tables(), LanguageTest(test), scores, test_date)
    except LanguageScoreError as exc:
        return Invalid(f"{exc}. {score_hint(question, answers)}")
    unit = "NCLC" if test in ("tef_canada", "tcf_canada") else "CLB"
    shown = ", ".join(
        f"{a} {unit} {lv}" if lv >= 4 else f"{a} below {unit} 4" for a, lv in zip(ABILITIES, levels, strict=True)
    )
    return Accepted(scores, note=f"That is {shown}.")


def _read_noc(text: str, noc: NocIndex) -> Outcome:
    if re.fullmatch(r"\d{5}", text):
        group = noc.get(text)
        if group is None:
            return Invalid(f"{text} is not a NOC 2021 code. Send the job title instead and I will look it up.")
        return Accepted(group.code, note=f"NOC {group.code}: {group.title} (TEER {group.teer}).")
    if len(_norm(text)) < 2:
        return Invalid("Please type the job title (e.g. 'software developer') or its 5-digit NOC code.")
    matches = noc.search(text, limit=5)
    if not matches:
        return Invalid("I could not find that job title in NOC 2021. Try other words, or the 5-digit NOC code.")
    return Options(
        "Which of these is closest to the job's main duties?",
        [Choice(id=m.code, label=f"{m.code} {m.title} (TEER {m.teer})") for m in matches],
    )
