"""The result chart: its data (against the draws table), the PNG (valid, always 1200 x 800), the text fallback,
the outbox round trip, and the console saving the file."""

from __future__ import annotations

import csv
import io
import logging
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chart import HEIGHT, WIDTH, png_or_none, render_png, save_png
from bot.console import show
from bot.core import MapleCore, build_core
from bot.store import Effect, SessionStore
from flows.chart_data import MAX_CAPTION, ChartData, RoundPoint, RouteSeries, SectionTotal, chart_data
from flows.conversation import Session
from flows.replies import Reply
from flows.results import DETAILS, PROGRAM_ROUTES, Results, verdict_text
from knowledge.crs.scoring import default_scorer, score
from knowledge.draws.rounds import DRAWS_FILE
from knowledge.programs.eligibility import EligibilityEngine
from tests.conftest import clb, make_profile
from tests.test_telegram_e2e import SINGLE, SINGLE_TOTAL

DAY = date(2026, 10, 1)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CEC_WORKER = {  # CLB 9, a software developer in Canada since mid-2024: CEC, no category
    "first_language": clb(9),
    "work_periods": [{"noc": "21232", "in_canada": True, "start": "2024-06-01", "end": None, "hours_per_week": 40}],
    "education_proof": "eca",
    "family_size": 1,
    "settlement_funds": 20000,
}
NURSE = {  # a registered nurse (31301) with Canadian and foreign years: CEC, FSW and the healthcare category
    "first_language": clb(9),
    "education": "doctoral",
    "education_proof": "eca",
    "family_size": 1,
    "settlement_funds": 30000,
    "work_periods": [
        {"noc": "31301", "in_canada": True, "start": "2023-06-01", "end": None, "hours_per_week": 40},
        {"noc": "31301", "in_canada": False, "start": "2019-06-01", "end": "2023-05-01", "hours_per_week": 40},
    ],
}
# IRCC's round names per route key, to read the table independently of knowledge.draws' patterns
NAME_STARTS = {
    "cec": ("Canadian Experience Class",),
    "fsw": ("Federal Skilled Worker",),
    "all": ("No Program Specified", "General"),
    "healthcare_social_services": ("Healthcare",),
}


@pytest.fixture(scope="module")
def engine() -> EligibilityEngine:
    return EligibilityEngine()


def data_for(engine: EligibilityEngine, **fields) -> ChartData:
    profile = make_profile(**fields)
    return chart_data(score(profile), engine.assess(profile), engine.categories.draws, PROGRAM_ROUTES)


def table_rounds(route_key: str) -> list[tuple[date, int]]:
    """Straight from the shipped CSV: the route's rounds from 2025-10-02 to 2026-10-01, oldest first."""
    with DRAWS_FILE.open(encoding="utf-8") as handle:
        rows = [
            (date.fromisoformat(r["date"]), int(r["min_crs"]))
            for r in csv.DictReader(handle)
            if r["name"].startswith(NAME_STARTS[route_key]) and "2025-10-01" < r["date"] <= "2026-10-01"
        ]
    return sorted(rows)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the signature and the chunk's CRC."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    body = png[16:29]
    assert struct.unpack(">I", png[29:33])[0] == zlib.crc32(b"IHDR" + body)
    width, height = struct.unpack(">II", body[:8])
    return width, height


# --- the data --------------------------------------------------------------------------------------------
def test_the_chart_data_of_a_cec_worker_holds_the_table_s_rounds(engine):
    data = data_for(engine, **CEC_WORKER)
    profile = make_profile(**CEC_WORKER)
    result = score(profile)
    assert (data.score, data.max_total, data.until, data.since) == (result.total, 1200, DAY, date(2025, 10, 1))
    assert [r.key for r in data.routes] == ["fsw", "cec", "all"]  # the eligible programs, then all-program rounds
    cec = data.routes[1]
    expected = table_rounds("cec")
    assert expected and [(r.date, r.min_crs) for r in cec.rounds] == expected  # every round, oldest first
    assert cec.cleared == sum(1 for _, cutoff in expected if cutoff <= data.score)
    assert [(r.date, r.min_crs) for r in data.routes[0].rounds] == table_rounds("fsw")
    assert [(r.date, r.min_crs) for r in data.routes[2].rounds] == table_rounds("all")
    # scored as single: no partner section (its 0 / 40 would read as points missed)
    assert [s.key for s in data.sections] == ["core", "transferability", "additional"]
    assert sum(s.points for s in data.sections) == data.score
    assert data.snapshot_to == engine.categories.draws.snapshot_to


def test_a_couples_chart_keeps_the_partner_section():
    couple = {**CEC_WORKER, "marital_status": "married",
              "spouse": {"education": "bachelors", "education_proof": "eca", "language": clb(7)}}  # fmt: skip
    data = data_for(EligibilityEngine(), **couple)
    assert [s.key for s in data.sections] == ["core", "spouse", "transferability", "additional"]
    assert sum(s.points for s in data.sections) == data.score and data.sections[1].points > 0


