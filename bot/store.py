"""Per-chat storage in SQLite: the sessions, and the inbox and outbox that make every update crash-safe.

Three tables, one file:

- ``sessions``: one row per chat (state and answers), written on every accepted answer;
- ``inbox``: every update Telegram delivers, written (and committed) *before* Telegram is told it was
  received; a row is marked done in the same transaction that applies it to the session, so after a
  crash an update is either applied exactly once or still waiting to be applied;
- ``outbox``: the messages a turn produced, written in that same transaction and deleted once sent, so a
  crash between the answer being stored and the reply being sent loses no reply.

Erasure is real: ``secure_delete`` zeroes deleted content, and :meth:`SessionStore.forget` checkpoints and
truncates the write-ahead log, so no byte of a forgotten chat stays in the database files.

Faults are reported, never hidden: any SQLite failure raises :class:`StorageUnavailable`; for a short
while after one, calls fail at once instead of waiting on a locked file (a circuit breaker), so one
stuck database never freezes every chat.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlite_utils
from pydantic import BaseModel, Field

from bot.watch_schema import WATCH_CHAT_TABLES, WATCH_INDEXES, WATCH_TABLES, WATCH_UNIQUE
from flows.conversation import SCHEMA_VERSION, Session
from flows.replies import Button, Reply

log = logging.getLogger(__name__)

SESSION_FIELDS = {
    "answers",
    "history",
    "pending",
    "editing",
    "asking",
    "recent_updates",
    "set_aside",
    "editing_job",
    "language",
    "notes_seen",
    "forget_asked",
}
BUSY_TIMEOUT_MS = 250  # how long one call waits on a lock held by another process
BREAKER_SECONDS = 2.0  # after a fault, fail fast this long before trying the file again
SQLITE_HEADER = b"SQLite format 3\x00"
INBOX_KEEP = timedelta(hours=48)  # Telegram redelivers unconfirmed updates for up to 24 h

TABLES: dict[str, tuple[dict[str, type], str]] = {
    "sessions": ({"chat_id": int, "state": str, "data": str, "version": int, "updated_at": str}, "chat_id"),
    "inbox": ({"update_id": int, "chat_id": int, "payload": str, "received_at": str, "done_at": str}, "update_id"),
    "outbox": ({"id": int, "chat_id": int, "update_id": int, "effect": str}, "id"),
}
INDEXES = {"inbox": ["done_at", "update_id"], "outbox": ["chat_id", "id"]}


class StorageError(Exception):
    """The database cannot be opened at all (start-up): the message names the path and the problem."""


class StorageUnavailable(Exception):
    """A read or write failed (locked, read-only, disk full...): nothing was changed."""


class Effect(BaseModel):
    """One thing to show the person: a new message, or an edit of one already sent."""

    op: Literal["send", "edit"] = "send"
    chat_id: int
    text: str
    buttons: list[tuple[str, str]] = Field(default_factory=list)  # (label, data)
    message_id: int | None = None  # for an edit: the message to change
    chosen: str | None = None  # for an edit: the choice to show under the question, in bold
    html: bool = False  # ``text`` is Telegram HTML (Reply.html); rows queued before this field read as plain
    # a picture to draw at send time (flows.chart_data.ChartData as JSON; ``text`` is its caption and fallback):
    # kept as plain data so that a chart the code can no longer read never blocks the outbox
    chart: dict[str, Any] | None = None

    @classmethod
    def of(cls, chat_id: int, reply: Reply) -> Effect:
        chart = reply.chart.model_dump(mode="json") if reply.chart is not None else None
        buttons = [(b.label, b.data) for b in reply.buttons]
        return cls(chat_id=chat_id, text=reply.text, buttons=buttons, chart=chart, html=reply.html)

    def reply(self) -> Reply:
        return Reply(self.text, [Button(label, data) for label, data in self.buttons], html=self.html)


class Outgoing(BaseModel):
    id: int
    effect: Effect


def _now() -> str:
    return datetime.now(UTC).isoformat()


def open_checked(path: str) -> sqlite3.Connection:
    """Open ``path`` as a SQLite database, or raise :class:`StorageError` without touching the file."""
    if path != ":memory:":
        target = Path(path)
        if target.is_dir():
            raise StorageError(f"MAPLE_DB={path} is a folder, not a database file")
        if not target.parent.is_dir():
            raise StorageError(f"MAPLE_DB={path}: the folder {target.parent} does not exist")
        try:
            with target.open("rb") as existing:
                header = existing.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            header = b""  # a new database
        except OSError as exc:
            raise StorageError(f"MAPLE_DB={path} cannot be read: {exc.strerror}") from None
        if header and header != SQLITE_HEADER:  # SQLite would write over a short non-database file
            raise StorageError(f"MAPLE_DB={path} is not a SQLite database; the file was left untouched")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(f"MAPLE_DB={path} cannot be opened: {exc}") from None
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()  # reads the header: is it a database?
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(f"MAPLE_DB={path} is not a Maple database ({exc}); the file was left untouched") from None
    return conn


class SessionStore:
    """Sessions, inbox and outbox in one SQLite file (WAL journal, zeroed deletes)."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = str(path)
        self.clock = clock
        self.conn = open_checked(self.path)
        self._broken_until = {"read": 0.0, "write": 0.0}
        self._abandoned: set[int] = set()  # updates that failed to apply: mark them done once the file is back
        self._scrub_pending = False
        try:
            self.conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.path != ":memory:":
                self.conn.execute("pragma journal_mode = wal")
            # commits survive a crash of the process (WAL); only the inbox (what Telegram will forget) is
            # also flushed to the disk itself, so that it survives a power cut as well
            self.conn.execute("pragma synchronous = normal")
            self.conn.execute("pragma secure_delete = on")
            db = sqlite_utils.Database(self.conn)
            for name, (columns, pk) in TABLES.items():
                if name not in db.table_names():
                    db[name].create(columns, pk=pk)
                    if name in INDEXES:
                        db[name].create_index(INDEXES[name], if_not_exists=True)
            for name, (columns, pk) in WATCH_TABLES.items():  # reminders and alerts (bot/watch_store.py)
                if name not in db.table_names():
                    db[name].create(columns, pk=pk)
                for index in WATCH_INDEXES.get(name, []):
                    db[name].create_index(index, if_not_exists=True)
                for index in WATCH_UNIQUE.get(name, []):
                    db[name].create_index(index, unique=True, if_not_exists=True)
        except sqlite3.Error as exc:
            self.conn.close()
            raise StorageError(f"MAPLE_DB={self.path} cannot be used: {exc}") from None

    # --- fault handling ------------------------------------------------------------------------
    @contextmanager
    def _guard(self, what: str, write: bool = False) -> Iterator[None]:
        """Reads and writes have their own breaker: a file locked by a writer can still be read."""
        kind = "write" if write else "read"
        if self.clock() < self._broken_until[kind]:
            raise StorageUnavailable(f"storage unavailable ({what}: waiting after an earlier fault)")
        try:
            yield
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("rollback")
            self._broken_until[kind] = self.clock() + BREAKER_SECONDS
            log.warning("storage fault while trying to %s: %s", what, exc)
            raise StorageUnavailable(f"{what}: {exc}") from None

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._guard(what, write=True):
            self.conn.execute("begin immediate")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("rollback")
                raise
            self.conn.execute("commit")

    # --- sessions ------------------------------------------------------------------------------
    def load(self, chat_id: int) -> Session:
        with self._guard("read the chat"):
            row = self.conn.execute("select state, data, version from sessions where chat_id = ?", [chat_id]).fetchone()
        if row is None:
            return Session(chat_id=chat_id)
        return Session(chat_id=chat_id, state=row[0], version=row[2], **json.loads(row[1]))

    def save(self, session: Session, update_id: int | None = None, effects: Iterable[Effect] = ()) -> list[int]:
        """Store the session, mark its update done and queue its replies, all or nothing; the outbox ids."""
        data = json.dumps(session.model_dump(mode="json", include=SESSION_FIELDS), ensure_ascii=False)

        def upsert(conn: sqlite3.Connection) -> None:
            conn.execute(
                "insert into sessions (chat_id, state, data, version, updated_at) values (?, ?, ?, ?, ?) "
                "on conflict(chat_id) do update set state = excluded.state, data = excluded.data, "
                "version = excluded.version, updated_at = excluded.updated_at",
                [session.chat_id, session.state, data, SCHEMA_VERSION, _now()],
            )

        return self._turn("save the answer", upsert, session.chat_id, update_id, effects)[1]

    def count(self) -> int:
        with self._guard("count the chats"):
            return int(self.conn.execute("select count(*) from sessions").fetchone()[0])

    # --- inbox ---------------------------------------------------------------------------------
    def receive(self, update_id: int, chat_id: int | None, payload: str) -> bool:
        """Keep an update before it is confirmed to Telegram; False if it was already here (a redelivery).

        This commit is flushed to the disk (synchronous=full): a power cut after Telegram forgot the update
        cannot lose it. A later turn lost that way is simply applied again from here."""
        with self._guard("keep the update", write=True):
            self.conn.execute("pragma synchronous = full")
        try:
            with self._transaction("keep the update") as conn:
                cursor = conn.execute(
                    "insert or ignore into inbox (update_id, chat_id, payload, received_at) values (?, ?, ?, ?)",
                    [update_id, chat_id, payload, _now()],
                )
                return cursor.rowcount == 1
        finally:
            with suppress(sqlite3.Error):
                self.conn.execute("pragma synchronous = normal")

    def waiting(self) -> list[tuple[int, str]]:
        """Updates received but not yet applied (after a crash), oldest first."""
        with self._guard("read the waiting updates"):
            rows = self.conn.execute(
                "select update_id, payload from inbox where done_at is null order by update_id"
            ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def done(self, update_id: int, chat_id: int | None = None, effects: Iterable[Effect] = ()) -> list[int]:
        """Mark an update handled without a session change (e.g. a reply only); queue its effects."""
        try:
            with self._transaction("mark the update done") as conn:
                self._mark_done(conn, update_id)
                return self._queue(conn, chat_id, update_id, effects) if chat_id is not None else []
        except StorageUnavailable:
            self._abandoned.add(update_id)
            raise
        finally:
            self._after_write()

    def is_done(self, update_id: int) -> bool:
        with self._guard("read the inbox"):
            row = self.conn.execute("select done_at from inbox where update_id = ?", [update_id]).fetchone()
        return row is not None and row[0] is not None

    def _mark_done(self, conn: sqlite3.Connection, update_id: int | None) -> None:
        ids = {*self._abandoned, *([update_id] if update_id is not None else [])}
        for uid in ids:  # the message text is not kept once applied
            conn.execute("update inbox set payload = null, done_at = ? where update_id = ?", [_now(), uid])
        self._abandoned.clear()

    def prune(self, keep: timedelta = INBOX_KEEP) -> int:
        """Drop the ids of updates applied long ago (Telegram no longer redelivers them)."""
        cutoff = (datetime.now(UTC) - keep).isoformat()
        with self._transaction("prune the inbox") as conn:
            return conn.execute("delete from inbox where done_at is not null and done_at < ?", [cutoff]).rowcount

    # --- outbox --------------------------------------------------------------------------------
    @staticmethod
    def _queue(conn: sqlite3.Connection, chat_id: int, update_id: int | None, effects: Iterable[Effect]) -> list[int]:
        ids = []
        for effect in effects:
            cursor = conn.execute(
                "insert into outbox (chat_id, update_id, effect) values (?, ?, ?)",
                [chat_id, update_id, effect.model_dump_json()],
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    def outgoing(self, chat_id: int | None = None) -> list[Outgoing]:
        """Messages not yet sent, in order (all chats, or one)."""
        query = "select id, effect from outbox" + (" where chat_id = ?" if chat_id is not None else "") + " order by id"
        with self._guard("read the outbox"):
            rows = self.conn.execute(query, [chat_id] if chat_id is not None else []).fetchall()
        return [Outgoing(id=int(r[0]), effect=Effect.model_validate_json(r[1])) for r in rows]

    def sent(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._transaction("clear the sent messages") as conn:
            conn.executemany("delete from outbox where id = ?", [[i] for i in ids])
        self._after_write()

    def drop_outgoing(self, chat_id: int) -> None:
        """The person blocked the bot: nothing more can reach them."""
        with self._transaction("clear the outbox") as conn:
            conn.execute("delete from outbox where chat_id = ?", [chat_id])

    def apply(
        self,
        what: str,
        change: Callable[[sqlite3.Connection], Any],
        chat_id: int | None = None,
        update_id: int | None = None,
        effects: Iterable[Effect] = (),
    ) -> Any:
        """Run ``change`` (e.g. a reminder subscription) in one transaction with the update marked done and
        its replies queued; the value ``change`` returns."""
        return self._turn(what, change, chat_id, update_id, effects)[0]

    def _turn(
        self,
        what: str,
        change: Callable[[sqlite3.Connection], Any],
        chat_id: int | None,
        update_id: int | None,
        effects: Iterable[Effect],
    ) -> tuple[Any, list[int]]:
        """One turn, all or nothing: ``change``, the update marked done, its replies queued; (value, outbox ids)."""
        try:
            with self._transaction(what) as conn:
                value = change(conn)
                self._mark_done(conn, update_id)
                ids = self._queue(conn, chat_id, update_id, effects) if chat_id is not None else []
                return value, ids
        except StorageUnavailable:
            if update_id is not None:
                self._abandoned.add(update_id)
            raise
        finally:
            self._after_write()

    # --- erasure -------------------------------------------------------------------------------
    def forget(self, chat_id: int, update_id: int | None = None, effects: Iterable[Effect] = ()) -> bool:
        """Delete everything stored for the chat, then scrub the files; queue ``effects`` (the goodbye)."""
        with self._transaction("delete the chat") as conn:
            existed = conn.execute("delete from sessions where chat_id = ?", [chat_id]).rowcount > 0
            conn.execute("delete from outbox where chat_id = ?", [chat_id])
            conn.execute("update inbox set payload = null where chat_id = ?", [chat_id])
            for table in WATCH_CHAT_TABLES:  # reminders, alert subscription, the watch's unsent messages
                conn.execute(f"delete from {table} where chat_id = ?", [chat_id])
            self._mark_done(conn, update_id)
            self._queue(conn, chat_id, update_id, effects)
        self._scrub_pending = True
        self._after_write()
        return existed

    def _after_write(self) -> None:
        """After an erasure, copy the zeroed pages into the main file and empty the write-ahead log."""
        if not self._scrub_pending or self.path == ":memory:":
            return
        try:
            busy, _, _ = self.conn.execute("pragma wal_checkpoint(truncate)").fetchone()
        except sqlite3.Error as exc:
            log.warning("could not checkpoint after an erasure (will retry): %s", exc)
            return
        self._scrub_pending = bool(busy)

    def raw_files(self) -> list[Path]:
        """The files that hold the data (for tests and audits)."""
        return [p for p in (Path(self.path + s) for s in ("", "-wal", "-shm")) if p.exists()]

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.conn.close()


def session_row(store: SessionStore, chat_id: int) -> dict[str, Any] | None:
    """The stored row as plain data (for tests and the reliability suite)."""
    row = store.conn.execute("select state, data from sessions where chat_id = ?", [chat_id]).fetchone()
    return None if row is None else {"state": row[0], **json.loads(row[1])}
