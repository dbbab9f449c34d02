"""Configuration from the environment, validated once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, Field, SecretStr

TRUE = {"1", "true", "yes", "on"}
DEFAULT_REFRESH_HOURS = 12  # IRCC publishes a round within hours; twice a day is plenty


class ConfigError(Exception):
    """A setting that cannot work: the message names the variable and what to do."""


class Config(BaseModel):
    token: SecretStr | None = None
    api_base_url: str | None = Field(default=None, description="python-telegram-bot base_url, for a local Bot API")
    db_path: str = "maple.sqlite3"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    webhook_insecure: bool = Field(default=False, description="accept a webhook without a secret (not advised)")
    draws_file: str = "maple-draws.csv"
    draws_url: str = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"
    draws_refresh_hours: float = Field(default=0.0, ge=0, description="0: the bot never refreshes the rounds")
    chart_process: bool = Field(default=True, description="draw charts in a worker process (else a worker thread)")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        secret = env.get("MAPLE_WEBHOOK_SECRET", "").strip()
        port = env.get("MAPLE_WEBHOOK_PORT", "8443").strip()
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"MAPLE_WEBHOOK_PORT={port!r} is not a port number (1-65535)")
        hours = env.get("MAPLE_DRAWS_REFRESH_HOURS", str(DEFAULT_REFRESH_HOURS)).strip()
        try:
            refresh_hours = float(hours)
        except ValueError:
            refresh_hours = -1.0
        if not 0 <= refresh_hours <= 24 * 31:
            raise ConfigError(f"MAPLE_DRAWS_REFRESH_HOURS={hours!r}: hours from 0 (never) to 744")
        return cls(
            token=SecretStr(token) if token else None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            db_path=env.get("MAPLE_DB") or "maple.sqlite3",
            webhook_url=env.get("MAPLE_WEBHOOK_URL") or None,
            webhook_listen=env.get("MAPLE_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(port),
            webhook_secret=SecretStr(secret) if secret else None,
            webhook_insecure=env.get("MAPLE_WEBHOOK_INSECURE", "").strip().lower() in TRUE,
            draws_file=env.get("MAPLE_DRAWS_FILE") or "maple-draws.csv",
            draws_url=env.get("MAPLE_DRAWS_URL") or cls.model_fields["draws_url"].default,
            draws_refresh_hours=refresh_hours,
            chart_process=env.get("MAPLE_CHART_PROCESS", "1").strip().lower() in TRUE,
        )

    def secrets(self) -> list[str]:
        return [s.get_secret_value() for s in (self.token, self.webhook_secret) if s is not None]

    def check_webhook(self) -> None:
        """A webhook without a secret accepts anyone's POST as a Telegram update: refuse unless told to."""
        if self.webhook_url and self.webhook_secret is None and not self.webhook_insecure:
            raise ConfigError(
                "MAPLE_WEBHOOK_URL is set but MAPLE_WEBHOOK_SECRET is not: anyone could post fake updates. "
                "Set MAPLE_WEBHOOK_SECRET (1-256 characters A-Z a-z 0-9 _ -), "
                "or MAPLE_WEBHOOK_INSECURE=1 to accept the risk"
            )
