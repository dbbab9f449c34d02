"""What the dialogue says: a text and its buttons, the same for every edge (console, Telegram, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Button:
    label: str
    data: str


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
