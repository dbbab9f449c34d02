"""Cost per update of the real bot process, beside a bare python-telegram-bot echo bot, on one workload.

    python benchmarks/bench_cost.py [--chats 20] [--think 1.0] [--repeat 1]

Each bot runs as its own process (``maple`` in Telegram mode, or a bare PTB echo bot) against the fake
Bot API served from this process on 127.0.0.1, so the process CPU time read from /proc is the bot's alone
(the fake server's work is not counted). The workload mixes what people send: answers (typed and
tapped), chatter, questions for the knowledge base and invalid answers, closed loop per chat. Prints
CPU ms per update (after start-up), messages sent per update received, and the ratio to the echo bot.
With ``--repeat N`` the two bots run N times, alternately (so they share the machine's load over time),
and the median, minimum and maximum of each figure and of the ratio are printed: on a shared machine
one run's CPU time per update can move by a third.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram_harness import TOKEN  # noqa: E402

# what one person sends, in order: answers, a question mid-way, chatter, a mistake
WORKLOAD = [
    "/start",
    "hello",
    "1991-05-05",
    "tap:a:marital:never_married",
    "what is an ECA?",
    "bachelors",
    "eca",
    "May 2023",  # the ECA's issue date
    "none",
    "ielts",
    "2025-05-01",
    "8 7 7",  # a mistake: three scores
    "8 7 7 7",
    "none",
    "ok thanks",
    "no",
    "does my online degree count?",
    "no",
    "no",
    "no",
    "no",
    "no",
    "no",
    "1",
    "20000",
]

ECHO_BOT = """
import os, sys
from telegram.ext import ApplicationBuilder, MessageHandler, CallbackQueryHandler, filters
async def echo(update, context):
    await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "ok")
async def tapped(update, context):
    await update.callback_query.answer()
    await context.bot.send_message(update.effective_chat.id, update.callback_query.data)
app = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(os.environ["TELEGRAM_API_BASE_URL"]).build()
app.add_handler(MessageHandler(filters.ALL, echo))
app.add_handler(CallbackQueryHandler(tapped))
app.run_polling(allowed_updates=["message", "callback_query"])
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bot(kind: str, api: FakeBotApi, db: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "MAPLE_DB": db,
            "MAPLE_DRAWS_REFRESH_HOURS": "0",
            "NO_PROXY": "127.0.0.1",
        }
    )
    code = ECHO_BOT if kind == "echo" else "from bot.main import entry_point; entry_point()"
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def sends(api: FakeBotApi) -> int:
    return sum(1 for c in api.calls if c.method in ("sendMessage", "sendPhoto"))


async def person(api: FakeBotApi, chat: int, think: float = 0.05) -> int:
    count = 0
    for step in WORKLOAD:
        before = len(api.sent(chat))
        if step.startswith("tap:"):
            data = step[4:]
            try:
                api.user_taps(chat, data)
            except AssertionError:  # the echo bot shows no buttons: a tap on the message it sent last
                api.user_taps(chat, data, message=api.sent(chat)[-1]["_message"])
        else:
            api.user_sends(chat, step)
        count += 1
        await api.wait_for(chat, before + 1, timeout=60)
        await asyncio.sleep(think)  # reading the reply (and letting a second message of the turn arrive)
    return count


async def measure(kind: str, chats: int, think: float = 0.05) -> dict[str, float]:
    api = await FakeBotApi(token=TOKEN).start()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DB_DIR")) as tmp:
        process = start_bot(kind, api, str(Path(tmp) / "cost.db"))
        try:
            api.user_sends(10**9, "/start")  # wait for the start: imports, indexes, first request
            await api.wait_for(10**9, 1, timeout=120)
            await person(api, 10**9 + 1)  # warm up: one whole person, so lazy loads are not counted
            await asyncio.sleep(1.0)
            base_cpu, base_sends, began = cpu_seconds(process.pid), sends(api), time.perf_counter()
            updates = sum(await asyncio.gather(*(person(api, 1000 + c, think) for c in range(chats))))
            await asyncio.sleep(0.5)
            cpu = cpu_seconds(process.pid) - base_cpu
            wall = time.perf_counter() - began
            sent = sends(api) - base_sends
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
            await api.stop()
    return {"updates": updates, "cpu_ms": cpu / updates * 1000, "per_update": sent / updates, "wall_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each person waits after a reply; 0.05 drives the bot past Telegram's 30 messages/s",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each bot, alternately; medians printed")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"echo": [], "maple": []}
    for _ in range(args.repeat):
        for kind, figures in runs.items():
            figures.append(asyncio.run(measure(kind, args.chats, args.think)))
    print(
        f"{args.chats} chats x {len(WORKLOAD)} updates (answers, taps, chatter, questions, a mistake), closed loop, "
        f"{args.think:g} s between a reply and the next message"
        + (f"; median [min-max] of {args.repeat} alternate runs" if args.repeat > 1 else "")
    )
    print(f"{'':8}{'updates':>9}{'CPU ms/update':>22}{'msgs/update':>13}{'wall s':>9}")
    for kind, figures in runs.items():
        print(
            f"{kind:8}{figures[0]['updates']:9.0f}{_spread([f['cpu_ms'] for f in figures]):>22}"
            f"{statistics.median(f['per_update'] for f in figures):13.2f}"
            f"{statistics.median(f['wall_s'] for f in figures):9.1f}"
        )
    ratios = [m["cpu_ms"] / e["cpu_ms"] for m, e in zip(runs["maple"], runs["echo"], strict=True)]
    print(f"CPU per update, maple / echo: {_spread(ratios)}")


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


if __name__ == "__main__":
    main()
