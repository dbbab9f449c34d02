"""The transport-free core shared by every edge: load the chat's session, run the dialogue, save it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.store import SessionStore
from flows.conversation import Dialogue, Reply
from flows.results import Results
from knowledge.crs import default_scorer
from knowledge.eligibility import EligibilityEngine
from knowledge.noc import default_noc_index

FORGOTTEN = "Done: everything I stored for this chat is deleted. Send /start to begin again."


class MapleCore:
    """One instance per process; the store and the engines are injected."""

    def __init__(self, store: SessionStore, dialogue: Dialogue) -> None:
        self.store = store
        self.dialogue = dialogue

    def on_text(self, chat_id: int, text: str) -> list[Reply]:
        session = self.store.load(chat_id)
        replies = self.dialogue.text(session, text)
        self.store.save(session)
        return replies

    def on_button(self, chat_id: int, data: str) -> list[Reply]:
        session = self.store.load(chat_id)
        replies = self.dialogue.button(session, data)
        self.store.save(session)
        return replies

    def on_command(self, chat_id: int, name: str) -> list[Reply]:
        if name == "forget":
            self.store.forget(chat_id)
            return [Reply(FORGOTTEN)]
        session = self.store.load(chat_id)
        replies = self.dialogue.command(session, name)
        self.store.save(session)
        return replies


def build_core(db_path: str, today: Callable[[], date] = date.today) -> MapleCore:
    """The production wiring: the shipped rules, the NOC index, a store at ``db_path``."""
    results = Results(default_scorer(), EligibilityEngine())
    return MapleCore(SessionStore(db_path), Dialogue(results, default_noc_index(), today))
