"""The watch's state in the session store's SQLite file (same connection, same transactions, same erasure).

Tables are declared in :mod:`bot.watch_schema` and created by :class:`bot.store.SessionStore`. What is kept:

- a subscription per chat (``Sub``): the reminders chosen, draw alerts on or off, and a snapshot of the
  person's score (total, sections, routes, rule set) that alerts and re-scoring compare with;
- reminders: one row per (event, day, days ahead), ``sent_at`` set in the same transaction that queues
  the message in ``watch_outbox``, so a reminder is queued once, ever;
- ``watch_outbox``: the messages to send, each ``pending`` -> ``sending`` (claimed, in one transaction, just
  before the send) -> ``sent`` / ``blocked`` / ``failed`` / ``lost``. At start, a ``sending`` row (the bot
  died mid-send: Telegram may or may not have it) is sent again for reminders and re-scores (at-least-once:
  losing a deadline is worse than a duplicate) and dropped as ``lost`` for draw alerts (at-most-once: no
  one gets the same alert twice; a crash loses at most the one batch in flight).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from bot.store import SessionStore

AT_MOST_ONCE = frozenset({"alert"})  # kinds whose interrupted sends are dropped, not repeated
PRIORITY = {"reminder": 0, "rescore": 1, "alert": 2}  # a reminder never waits behind a fan-out


class Sub(BaseModel):
    chat_id: int
    kinds: list[str] = Field(default_factory=list)  # reminders: "age", "language", "eca", "profile"
    alerts: bool = False
    score: int = 0
    sections: dict[str, int] = Field(default_factory=dict)
    routes: list[str] = Field(default_factory=list)
    rule_set: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kinds) or self.alerts


@dataclass(frozen=True)
class Reminder:
    id: int
    chat_id: int
    key: str
    day: str
    lead_days: int
    fire_at: datetime


@dataclass(frozen=True)
class Planned:
    """A reminder to keep: the event, its day, how many days ahead, when to send it."""

    key: str
    day: str
    lead_days: int
    fire_at: datetime


@dataclass(frozen=True)
class Message:
    id: int
    chat_id: int
    kind: str
    text: str


def _now() -> str:
    return datetime.now(UTC).isoformat()


class WatchStore:
    """SQL for the watch over the session store's connection (its guard, breaker and transactions)."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # --- subscriptions --------------------------------------------------------------------------
    def sub(self, chat_id: int) -> Sub | None:
        with self.store._guard("read the reminders"):
            row = self.conn.execute(
                "select kinds, alerts, score, sections, routes, rule_set from watch_subs where chat_id = ?", [chat_id]
            ).fetchone()
        return None if row is None else _sub(chat_id, row)

    def subs(self, alerts_only: bool = False) -> Iterator[Sub]:
        query = "select chat_id, kinds, alerts, score, sections, routes, rule_set from watch_subs"
        with self.store._guard("read the subscriptions"):
            rows = self.conn.execute(query + (" where alerts = 1" if alerts_only else "")).fetchall()
        for row in rows:
            yield _sub(int(row[0]), row[1:])

    def stale(self, before: datetime, limit: int) -> list[int]:
        """Chats whose snapshot was computed before ``before``, oldest first."""
        with self.store._guard("read the subscriptions"):
            rows = self.conn.execute(
                "select chat_id from watch_subs where updated_at < ? order by updated_at limit ?",
                [before.isoformat(), limit],
            ).fetchall()
        return [int(r[0]) for r in rows]

    @staticmethod
    def put_sub(conn: sqlite3.Connection, sub: Sub, at: datetime | None = None) -> None:
        """Store ``sub`` as computed ``at`` (or delete it, with its unsent reminders and messages, when nothing
        is chosen)."""
        if not sub.active:
            WatchStore.drop_chat(conn, sub.chat_id)
            return
        conn.execute(
            "insert into watch_subs (chat_id, kinds, alerts, score, sections, routes, rule_set, updated_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict(chat_id) do update set kinds = excluded.kinds, "
            "alerts = excluded.alerts, score = excluded.score, sections = excluded.sections, "
            "routes = excluded.routes, rule_set = excluded.rule_set, updated_at = excluded.updated_at",
            [
                sub.chat_id,
                json.dumps(sub.kinds),
                int(sub.alerts),
                sub.score,
                json.dumps(sub.sections, ensure_ascii=False),
                json.dumps(sub.routes),
                sub.rule_set,
                (at or datetime.now(UTC)).isoformat(),
            ],
        )

    @staticmethod
    def drop_chat(conn: sqlite3.Connection, chat_id: int) -> None:
        """Off for good (``/remind off``, or the person blocked the bot): no subscription, nothing waiting."""
        conn.execute("delete from watch_subs where chat_id = ?", [chat_id])
        conn.execute("delete from watch_reminders where chat_id = ?", [chat_id])
        conn.execute("delete from watch_outbox where chat_id = ? and state in ('pending', 'sending')", [chat_id])

    # --- reminders ------------------------------------------------------------------------------
    @staticmethod
    def replace_reminders(conn: sqlite3.Connection, chat_id: int, planned: Iterable[Planned]) -> None:
        """Keep exactly ``planned`` as the chat's unsent reminders; sent ones stay (never sent again)."""
        planned = list(planned)
        wanted = {(p.key, p.day, p.lead_days) for p in planned}
        for rid, key, day, lead in conn.execute(
            "select id, key, day, lead_days from watch_reminders where chat_id = ? and sent_at is null", [chat_id]
        ).fetchall():
            if (key, day, lead) not in wanted:
                conn.execute("delete from watch_reminders where id = ?", [rid])
        conn.executemany(
            "insert or ignore into watch_reminders (chat_id, key, day, lead_days, fire_at) values (?, ?, ?, ?, ?)",
            [[chat_id, p.key, p.day, p.lead_days, p.fire_at.isoformat()] for p in planned],
        )

    def due(self, before: datetime, chat_id: int | None = None) -> list[Reminder]:
        """Unsent reminders to send before ``before`` (all chats, or one), soonest first."""
        query = "select id, chat_id, key, day, lead_days, fire_at from watch_reminders where sent_at is null"
        query += " and fire_at < ?" + (" and chat_id = ?" if chat_id is not None else "") + " order by fire_at"
        with self.store._guard("read the reminders"):
            rows = self.conn.execute(query, [before.isoformat(), *([chat_id] if chat_id is not None else [])])
            return [Reminder(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), datetime.fromisoformat(r[5])) for r in rows]

    def reminders(self, chat_id: int) -> list[tuple[str, str, int, str | None]]:
        """(key, day, lead_days, sent_at) of a chat's reminders (for /remind and tests)."""
        with self.store._guard("read the reminders"):
            return [
                (r[0], r[1], int(r[2]), r[3])
                for r in self.conn.execute(
                    "select key, day, lead_days, sent_at from watch_reminders where chat_id = ? order by fire_at, key",
                    [chat_id],
                )
            ]

    @staticmethod
    def unsent_reminder(conn: sqlite3.Connection, reminder_id: int) -> Reminder | None:
        row = conn.execute(
            "select id, chat_id, key, day, lead_days, fire_at from watch_reminders where id = ? and sent_at is null",
            [reminder_id],
        ).fetchone()
        if row is None:
            return None
        return Reminder(int(row[0]), int(row[1]), row[2], row[3], int(row[4]), datetime.fromisoformat(row[5]))

    @staticmethod
    def close_reminder(conn: sqlite3.Connection, reminder_id: int, outcome: str) -> None:
        """``outcome``: the time it was queued, or why it was not ("stale", "missed")."""
        conn.execute("update watch_reminders set sent_at = ? where id = ?", [outcome, reminder_id])

    # --- the watch's outbox ---------------------------------------------------------------------
    @staticmethod
    def enqueue(conn: sqlite3.Connection, chat_id: int, kind: str, ref: str, text: str) -> bool:
        """Queue one message; False if this (kind, ref) already went to the chat (never twice)."""
        cursor = conn.execute(
            "insert or ignore into watch_outbox (chat_id, kind, ref, text, state, updated_at) "
            "values (?, ?, ?, ?, 'pending', ?)",
            [chat_id, kind, ref, text, _now()],
        )
        return cursor.rowcount == 1

    def claim(self, limit: int) -> list[Message]:
        """Mark up to ``limit`` pending messages as being sent (committed before any is sent)."""
        with self.store._transaction("claim the messages to send") as conn:
            rows = conn.execute(
                "select id, chat_id, kind, text from watch_outbox where state = 'pending' "
                "order by case kind when 'reminder' then 0 when 'rescore' then 1 else 2 end, id limit ?",
                [limit],
            ).fetchall()
            conn.executemany(
                "update watch_outbox set state = 'sending', updated_at = ? where id = ?", [[_now(), r[0]] for r in rows]
            )
        return [Message(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]

    def finish(self, outcomes: dict[int, str], blocked: Iterable[int] = ()) -> None:
        """Record how each claimed message ended (its text is not kept once sent); unsubscribe blocked chats."""
        blocked = set(blocked)
        with self.store._transaction("record the messages sent") as conn:
            conn.executemany(
                "update watch_outbox set state = ?, text = case when ? = 'pending' then text else '' end, "
                "updated_at = ? where id = ?",
                [[state, state, _now(), mid] for mid, state in outcomes.items()],
            )
            for chat_id in blocked:
                self.drop_chat(conn, chat_id)

    def recover(self) -> tuple[int, int]:
        """At start: messages caught mid-send are sent again (reminders, re-scores) or dropped (alerts).
        Returns (requeued, lost)."""
        kinds = ",".join(f"'{k}'" for k in AT_MOST_ONCE)
        with self.store._transaction("recover the messages") as conn:
            lost = conn.execute(
                f"update watch_outbox set state = 'lost', text = '' where state = 'sending' and kind in ({kinds})"
            ).rowcount
            again = conn.execute("update watch_outbox set state = 'pending' where state = 'sending'").rowcount
        return again, lost

    def pending_count(self) -> int:
        with self.store._guard("count the messages"):
            return int(self.conn.execute("select count(*) from watch_outbox where state = 'pending'").fetchone()[0])

    def states(self, kind: str | None = None) -> dict[str, int]:
        query = "select state, count(*) from watch_outbox" + (" where kind = ?" if kind else "") + " group by state"
        with self.store._guard("count the messages"):
            return {r[0]: int(r[1]) for r in self.conn.execute(query, [kind] if kind else [])}

    # --- alerts ---------------------------------------------------------------------------------
    @staticmethod
    def plan_round(conn: sqlite3.Connection, round_number: str, recipients: Iterable[tuple[int, str]]) -> int:
        """Queue a round's alerts, once per round ever (a refresh seeing it again plans nothing)."""
        cursor = conn.execute(
            "insert or ignore into watch_alerts (round, planned_at, recipients) values (?, ?, 0)",
            [round_number, _now()],
        )
        if cursor.rowcount != 1:
            return 0
        count = 0
        for chat_id, text in recipients:
            count += WatchStore.enqueue(conn, chat_id, "alert", round_number, text)
        conn.execute("update watch_alerts set recipients = ? where round = ?", [count, round_number])
        return count


def _sub(chat_id: int, row: tuple) -> Sub:  # type: ignore[type-arg]
    kinds, alerts, score, sections, routes, rule_set = row
    return Sub(
        chat_id=chat_id,
        kinds=json.loads(kinds or "[]"),
        alerts=bool(alerts),
        score=int(score or 0),
        sections=json.loads(sections or "{}"),
        routes=json.loads(routes or "[]"),
        rule_set=rule_set or "",
    )
