"""The transport-free core shared by every edge: load the chat's session, run the dialogue, save it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.store import SessionStore
from flows.conversation import Dialogue, Session
from flows.faq_replies import FaqReplies
from flows.replies import Reply
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.faq.retriever import default_retriever
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

RECENT_UPDATES = 20
FORGOTTEN = "Done: everything I stored for this chat is deleted. Send /start to begin again."


class MapleCore:
    """One instance per process; the store and the engines are injected."""

    def __init__(self, store: SessionStore, dialogue: Dialogue) -> None:
        self.store = store
        self.dialogue = dialogue

    def _run(self, chat_id: int, update_id: int | None, step: Callable[[Session], list[Reply]]) -> list[Reply]:
        session = self.store.load(chat_id)
        if update_id is not None:
            if update_id in session.recent_updates:
                return []  # already handled before a restart: do not apply it twice
            session.recent_updates = [*session.recent_updates[-(RECENT_UPDATES - 1) :], update_id]
        replies = step(session)
        self.store.save(session)
        return replies

    def on_text(self, chat_id: int, text: str, update_id: int | None = None) -> list[Reply]:
        return self._run(chat_id, update_id, lambda s: self.dialogue.text(s, text))

    def on_button(self, chat_id: int, data: str, update_id: int | None = None) -> list[Reply]:
        return self._run(chat_id, update_id, lambda s: self.dialogue.button(s, data))

    def on_command(self, chat_id: int, name: str, update_id: int | None = None, args: str = "") -> list[Reply]:
        if name == "forget":
            self.store.forget(chat_id)
            return [Reply(FORGOTTEN)]
        return self._run(chat_id, update_id, lambda s: self.dialogue.command(s, name, args))


def build_core(db_path: str, today: Callable[[], date] = date.today) -> MapleCore:
    """The production wiring: the shipped rules, the NOC index, the knowledge base, a store at ``db_path``."""
    results = Results(default_scorer(), EligibilityEngine())
    faq = FaqReplies(default_retriever())
    return MapleCore(SessionStore(db_path), Dialogue(results, default_noc_index(), today, faq))
