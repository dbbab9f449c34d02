"""Telegram HTML for the replies that carry it: every piece of text is escaped, the tags are Maple's own.

A reply built with these helpers sets ``Reply.html``; the Telegram edge sends its text as is (parse mode
HTML), the console shows :func:`plain`. A reply without the flag is plain text, escaped as a whole.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?(?:b|i|u|s|code|pre)>")


def escape(text: object) -> str:
    """Text (the person's words, a label, a number) made safe inside Telegram HTML."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    return f"<b>{escape(text)}</b>"


def italic(text: object) -> str:
    return f"<i>{escape(text)}</i>"


def plain(markup: str) -> str:
    """HTML made by these helpers as readable plain text: the tags dropped, the entities read back."""
    return html.unescape(_TAG.sub("", markup))
