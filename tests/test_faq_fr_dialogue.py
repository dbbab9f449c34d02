"""The knowledge base in the chat's language: a French question gets the entry's French text and French source,
the framing sentences come from the French catalog, an English question in an English chat is unchanged, and a
question's own language wins over the chat's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core import MapleCore, build_core
from knowledge.faq.entries import load_knowledge_base

TODAY = date(2026, 10, 1)
ECA = next(e for e in load_knowledge_base().entries if e.id == "eca-what")


@pytest.fixture
def core(tmp_path: Path) -> MapleCore:
    made = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    yield made
    made.store.close()


def _text(replies) -> str:
    return "\n".join(r.text for r in replies)


def test_a_french_question_in_a_french_chat_is_answered_in_french_and_the_question_follows(core):
    core.command(1, "start", language_code="fr")
    replies = core.text(1, "qu'est-ce qu'une évaluation des diplômes d'études?").replies
    text = _text(replies)
    assert ECA.fr is not None and ECA.fr.answer in text and ECA.answer not in text
    assert f"Source : {ECA.fr.source}" in text and "/fr/" in str(ECA.fr.source)
    assert "Quelle est votre date de naissance?" in text  # the pending question, in the same message
    assert len(replies) == 1


def test_an_english_question_in_an_english_chat_is_unchanged(core):
    core.command(2, "start", language_code="en")
    text = _text(core.text(2, "what is an ECA?").replies)
    assert ECA.answer in text and f"Source: {ECA.source} (checked {ECA.checked.isoformat()})" in text


def test_the_questions_language_wins_over_the_chats(core):
    core.command(3, "start", language_code="en")
    text = _text(core.text(3, "qu'est-ce qu'une évaluation des diplômes d'études (EDE)?").replies)
    assert ECA.fr is not None and ECA.fr.answer in text
    assert "What is your date of birth?" in text  # the chat stays English


def test_an_entry_button_in_a_french_chat_shows_the_french_entry(core):
    core.command(4, "start", language_code="fr")
    text = _text(core.button(4, "q:eca-what").replies)
    assert ECA.fr is not None and ECA.fr.question in text and ECA.fr.answer in text


def test_not_knowing_is_said_in_french(core):
    core.command(5, "start", language_code="fr")
    text = _text(core.text(5, "pourquoi le ciel est-il bleu le mardi?").replies)
    assert "je préfère le dire plutôt que de deviner" in text or "Cela dépasse ce que je connais" in text
    assert "I don't know" not in text
