"""The terminal edge: the same dialogue, typed. Buttons are numbered; type the number or the answer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.core import MapleCore
from flows.markup import plain
from flows.replies import Reply

CONSOLE_CHAT_ID = 0


def show(replies: list[Reply], out: TextIO) -> list[str]:
    """Print replies; return the data of their choices, numbered across the replies (navigation is a command)."""
    buttons: list[str] = []
    for reply in replies:
        print(plain(reply.text) if reply.html else reply.text, file=out)
        choices = [b for b in reply.buttons if not b.data.startswith("nav:")]
        for button in choices:
            buttons.append(button.data)
            print(f"  [{len(buttons)}] {button.label}", file=out)
        if len(choices) < len(reply.buttons):
            print("  (/back goes back one question)", file=out)
        print(file=out)
    return buttons


def run_console(
    core: MapleCore, read: Callable[[], str] | None = None, out: TextIO = sys.stdout, chat_id: int = CONSOLE_CHAT_ID
) -> None:
    """Loop until end of input or /quit; answers are stored like on Telegram."""
    read = read or (lambda: input("> "))
    print("Maple in the terminal (no TELEGRAM_BOT_TOKEN set). /help for commands, /quit to leave.\n", file=out)
    buttons = show(core.on_command(chat_id, "start"), out)
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
        buttons = show(replies, out)
