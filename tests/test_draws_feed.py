"""IRCC's feed of rounds: parsed, checked, merged; the table is never replaced by a broken or partial feed."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.draws_refresh import DrawsKeeper, main, refresh
from knowledge.draws.feed import DISTRIBUTION_KEYS, FeedError, feed_number, merge, read_feed
from knowledge.draws.rounds import BANDS, DRAWS_FILE, Draw, Draws, best_available, read_rounds

SAMPLE = Path(__file__).parent / "data" / "ee_rounds_sample.json"


def as_feed_round(draw: Draw) -> dict[str, str]:
    """A round written the way the feed writes it (strings, thousands separators, subtotals dd3 and dd9)."""
    counts = draw.distribution or (0,) * len(BANDS)
    raw = {
        "drawNumber": draw.number,
        "drawDate": draw.date.isoformat(),
        "drawName": draw.name,
        "drawSize": f"{draw.invitations:,}",
        "drawCRS": str(draw.min_crs),
        "drawCutOff": draw.tie_break,
        "drawDistributionAsOn": draw.distribution_as_on,
    }
    raw.update({key: f"{n:,}" for key, n in zip(DISTRIBUTION_KEYS, counts, strict=True)})
    raw["dd3"] = f"{sum(counts[2:7]):,}"
    raw["dd9"] = f"{sum(counts[7:12]):,}"
    raw["dd18"] = f"{draw.pool_total or 0:,}"
    return raw


def full_feed(rounds: list[Draw], extra: list[dict] | None = None) -> str:
    return json.dumps({"rounds": [*(extra or []), *(as_feed_round(d) for d in rounds)]})


SHIPPED = read_rounds(DRAWS_FILE)
NEW_ROUND = {  # a made-up round, only in this test: what a refresh after 2026-10-01 would bring
    "drawNumber": "448", "drawDate": "2026-10-14", "drawName": "French language proficiency (Version 2)",
    "drawSize": "4,500", "drawCRS": "401", "drawCutOff": "", "drawDistributionAsOn": "",
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"), [("1,234", 1234), ("226,793", 226793), ("3 500", 3500), ("476", 476), (12, 12)]
)
def test_feed_numbers_drop_thousands_separators(text, value):
    assert feed_number(text) == value


@pytest.mark.parametrize("text", ["", "1,23", "seven", "-5", "1.5", True, "12,3456"])
def test_feed_numbers_refuse_anything_else(text):
    with pytest.raises(ValueError):
        feed_number(text)


def test_the_recorded_sample_parses_with_its_malformed_round_reported():
    reading = read_feed(SAMPLE.read_text(encoding="utf-8"))
    assert [d.number for d in reading.rounds] == ["447", "446", "444"]
    assert len(reading.problems) == 1 and "9999" in reading.problems[0] and "drawSize" in reading.problems[0]
    trades, _, managers = reading.rounds
    assert trades.invitations == 3500 and trades.min_crs == 476 and trades.distribution is None  # all zeros
    assert managers.distribution == SHIPPED[3].distribution and managers.pool_total == 226793
    assert sum(managers.distribution) == managers.pool_total  # the subtotals dd3 and dd9 were left out
    assert managers == SHIPPED[3]  # exactly the table's row


def test_the_shipped_table_ends_with_the_three_rounds_after_2026_09_16():
    assert [(d.number, d.date, d.invitations, d.min_crs) for d in SHIPPED[:3]] == [
        ("447", date(2026, 10, 1), 3500, 476),
        ("446", date(2026, 9, 29), 2000, 518),
        ("445", date(2026, 9, 28), 733, 725),
    ]
    assert Draws().snapshot_to == date(2026, 10, 1)


def test_a_whole_feed_round_trips_to_the_same_table_and_a_new_round_is_found():
    reading = read_feed(full_feed(SHIPPED, [NEW_ROUND]))
    merged = merge(SHIPPED, reading)
    assert merged[1:] == SHIPPED and merged[0].number == "448" and merged[0].min_crs == 401


@pytest.mark.parametrize(
    ("feed", "problem"),
    [
        ("<html>502 Bad Gateway</html>", "not JSON"),
        ('{"rounds": "none"}', "no list of rounds"),
        ("[" * 100_000, "not JSON"),
        (full_feed(SHIPPED[:100]), "fewer than"),
        (full_feed(SHIPPED[5:]), "fewer than"),  # the newest rounds missing
        (json.dumps({"rounds": [{"drawNumber": str(i)} for i in range(10)]}), "malformed"),
        (full_feed(SHIPPED, [as_feed_round(SHIPPED[0])]), "twice"),
    ],
)
def test_a_broken_or_partial_feed_is_refused(feed, problem):
    with pytest.raises(FeedError, match=problem):
        merge(SHIPPED, read_feed(feed))


def test_a_malformed_round_keeps_the_tables_version(tmp_path):
    rounds = [as_feed_round(d) for d in SHIPPED]
    rounds[10]["drawCRS"] = "n/a"
    merged = merge(SHIPPED, read_feed(json.dumps({"rounds": rounds})))
    assert merged == SHIPPED


def test_refresh_from_a_recorded_copy_writes_the_table_atomically_and_a_bad_one_keeps_it(tmp_path):
    table = tmp_path / "draws.csv"
    good = tmp_path / "feed.json"
    good.write_text(full_feed(SHIPPED, [NEW_ROUND]), encoding="utf-8")
    result = refresh(table, str(good))
    assert result.ok and [d.number for d in result.new] == ["448"]
    assert read_rounds(table)[0].number == "448" and best_available(table).snapshot_to == date(2026, 10, 14)
    before = table.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"rounds": [', encoding="utf-8")
    result = refresh(table, str(bad))
    assert not result.ok and "kept the table" in result.message
    assert table.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".draws-")]  # no temporary left behind


def test_a_broken_refreshed_table_falls_back_to_the_snapshot(tmp_path):
    table = tmp_path / "draws.csv"
    table.write_text("number,date\nx,not-a-date\n", encoding="utf-8")
    assert best_available(table).rounds == SHIPPED


class FeedServer(BaseHTTPRequestHandler):
    body = b""
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_refresh_over_http_and_a_502_keeps_the_table(tmp_path, feed_server):
    url = f"http://127.0.0.1:{feed_server.server_address[1]}/ee_rounds_123_en.json"
    FeedServer.body, FeedServer.status = full_feed(SHIPPED, [NEW_ROUND]).encode(), 200
    table = tmp_path / "d.csv"
    assert refresh(table, url).ok
    FeedServer.body, FeedServer.status = b"<html>Bad Gateway</html>", 502
    result = refresh(table, url)
    assert not result.ok and "cannot fetch" in result.message
    assert read_rounds(table)[0].number == "448"


def test_the_bots_keeper_swaps_the_rounds_in_place(tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(full_feed(SHIPPED, [NEW_ROUND]), encoding="utf-8")
    draws = Draws()
    keeper = DrawsKeeper(draws, tmp_path / "d.csv", str(feed), hours=12)
    result = asyncio.run(keeper.refresh_now())
    assert result.ok and draws.snapshot_to == date(2026, 10, 14)
    assert draws.summary("french", date(2026, 11, 1)).last_min_crs == 401


def test_the_command_line(tmp_path, capsys, monkeypatch):
    feed = tmp_path / "feed.json"
    feed.write_text(full_feed(SHIPPED, [NEW_ROUND]), encoding="utf-8")
    monkeypatch.setenv("MAPLE_DRAWS_FILE", str(tmp_path / "t.csv"))
    assert main(["refresh", "--source", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "refreshed: 449 rounds to 2026-10-14" in out and "new: #448" in out
    assert main(["latest", "--count", "2"]) == 0
    assert "#448" in capsys.readouterr().out
    assert main(["refresh", "--source", str(tmp_path / "missing.json")]) == 1
    assert "not refreshed" in capsys.readouterr().err
