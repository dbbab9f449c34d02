"""Shared helpers for Maple's tests."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.profile import Profile


def clb(
    listening: float,
    reading: float | None = None,
    writing: float | None = None,
    speaking: float | None = None,
    test: str = "clb",
) -> dict[str, Any]:
    """A language result given as levels (or raw scores with ``test``)."""
    reading = listening if reading is None else reading
    writing = listening if writing is None else writing
    speaking = listening if speaking is None else speaking
    return {"test": test, "listening": listening, "reading": reading, "writing": writing, "speaking": speaking}


def nclc(*levels: float) -> dict[str, Any]:
    return clb(*levels, test="nclc")


def make_profile(**fields: Any) -> Profile:
    """A valid profile: single, 29, bachelor's, no language, on 2026-10-01, plus ``fields``."""
    base: dict[str, Any] = {"profile_date": "2026-10-01", "age": 29, "education": "bachelors"}
    base.update(fields)
    if "date_of_birth" in fields:
        base.pop("age", None)
    return Profile.model_validate(base)


@pytest.fixture
def profile_factory():
    return make_profile
