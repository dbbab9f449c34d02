"""The terminal edge: the same dialogue, typed. Buttons are numbered; type the number or the answer."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.core import MapleCore
from flows.markup import plain
from flows.replies import Reply

CONSOLE_CHAT_ID = 0


def show(replies: list[Reply], out: TextIO, chart_dir: Path | None = None) -> list[str]:
    """Print replies; return the data of their choices, numbered across the replies (navigation is a command).

    A chart is saved as a PNG under ``chart_dir`` and its path printed (nothing is drawn without a folder)."""
    buttons: list[str] = []
    for reply in replies:
        print(plain(reply.text) if reply.html else reply.text, file=out)
        if reply.chart is not None and chart_dir is not None:
            print(_saved_chart(reply, chart_dir), file=out)
        choices = [b for b in reply.buttons if not b.data.startswith("nav:")]
        for button in choices:
            buttons.append(button.data)
            print(f"  [{len(buttons)}] {button.label}", file=out)
        if len(choices) < len(reply.buttons):
            print("  (/back goes back one question)", file=out)
        print(file=out)
    return buttons


def _saved_chart(reply: Reply, chart_dir: Path) -> str:
    from bot.chart import save_png

    assert reply.chart is not None
    try:
        return f"Chart saved: {save_png(reply.chart, chart_dir)}"
    except Exception as exc:  # a full disk, a folder that cannot be written, a drawing failure: the text stands
        return f"The chart could not be saved in {chart_dir} ({type(exc).__name__}: {exc})."


def run_console(
    core: MapleCore,
    read: Callable[[], str] | None = None,
    out: TextIO = sys.stdout,
    chat_id: int = CONSOLE_CHAT_ID,
    chart_dir: Path | None = None,
) -> None:
    """Loop until end of input or /quit; answers are stored like on Telegram.

    Charts are saved under ``chart_dir`` (default: MAPLE_CHART_DIR, else the working directory)."""
    read = read or (lambda: input("> "))
    chart_dir = chart_dir or Path(os.environ.get("MAPLE_CHART_DIR") or ".")
    print("Maple in the terminal (no TELEGRAM_BOT_TOKEN set). /help for commands, /quit to leave.\n", file=out)
    buttons = show(core.on_command(chat_id, "start"), out, chart_dir)
    while True:
        try:
            line = read().strip()
        except (EOFError, KeyboardInterrupt):
            print("\nBye: your answers are saved.", file=out)
            return
        if line in ("/quit", "/exit"):
            print("Bye: your answers are saved.", file=out)
            return
        if line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            replies = core.on_command(chat_id, name.lower() or "help", args=args.strip())
        elif line.isdigit() and buttons and 1 <= int(line) <= len(buttons):
            replies = core.on_button(chat_id, buttons[int(line) - 1])
        else:
            replies = core.on_text(chat_id, line)
        buttons = show(replies, out, chart_dir)
