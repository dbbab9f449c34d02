"""``maple``: the bot. With TELEGRAM_BOT_TOKEN it runs on Telegram; without it (or ``maple console``), in the
terminal. The SQLite file is MAPLE_DB (default ``maple.sqlite3`` in the working directory)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bot.config import Config
from bot.console import run_console
from bot.core import build_core
from bot.logging_setup import configure_logging


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    config = Config.from_env()
    core = build_core(config.db_path)
    if config.token is None or args[:1] == ["console"]:
        run_console(core)
        return 0
    configure_logging(config.token.get_secret_value())
    from bot.telegram_bot import run

    run(config, core)
    return 0


def entry_point() -> None:
    sys.exit(main())
