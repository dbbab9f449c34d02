"""Crash-safe delivery between Telegram and the store: nothing received is lost, nothing is applied twice.

- :class:`DurableUpdateQueue` is the Application's update queue. python-telegram-bot's polling puts
  each fetched update in the queue *before* it confirms the batch to Telegram (the next
  ``getUpdates`` offset), and its webhook puts it in the queue *before* answering 200. Writing the
  update to the store's inbox inside ``put`` therefore means Telegram only ever forgets an update
  that is safely on disk. At start, the updates still waiting there are put back in the queue.
  With polling, the inbox keeps the update's JSON as Telegram sent it (:class:`UpdatesRequest`).
- :class:`MarkDone` marks an update handled once its handlers ran, for updates that changed no session
  (the core marks the others in the same transaction as the session).
- :class:`Outbox` sends the replies that the core queued, in order, and deletes them once sent; what a
  crash kept from being sent goes out at the next start, and a network failure is retried every
  ``RETRY_SECONDS``. A reply can therefore arrive twice (sent, then the bot killed before deleting
  it), never not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import SimpleUpdateProcessor
from telegram.request import HTTPXRequest

from bot.background import Every
from bot.chart import ChartDrawer
from bot.store import Effect, SessionStore, StorageUnavailable
from flows.replies import Reply

log = logging.getLogger(__name__)

RETRY_SECONDS = 15.0
MAX_BUTTON_TEXT = 64
MAX_CAPTION = 1024  # a photo's caption, after escaping
MAX_KEPT = 1000  # updates fetched and never put in the queue (the bot stopping): forgotten past this
MAX_DRAWN = 8  # charts drawn ahead of sending, kept until sent
MISSING = object()  # a chart not drawn ahead


def button_text(label: str) -> str:
    """A button's label within MAX_BUTTON_TEXT, cut after a whole word with "…" (not in the middle of one)."""
    if len(label) <= MAX_BUTTON_TEXT:
        return label
    cut = label[: MAX_BUTTON_TEXT - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return words.rstrip(" ,;:(-–") + "…"


def render(reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
    """HTML text (a plain reply escaped, an HTML reply as built) and one button per row (labels can be long)."""
    markup = None
    if reply.buttons:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(button_text(b.label), callback_data=b.data[:64])] for b in reply.buttons]
        )
    return reply.as_html(), markup


def _chat_of(update: Update) -> int | None:
    chat = update.effective_chat
    return chat.id if chat is not None else None


class UpdatesRequest(HTTPXRequest):
    """The getUpdates connection (one connection, as python-telegram-bot builds it), which keeps each
    update's JSON as Telegram sent it until the queue takes it for the inbox: serialising the parsed
    update again cost a third of keeping it."""

    def __init__(self) -> None:
        super().__init__(connection_pool_size=1)
        self.kept: dict[int, dict[str, Any]] = {}

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            if len(self.kept) > MAX_KEPT:
                self.kept.clear()
            for item in result:
                if isinstance(item, dict) and type(item.get("update_id")) is int:
                    self.kept[item["update_id"]] = item
        return data

    def take(self, update_id: int) -> str | None:
        """The update's JSON as received (once), or None (it did not come through this connection)."""
        raw = self.kept.pop(update_id, None)
        return None if raw is None else json.dumps(raw, ensure_ascii=False)


class DurableUpdateQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The update queue, with every update kept in the store's inbox before it is queued."""

    def __init__(self, store: SessionStore, received: UpdatesRequest | None = None) -> None:
        super().__init__()
        self.store = store
        self.received = received

    async def put(self, item: Any) -> None:
        if isinstance(item, Update):
            raw = self.received.take(item.update_id) if self.received is not None else None
            try:
                if not self.store.receive(item.update_id, _chat_of(item), raw or item.to_json()):
                    return  # delivered again after a restart: already kept (and applied, or queued by replay)
            except StorageUnavailable:
                # handled in memory all the same: the person is told it could not be saved
                log.warning("update %s could not be kept in the inbox", item.update_id)
        await super().put(item)

    def replay(self, bot: Bot) -> int:
        """Queue the updates received before a stop or a crash and not yet applied, oldest first."""
        try:
            waiting = self.store.waiting()
        except StorageUnavailable:
            log.warning("the waiting updates could not be read; they stay in the inbox for the next start")
            return 0
        for update_id, payload in waiting:
            try:
                update = Update.de_json(json.loads(payload), bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.error("update %s in the inbox cannot be read (%s): dropped", update_id, type(exc).__name__)
                with contextlib.suppress(StorageUnavailable):
                    self.store.done(update_id)
                continue
            self.put_nowait(update)
        return len(waiting)


class MarkDone(SimpleUpdateProcessor):
    """One update at a time, in order; afterwards the update is marked handled if its turn did not."""

    def __init__(self, store: SessionStore) -> None:
        super().__init__(max_concurrent_updates=1)
        self.store = store

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine
        if isinstance(update, Update):
            with contextlib.suppress(StorageUnavailable):
                if not self.store.is_done(update.update_id):
                    self.store.done(update.update_id)


class Outbox:
    """Sends the queued replies of the store's outbox (one sender at a time, so never out of order)."""

    def __init__(
        self, bot: Bot, store: SessionStore, retry_seconds: float = RETRY_SECONDS, drawer: ChartDrawer | None = None
    ) -> None:
        self.bot = bot
        self.store = store
        self.retry_seconds = retry_seconds
        self.drawer = drawer or ChartDrawer(processes=False)
        self._lock = asyncio.Lock()
        self._retrying = Every(retry_seconds, self._retry)
        self._drawn: dict[int, bytes | None] = {}  # outbox id -> its chart, drawn before the lock

    async def flush(self, chat_id: int | None = None) -> int:
        """Send what is queued (for one chat, or all); the number sent.

        A chart is drawn first, outside the sending lock: the other chats' replies do not wait for it."""
        await self._draw_charts(chat_id)
        async with self._lock:
            try:
                pending = self.store.outgoing(chat_id)
            except StorageUnavailable:
                return 0
            sent: list[int] = []
            stalled: set[int] = set()
            try:
                for item in pending:
                    if item.effect.chat_id in stalled:
                        continue
                    outcome = await self._perform(item.effect, item.id)
                    if outcome == "retry":
                        stalled.add(item.effect.chat_id)  # keep this chat's order: the rest waits too
                    elif outcome == "blocked":
                        stalled.add(item.effect.chat_id)
                        with contextlib.suppress(StorageUnavailable):
                            self.store.drop_outgoing(item.effect.chat_id)
                    else:
                        sent.append(item.id)
            finally:
                with contextlib.suppress(StorageUnavailable):
                    self.store.sent(sent)
                for done in sent:
                    self._drawn.pop(done, None)
            return len(sent)

    async def _draw_charts(self, chat_id: int | None) -> None:
        try:
            outgoing = self.store.outgoing(chat_id)
        except StorageUnavailable:
            return
        waiting = [i for i in outgoing if i.effect.chart is not None and i.id not in self._drawn]
        for item in waiting[:MAX_DRAWN]:
            self._drawn[item.id] = await self.drawer.png(item.effect.chart or {})
        while len(self._drawn) > MAX_DRAWN:  # charts of chats that could not be sent to: drawn again later
            self._drawn.pop(next(iter(self._drawn)))

    async def _perform(self, effect: Effect, outbox_id: int | None = None) -> str:
        try:
            if effect.op == "edit":
                text = html.escape(effect.text, quote=False)
                if effect.chosen:
                    text += f"\n→ <b>{html.escape(effect.chosen, quote=False)}</b>"
                await self.bot.edit_message_text(
                    text, chat_id=effect.chat_id, message_id=effect.message_id, parse_mode=ParseMode.HTML
                )
            elif effect.chart is not None:
                await self._send_chart(effect, self._drawn.get(outbox_id or 0, MISSING))
            else:
                text, markup = render(effect.reply())
                await self.bot.send_message(effect.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except Forbidden:
            log.info("a chat blocked the bot: its queued messages are dropped")
            return "blocked"
        except BadRequest as exc:  # e.g. "message is not modified", a message too old to edit: not retryable
            log.info("a queued message was refused by Telegram and dropped: %s", exc)
            return "done"
        except (RetryAfter, NetworkError) as exc:  # includes TimedOut: kept for the next try
            log.warning("a queued message could not be sent now (%s); it will be retried", exc)
            return "retry"
        except TelegramError as exc:
            log.error("a queued message failed and was dropped: %s", exc)
            return "done"
        return "done"

    async def _send_chart(self, effect: Effect, drawn: bytes | object | None = None) -> None:
        """The chart as a photo, its text the caption; the text alone when it cannot be drawn (Telegram's
        errors go to :meth:`_perform` as for any message). ``drawn``: the PNG drawn before the lock, if it was."""
        png = drawn if drawn is not MISSING else await self.drawer.png(effect.chart or {})
        assert png is None or isinstance(png, bytes)
        text, markup = render(effect.reply())
        if png is None:
            await self.bot.send_message(effect.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        elif len(text) <= MAX_CAPTION:
            await self.bot.send_photo(effect.chat_id, png, caption=text, parse_mode=ParseMode.HTML, reply_markup=markup)
        else:  # too long for a caption: the picture, then the words
            await self.bot.send_photo(effect.chat_id, png)
            await self.bot.send_message(effect.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)

    def start_retrying(self) -> None:
        self._retrying.start()

    async def stop_retrying(self) -> None:
        await self._retrying.stop()

    async def _retry(self) -> None:
        try:
            await self.flush()
            self.store.prune()
        except StorageUnavailable:
            pass
