"""The chart on Telegram: the real python-telegram-bot stack sends it as a photo (fake Bot API on 127.0.0.1),
the text when it cannot be drawn, and a tap on an old chart button after /restart or /forget is answered."""

from __future__ import annotations

from telegram import Bot

from bot.delivery import Outbox
from bot.store import Effect, SessionStore
from flows.chart_data import ChartData
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN, running_bot, say, tap
from tests.test_chart import png_size
from tests.test_telegram_e2e import SINGLE, SINGLE_TOTAL, run_steps

CHAT = 31


async def tap_for_photo(api: FakeBotApi, chat_id: int, data: str) -> dict:
    before = len(api.photos(chat_id))
    api.user_taps(chat_id, data)
    return (await api.wait_for_photos(chat_id, before + 1))[-1]


async def test_the_chart_is_sent_as_a_photo_and_old_taps_are_answered(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        [verdict] = await run_steps(api, CHAT, SINGLE)
        assert "res:chart" in [row[0]["callback_data"] for row in verdict["reply_markup"]["inline_keyboard"]]
        photo = await tap_for_photo(api, CHAT, "res:chart")
        assert png_size(photo["photo"]) == (1200, 800)
        assert photo["_message"]["photo"][0]["width"] == 1200 and photo["_message"]["photo"][0]["height"] == 800
        assert photo["caption"].startswith(f"Your CRS score {SINGLE_TOTAL} against the rounds of the 12 months")
        assert photo["parse_mode"] == "HTML" and "Federal Skilled Worker" in photo["caption"]

        # /restart (confirmed), then the chart button of the old result: words, the first question, no photo
        await say(api, CHAT, "/restart")
        replies = await tap(api, CHAT, next(b for b in _buttons(api, CHAT) if b.startswith("r:yes")))
        assert "Starting again" in replies[0]["text"]
        replies = await tap(api, CHAT, "res:chart")
        assert "I need at least your date of birth and your education" in replies[0]["text"]
        assert "date of birth" in replies[-1]["text"]  # the question being asked stays in view

        # /forget (confirmed), then the same old button
        await say(api, CHAT, "/forget")
        await tap(api, CHAT, "forget:yes")
        replies = await tap(api, CHAT, "res:chart")
        assert "I need at least your date of birth and your education" in replies[0]["text"]
        assert len(api.photos(CHAT)) == 1


def _buttons(api: FakeBotApi, chat_id: int) -> list[str]:
    markup = api.sent(chat_id)[-1].get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_a_chart_that_cannot_be_drawn_is_sent_as_its_text(api, tmp_path, monkeypatch):
    def broken(data: ChartData) -> bytes:
        raise RuntimeError("no fonts today")

    monkeypatch.setattr("bot.chart.render_png", broken)
    async with running_bot(api, tmp_path / "m.db", chart_process=False):  # the patch is in this process
        await run_steps(api, CHAT, SINGLE)
        replies = await tap(api, CHAT, "res:chart")
    assert replies[0]["text"].startswith(f"Your CRS score {SINGLE_TOTAL} against the rounds")
    assert api.photos(CHAT) == [] and not any(c.method == "sendPhoto" for c in api.calls)


def _effect(text: str) -> Effect:
    from knowledge.programs.eligibility import EligibilityEngine
    from tests.test_chart import CEC_WORKER, data_for

    data = data_for(EligibilityEngine(), **CEC_WORKER)
    return Effect(chat_id=CHAT, text=text or data.text(), chart=data.model_dump(mode="json"))


async def test_the_outbox_keeps_a_chart_through_a_network_fault_and_splits_a_long_caption(api, tmp_path):
    store = SessionStore(tmp_path / "o.db")
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        outbox = Outbox(bot, store, retry_seconds=60)
        store.done(1, CHAT, [_effect("")])
        api.abort_next["sendPhoto"] = 1  # the connection drops: kept for the next try
        assert await outbox.flush(CHAT) == 0 and len(store.outgoing(CHAT)) == 1
        assert await outbox.flush(CHAT) == 1 and store.outgoing(CHAT) == []
        assert png_size(api.photos(CHAT)[-1]["photo"]) == (1200, 800)

        long_text = "A <long> caption. " * 80  # escaped, over Telegram's 1024 characters
        store.done(2, CHAT, [_effect(long_text)])
        assert await outbox.flush(CHAT) == 1
    store.close()
    last_photo, last_text = api.photos(CHAT)[-1], api.sent(CHAT)[-1]
    assert "caption" not in last_photo and png_size(last_photo["photo"]) == (1200, 800)
    assert last_text["text"].startswith("A &lt;long&gt; caption.")
