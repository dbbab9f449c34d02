"""Many chats through the real python-telegram-bot stack against the fake Bot API on 127.0.0.1.

    python benchmarks/bench_bot.py [--chats 40] [--rounds 12]

Each chat answers the questionnaire (closed loop: the next message goes once the bot replied).
Prints updates per second, p50/p99 handling latency (user message to the bot's first reply) and
peak memory, for Maple and for a bare PTB echo bot on the same server; the ratio is what we track.
Each bot runs in its own process so peak memory is its own. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TOKEN, running_bot

SCRIPT = [
    "/start",
    "1991-05-05",
    "single",
    "bachelors",
    "eca",
    "May 2023",  # the ECA's issue date
    "none",
    "ielts",
    "2025-05-01",
    "8 7 7 7",
    "none",
    "no",
    "no",
    "no",
    "no",
    "no",
    "no",
    "no",
    "1",
    "20000",
]


async def echo_app(api: FakeBotApi):
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    async def echo(update, context):
        await context.bot.send_message(update.effective_chat.id, update.message.text)

    app = ApplicationBuilder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


async def drive(api: FakeBotApi, chats: int, rounds: int) -> tuple[int, list[float], float]:
    latencies: list[float] = []

    async def one_chat(chat_id: int) -> None:
        for text in SCRIPT[:rounds]:
            before = len(api.sent(chat_id))
            start = time.perf_counter()
            api.user_sends(chat_id, text)
            while len(api.sent(chat_id)) <= before:
                await asyncio.sleep(0.0005)
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(0.005)  # let the rest of the replies to this message go out

    start = time.perf_counter()
    await asyncio.gather(*(one_chat(1000 + i) for i in range(chats)))
    return chats * min(rounds, len(SCRIPT)), latencies, time.perf_counter() - start


async def run(kind: str, chats: int, rounds: int) -> dict[str, float]:
    api = await FakeBotApi(token=TOKEN).start()
    try:
        if kind.startswith("maple"):
            with tempfile.TemporaryDirectory() as tmp:
                async with running_bot(api, Path(tmp) / "bench.db", rate_limited=kind == "maple"):
                    updates, latencies, elapsed = await drive(api, chats, rounds)
        else:
            app = await echo_app(api)
            async with app:
                await app.start()
                await app.updater.start_polling(poll_interval=0, timeout=1)
                updates, latencies, elapsed = await drive(api, chats, rounds)
                await app.updater.stop()
                await app.stop()
    finally:
        await api.stop()
    latencies.sort()
    return {
        "updates_per_s": updates / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=len(SCRIPT))
    parser.add_argument("--only", choices=["maple", "maple-unlimited", "echo"])
    args = parser.parse_args()
    if args.only:
        print(json.dumps(asyncio.run(run(args.only, args.chats, args.rounds))))
        return
    figures = {}
    for kind in ("echo", "maple-unlimited", "maple"):
        out = subprocess.run(
            [sys.executable, __file__, "--only", kind, "--chats", str(args.chats), "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures[kind] = json.loads(out.strip().splitlines()[-1])
    print(f"{args.chats} chats x {min(args.rounds, len(SCRIPT))} messages, closed loop, fake Bot API on 127.0.0.1")
    print(
        "maple = production build (AIORateLimiter: 30 messages/s overall, as Telegram allows); "
        "maple-unlimited = same bot without the limiter, to isolate Maple's own cost"
    )
    print(f"{'':16}{'updates/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'peak MB':>10}")
    for kind, f in figures.items():
        print(f"{kind:16}{f['updates_per_s']:12.1f}{f['p50_ms']:10.1f}{f['p99_ms']:10.1f}{f['peak_rss_mb']:10.1f}")
    e = figures["echo"]
    for kind in ("maple-unlimited", "maple"):
        m = figures[kind]
        print(
            f"ratio {kind}/echo: throughput {m['updates_per_s'] / e['updates_per_s']:.2f}, "
            f"p50 {m['p50_ms'] / e['p50_ms']:.2f}, p99 {m['p99_ms'] / e['p99_ms']:.2f}, "
            f"memory {m['peak_rss_mb'] / e['peak_rss_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
