"""The tables of the personal watch (reminders, draw alerts, re-scoring): created with the session store's.

Every table has a ``chat_id`` column: :meth:`bot.store.SessionStore.forget` deletes a chat's rows from each
of them in the same transaction as the session (``secure_delete`` zeroes them).

- ``watch_subs``: one row per chat that opted in: which reminders, whether draw alerts, and the snapshot
  the alerts and the re-scoring compare with (score, sections, routes, the rule set it was scored with);
- ``watch_reminders``: one row per (chat, event, day, days ahead): when to send it and whether it was;
- ``watch_alerts``: one row per round alerted (its fan-out planned once, in one transaction);
- ``watch_outbox``: the messages of the watch waiting to be sent (reminders, alerts, re-scores) and their state.
"""

from __future__ import annotations

WATCH_TABLES: dict[str, tuple[dict[str, type], str]] = {
    "watch_subs": (
        {
            "chat_id": int,
            "kinds": str,  # JSON list: "age", "language", "eca", "profile"
            "alerts": int,
            "score": int,
            "sections": str,  # JSON {label: points}
            "routes": str,  # JSON list of route keys
            "rule_set": str,
            "updated_at": str,
        },
        "chat_id",
    ),
    "watch_reminders": (
        {
            "id": int,
            "chat_id": int,
            "key": str,
            "day": str,
            "lead_days": int,
            "fire_at": str,
            "sent_at": str,
        },
        "id",
    ),
    "watch_alerts": ({"round": str, "planned_at": str, "recipients": int}, "round"),
    "watch_outbox": (
        {"id": int, "chat_id": int, "kind": str, "ref": str, "text": str, "state": str, "updated_at": str},
        "id",
    ),
}
WATCH_INDEXES: dict[str, list[list[str]]] = {
    "watch_reminders": [["chat_id"], ["sent_at", "fire_at"]],
    "watch_outbox": [["state", "id"], ["chat_id"]],
}
WATCH_UNIQUE: dict[str, list[list[str]]] = {
    "watch_reminders": [["chat_id", "key", "day", "lead_days"]],
    "watch_outbox": [["kind", "ref", "chat_id"]],  # one alert of a round per chat, ever
}
# the tables forget() clears for a chat (watch_alerts holds rounds, nobody's data)
WATCH_CHAT_TABLES: tuple[str, ...] = ("watch_subs", "watch_reminders", "watch_outbox")
