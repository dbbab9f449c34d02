"""Buttons as Telegram shows them: a long label cut after a whole word."""

from __future__ import annotations

from bot.delivery import MAX_BUTTON_TEXT, button_text


def test_a_long_button_label_is_cut_after_a_whole_word():
    label = "❓ Est-ce que la preuve de fonds compte-t-il dans la taille de la famille pour le conjoint ?"
    short = button_text(label)
    assert len(short) <= MAX_BUTTON_TEXT and short.endswith("…") and label.startswith(short[:-1])
    assert label[len(short) - 1] == " "  # the cut falls between two words
    assert button_text("Keep: 8 March 1985") == "Keep: 8 March 1985"  # short labels as they are
