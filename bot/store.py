"""Per-chat storage in SQLite (sqlite-utils): one row per chat, written on every accepted answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from flows.conversation import SCHEMA_VERSION, Session

TABLE = "sessions"


class SessionStore:
    """Load, save and delete chat sessions. WAL journal, so a crash never leaves a half-written row."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite_utils.Database(self.path)
        if self.path != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA busy_timeout = 5000")
        self.db.execute("PRAGMA synchronous = NORMAL")
        if TABLE not in self.db.table_names():
            self.db[TABLE].create(
                {"chat_id": int, "state": str, "data": str, "version": int, "updated_at": str}, pk="chat_id"
            )

    def load(self, chat_id: int) -> Session:
        rows = list(self.db.query(f"select state, data, version from {TABLE} where chat_id = ?", [chat_id]))
        if not rows:
            return Session(chat_id=chat_id)
        row = rows[0]
        data = json.loads(row["data"])
        return Session(chat_id=chat_id, state=row["state"], version=row["version"], **data)

    def save(self, session: Session) -> None:
        data = session.model_dump(
            mode="json", include={"answers", "history", "pending", "editing", "asking", "recent_updates"}
        )
        self.db[TABLE].upsert(
            {
                "chat_id": session.chat_id,
                "state": session.state,
                "data": json.dumps(data),
                "version": SCHEMA_VERSION,
                "updated_at": datetime.now(UTC).isoformat(),
            },
            pk="chat_id",
        )

    def forget(self, chat_id: int) -> bool:
        existed = bool(list(self.db.query(f"select 1 from {TABLE} where chat_id = ?", [chat_id])))
        self.db.execute(f"delete from {TABLE} where chat_id = ?", [chat_id])
        self.db.conn.commit()
        return existed

    def count(self) -> int:
        return self.db[TABLE].count

    def close(self) -> None:
        self.db.close()
