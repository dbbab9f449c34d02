"""Nothing lost, nothing doubled, nothing left behind: the inbox, the outbox and erasure, in-process.

The process-level crash suite (the real ``maple`` killed with SIGKILL during a burst) is in
``tests/reliability/``; here each guarantee is checked at the seam where it is made.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from bot.core import FORGOTTEN, NOT_SAVED, build_core
from bot.store import Effect, SessionStore, StorageUnavailable, session_row
from flows.conversation import Session
from tests.telegram_harness import TODAY, running_bot, running_bot_app, say, settle, tap
from tests.test_webhook import free_port


def message_update(update_id: int, chat_id: int, text: str) -> dict:
    message = {
        "message_id": 5000 + update_id,
        "date": 0,
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


# --- the inbox ---------------------------------------------------------------------------------
def test_an_update_is_kept_once_and_marked_done_with_its_session(tmp_path):
    store = SessionStore(tmp_path / "s.db")
    payload = json.dumps(message_update(1, 7, "/start"))
    assert store.receive(1, 7, payload) is True
    assert store.receive(1, 7, payload) is False  # a redelivery
    assert store.waiting() == [(1, payload)]
    store.save(Session(chat_id=7, state="dob"), update_id=1)
    assert store.waiting() == [] and store.is_done(1)
    assert store.conn.execute("select payload from inbox where update_id = 1").fetchone() == (None,)
    assert store.receive(1, 7, payload) is False  # applied, then delivered again: still ignored


def test_the_same_update_twice_is_applied_once_by_the_core(tmp_path):
    core = build_core(str(tmp_path / "c.db"), today=lambda: TODAY)
    core.command(9, "start", update_id=100)
    core.text(9, "1990-01-01", update_id=101)
    again = core.text(9, "1990-01-01", update_id=101)
    assert again.replies == []
    row = session_row(core.store, 9)
    assert row is not None and row["state"] == "marital" and row["answers"] == {"dob": "1990-01-01"}


async def test_updates_received_before_a_crash_are_applied_at_the_next_start(api, tmp_path):
    """The state a SIGKILL leaves: updates in the inbox (confirmed to Telegram), none applied."""
    db = tmp_path / "m.db"
    store = SessionStore(db)
    for update_id, text in ((1, "/start"), (2, "1988-08-08"), (3, "single")):
        update = message_update(update_id, 31, text)
        store.receive(update["update_id"], 31, json.dumps(update))
    store.close()
    # Telegram also redelivers the last one, as it would if its confirmation had not reached it
    api.updates.append(message_update(3, 31, "single"))
    async with running_bot(api, db):
        replies = await api.wait_for(31, 3, timeout=15)  # one message per update
        await settle(api, 31, len(replies) - 1)
    core_row = session_row(SessionStore(db), 31)
    assert core_row is not None
    assert core_row["answers"]["dob"] == "1988-08-08" and core_row["answers"]["marital"] == "never_married"
    assert len(api.sent(31)) == 3  # each update applied once: no second reply for the redelivered one
    assert "education" in api.sent(31)[-1]["text"]


# --- the outbox --------------------------------------------------------------------------------
async def test_replies_stored_but_not_sent_before_a_crash_go_out_at_start(api, tmp_path):
    db = tmp_path / "o.db"
    store = SessionStore(db)
    store.save(
        Session(chat_id=44, state="marital", answers={"dob": "1990-01-01"}),
        update_id=1,
        effects=[Effect(chat_id=44, text="What is your marital status?", buttons=[("Married", "a:marital:married")])],
    )
    store.close()
    async with running_bot(api, db):
        sent = await api.wait_for(44, 1)
    assert sent[0]["text"] == "What is your marital status?"
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a:marital:married"
    assert SessionStore(db).outgoing() == []


async def test_a_tap_is_shown_on_the_question_only_once_it_is_stored(api, tmp_path):
    db = tmp_path / "t.db"
    async with running_bot(api, db):
        await say(api, 5, "/start")
        await say(api, 5, "1990-01-01")
        await tap(api, 5, "a:marital:married")
        edits = [c.params for c in api.calls if c.method == "editMessageText"]
        assert edits and "Married" in edits[-1]["text"]
        stale = len(edits)
        await tap(api, 5, "a:marital:never_married")  # the old keyboard again: not applied, so not marked
        assert len([c for c in api.calls if c.method == "editMessageText"]) == stale
    row = session_row(SessionStore(db), 5)
    assert row is not None and row["answers"]["marital"] == "married"


# --- erasure -----------------------------------------------------------------------------------
SECRET_DOB = "1983-07-29"


def raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


async def test_forget_leaves_no_byte_of_the_answers_in_the_database_files(api, tmp_path):
    db = tmp_path / "f.db"
    async with running_bot(api, db):
        for chat in (60, 61):  # another person's data must stay
            await say(api, chat, "/start")
            await say(api, chat, SECRET_DOB if chat == 60 else "1991-01-01")
            await say(api, chat, "married" if chat == 60 else "single")
        assert SECRET_DOB.encode() in raw_bytes(db)
        replies = await say(api, 60, "/forget")
        assert "cannot be undone" in replies[0]["text"]
        replies = await tap(api, 60, "forget:yes")
        assert replies[0]["text"] == FORGOTTEN
        leftover = raw_bytes(db)  # while the bot still runs
        assert SECRET_DOB.encode() not in leftover
        assert b"married" not in leftover.replace(b"never_married", b"")
        assert b"1991-01-01" in leftover  # the other chat is untouched
    assert SECRET_DOB.encode() not in raw_bytes(db)
    assert session_row(SessionStore(db), 60) is None


# --- storage faults ----------------------------------------------------------------------------
def test_a_locked_database_fails_fast_and_keeps_the_earlier_answers(tmp_path):
    db = tmp_path / "l.db"
    core = build_core(str(db), today=lambda: TODAY)
    core.command(1, "start", update_id=1)
    core.text(1, "1990-01-01", update_id=2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("begin exclusive")  # another process holds the write lock
    try:
        began = time.monotonic()
        replies = [core.text(chat, "single", update_id=10 + chat).replies for chat in range(1, 21)]
        elapsed = time.monotonic() - began
    finally:
        other.execute("rollback")
        other.close()
    assert all(r[0].text == NOT_SAVED for r in replies)
    assert "try again in a few minutes" in NOT_SAVED and "earlier answers are safe" in NOT_SAVED
    assert elapsed < 2.0, f"20 chats waited {elapsed:.1f} s on a locked file"  # the breaker: no 20 x busy waits
    row = session_row(core.store, 1)
    assert row is not None and row["answers"] == {"dob": "1990-01-01"}  # nothing lost, nothing half-written
    core.store._broken_until["write"] = 0  # the fault is over (the breaker would retry after 2 s)
    assert "education" in core.text(1, "single", update_id=50).replies[-1].text


def test_a_read_only_database_tells_the_person_and_changes_nothing(tmp_path):
    core = build_core(str(tmp_path / "r.db"), today=lambda: TODAY)
    core.command(2, "start", update_id=1)
    core.store.conn.execute("pragma query_only = on")  # as a read-only file would (root ignores file modes)
    turn = core.text(2, "1990-01-01", update_id=2)
    assert turn.replies[0].text == NOT_SAVED and not turn.queued
    core.store.conn.execute("pragma query_only = off")
    core.store._broken_until["write"] = 0
    row = session_row(core.store, 2)
    assert row is not None and row["answers"] == {} and row["state"] == "dob"


def test_storage_unavailable_is_raised_for_a_write_while_the_breaker_is_open(tmp_path):
    clock = [100.0]
    store = SessionStore(tmp_path / "b.db", clock=lambda: clock[0])
    store._broken_until["write"] = 101.0
    with pytest.raises(StorageUnavailable):
        store.receive(1, 1, "{}")
    clock[0] = 101.5
    assert store.receive(1, 1, "{}") is True


# --- the webhook answers 200 only once the update is on disk ----------------------------------
async def test_the_webhook_stores_the_update_before_answering_200(api, tmp_path):
    db = tmp_path / "w.db"
    port = free_port()
    async with running_bot_app(api, db) as app:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url="https://m.example/telegram",
            secret_token="s3cret-Token",
        )
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://127.0.0.1:{port}/telegram",
                content=json.dumps(message_update(7, 70, "/start")),
                headers={"content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"},
            )
        assert response.status_code == 200
        # at the moment of the 200, a fresh connection (another process) already sees it
        seen = sqlite3.connect(db).execute("select update_id from inbox where update_id = 7").fetchall()
        assert seen == [(7,)]
        await api.wait_for(70, 1)