def test_a_category_the_person_fits_is_a_route_of_its_own(engine):
    data = data_for(engine, **NURSE)
    keys = [r.key for r in data.routes]
    assert "healthcare_social_services" in keys and keys.index("all") < keys.index("healthcare_social_services")
    health = next(r for r in data.routes if r.key == "healthcare_social_services")
    assert [(r.date, r.min_crs) for r in health.rounds] == table_rounds("healthcare_social_services")
    assert health.label.endswith("(category)")


def test_the_chart_shows_the_routes_the_verdict_weighs(engine):
    """One selection of routes: every route of the chart is a line of the verdict, and the other way round."""
    for fields in (CEC_WORKER, NURSE, {"first_language": clb(5)}):
        profile = make_profile(**fields)
        result, report = score(profile), engine.assess(profile)
        text = verdict_text(result, report, engine.categories.draws, [], [])
        data = chart_data(result, report, engine.categories.draws, PROGRAM_ROUTES)
        route_lines = [line for line in text.split("\n") if line.startswith("• ") and "provincial" not in line]
        assert [line[2:].split(":")[0] for line in route_lines] == [r.label for r in data.routes]


def test_no_program_no_route_and_the_text_says_why(engine):
    data = data_for(engine, first_language=clb(5))
    assert data.routes == [] and not data.eligible
    assert "Not eligible for a federal program yet" in data.text()


def test_the_text_names_each_route_and_fits_a_caption(engine):
    data = data_for(engine, **NURSE)
    text = data.text()
    assert text.startswith(f"Your CRS score {data.score} against the rounds of the 12 months to 2026-10-01")
    for route in data.routes:
        assert route.label in text
    cec = next(r for r in data.routes if r.key == "cec")
    assert f"{cec.cleared} of {len(cec.rounds)} rounds at or below {data.score}" in text
    assert len(text) <= MAX_CAPTION


def test_a_long_text_is_cut_to_a_caption():
    many = [RouteSeries(key=f"k{i}", label="A category with a very long name " * 3, rounds=[], cleared=0)
            for i in range(20)]  # fmt: skip
    data = ChartData(score=1, max_total=1200, sections=[], routes=many, since=DAY, until=DAY, snapshot_to=DAY,
                     eligible=True)  # fmt: skip
    assert len(data.text()) == MAX_CAPTION and data.text().endswith("…")


def test_the_chart_is_a_detail_of_the_result(engine):
    results = Results(default_scorer(), engine)
    answers = {"dob": "1990-01-01", "marital": "never_married", "education": "masters", "education_proof": "none",
               "lang1_test": "ielts", "lang1_date": "2025-06-01",
               "lang1_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}}  # fmt: skip
    final = results.final(answers, DAY)[0]
    assert "res:chart" in [b.data for b in final.buttons]
    assert ("chart", "Chart: your score and the cut-offs") in DETAILS
    [reply] = results.detail("chart", answers, DAY)
    assert reply.chart is not None and reply.text == reply.chart.text()
    assert reply.chart.score == int(final.text.split("Your CRS score: ")[1].split(" ")[0])


# --- the picture -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fields", [CEC_WORKER, NURSE, {"first_language": clb(5)}], ids=["cec", "nurse", "none"])
def test_the_png_is_valid_and_of_the_designed_size(engine, fields):
    png = render_png(data_for(engine, **fields))
    assert png_size(png) == (WIDTH, HEIGHT) == (1200, 800)
    assert png.endswith(b"IEND\xaeB`\x82")
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 800) and image.format == "PNG"
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # drawn, not blank
    import matplotlib.image

    assert matplotlib.image.imread(io.BytesIO(png), format="png").shape[:2] == (800, 1200)


def _series(draw_rounds: list[tuple[int, int]]) -> list[RoundPoint]:
    return [RoundPoint(date=DAY - timedelta(days=d), min_crs=c) for d, c in sorted(draw_rounds, reverse=True)]


LABELS = st.one_of(  # printable text, with TeX's dollars among it (a label is never read as a formula)
    st.text(st.characters(max_codepoint=0x24F, blacklist_categories=("Cc", "Cs")), min_size=1, max_size=80),
    st.sampled_from(["$x$", "$\\frac{", "a $ b $ c", "100$"]),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    score_=st.integers(0, 1200),
    routes=st.lists(
        st.tuples(LABELS, st.lists(st.tuples(st.integers(0, 364), st.integers(0, 1200)))),
        max_size=9,
    ),
    eligible=st.booleans(),
)
def test_any_data_draws_a_png_of_the_same_size(score_, routes, eligible):
    data = ChartData(
        score=score_,
        max_total=1200,
        sections=[SectionTotal(key="core", label="Core / human capital", points=min(score_, 500), cap=500)],
        routes=[
            RouteSeries(key=f"r{i}", label=label, rounds=_series(rs), cleared=0) for i, (label, rs) in enumerate(routes)
        ],
        since=DAY - timedelta(days=365),
        until=DAY,
        snapshot_to=DAY,
        eligible=eligible,
    )
    assert png_size(render_png(data)) == (1200, 800)


