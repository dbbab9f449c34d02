"""The transport-free core shared by every edge: load the chat's session, run the dialogue, save it.

A turn is all or nothing: the new session, the update marked as applied and the replies to send are
written in one transaction (see :mod:`bot.store`). When the file cannot be written, nothing changes and
the person is told plainly that this answer was not saved and that their earlier answers are safe.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.store import Effect, SessionStore, StorageUnavailable
from bot.watch import Watch
from flows.conversation import DONE, START, Dialogue, Session
from flows.faq_replies import FaqReplies
from flows.i18n import N_, Translator, language_for
from flows.questions import BY_ID
from flows.replies import Button, Reply, merge
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.draws.rounds import Draws
from knowledge.faq.retriever import default_retriever
from knowledge.programs.categories import CategoryRules
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

RECENT_UPDATES = 20
FORGET_YES, FORGET_NO = "forget:yes", "forget:no"
CONFIRM_FORGET = (
    N_("Delete everything I stored for this chat (all your answers)? This cannot be undone."),
    [(N_("Yes, delete everything"), FORGET_YES), (N_("No, keep my answers"), FORGET_NO)],
)
FORGOTTEN = N_("Done: everything I stored for this chat is deleted. Send /start to begin again.")
KEPT = N_("Nothing was deleted.")
STALE_FORGET = N_("That button is out of date: nothing was deleted. /forget asks again.")
KEPT_AT_START = N_("Nothing was deleted. /start shows where you are.")
NOT_SAVED = N_(
    "I could not save that: my storage is not working right now (the problem is on my side). "
    "Your earlier answers are safe. Please try again in a few minutes; /start will show where you were."
)
NOT_READ = N_(
    "I cannot read your answers right now (the problem is on my side); they are not lost. "
    "Please try again in a few minutes."
)


@dataclass
class Turn:
    """What one message produced: the replies, and where they are (queued in the outbox, or to send now)."""

    replies: list[Reply]
    queued: bool = False  # True: the replies are in the outbox (flush it); False: send ``replies`` directly


class MapleCore:
    """One instance per process; the store and the engines are injected.

    ``update_id`` is given by the Telegram edge: the turn then marks that update applied and queues its
    replies in the outbox, atomically. The console passes none and prints the replies it gets back.
    """

    def __init__(
        self, store: SessionStore, dialogue: Dialogue, draws: Draws | None = None, watch: Watch | None = None
    ) -> None:
        self.store = store
        self.dialogue = dialogue
        self.draws = draws or Draws()  # the rounds the results use, kept current by the Telegram edge
        self.watch = watch  # reminders and draw alerts (/remind, /alerts): bot/watch.py

    # --- the edges' entry points ---------------------------------------------------------------
    # ``language_code``: Telegram's language for the person, which sets the chat's language on first contact
    def text(self, chat_id: int, text: str, update_id: int | None = None, language_code: str | None = None) -> Turn:
        return self._run(chat_id, update_id, lambda s: self.dialogue.text(s, text), language_code=language_code)

    def button(
        self,
        chat_id: int,
        data: str,
        update_id: int | None = None,
        mark: Effect | None = None,
        language_code: str | None = None,
    ) -> Turn:
        """A tapped button; ``mark`` (the question edited to show the choice) is shown only if it was applied."""
        if data == FORGET_YES:
            if self._forget_open(chat_id):
                return self._forget(chat_id, update_id, mark, language_code)
            return self._run(chat_id, update_id, self._stale_forget)
        if data == FORGET_NO:
            return self._run(chat_id, update_id, self._kept)
        if data.startswith("w:") and self.watch is not None:
            return self._watch(chat_id, update_id, lambda w: w.button(chat_id, data, update_id))
        return self._run(chat_id, update_id, lambda s: self.dialogue.button(s, data), mark, language_code)

    def command(
        self, chat_id: int, name: str, update_id: int | None = None, args: str = "", language_code: str | None = None
    ) -> Turn:
        if name == "forget":
            return self._run(chat_id, update_id, self._confirm_forget, language_code=language_code)
        if name in ("remind", "alerts") and self.watch is not None:
            return self._watch(chat_id, update_id, lambda w: w.command(chat_id, name, args, update_id))
        return self._run(
            chat_id, update_id, lambda s: self.dialogue.command(s, name, args), language_code=language_code
        )

    # the same, returning only the replies (console and tests)
    def on_text(self, chat_id: int, text: str, update_id: int | None = None) -> list[Reply]:
        return self.text(chat_id, text, update_id).replies

    def on_button(self, chat_id: int, data: str, update_id: int | None = None) -> list[Reply]:
        return self.button(chat_id, data, update_id).replies

    def on_command(self, chat_id: int, name: str, update_id: int | None = None, args: str = "") -> list[Reply]:
        return self.command(chat_id, name, update_id, args).replies

    # --- one turn ------------------------------------------------------------------------------
    def _run(
        self,
        chat_id: int,
        update_id: int | None,
        step: Callable[[Session], list[Reply]],
        mark: Effect | None = None,
        language_code: str | None = None,
    ) -> Turn:
        try:
            session = self.store.load(chat_id)
        except StorageUnavailable:
            return Turn([Reply(self._t(language_for(language_code) if language_code else None)(NOT_READ))])
        if update_id is not None and update_id in session.recent_updates:
            return self._reply_only(chat_id, update_id, [])  # applied before a crash: never twice
        if session.language is None and language_code is not None and session.state == START and not session.answers:
            session.language = language_for(language_code)  # first contact: Telegram's language (a chat begun
            # before languages existed stays English until /language: its questions do not change mid-way)
        before = _snapshot(session)
        replies = step(session)
        if update_id is not None:
            session.recent_updates = [*session.recent_updates[-(RECENT_UPDATES - 1) :], update_id]
        applied = _snapshot(session) != before
        effects = self._effects(chat_id, replies, mark if applied else None) if update_id is not None else []
        try:
            self.store.save(session, update_id, effects)
        except StorageUnavailable:
            return Turn([Reply(self._t(session.language)(NOT_SAVED))])
        if applied and self.watch is not None:
            # a subscriber's score and reminders follow their answers (if this fails, the next change does it)
            with contextlib.suppress(StorageUnavailable):
                self.watch.answers_changed(chat_id, session.answers)
        return Turn(replies, queued=update_id is not None)

    def _watch(self, chat_id: int, update_id: int | None, step: Callable[[Watch], list[Reply]]) -> Turn:
        assert self.watch is not None
        try:
            replies = step(self.watch)
        except StorageUnavailable:
            return Turn([Reply(self._t(self.chat_language(chat_id))(NOT_SAVED))])
        return Turn(replies, queued=update_id is not None)

    def _reply_only(self, chat_id: int, update_id: int | None, replies: list[Reply]) -> Turn:
        if update_id is None:
            return Turn(replies)
        try:
            self.store.done(update_id, chat_id, self._effects(chat_id, replies))
        except StorageUnavailable:
            return Turn(replies)  # nothing was to be saved: the replies still hold
        return Turn(replies, queued=True)

    def _forget(
        self, chat_id: int, update_id: int | None, mark: Effect | None, language_code: str | None = None
    ) -> Turn:
        t = self._t(self.chat_language(chat_id, language_code))  # read before the session is deleted
        replies = [Reply(t(FORGOTTEN))]
        try:
            self.store.forget(chat_id, update_id, self._effects(chat_id, replies, mark) if update_id else ())
        except StorageUnavailable:
            return Turn([Reply(t(NOT_SAVED))])
        return Turn(replies, queued=update_id is not None)

    def _confirm_forget(self, session: Session) -> list[Reply]:
        session.forget_asked = True
        t = self._t(session.language)
        return [Reply(t(CONFIRM_FORGET[0]), [Button(t(label), data) for label, data in CONFIRM_FORGET[1]])]

    def _stored(self, chat_id: int) -> Session | None:
        """The chat's stored session for a look at it (nothing changed), or None when the store fails."""
        try:
            return self.store.load(chat_id)
        except StorageUnavailable:
            return None

    def _forget_open(self, chat_id: int) -> bool:
        """A /forget confirmation is open (asked, and not answered No since): a Yes tapped now deletes."""
        session = self._stored(chat_id)
        return True if session is None else session.forget_asked  # unreadable: _forget says so, deletes nothing

    def _stale_forget(self, session: Session) -> list[Reply]:
        t = self._t(session.language)
        stale = Reply(t(STALE_FORGET))
        if session.state in (START, DONE):
            return [stale]
        return [merge(stale, self.dialogue.ask(session))]

    def _kept(self, session: Session) -> list[Reply]:
        session.forget_asked = False
        t = self._t(session.language)
        if session.state in (START, DONE):
            return [Reply(t(KEPT_AT_START))]
        return [merge(Reply(t(KEPT)), self.dialogue.ask(session))]  # one message: the note and the question

    # --- the chat's language -------------------------------------------------------------------
    def _t(self, language: str | None) -> Translator:
        return self.dialogue.languages.get(language)

    def chat_language(self, chat_id: int, language_code: str | None = None) -> str | None:
        """The chat's language from its stored session (Telegram's when none is set yet, or the store fails)."""
        fallback = language_for(language_code) if language_code else None
        session = self._stored(chat_id)
        return (session.language if session is not None else None) or fallback

    def has_answers(self, chat_id: int) -> bool:
        """Whether anything the person answered is stored for the chat (nothing after /forget)."""
        session = self._stored(chat_id)
        return session is None or bool(session.answers or session.set_aside)  # unreadable: they may well be there

    def reads_numbers(self, chat_id: int) -> bool:
        """Whether the pending question is answered by typed numbers (a family size, hours, test scores): in the
        terminal a number typed there is that answer, never the numbered button of a suggestion."""
        session = self._stored(chat_id)
        return session is not None and session.state in BY_ID and BY_ID[session.state].kind in ("number", "scores")

    @staticmethod
    def _effects(chat_id: int, replies: list[Reply], mark: Effect | None = None) -> list[Effect]:
        return [*([mark] if mark else []), *(Effect.of(chat_id, r) for r in replies)]


def _snapshot(session: Session) -> str:
    return json.dumps([session.state, session.answers], sort_keys=True, default=str)


def build_core(
    db_path: str,
    today: Callable[[], date] = date.today,
    draws: Draws | None = None,
    now: Callable[[], datetime] | None = None,
) -> MapleCore:
    """The production wiring: the shipped rules, the NOC index, the knowledge base, a store at ``db_path``,
    and the rounds of invitations (``draws``: the table the bot keeps current; default the shipped snapshot).
    ``now`` is the watch's clock (reminders); by default today's date at the current UTC time of day.

    Raises :class:`bot.store.StorageError` (before loading anything else) when the file cannot be used.
    """
    store = SessionStore(db_path)
    draws = draws or Draws()
    results = Results(default_scorer(), EligibilityEngine(categories=CategoryRules(draws=draws)))
    faq = FaqReplies(default_retriever())
    clock = now or (lambda: datetime.combine(today(), datetime.now(UTC).timetz()))
    watch = Watch(store, results, clock)
    return MapleCore(store, Dialogue(results, default_noc_index(), today, faq), draws, watch)
