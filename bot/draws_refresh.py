"""``maple-draws``: keep the table of rounds current from IRCC's feed, never replacing good data with bad.

    maple-draws refresh [--source URL_OR_FILE] [--out FILE]   # fetch, check, merge, write atomically
    maple-draws latest [--count 10]                           # the newest rounds of the table in use

The bot runs the same refresh every ``MAPLE_DRAWS_REFRESH_HOURS`` (0: never) and uses the refreshed
table (``MAPLE_DRAWS_FILE``) when it is at least as recent as the shipped snapshot. A fetch that fails,
a feed that is not JSON, or one that looks incomplete leaves the table as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from bot.background import Every
from knowledge.draws.feed import FEED_URL, MAX_FEED_BYTES, FeedError, merge, new_rounds, read_feed
from knowledge.draws.rounds import Draw, Draws, best_available, write_rounds

log = logging.getLogger(__name__)
DEFAULT_TABLE = "maple-draws.csv"
TIMEOUT_SECONDS = 20.0


class RefreshResult(BaseModel):
    ok: bool
    message: str
    rounds: list[Draw] = []
    new: list[Draw] = []
    problems: list[str] = []


def table_path(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    return Path(env.get("MAPLE_DRAWS_FILE") or DEFAULT_TABLE)


def fetch(source: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The feed's bytes from an http(s) URL or a local file (a recorded copy)."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "maple-express-entry"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_FEED_BYTES + 1)
    else:
        data = Path(source).read_bytes()
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is larger than {MAX_FEED_BYTES:,} bytes")
    return data


def refresh(table: Path, source: str = FEED_URL, timeout: float = TIMEOUT_SECONDS) -> RefreshResult:
    current = best_available(table).rounds
    try:
        reading = read_feed(fetch(source, timeout))
        merged = merge(current, reading)
    except FeedError as exc:
        return RefreshResult(ok=False, message=f"kept the table ({len(current)} rounds): {exc}")
    except (OSError, ValueError) as exc:  # network errors are OSError (URLError, timeouts)
        return RefreshResult(ok=False, message=f"kept the table ({len(current)} rounds): cannot fetch: {exc}")
    added = new_rounds(current, merged)
    try:
        write_rounds(merged, table)
    except OSError as exc:
        return RefreshResult(ok=False, message=f"kept the table: cannot write {table}: {exc.strerror}")
    newest = merged[0]
    return RefreshResult(
        ok=True,
        message=(
            f"{len(merged)} rounds to {newest.date.isoformat()} (#{newest.number}); {len(added)} new; "
            f"{len(reading.problems)} malformed kept as before; written to {table}"
        ),
        rounds=merged,
        new=added,
        problems=reading.problems,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="maple-draws", description="Keep the Express Entry rounds current.")
    commands = parser.add_subparsers(dest="command", required=True)
    refresh_cmd = commands.add_parser("refresh", help="fetch IRCC's feed and update the table")
    refresh_cmd.add_argument("--source", default=FEED_URL, help="the feed's URL, or a recorded copy (a file)")
    refresh_cmd.add_argument("--out", type=Path, default=None, help="the table to write (default MAPLE_DRAWS_FILE)")
    latest_cmd = commands.add_parser("latest", help="the newest rounds of the table in use")
    latest_cmd.add_argument("--count", type=int, default=10)
    args = parser.parse_args(argv)
    if args.command == "refresh":
        result = refresh(args.out or table_path(), args.source)
        for problem in result.problems:
            print(f"  malformed: {problem}", file=sys.stderr)
        out = sys.stdout if result.ok else sys.stderr
        print(("refreshed: " if result.ok else "not refreshed: ") + result.message, file=out)
        for draw in result.new:
            print(f"  new: #{draw.number} {draw.date} {draw.name}: {draw.invitations:,} invited, lowest {draw.min_crs}")
        return 0 if result.ok else 1
    draws = best_available(table_path())
    for draw in draws.rounds[: max(args.count, 0)]:
        print(f"{'#' + draw.number:>5} {draw.date}  lowest {draw.min_crs:>3}  {draw.invitations:>6,}  {draw.name}")
    return 0


def entry_point() -> None:
    sys.exit(main())


class DrawsKeeper:
    """The bot's periodic refresh: in a worker thread (the fetch blocks), swapping the rounds in place."""

    def __init__(self, draws: Draws, table: Path, source: str, hours: float, first_delay: float = 60.0) -> None:
        self.draws = draws
        self.table = table
        self.source = source
        self.hours = hours
        self._job = Every(hours * 3600, self.refresh_now, first=first_delay)

    async def refresh_now(self) -> RefreshResult:
        result = await asyncio.to_thread(refresh, self.table, self.source)
        if result.ok:
            self.draws.replace(result.rounds)
            log.info("draws refreshed: %s", result.message)
        else:
            log.warning("draws not refreshed: %s", result.message)
        return result

    def start(self) -> None:
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()
