"""The real ``maple`` process as a child (Telegram mode, polling), its captured output, and the checks that read
files: the token in any output, the rows in the SQLite file, raw bytes in the database and its -wal/-shm.

Every wait is on a condition with a deadline; nothing here sleeps a fixed time to "let things happen".
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN

SECRET = TOKEN.partition(":")[2]
REPO = Path(__file__).resolve().parents[2]


async def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(interval)
    return True


def maple_command() -> list[str]:
    """The installed ``maple`` console script next to this interpreter, else the same entry point via -c."""
    script = Path(sys.executable).with_name("maple")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bot.main import entry_point; entry_point()"]


@dataclass
class Incarnation:
    """One start of the process: its Popen, where its output went, when it started."""

    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path
    started: float
    files: list[IO[bytes]] = field(default_factory=list)


class MapleProcess:
    """Starts, kills (SIGKILL), restarts and stops (SIGTERM) ``maple`` on one database; cwd is ``run_dir``.

    stdout and stderr go to files in ``run_dir`` (one pair per start), never to a pipe that could fill up.
    """

    def __init__(
        self, api: FakeBotApi, run_dir: Path, db: Path, token: str = TOKEN, env: dict[str, str] | None = None
    ) -> None:
        self.api = api
        self.run_dir = run_dir
        self.db = db
        self.token = token
        self.extra_env = env or {}
        self.incarnations: list[Incarnation] = []
        run_dir.mkdir(parents=True, exist_ok=True)

    def environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if "PROXY" not in k.upper() and not k.startswith(("TELEGRAM_", "MAPLE_"))
        }
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": self.token,
                "TELEGRAM_API_BASE_URL": self.api.base_url,
                "MAPLE_DB": str(self.db),
                "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost",
                "PYTHONUNBUFFERED": "1",  # what a killed process printed is in the file
                "PYTHONPATH": str(REPO),
            }
        )
        env.update(self.extra_env)
        return env

    @property
    def current(self) -> Incarnation | None:
        return self.incarnations[-1] if self.incarnations else None

    @property
    def alive(self) -> bool:
        return self.current is not None and self.current.process.poll() is None

    def start(self) -> Incarnation:
        if self.alive:
            raise RuntimeError("maple is already running")
        number = len(self.incarnations) + 1
        out_path = self.run_dir / f"maple-{number:03d}.out"
        err_path = self.run_dir / f"maple-{number:03d}.err"
        out, err = out_path.open("wb"), err_path.open("wb")
        started = time.monotonic()
        process = subprocess.Popen(
            maple_command(), env=self.environment(), cwd=self.run_dir, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        incarnation = Incarnation(process, out_path, err_path, started, [out, err])
        self.incarnations.append(incarnation)
        return incarnation

    def polling(self) -> bool:
        """The current start has called getUpdates (it is up and fetching)."""
        current = self.current
        return current is not None and bool(self.api.calls_since(current.started, "getUpdates"))

    async def wait_polling(self, timeout: float = 30.0) -> bool:
        return await wait_until(lambda: self.polling() or not self.alive, timeout) and self.alive

    def kill(self) -> int | None:
        """SIGKILL, and reap."""
        current = self.current
        if current is None or current.process.poll() is not None:
            return None if current is None else current.process.returncode
        current.process.send_signal(signal.SIGKILL)
        return current.process.wait(timeout=10)

    async def wait_exit(self, timeout: float) -> int | None:
        """The exit status of the current start, or None if it still runs after ``timeout``."""
        current = self.current
        if current is None:
            return None
        await wait_until(lambda: current.process.poll() is not None, timeout, interval=0.05)
        return current.process.poll()

    async def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM and wait; None (and SIGKILL) when it does not exit in time."""
        current = self.current
        if current is None or current.process.poll() is not None:
            return None if current is None else current.process.returncode
        current.process.send_signal(signal.SIGTERM)
        code = await self.wait_exit(timeout)
        if code is None:
            self.kill()
        return code

    def close(self) -> None:
        """Always called in ``finally``: no child outlives the scenario."""
        for incarnation in self.incarnations:
            if incarnation.process.poll() is None:
                incarnation.process.kill()
                incarnation.process.wait(timeout=10)
            for handle in incarnation.files:
                handle.close()

    def masked_output(self, incarnation: Incarnation | None = None) -> str:
        """``output`` with the token's secret part replaced, for messages a person reads."""
        return self.output(incarnation).replace(self.token.partition(":")[2] or self.token, "<SECRET>")

    def output(self, incarnation: Incarnation | None = None) -> str:
        chosen = [incarnation] if incarnation is not None else self.incarnations
        parts = []
        for one in chosen:  # the child writes to the files directly: nothing of ours is buffered
            parts.append(one.stdout.read_bytes().decode("utf-8", "replace"))
            parts.append(one.stderr.read_bytes().decode("utf-8", "replace"))
        return "".join(parts)


# --- the token ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leak:
    file: str
    what: str  # "token" or "secret"
    line: str  # the first line that shows it, the secret masked


def token_leaks(paths: Iterable[Path], token: str = TOKEN) -> list[Leak]:
    """Every file (recursively for folders) whose bytes contain the token or its secret part after ':'."""
    secret = token.partition(":")[2]
    found: list[Leak] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            data = file.read_bytes()
            for what, needle in (("token", token), ("secret", secret)):
                if needle and needle.encode() in data:
                    text = data.decode("utf-8", "replace")
                    line = next((ln for ln in text.splitlines() if needle in ln), "")
                    found.append(Leak(str(file), what, line.replace(secret, "<SECRET>")[:300]))
                    break
    return found


# --- the database ------------------------------------------------------------------------------
def read_sessions(db: Path) -> dict[int, tuple[str, dict[str, Any]]]:
    """chat_id -> (state, data) straight from the SQLite file (read-only)."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "sessions" not in tables:
            return {}
        rows = conn.execute("select chat_id, state, data from sessions").fetchall()
    finally:
        conn.close()
    return {int(chat): (state, json.loads(data)) for chat, state, data in rows}


def database_files(db: Path) -> list[Path]:
    """The database and its -wal and -shm companions, those that exist."""
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")) if p.exists()]


def encodings(text: str) -> dict[str, bytes]:
    """How a string can sit in the file: UTF-8, JSON-escaped (\\u00e2...), and JSON with raw UTF-8."""
    forms = {"utf-8": text.encode(), "json": json.dumps(text)[1:-1].encode()}
    forms["json-utf8"] = json.dumps(text, ensure_ascii=False)[1:-1].encode()
    return forms


@dataclass(frozen=True)
class Found:
    file: str
    needle: str
    form: str
    offset: int


def raw_search(files: Iterable[Path], needles: Iterable[str]) -> list[Found]:
    """Where each needle occurs in the raw bytes of ``files``, in any of its encodings."""
    found: list[Found] = []
    needles = list(needles)
    for file in files:
        try:
            data = file.read_bytes()
        except FileNotFoundError:  # -wal and -shm come and go
            continue
        for needle in needles:
            seen: set[int] = set()
            for form, encoded in encodings(needle).items():
                offset = data.find(encoded)
                if offset >= 0 and offset not in seen:
                    seen.add(offset)
                    found.append(Found(file.name, needle, form, offset))
    return found
