"""The inbox keeps each polled update's JSON as Telegram sent it (no second serialisation), and falls back
to python-telegram-bot's own serialisation for an update that did not come through getUpdates."""

from __future__ import annotations

import json

from telegram import Bot, Update

from bot.delivery import MAX_KEPT, DurableUpdateQueue, UpdatesRequest
from bot.store import SessionStore
from tests.telegram_harness import TOKEN, running_bot
from tests.test_durability import message_update

BOT = Bot(TOKEN)


def tap_update(update_id: int, chat_id: int) -> dict:
    message = {"message_id": 9, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": "Married?"}
    query = {"id": "q1", "chat_instance": "c", "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"}}
    return {"update_id": update_id, "callback_query": {**query, "data": "a:marital:married", "message": message}}


def fetched(request: UpdatesRequest, *updates: dict) -> list[Update]:
    """What getUpdates gives the updater: the response parsed by the request, then the Update objects."""
    data = request.parse_json_payload(json.dumps({"ok": True, "result": list(updates)}).encode())
    return [Update.de_json(u, BOT) for u in data["result"]]


async def test_polled_updates_are_kept_as_received_and_a_redelivery_is_not_queued(tmp_path):
    store, request = SessionStore(tmp_path / "s.db"), UpdatesRequest()
    queue = DurableUpdateQueue(store, request)
    sent = [message_update(1, 7, "/start"), tap_update(2, 7), message_update(3, 8, "Zoë, née à Québec")]
    for update in fetched(request, *sent):
        await queue.put(update)
    assert store.waiting() == [(u["update_id"], json.dumps(u, ensure_ascii=False)) for u in sent]
    assert request.kept == {}  # each one taken once
    assert store.conn.execute("select chat_id from inbox order by update_id").fetchall() == [(7,), (7,), (8,)]
    assert queue.qsize() == 3
    for update in fetched(request, sent[0]):  # Telegram delivers the first one again
        await queue.put(update)
    assert queue.qsize() == 3 and request.kept == {}


async def test_an_update_not_polled_is_kept_through_its_own_serialisation(tmp_path):
    store = SessionStore(tmp_path / "s.db")
    queue = DurableUpdateQueue(store, UpdatesRequest())  # e.g. the webhook: nothing came through getUpdates
    update = Update.de_json(tap_update(5, 9), BOT)
    await queue.put(update)
    [(update_id, payload)] = store.waiting()
    assert update_id == 5 and Update.de_json(json.loads(payload), BOT) == update
    assert json.loads(payload)["callback_query"]["data"] == "a:marital:married"


def test_updates_never_queued_are_not_kept_forever_and_other_answers_are_untouched():
    request = UpdatesRequest()
    fetched(request, *(message_update(i, 1, "hi") for i in range(MAX_KEPT + 1)))
    assert len(request.kept) == MAX_KEPT + 1
    fetched(request, message_update(MAX_KEPT + 5, 1, "hi"))
    assert list(request.kept) == [MAX_KEPT + 5]
    assert request.parse_json_payload(b'{"ok": true, "result": true}') == {"ok": True, "result": True}
    assert request.kept == {MAX_KEPT + 5: message_update(MAX_KEPT + 5, 1, "hi")}


async def test_the_running_bot_keeps_the_polled_json(api, tmp_path, monkeypatch):
    kept: list[str] = []
    receive = SessionStore.receive

    def recording(self: SessionStore, update_id: int, chat_id: int | None, payload: str) -> bool:
        kept.append(payload)
        return receive(self, update_id, chat_id, payload)

    monkeypatch.setattr(SessionStore, "receive", recording)
    update = message_update(1, 61, "/start")
    update["message"]["via_a_field_this_library_does_not_know"] = {"x": "é"}
    async with running_bot(api, tmp_path / "m.db"):
        api.updates.append(update)
        await api.wait_for(61, 1)
    assert kept == [json.dumps(update, ensure_ascii=False)]
