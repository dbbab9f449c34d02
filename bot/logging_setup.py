"""Logging that never shows the bot token (httpx logs request URLs, which contain it)."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Replaces the token in every record's rendered message with a placeholder."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = ()
        return True


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    if token:
        redact = RedactToken(token)
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
