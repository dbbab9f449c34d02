"""The Telegram edge (python-telegram-bot 22): thin handlers around :class:`bot.core.MapleCore`.

Every handler does the same three things: find the chat, ask the core, send the replies. Updates
are handled one at a time, in order; replies go through PTB's rate limiter, which retries on 429.
Nothing is lost on a crash (see :mod:`bot.delivery`): an update is kept in SQLite before Telegram is
told it arrived, applied with its replies queued in one transaction, and the replies sent from there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from telegram import BotCommand, CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
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

from bot.chart import ChartDrawer
from bot.config import Config
from bot.core import MapleCore, Turn
from bot.delivery import DurableUpdateQueue, MarkDone, Outbox, UpdatesRequest, render
from bot.draws_refresh import DrawsKeeper
from bot.store import Effect
from bot.watch import AlertingDrawsKeeper, ReminderScheduler, WatchSender
from flows.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, Languages, default_languages

log = logging.getLogger(__name__)

COMMANDS = {
    "start": N_("Start or continue the questionnaire"),
    "back": N_("Go back one question"),
    "edit": N_("Change an earlier answer"),
    "summary": N_("All your answers on one screen"),
    "score": N_("Your CRS result so far"),
    "ask": N_("Ask a question about Express Entry"),
    "topics": N_("Browse the questions I can answer"),
    "dates": N_("Your dates: birthdays that change your points, test and ECA expiry"),
    "remind": N_("Reminders before your dates, and draw alerts (/remind off stops)"),
    "alerts": N_("Draw alerts on (/alerts off: off)"),
    "restart": N_("Start again from the first question"),
    "cancel": N_("Pause (your answers are kept)"),
    "forget": N_("Delete everything stored for this chat"),
    "language": N_("English or French"),
    "help": N_("What I do and how"),
}
COMMAND_NAMES = {"fr": {"language": "langue"}}  # a command's name in a language's menu (both work everywhere)
CORE_KEY = "maple_core"
OUTBOX_KEY = "maple_outbox"
STARTED_KEY = "maple_started"
DRAWS_KEY = "maple_draws"
SENDER_KEY = "maple_watch_sender"
SCHEDULER_KEY = "maple_watch_scheduler"


def _core(context: ContextTypes.DEFAULT_TYPE) -> MapleCore:
    return context.application.bot_data[CORE_KEY]


async def _deliver(context: ContextTypes.DEFAULT_TYPE, chat_id: int, turn: Turn) -> None:
    """Send what a turn produced: from the outbox when it was queued there, else directly."""
    if turn.queued:
        await context.application.bot_data[OUTBOX_KEY].flush(chat_id)
        return
    for reply in turn.replies:
        text, markup = render(reply)
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /back, /edit, /score, /ask [question], /topics, /restart, /cancel, /forget, /help."""
    if update.effective_chat is None or update.message is None or not update.message.text:
        return
    command, _, args = update.message.text.strip().partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    chat_id = update.effective_chat.id
    turn = _core(context).command(
        chat_id, name, update.update_id, args=args.strip(), language_code=_language_code(update)
    )
    await _deliver(context, chat_id, turn)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other message is an answer to the current question (non-text reads as empty: re-asked)."""
    if update.effective_chat is None or update.message is None:
        return
    chat_id = update.effective_chat.id
    text = update.message.text or ""
    await _deliver(context, chat_id, _core(context).text(chat_id, text, update.update_id, _language_code(update)))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped inline button: acknowledge, answer it, and (once stored) mark the choice on the question."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    try:
        await query.answer()
    except BadRequest as exc:  # a tap replayed after a restart is too old to acknowledge: harmless
        log.debug("could not answer the callback query: %s", exc)
    data = query.data or ""
    chat_id = update.effective_chat.id
    turn = _core(context).button(
        chat_id, data, update.update_id, mark=_mark(query), language_code=_language_code(update)
    )
    await _deliver(context, chat_id, turn)


def _language_code(update: Update) -> str | None:
    """Telegram's language for the person (used on first contact only; /language changes it)."""
    return update.effective_user.language_code if update.effective_user is not None else None


# the result's detail and what-if buttons leave the result as it is (its HTML and its buttons, to tap again)
UNMARKED = ("nav:", "res:", "wi:")


def _mark(query: CallbackQuery) -> Effect | None:
    """The question's message edited to show the tapped choice (and lose its buttons)."""
    message = query.message
    data = query.data or ""
    if message is None or data.startswith(UNMARKED) or not getattr(message, "text", None):
        return None
    markup = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup else ()
    chosen = next((b.text for row in rows for b in row if b.callback_data == data), None)
    if chosen is None:
        return None
    return Effect(op="edit", chat_id=message.chat.id, message_id=message.message_id, text=message.text, chosen=chosen)


