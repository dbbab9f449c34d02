"""The long reliability run: the real ``maple`` process, killed with SIGKILL again and again during a burst.

    .venv/bin/python benchmarks/reliability.py [--chats 100] [--kills 20] [--spread 20] [--seed 1]
                                               [--no-faults] [--no-forget] [--keep DIR]

N chats each send ~15 valid answers (typed, and taps on the bot's buttons) over ``--spread`` seconds without
waiting for replies; the bot is killed ``--kills`` times at random moments and restarted on the same SQLite
file, then drained and stopped with SIGTERM. The stored answers are compared, chat by chat, with a reference
run of the same scripts through the in-process core. Then the token and start-up fault scenarios, and
/forget. Prints a figures table; exits 1 when any promise is broken. Everything runs on 127.0.0.1.

``--self-check`` runs the crash part against the same bot with python-telegram-bot patched to confirm each
update only after handling it (tests/reliability/confirm_after_handling): it must come out OK, which shows
that what the normal run reports is the bot's doing, not the harness's.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.scenarios import (
    CHAT_FAULTS,
    STARTUP_FAULTS,
    CrashConfig,
    run_chat_fault,
    run_crash,
    run_forget,
    run_startup_fault,
    summarize,
)


def table(title: str, rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    lines = [title, "-" * len(title)]
    lines += [f"{name.ljust(width)}  {value}" for name, value in rows]
    return "\n".join(lines)


SELF_CHECK = Path(__file__).resolve().parent.parent / "tests" / "reliability" / "confirm_after_handling"


async def main(args: argparse.Namespace, work: Path) -> int:
    broken = 0
    bot_env = dict(item.split("=", 1) for item in args.bot_env)
    if args.self_check:
        bot_env["PYTHONPATH"] = f"{SELF_CHECK}{os.pathsep}{SELF_CHECK.parent.parent.parent}"
    config = CrashConfig(
        chats=args.chats,
        steps=args.steps,
        kills=args.kills,
        spread=args.spread,
        min_uptime=args.min_uptime,
        max_uptime=args.max_uptime,
        seed=args.seed,
        bot_env=bot_env,
    )
    report = await run_crash(config, work / "crash")
    figures = report.figures
    title = f"crash safety: {config.chats} chats, {config.kills} SIGKILLs, seed {config.seed}"
    if args.self_check:
        title += " (self-check: PTB patched to confirm updates after handling them)"
    print(table(title, figures.rows()))
    if report.kills:
        moments = ", ".join(f"{k.at:.1f}" for k in report.kills)
        print(f"  kills at (s after the first update): {moments}")
        print(f"  updates unconfirmed at each kill: {', '.join(str(k.unconfirmed) for k in report.kills)}")
    for example in figures.examples:
        print("  e.g.", example)
    for leak in report.leaks[:3]:
        print(f"  token in {leak.file}: {leak.line}")
    problems = figures.failures()
    print("verdict:", "OK" if not problems else "BROKEN: " + "; ".join(problems))
    broken += bool(problems)
    print()

    if not args.no_faults and not args.self_check:
        rows: list[tuple[str, str]] = []
        for fault in STARTUP_FAULTS:
            result = await run_startup_fault(fault, work / "faults")
            rows.append((f"start-up: {fault}", "OK" if result.ok else "BROKEN: " + "; ".join(result.problems)))
            broken += not result.ok
        for fault in CHAT_FAULTS:
            result = await run_chat_fault(fault, work / "faults")
            rows.append((f"during a chat: {fault}", "OK" if result.ok else "BROKEN: " + "; ".join(result.problems)))
            broken += not result.ok
        print(table("token and fault scenarios", rows))
        print()

    if not args.no_forget and not args.self_check:
        forget = await run_forget(work)
        rows = [
            ("confirmed with", str(forget.confirmed_with)),
            ("reply", forget.reply[:80]),
            ("row left in sessions", str(forget.row_left)),
            ("strings found while running (per file)", str(summarize(forget.found_running) or "none")),
            ("strings found after stop (per file)", str(summarize(forget.found_stopped) or "none")),
            ("files showing the token", str(len(forget.leaks))),
        ]
        print(table("/forget", rows))
        for problem in forget.problems[:12]:
            print("  ", problem)
        print("verdict:", "OK" if not forget.problems else "BROKEN")
        broken += bool(forget.problems)
    return 1 if broken else 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--steps", type=int, default=15, help="steps per chat, /start included")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--spread", type=float, default=20.0, help="seconds over which the updates are sent")
    parser.add_argument("--min-uptime", type=float, default=0.2, help="earliest kill after a restart first polls")
    parser.add_argument("--max-uptime", type=float, default=2.5, help="latest kill after a restart first polls")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--bot-env", action="append", default=[], metavar="KEY=VALUE", help="extra environment for the crash run's bot"
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="crash run only, against a bot whose polling confirms updates after handling them: must be OK",
    )
    parser.add_argument("--no-faults", action="store_true", help="skip the token and fault scenarios")
    parser.add_argument("--no-forget", action="store_true", help="skip the /forget scenario")
    parser.add_argument("--keep", type=Path, help="keep databases and outputs in this folder")
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # connections cut by SIGKILL are expected
    arguments = parse()
    if arguments.keep:
        arguments.keep.mkdir(parents=True, exist_ok=True)
        sys.exit(asyncio.run(main(arguments, arguments.keep)))
    with tempfile.TemporaryDirectory(prefix="maple-reliability-") as folder:
        sys.exit(asyncio.run(main(arguments, Path(folder))))
