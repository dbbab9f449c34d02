"""``maple``: the bot. With TELEGRAM_BOT_TOKEN it runs on Telegram; without it (or ``maple console``), in the
terminal. The SQLite file is MAPLE_DB (default ``maple.sqlite3`` in the working directory).

A start-up failure (a bad setting, a database that cannot be used, a token Telegram refuses, a Bot API
that cannot be reached) is one line on standard error and exit status 2; no secret is ever printed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import Config, ConfigError
from bot.console import run_console
from bot.core import MapleCore, build_core
from bot.logging_setup import configure_logging
from bot.store import StorageError
from knowledge.draws.rounds import best_available

log = logging.getLogger("maple")
START_FAILED = 2


def _fail(message: str) -> int:
    print(f"maple: {message}", file=sys.stderr)
    return START_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        return _fail(str(exc))
    console = config.token is None or args[:1] == ["console"]
    quiet = configure_logging(config.secrets(), level=logging.WARNING if console else logging.INFO)
    try:
        config.check_webhook()
        core = build_core(config.db_path, draws=best_available(Path(config.draws_file)))
    except (ConfigError, StorageError) as exc:
        return _fail(str(exc))
    if console:
        run_console(core)
        return 0
    return run_telegram(config, core, quiet.mark_started)


def run_telegram(config: Config, core: MapleCore, started: Callable[[], None] = lambda: None) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram_bot import run

    where = config.api_base_url or "https://api.telegram.org"
    try:
        run(config, core, started)
    except InvalidToken:
        return _fail(f"the Bot API at {where} refused the token: check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_BASE_URL)")
    except NetworkError as exc:
        return _fail(f"cannot reach the Bot API at {where}: {exc}")
    except OSError as exc:  # e.g. the webhook port is taken
        return _fail(f"cannot start: {exc}")
    return 0


def entry_point() -> None:
    sys.exit(main())
