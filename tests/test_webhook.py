"""Webhook mode: PTB's webhook server on 127.0.0.1 checks Telegram's secret token."""

from __future__ import annotations

import json
import socket

import httpx

from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN, running_bot_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_rejects_a_wrong_secret_and_answers_the_right_one(tmp_path):
    api = await FakeBotApi(token=TOKEN).start()
    port = free_port()
    try:
        async with running_bot_app(api, tmp_path / "w.db") as app:
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="telegram",
                webhook_url="https://maple.example/telegram",
                secret_token="s3cret-Token",
            )
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "text": "/start",
                    "chat": {"id": 77, "type": "private"},
                    "from": {"id": 77, "is_bot": False, "first_name": "Ana"},
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                },
            }
            async with httpx.AsyncClient() as client:
                url = f"http://127.0.0.1:{port}/telegram"
                wrong = await client.post(
                    url,
                    content=json.dumps(update),
                    headers={"content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guess"},
                )
                right = await client.post(
                    url,
                    content=json.dumps(update),
                    headers={"content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"},
                )
            assert wrong.status_code == 403
            assert right.status_code == 200
            replies = await api.wait_for(77, 1)  # the greeting and the first question: one message
            assert "date of birth" in replies[-1]["text"]
            assert any(c.method == "setWebhook" and c.params.get("secret_token") == "s3cret-Token" for c in api.calls)
    finally:
        await api.stop()
