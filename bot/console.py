"""The terminal edge: the same dialogue, typed. Buttons are numbered; type the number or the answer."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.core import MapleCore
from flows.i18n import N_, Translator, default_languages
from flows.markup import plain
from flows.replies import Reply

CONSOLE_CHAT_ID = 0
BANNER = N_("Maple in the terminal (no TELEGRAM_BOT_TOKEN set). /help for commands, /quit to leave.")
BACK_HINT = N_("  (/back goes back one question)")
BYE = N_("Bye: your answers are saved.")
BYE_NOTHING = N_("Bye: nothing is stored for this chat.")


def show(replies: list[Reply], out: TextIO, chart_dir: Path | None = None, t: Translator | None = None) -> list[str]:
    """Print replies; return the data of their choices, numbered across the replies (navigation is a command).

    A chart is saved as a PNG under ``chart_dir`` and its path printed (nothing is drawn without a folder);
    the console's own words in ``t``'s language (the chat's)."""
    t = t or default_languages().get(None)
    buttons: list[str] = []
    for reply in replies:
        print(plain(reply.text) if reply.html else reply.text, file=out)
        if reply.chart is not None and chart_dir is not None:
            print(_saved_chart(reply, chart_dir, t), file=out)
        choices = [b for b in reply.buttons if not b.data.startswith("nav:")]
        for button in choices:
            buttons.append(button.data)
            print(f"  [{len(buttons)}] {button.label}", file=out)
        if len(choices) < len(reply.buttons):
            print(t(BACK_HINT), file=out)
        print(file=out)
    return buttons


def _saved_chart(reply: Reply, chart_dir: Path, t: Translator) -> str:
    from bot.chart import save_png

    assert reply.chart is not None
    try:
        return t("Chart saved: {path}", path=str(save_png(reply.chart, chart_dir)))
    except Exception as exc:  # a full disk, a folder that cannot be written, a drawing failure: the text stands
        return t(
            "The chart could not be saved in {folder} ({problem}).",
            folder=str(chart_dir),
            problem=f"{type(exc).__name__}: {exc}",
        )


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
    languages = core.dialogue.languages
    language_code = (os.environ.get("LC_ALL") or os.environ.get("LANG") or "").split(".")[0] or None  # fr_CA.UTF-8

    def words() -> Translator:  # the chat's language: the terminal's on first contact, then /language
        return languages.get(core.chat_language(chat_id, language_code))

    def bye() -> str:  # after /forget, or with nothing answered, there is nothing saved to speak of
        return BYE if core.has_answers(chat_id) else BYE_NOTHING

    print(words()(BANNER) + "\n", file=out)
    buttons = show(core.command(chat_id, "start", language_code=language_code).replies, out, chart_dir, words())
    just_greeted = True  # the terminal sends /start itself: a /start typed right after shows the question, not it again
    while True:
        try:
            line = read().strip()
        except (EOFError, KeyboardInterrupt):
            print("\n" + words()(bye()), file=out)
            return
        if line in ("/quit", "/exit"):
            print(words()(bye()), file=out)
            return
        if line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            name = name.lower() or "help"
            replies = core.on_command(
                chat_id, "continue" if just_greeted and name == "start" else name, args=args.strip()
            )
        elif line.isdigit() and buttons and 1 <= int(line) <= len(buttons) and not core.reads_numbers(chat_id):
            replies = core.on_button(chat_id, buttons[int(line) - 1])
        else:
            replies = core.on_text(chat_id, line)
        just_greeted = False
        buttons = show(replies, out, chart_dir, words())