APOLOGY = N_(
    "Sorry, something went wrong on my side with that message. Your earlier answers are safe: "
    "/start shows the question you are on."
)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log (the token is redacted by the log formatter), then tell the person how to go on."""
    if isinstance(context.error, Forbidden):
        return
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        chat_id = update.effective_chat.id
        try:
            core = _core(context)
            t = core.dialogue.languages.get(core.chat_language(chat_id, _language_code(update)))
        except Exception:  # the apology must go out whatever failed: then in English
            t = default_languages().get(SOURCE_LANGUAGE)
        try:
            await context.bot.send_message(chat_id, t(APOLOGY))
        except TelegramError:
            log.warning("could not send the apology")


def menu(language: str, languages: Languages) -> list[BotCommand]:
    """The command menu in ``language``: its descriptions translated, its names as that language calls them."""
    t, names = languages.get(language), COMMAND_NAMES.get(language, {})
    return [BotCommand(names.get(name, name), t(text)) for name, text in COMMANDS.items()]


async def set_commands(application: Application, languages: Languages | None = None) -> None:
    """The default menu (English) and one per other language, which Telegram shows by the person's language."""
    languages = languages or default_languages()
    await application.bot.set_my_commands(menu(SOURCE_LANGUAGE, languages))
    for language in LANGUAGES:
        if language != SOURCE_LANGUAGE:
            await application.bot.set_my_commands(menu(language, languages), language_code=language)


async def on_start(application: Application) -> None:
    """Before the first new update: the menu, the replies a crash kept from being sent, the waiting updates."""
    application.bot_data.get(STARTED_KEY, lambda: None)()
    await set_commands(application, application.bot_data[CORE_KEY].dialogue.languages)
    outbox: Outbox = application.bot_data[OUTBOX_KEY]
    await outbox.flush()
    replayed = application.update_queue.replay(application.bot)  # type: ignore[attr-defined]
    if replayed:
        log.info("%d update(s) received before a stop are applied now", replayed)
    outbox.start_retrying()
    application.bot_data[DRAWS_KEY].start()
    core: MapleCore = application.bot_data[CORE_KEY]
    sender: WatchSender | None = application.bot_data.get(SENDER_KEY)
    if core.watch is not None and sender is not None:
        again, lost = core.watch.db.recover()  # sends a crash interrupted: reminders again, alerts dropped
        if again or lost:
            log.info("watch messages after a stop: %d to send again, %d alert(s) not repeated", again, lost)
        sender.start()
        scheduler: ReminderScheduler | None = application.bot_data.get(SCHEDULER_KEY)
        if scheduler is not None:
            core.watch.changed = scheduler.sweep
            scheduler.start()
        core.watch.queued = sender.kick
        sender.kick()


async def on_stop(application: Application) -> None:
    outbox: Outbox = application.bot_data[OUTBOX_KEY]
    await outbox.stop_retrying()
    outbox.drawer.close()
    await application.bot_data[DRAWS_KEY].stop()
    sender: WatchSender | None = application.bot_data.get(SENDER_KEY)
    if sender is not None:
        await sender.stop()


def build_application(config: Config, core: MapleCore, rate_limited: bool = True) -> Application:
    """The builder: token, optional local Bot API, rate limiter, handlers, error handler.

    ``rate_limited=False`` is for benchmarks only: it measures Maple's own handling cost.
    """
    if config.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    updates = UpdatesRequest()
    builder = (
        ApplicationBuilder()
        .token(config.token.get_secret_value())
        .get_updates_request(updates)
        .update_queue(DurableUpdateQueue(core.store, updates))
        .concurrent_updates(MarkDone(core.store))
        .post_init(on_start)
        .post_stop(on_stop)
    )
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    if config.api_base_url:
        base = config.api_base_url.rstrip("/")
        builder = builder.base_url(base if base.endswith("/bot") else base + "/bot")
        builder = builder.base_file_url((base[:-4] if base.endswith("/bot") else base) + "/file/bot")
    application = builder.build()
    application.bot_data[CORE_KEY] = core
    application.bot_data[OUTBOX_KEY] = Outbox(application.bot, core.store, drawer=ChartDrawer(config.chart_process))
    keeper_args = (core.draws, Path(config.draws_file), config.draws_url, config.draws_refresh_hours)
    if core.watch is not None:  # reminders on the job queue, alerts on new rounds, one paced sender
        sender = WatchSender(application.bot, core.watch)
        application.bot_data[SENDER_KEY] = sender
        if application.job_queue is not None:
            application.bot_data[SCHEDULER_KEY] = ReminderScheduler(core.watch, application.job_queue, sender)
        else:
            log.warning("no job queue (python-telegram-bot[job-queue] is not installed): reminders are not sent")
        application.bot_data[DRAWS_KEY] = AlertingDrawsKeeper(*keeper_args, on_new=core.watch.new_rounds)
    else:
        application.bot_data[DRAWS_KEY] = DrawsKeeper(*keeper_args)
    application.add_handler(
        CommandHandler([*COMMANDS, *(n for names in COMMAND_NAMES.values() for n in names.values())], on_command)
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.COMMAND, on_command))
    application.add_error_handler(on_error)
    return application


def run(config: Config, core: MapleCore, started: Callable[[], None] = lambda: None) -> None:
    """Long polling by default; a webhook with Telegram's secret-token check when MAPLE_WEBHOOK_URL is set.

    ``started`` is called once the Bot API has accepted the token and the bot is about to take updates."""
    application = build_application(config, core)
    application.bot_data[STARTED_KEY] = started
    allowed = ["message", "callback_query"]
    if config.webhook_url:
        secret = config.webhook_secret.get_secret_value() if config.webhook_secret else None
        if secret is None:
            log.warning("WEBHOOK WITHOUT A SECRET (MAPLE_WEBHOOK_INSECURE): any POST to it is taken as an update")
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
