"""Output that never shows a secret: the bot token (in request URLs, in exception texts that echo them,
in tracebacks) and the webhook secret are replaced in everything the process writes.

Three layers, because a secret can reach the terminal three ways: a log record's message, a log
record's traceback, and anything written straight to ``sys.stdout`` / ``sys.stderr`` (an uncaught
exception, a warning, a library's print).
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

PLACEHOLDER = "<redacted>"


class Redactor:
    """Replaces each secret, its URL-encoded form and (for a bot token) its secret half after the colon."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms |= {secret, quote(secret, safe=""), quote(secret)}
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 8:
                forms.add(tail)
        self.forms = sorted((f for f in forms if len(f) >= 6), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self.forms:
            if form in text:
                text = text.replace(form, PLACEHOLDER)
        return text


class RedactToken(logging.Filter):
    """A filter for one handler: the record's message and traceback, redacted (used by tests' capture)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.redact = Redactor([token])

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), ()
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole text, traceback included."""

    def __init__(self, redact: Redactor, fmt: str) -> None:
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class RedactingStream(io.TextIOBase):
    """A text stream that redacts what is written to it, line by line, before passing it on."""

    def __init__(self, inner: TextIO, redact: Redactor) -> None:
        self.inner = inner
        self.redact = redact

    def write(self, text: str) -> int:
        self.inner.write(self.redact(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")


class QuietStartup(logging.Filter):
    """Holds python-telegram-bot's own records until the bot has started.

    A failed start is reported by ``maple`` itself in one line, so what the library logged on the way
    (tracebacks of the refused request) is dropped; once started, the held records are written out.
    """

    def __init__(self, handler: logging.Handler) -> None:
        super().__init__()
        self.handler = handler
        self.started = False
        self.held: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if self.started or not record.name.startswith("telegram"):
            return True
        self.held.append(record)
        return False

    def mark_started(self) -> None:
        self.started = True
        held, self.held = self.held, []
        for record in held:
            self.handler.handle(record)


def configure_logging(secrets: Iterable[str | None], level: int = logging.INFO) -> QuietStartup:
    """Redact ``secrets`` everywhere this process writes; log at ``level`` to standard error.

    Returns the start-up filter: call its ``mark_started`` once the bot runs."""
    redact = Redactor(secrets)
    if redact.forms:
        if not isinstance(sys.stdout, RedactingStream):
            sys.stdout = RedactingStream(sys.stdout, redact)  # type: ignore[assignment]
        if not isinstance(sys.stderr, RedactingStream):
            sys.stderr = RedactingStream(sys.stderr, redact)  # type: ignore[assignment]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(redact, "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    quiet = QuietStartup(handler)
    handler.addFilter(quiet)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return quiet
