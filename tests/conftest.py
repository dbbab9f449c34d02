"""Shared helpers for Maple's tests."""

from __future__ import annotations

import os
from typing import Any

import pytest

from knowledge.profile import Profile
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN

os.environ.setdefault("MAPLE_DRAWS_REFRESH_HOURS", "0")  # no test process (nor a child) ever fetches the feed


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
async def api():
    """A fake Bot API on 127.0.0.1 for one test (the real python-telegram-bot stack talks to it)."""
    server = await FakeBotApi(token=TOKEN).start()
    yield server
    await server.stop()


@pytest.fixture
def profile_factory():
    return make_profile


# --- no network beyond this machine: any other address is a test failure -------------------------
import ipaddress  # noqa: E402
import socket  # noqa: E402

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            if host == "localhost":
                return
        raise AssertionError(f"a test tried to reach {host}: only 127.0.0.1 is allowed")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(address)
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def faq():
    """The knowledge base's replies with the shipped retriever (the personal answers' tests and others)."""
    from flows.faq_replies import FaqReplies
    from knowledge.faq.retriever import default_retriever

    return FaqReplies(default_retriever())


@pytest.fixture(scope="module")
def engines():
    """The engines a personal answer is computed with (as the results use them)."""
    from knowledge.crs.scoring import default_scorer
    from knowledge.faq.personal import PersonalEngines
    from knowledge.programs.eligibility import EligibilityEngine

    return PersonalEngines(default_scorer(), EligibilityEngine())