def test_unreadable_chart_data_gives_none_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        assert png_or_none({"score": "not a number"}) is None
    assert "the chart could not be drawn" in caplog.text


# --- the outbox and the console ---------------------------------------------------------------------------
def test_the_chart_survives_the_outbox(engine, tmp_path):
    data = data_for(engine, **NURSE)
    store = SessionStore(tmp_path / "o.db")
    try:
        store.save(Session(chat_id=5), None, [Effect.of(5, Reply(data.text(), chart=data))])
        [queued] = store.outgoing(5)
    finally:
        store.close()
    assert queued.effect.text == data.text()
    assert queued.effect.chart is not None and ChartData.model_validate(queued.effect.chart) == data
    assert Effect.of(5, Reply("plain")).chart is None  # other messages carry nothing more


def test_the_console_saves_the_chart_and_prints_its_path(engine, tmp_path):
    data = data_for(engine, **CEC_WORKER)
    out = io.StringIO()
    show([Reply(data.text(), chart=data)], out, chart_dir=tmp_path / "charts")
    printed = out.getvalue()
    assert data.text() in printed
    line = next(line for line in printed.splitlines() if line.startswith("Chart saved: "))
    path = Path(line.removeprefix("Chart saved: "))
    assert path.parent == (tmp_path / "charts").resolve() and path.suffix == ".png"
    assert png_size(path.read_bytes()) == (1200, 800)


def test_a_chart_that_cannot_be_saved_leaves_the_text(engine, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    data = data_for(engine, **CEC_WORKER)
    out = io.StringIO()
    show([Reply(data.text(), chart=data)], out, chart_dir=blocker)
    assert data.text() in out.getvalue() and "The chart could not be saved in" in out.getvalue()


def test_save_png_names_files_apart(engine, tmp_path):
    from datetime import datetime

    data = data_for(engine, first_language=clb(5))
    first = save_png(data, tmp_path, now=datetime(2026, 10, 1, 12, 0, 0, 1))
    second = save_png(data, tmp_path, now=datetime(2026, 10, 1, 12, 0, 0, 2))
    assert first != second and first.exists() and second.exists()


def answered_core(tmp_path: Path, steps: list[str]) -> MapleCore:
    """A core (chat 0, no Telegram) given the steps of the Telegram end-to-end test."""
    core = build_core(str(tmp_path / "c.db"), today=lambda: DAY)
    for step in steps:
        if step.startswith("tap:"):
            core.on_button(0, step[4:])
        elif step.startswith("/"):
            core.on_command(0, step[1:])
        else:
            core.on_text(0, step)
    return core


def test_a_chart_tapped_while_a_question_is_pending_keeps_its_own_message(tmp_path):
    core = answered_core(tmp_path, [*SINGLE, "/edit", "tap:e:marital"])  # the result, then changing an answer
    replies = core.on_button(0, "res:chart")
    assert [r.chart is not None for r in replies] == [True, False]
    assert replies[0].chart is not None and replies[0].chart.score == SINGLE_TOTAL
    assert "marital status" in replies[1].text and replies[1].buttons  # the question, with its choices
    core.store.close()


def test_the_console_run_offers_the_chart_and_saves_it_in_maple_chart_dir(tmp_path, monkeypatch):
    """The console's own loop: the last answer brings the result, whose numbered 'Chart' choice saves the PNG."""
    from bot.console import run_console

    monkeypatch.setenv("MAPLE_CHART_DIR", str(tmp_path / "env-charts"))
    core = answered_core(tmp_path, SINGLE[:-1])  # every answer but the last
    out = io.StringIO()

    def reads():
        yield SINGLE[-1]  # the last answer: the result and its detail choices are printed
        chart = next(line for line in out.getvalue().splitlines() if "Chart: your score" in line)
        yield chart.strip().split("]")[0].lstrip("[")  # its number, as a person types it
        yield "/quit"

    lines = reads()
    run_console(core, read=lambda: next(lines), out=out)
    printed = out.getvalue()
    assert f"Your CRS score: {SINGLE_TOTAL} / 1200" in printed
    assert f"Your CRS score {SINGLE_TOTAL} against the rounds" in printed
    saved = Path(next(line for line in printed.splitlines() if line.startswith("Chart saved: ")).split(": ", 1)[1])
    assert saved.parent == (tmp_path / "env-charts").resolve()
    assert png_size(saved.read_bytes()) == (1200, 800)
    core.store.close()


def test_matplotlib_is_imported_by_the_first_chart_only():
    """Start-up (the Telegram edge, the core, the delivery and the chart module) does not load matplotlib."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import bot.main, bot.telegram_bot, bot.delivery, bot.chart\n"
        "from bot.core import build_core\n"
        "core = build_core(':memory:')\n"
        "print('matplotlib' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True).stdout
    assert out.strip() == "False"
