"""What the dialogue says: a text and its buttons, the same for every edge (console, Telegram, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flows.markup import escape

if TYPE_CHECKING:
    from flows.chart_data import ChartData


@dataclass
class Button:
    label: str
    data: str


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    chart: ChartData | None = None  # a picture to draw at the edge, ``text`` its caption (and its fallback)
    html: bool = False  # True: ``text`` is Telegram HTML built with flows.markup (every user text escaped)

    def as_html(self) -> str:
        return self.text if self.html else escape(self.text)


def merge(*replies: Reply, all_buttons: bool = False) -> Reply:
    """Several replies as ONE message: the texts joined with a blank line, the buttons of the last.

    ``all_buttons`` keeps every reply's buttons in order instead (a knowledge-base reply that offers
    entries to tap, followed by the pending question and its choices). Empty replies are dropped.
    """
    kept = [r for r in replies if r.text or r.buttons]
    if not kept:
        return Reply("")
    html = any(r.html for r in kept)  # one HTML part makes the message HTML: the plain parts are escaped
    text = "\n\n".join(r.as_html() if html else r.text for r in kept if r.text)
    buttons = [b for r in kept for b in r.buttons] if all_buttons else list(kept[-1].buttons)
    return Reply(text, buttons, html=html)
