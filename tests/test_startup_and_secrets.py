"""Start-up failures are one clear line and exit 2; the token and the webhook secret never reach any output."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config, ConfigError
from bot.logging_setup import PLACEHOLDER, RedactingFormatter, RedactingStream, Redactor
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN

SECRET_PART = TOKEN.split(":")[1]


def maple(env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper() and not k.startswith(("TELEGRAM", "MAPLE"))}
    return subprocess.run(
        [sys.executable, "-c", "from bot.main import entry_point; entry_point()"],
        env={**base, "NO_PROXY": "127.0.0.1", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert TOKEN not in output and SECRET_PART not in output
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert result.returncode == 2
    return lines[0]


# --- redaction ---------------------------------------------------------------------------------
def test_the_redactor_covers_the_token_its_encoded_form_and_its_secret_half():
    redact = Redactor([TOKEN, None, ""])
    for leaked in (f"/bot{TOKEN}/sendMessage", f"/bot{TOKEN.replace(':', '%3A')}/getMe", f"key={SECRET_PART}"):
        assert TOKEN not in redact(leaked) and SECRET_PART not in redact(leaked) and PLACEHOLDER in redact(leaked)
    assert redact("nothing secret here") == "nothing secret here"


def test_a_logged_traceback_whose_exception_echoes_the_url_is_redacted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(Redactor([TOKEN]), "%(levelname)s %(message)s"))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError(f"<html>502 Bad Gateway at /bot{TOKEN}/sendMessage</html>")
        except RuntimeError:
            logger.exception("error while handling an update for %s", f"/bot{TOKEN}/getUpdates")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and "502 Bad Gateway" in text
    assert TOKEN not in text and SECRET_PART not in text


def test_anything_written_to_the_streams_is_redacted():
    inner = io.StringIO()
    stream = RedactingStream(inner, Redactor([TOKEN, "whsecret-123"]))
    print(f"token {TOKEN} and secret whsecret-123", file=stream)
    assert inner.getvalue() == f"token {PLACEHOLDER} and secret {PLACEHOLDER}\n"


# --- start-up failures -------------------------------------------------------------------------
def test_a_missing_folder_a_non_database_and_a_folder_are_refused_untouched(tmp_path):
    not_db = tmp_path / "notes.sqlite3"
    not_db.write_bytes(b"hello, not a database")
    cases = {
        str(tmp_path / "missing" / "m.db"): "does not exist",
        str(not_db): "not a SQLite database",
        str(tmp_path): "folder",
    }
    for path, problem in cases.items():
        line = one_clean_line(maple({"MAPLE_DB": path}))
        assert path in line and problem in line
    assert not_db.read_bytes() == b"hello, not a database"
    assert not (tmp_path / "missing").exists()


def test_a_webhook_without_a_secret_is_refused_unless_explicitly_allowed(tmp_path):
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "MAPLE_WEBHOOK_URL": "https://m.example", "MAPLE_DB": str(tmp_path / "w.db")}
    line = one_clean_line(maple(env))
    assert "MAPLE_WEBHOOK_SECRET" in line and "MAPLE_WEBHOOK_INSECURE" in line
    with pytest.raises(ConfigError):
        Config.from_env(env).check_webhook()
    Config.from_env({**env, "MAPLE_WEBHOOK_INSECURE": "1"}).check_webhook()  # allowed, and warned about at start
    Config.from_env({**env, "MAPLE_WEBHOOK_SECRET": "s3cret"}).check_webhook()


def test_a_bad_port_is_one_line():
    line = one_clean_line(maple({"TELEGRAM_BOT_TOKEN": TOKEN, "MAPLE_WEBHOOK_PORT": "http"}))
    assert "MAPLE_WEBHOOK_PORT" in line


@pytest.mark.parametrize(
    ("token", "path", "expected"),
    [
        (TOKEN[:-1] + "X", "/bot", "refused the token"),  # the fake API answers 401 to any other token
        (TOKEN, "/wrong/bot", "refused the token"),  # a wrong base URL: 404 for every method
    ],
)
async def test_a_refused_token_or_a_wrong_base_url_is_one_line_without_the_token(tmp_path, token, path, expected):
    api = await FakeBotApi(token=TOKEN).start()
    try:
        env = {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api.port}{path}",
            "MAPLE_DB": str(tmp_path / "t.db"),
        }
        result = await asyncio.to_thread(maple, env)
    finally:
        await api.stop()
    line = one_clean_line(result)
    assert expected in line and token not in line and token.split(":")[1] not in result.stderr


async def test_an_unreachable_bot_api_is_one_line(tmp_path):
    from tests.test_webhook import free_port

    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
        "MAPLE_DB": str(tmp_path / "u.db"),
    }
    line = one_clean_line(await asyncio.to_thread(maple, env))
    assert "cannot reach the Bot API" in line
    assert Path(tmp_path / "u.db").exists()  # the database itself was fine
