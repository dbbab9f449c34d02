"""Configuration from the environment, validated once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, Field, SecretStr


class Config(BaseModel):
    token: SecretStr | None = None
    api_base_url: str | None = Field(default=None, description="python-telegram-bot base_url, for a local Bot API")
    db_path: str = "maple.sqlite3"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        secret = env.get("MAPLE_WEBHOOK_SECRET", "").strip()
        return cls(
            token=SecretStr(token) if token else None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            db_path=env.get("MAPLE_DB") or "maple.sqlite3",
            webhook_url=env.get("MAPLE_WEBHOOK_URL") or None,
            webhook_listen=env.get("MAPLE_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(env.get("MAPLE_WEBHOOK_PORT", "8443")),
            webhook_secret=SecretStr(secret) if secret else None,
        )
