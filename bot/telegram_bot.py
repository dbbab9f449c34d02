"""The Telegram edge (python-telegram-bot 22): thin handlers around :class:`bot.core.MapleCore`.

Every handler does the same three things: find the chat, ask the core, send the replies. Updates
of one chat are handled in order (PTB's default sequential processing); replies go through PTB's
rate limiter, which retries on 429.
"""

from __future__ import annotations

import html
import logging

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Config
from bot.core import MapleCore
from flows.replies import Reply

log = logging.getLogger(__name__)

COMMANDS = {
    "start": "Start or continue the questionnaire",
    "back": "Go back one question",
    "edit": "Change an earlier answer",
    "score": "Your CRS result so far",
    "ask": "Ask a question about Express Entry",
    "topics": "Browse the questions I can answer",
    "restart": "Start again from the first question",
    "cancel": "Pause (your answers are kept)",
    "forget": "Delete everything stored for this chat",
    "help": "What I do and how",
}
CORE_KEY = "maple_core"


def render(reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
    """Escaped HTML text and one button per row (labels can be long)."""
    markup = None
    if reply.buttons:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label[:64], callback_data=b.data[:64])] for b in reply.buttons]
        )
    return html.escape(reply.text, quote=False), markup


def _core(context: ContextTypes.DEFAULT_TYPE) -> MapleCore:
    return context.application.bot_data[CORE_KEY]


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    for reply in replies:
        text, markup = render(reply)
        await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /back, /edit, /score, /ask [question], /topics, /restart, /cancel, /forget, /help."""
    if update.effective_chat is None or update.message is None or not update.message.text:
        return
    command, _, args = update.message.text.strip().partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    replies = _core(context).on_command(update.effective_chat.id, name, update.update_id, args=args.strip())
    await _send(update, context, replies)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other message is an answer to the current question (non-text reads as empty: re-asked)."""
    if update.effective_chat is None or update.message is None:
        return
    text = update.message.text or ""
    await _send(update, context, _core(context).on_text(update.effective_chat.id, text, update.update_id))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped inline button: acknowledge, mark the choice on the question, answer it."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    await query.answer()
    data = query.data or ""
    message = query.message
    if message is not None and getattr(message, "text", None):
        chosen = next(
            (
                b.text
                for row in (message.reply_markup.inline_keyboard if message.reply_markup else [])
                for b in row
                if b.callback_data == data
            ),
            None,
        )
        if chosen and not data.startswith("nav:"):
            try:
                await query.edit_message_text(
                    f"{html.escape(message.text, quote=False)}\n→ <b>{html.escape(chosen, quote=False)}</b>",
                    parse_mode=ParseMode.HTML,
                )
            except BadRequest as exc:  # "message is not modified", or too old to edit
                log.debug("could not edit the question message: %s", exc)
    await _send(update, context, _core(context).on_button(update.effective_chat.id, data, update.update_id))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log, then tell the person how to go on; stored answers are untouched (saves happen after success)."""
    if isinstance(context.error, Forbidden):
        return
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                "Sorry, something went wrong on my side. Your answers are safe: "
                "send your last answer again, or /start to see the question.",
            )
        except Exception:
            log.warning("could not send the apology")


async def set_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS.items()])


def build_application(config: Config, core: MapleCore, rate_limited: bool = True) -> Application:
    """The builder: token, optional local Bot API, rate limiter, handlers, error handler.

    ``rate_limited=False`` is for benchmarks only: it measures Maple's own handling cost.
    """
    if config.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = ApplicationBuilder().token(config.token.get_secret_value()).post_init(set_commands)
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    if config.api_base_url:
        base = config.api_base_url.rstrip("/")
        builder = builder.base_url(base if base.endswith("/bot") else base + "/bot")
        builder = builder.base_file_url((base[:-4] if base.endswith("/bot") else base) + "/file/bot")
    application = builder.build()
    application.bot_data[CORE_KEY] = core
    application.add_handler(CommandHandler(list(COMMANDS), on_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.COMMAND, on_command))
    application.add_error_handler(on_error)
    return application


def run(config: Config, core: MapleCore) -> None:
    """Long polling by default; a webhook with Telegram's secret-token check when MAPLE_WEBHOOK_URL is set."""
    application = build_application(config, core)
    allowed = ["message", "callback_query"]
    if config.webhook_url:
        secret = config.webhook_secret.get_secret_value() if config.webhook_secret else None
        application.run_webhook(
            listen=config.webhook_listen,
            port=config.webhook_port,
            url_path="telegram",
            webhook_url=config.webhook_url.rstrip("/") + "/telegram",
            secret_token=secret,
            allowed_updates=allowed,
        )
    else:
        application.run_polling(allowed_updates=allowed)
