"""The draw-alert fan-out: N subscribers alerted of one new round through PTB's Bot and rate limiter.

    python benchmarks/bench_alerts.py [--subscribers 10000] [--rate 28] [--blocked 0.01]

The fake Bot API (tests/fake_bot_api.py, on 127.0.0.1) runs in its own process, so the CPU time and
peak memory printed are the bot side's alone: planning the round's alerts in SQLite (one transaction)
and sending them with :class:`bot.watch.WatchSender` through ``ExtBot`` + ``AIORateLimiter`` (as the
bot does). While the fan-out runs, a person's reply is sent every 0.5 s through the same bot and
its latency is reported: what the fan-out costs the people talking to the bot. The server reports how
many messages each chat got (duplicates) and the most messages in any one-second window.
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
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import AIORateLimiter, ExtBot

from bot.store import SessionStore
from bot.watch import Watch, WatchSender
from bot.watch_store import Sub, WatchStore
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.draws.rounds import Draw
from knowledge.programs.eligibility import EligibilityEngine
from tests.telegram_harness import TOKEN

SERVER = r"""
import asyncio, collections, json, sys
from aiohttp import web
sys.path.insert(0, sys.argv[1])
from tests.fake_bot_api import FakeBotApi

BLOCKED = set(json.loads(sys.argv[2]))

class Api(FakeBotApi):
    async def _handle(self, request):
        if request.match_info["method"] == "sendMessage":
            params = await self._params(request)
            if int(params.get("chat_id", 0)) in BLOCKED:
                return web.json_response({"ok": False, "error_code": 403,
                                          "description": "Forbidden: bot was blocked by the user"}, status=403)
        return await super()._handle(request)

async def main():
    api = await Api(sys.argv[3]).start()
    print(api.port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    sends = [c for c in api.calls if c.method == "sendMessage" and "_message" in c.params]
    per_chat = collections.Counter(int(c.params["chat_id"]) for c in sends if int(c.params["chat_id"]) != 1)
    times = sorted(c.at for c in sends)
    peak, start = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    print(json.dumps({"alerts_received": sum(per_chat.values()), "chats": len(per_chat),
                      "chats_alerted_twice": sum(1 for n in per_chat.values() if n > 1),
                      "peak_messages_in_any_second_all_chats": peak}), flush=True)
    await api.stop()

asyncio.run(main())
"""

ROUND = Draw(number="999", date=date(2026, 12, 1), name="Canadian Experience Class", invitations=3000, min_crs=515)
PERSON = 1  # the chat that keeps talking to the bot during the fan-out (not a subscriber)


def seed(store: SessionStore, count: int, off_route: float) -> None:
    every = int(1 / off_route) if off_route else 0

    def write(conn: object) -> None:
        for chat in range(10, 10 + count):
            routes = ["all", "fsw"] if every and chat % every == 0 else ["all", "cec"]  # off / on the round's route
            sub = Sub(chat_id=chat, alerts=True, score=400 + chat % 200, routes=routes, rule_set="crs-2025-03-25")
            WatchStore.put_sub(conn, sub)  # type: ignore[arg-type]

    store.apply("seed", write)  # type: ignore[arg-type]


async def talk(bot: ExtBot, stop: asyncio.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await bot.send_message(PERSON, "a reply to a person")
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.5)


async def run(args: argparse.Namespace) -> dict[str, object]:
    root = Path(__file__).resolve().parent.parent
    blocked = (
        [chat for chat in range(10, 10 + args.subscribers) if chat % int(1 / args.blocked) == 3] if args.blocked else []
    )
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(root), json.dumps(blocked), TOKEN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    port = int(server.stdout.readline())
    with tempfile.TemporaryDirectory() as tmp:
        store = SessionStore(Path(tmp) / "bench.sqlite3")
        seed(store, args.subscribers, args.off_route)
        watch = Watch(store, Results(default_scorer(), EligibilityEngine()), lambda: datetime(2026, 12, 2, tzinfo=UTC))
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        planned = watch.new_rounds([ROUND])
        planning = time.perf_counter() - started
        bot = ExtBot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", rate_limiter=AIORateLimiter(max_retries=2))
        async with bot:
            sender = WatchSender(bot, watch, rate=args.rate)
            stop, latencies = asyncio.Event(), []
            person = asyncio.create_task(talk(bot, stop, latencies))
            started = time.perf_counter()
            sent = await sender.drain()
            elapsed = time.perf_counter() - started
            stop.set()
            await person
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        states = watch.db.states("alert")
        subscribed = sum(1 for _ in watch.db.subs())
        store.close()
    server.stdin.write("stop\n")
    server.stdin.flush()
    seen = json.loads(server.stdout.readline())
    server.wait(timeout=30)
    latencies.sort()
    return {
        "subscribers": args.subscribers,
        "alerts_planned": planned,
        "planning_seconds": round(planning, 2),
        "sent": sent,
        "blocked_unsubscribed": args.subscribers - subscribed,
        "states": states,
        "fan_out_seconds": round(elapsed, 1),
        "fan_out_minutes": round(elapsed / 60, 2),
        "messages_per_second": round(sent / elapsed, 1),
        "server_saw": seen,
        "cpu_seconds_bot_side": round((cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime), 1),
        "peak_rss_mb_bot_side": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "person_reply_latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
            "count": len(latencies),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=28.0, help="the sender's messages a second (bot.watch.RATE)")
    parser.add_argument("--blocked", type=float, default=0.01, help="share of subscribers who blocked the bot")
    parser.add_argument("--off-route", type=float, default=0.0, help="share of subscribers the round cannot invite")
    print(json.dumps(asyncio.run(run(parser.parse_args())), indent=1))


if __name__ == "__main__":
    main()
