"""The changes that would raise a CRS score most, computed by re-scoring changed profiles (not guessed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from knowledge.crs.scoring import Scorer, default_scorer
from knowledge.profile import Profile
from knowledge.vocabulary import EDUCATION_LEVELS


class Improvement(BaseModel):
    change: str
    gain: int
    new_total: int


def _levels(test: str, level: int) -> dict[str, Any]:
    return {"test": test, "listening": level, "reading": level, "writing": level, "speaking": level}


Candidate = tuple[str, Callable[[dict[str, Any]], dict[str, Any] | None]]


def _english_to(level: int) -> Candidate:
    def change(d: dict[str, Any]) -> dict[str, Any] | None:
        first = d.get("first_language")
        if first is None or first["test"] in ("tef_canada", "tcf_canada", "nclc"):
            return None
        return {"first_language": _levels("clb", level)}

    return (f"CLB {level} in all four English abilities", change)


def _add_french(d: dict[str, Any]) -> dict[str, Any] | None:
    first = d.get("first_language")
    if first is None or first["test"] in ("tef_canada", "tcf_canada", "nclc") or d.get("second_language"):
        return None
    return {"second_language": _levels("nclc", 7)}


def _more_canadian_work(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("work_periods"):
        return None  # shown from the totals only; a period-based profile would need a dated job
    return {"canadian_work_years": int(d.get("canadian_work_years", 0)) + 1}


def _eca(d: dict[str, Any]) -> dict[str, Any] | None:
    return {"education_proof": "eca"} if d.get("education_proof") == "none" else None


def _education_to(level: str) -> Candidate:
    def change(d: dict[str, Any]) -> dict[str, Any] | None:
        if EDUCATION_LEVELS.index(d["education"]) >= EDUCATION_LEVELS.index(level):
            return None
        return {"education": level}

    label = {"two_or_more": "a second post-secondary credential (one of 3+ years)", "masters": "a master's degree"}[
        level
    ]
    return (label, change)


CANDIDATES: tuple[Candidate, ...] = (
    _english_to(9),
    _english_to(10),
    ("NCLC 7 in all four French abilities", _add_french),
    ("one more year of skilled work in Canada", _more_canadian_work),
    ("an Educational Credential Assessment of your education", _eca),
    _education_to("two_or_more"),
    _education_to("masters"),
)


def top_improvements(profile: Profile, limit: int = 3, scorer: Scorer | None = None) -> list[Improvement]:
    scorer = scorer or default_scorer()
    base = scorer.score(profile).total
    data = profile.model_dump(mode="json", exclude_unset=True)
    found: list[Improvement] = []
    for label, change in CANDIDATES:
        update = change(data)
        if update is None:
            continue
        try:
            changed = Profile.model_validate({**data, **update})
        except ValidationError:
            continue
        total = scorer.score(changed).total
        if total > base:
            found.append(Improvement(change=label, gain=total - base, new_total=total))
    found.sort(key=lambda i: -i.gain)
    return found[:limit]
