"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real python-telegram-bot stack.

It implements what Maple uses (getMe, deleteWebhook, getUpdates with offsets and long polling,
sendMessage, sendPhoto (multipart: the photo's bytes are kept), editMessageText, editMessageReplyMarkup,
answerCallbackQuery, setMyCommands) and records every call. Tests inject updates as a user would send them.
Unknown methods answer 404.

Opt-in faults (all off by default): ``get_me_status`` (e.g. 401: the token is rejected), ``not_found_all``
(404 for every method, as a wrong base URL gives), ``html_502_next`` (method -> count of 502 HTML pages
that echo the request path, token included, as a broken proxy does) and ``abort_next`` (method, or
``"*"`` for all, -> count of connections closed without an answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON_FIELDS = {
    "reply_markup",
    "entities",
    "commands",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "scope",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Maple", "username": "maple_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when the call arrived (time.monotonic)


@dataclass
class FakeBotApi:
    token: str
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    fail_next: dict[str, int] = field(default_factory=dict)  # method -> number of 429s to answer first
    get_me_status: int | None = None  # answer getMe with this HTTP error (401: token rejected)
    not_found_all: bool = False  # 404 for every method, as a wrong base URL gives
    html_502_next: dict[str, int] = field(default_factory=dict)  # method -> number of 502 HTML pages first
    abort_next: dict[str, int] = field(default_factory=dict)  # method or "*" -> connections to close unanswered
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _event: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _offsets_seen: int = 0
    _max_offset: int = 0
    _stopping: bool = False

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._stopping = True
        self._event.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what a user does -------------------------------------------------------------------
    def user_sends(self, chat_id: int, text: str, first_name: str = "Ana") -> None:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": first_name},
            "from": {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "en"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def user_taps(self, chat_id: int, data: str, message: dict[str, Any] | None = None) -> None:
        message = message or self.last_message_with_button(chat_id, data)
        self._push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "chat_instance": str(chat_id),
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
                    "data": data,
                    "message": message,
                }
            }
        )

    def _push(self, body: dict[str, Any]) -> None:
        self.updates.append({"update_id": next(self._update_ids), **body})
        self._event.set()

    # --- what the bot did -------------------------------------------------------------------
    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        return [
            c.params
            for c in self.calls
            if c.method == "sendMessage" and "_message" in c.params and int(c.params["chat_id"]) == chat_id
        ]

    def photos(self, chat_id: int) -> list[dict[str, Any]]:
        """The sendPhoto calls answered in the chat (``photo`` holds the uploaded bytes), oldest first."""
        return [
            c.params
            for c in self.calls
            if c.method == "sendPhoto" and "_message" in c.params and int(c.params["chat_id"]) == chat_id
        ]

    async def wait_for_photos(self, chat_id: int, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent ``count`` photos in the chat (in all); return them."""
        deadline = time.monotonic() + timeout
        while len(self.photos(chat_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"chat {chat_id}: wanted {count} photos, got {len(self.photos(chat_id))}")
            await asyncio.sleep(0.01)
        return self.photos(chat_id)

    def last_message_with_button(self, chat_id: int, data: str) -> dict[str, Any]:
        for params in reversed(self.sent(chat_id)):
            markup = params.get("reply_markup") or {}
            if any(b.get("callback_data") == data for row in markup.get("inline_keyboard", []) for b in row):
                return params["_message"]
        raise AssertionError(f"no message in chat {chat_id} has a button {data!r}")

    async def wait_for(self, chat_id: int, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent ``count`` messages in the chat (in all); return them."""
        deadline = time.monotonic() + timeout
        while len(self.sent(chat_id)) < count:
            if time.monotonic() > deadline:
                texts = [m["text"][:80] for m in self.sent(chat_id)]
                raise AssertionError(f"chat {chat_id}: wanted {count} messages, got {len(texts)}: {texts}")
            await asyncio.sleep(0.01)
        return self.sent(chat_id)

    def push_text(self, chat_id: int, text: str) -> int:
        """``user_sends``, returning the new update's id."""
        self.user_sends(chat_id, text)
        return int(self.updates[-1]["update_id"])

    def push_tap(self, chat_id: int, data: str, message: dict[str, Any]) -> int:
        """``user_taps`` on ``message``, returning the new update's id."""
        self.user_taps(chat_id, data, message)
        return int(self.updates[-1]["update_id"])

    @property
    def confirmed_below(self) -> int:
        """The highest offset the bot has sent to getUpdates: every update with a lower id is confirmed."""
        for call in self.calls[self._offsets_seen :]:
            if call.method == "getUpdates":
                self._max_offset = max(self._max_offset, int(call.params.get("offset") or 0))
        self._offsets_seen = len(self.calls)
        return self._max_offset

    def last_call_at(self, exclude: tuple[str, ...] = ("getUpdates",)) -> float | None:
        """When the bot last called a method other than ``exclude`` (time.monotonic), or None."""
        for call in reversed(self.calls):
            if call.method not in exclude:
                return call.at
        return None

    def calls_since(self, since: float, method: str | None = None) -> list[Call]:
        """The calls (of ``method``) that arrived at or after ``since`` (time.monotonic), oldest first."""
        found: list[Call] = []
        for call in reversed(self.calls):
            if call.at < since:
                break
            if method is None or call.method == method:
                found.append(call)
        return found[::-1]

    # --- opt-in faults --------------------------------------------------------------------------
    @staticmethod
    def _take(counts: dict[str, int], *keys: str) -> bool:
        for key in keys:
            if counts.get(key, 0) > 0:
                counts[key] -= 1
                return True
        return False

    def _fault(self, request: web.Request, method: str) -> web.StreamResponse | None:
        if self._take(self.abort_next, method, "*"):
            if request.transport is not None:
                request.transport.abort()  # no status line, no body: the client sees the connection drop
            return web.Response(status=500)  # never reaches the client
        if self.not_found_all:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        if method == "getMe" and self.get_me_status is not None:
            return web.json_response(
                {"ok": False, "error_code": self.get_me_status, "description": "Unauthorized"},
                status=self.get_me_status,
            )
        if self._take(self.html_502_next, method):
            page = (
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
                f"<p>The upstream server failed for POST {request.path}</p></body></html>"
            )
            return web.Response(status=502, text=page, content_type="text/html")
        return None

    # --- the HTTP side ------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(Call(method, params))
        fault = self._fault(request, method)
        if fault is not None:
            return fault
        if self.fail_next.get(method):
            self.fail_next[method] -= 1
            return web.json_response(
                {"ok": False, "error_code": 429, "description": "Too Many Requests", "parameters": {"retry_after": 1}},
                status=429,
            )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an upload (multipart): its bytes, read while the request lives
                params[key] = value.file.read()
                params[f"_{key}_filename"] = value.filename
                continue
            params[key] = json.loads(value) if key in JSON_FIELDS and isinstance(value, str) else value
        return params

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0 and not self._stopping:
            self._event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout)
        return [u for u in self.updates if u["update_id"] >= offset][:100]

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params)
        params["_message"] = message
        return message

    async def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo:  # a file_id or URL would be a str: Maple only uploads
            error = {"ok": False, "error_code": 400, "description": "Bad Request: photo must be an uploaded file"}
            raise web.HTTPBadRequest(text=json.dumps(error), content_type="application/json")
        png = photo.startswith(PNG_SIGNATURE) and len(photo) >= 24
        width, height = (int.from_bytes(photo[16:20]), int.from_bytes(photo[20:24])) if png else (0, 0)
        message = self._message(params)
        del message["text"]
        message["photo"] = [
            {"file_id": f"photo-{message['message_id']}", "file_unique_id": f"u{message['message_id']}",
             "width": width, "height": height, "file_size": len(photo)}
        ]  # fmt: skip
        if params.get("caption"):
            message["caption"] = params["caption"]
        params["_message"] = message
        return message

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params)

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params)
