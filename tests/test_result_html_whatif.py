"""The result as Telegram HTML, the rule-change note told once per chat, and what-if buttons that never touch
the stored answers: through the core and its SQLite store, and through the real python-telegram-bot stack on
the fake Bot API."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from telegram import Bot

from bot.core import build_core
from bot.delivery import Outbox, render
from bot.store import Effect, SessionStore, session_row
from flows.markup import bold, escape, plain
from flows.profile_builder import build_profile
from flows.replies import Reply, merge
from knowledge.crs.scoring import default_scorer
from knowledge.crs.whatif import what_if
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import TODAY, TOKEN, act, running_bot, say, tap
from tests.test_telegram_e2e import SINGLE, SINGLE_TOTAL

AFTER_RULE_CHANGE = date(2026, 12, 2)  # a CRS change is reported for 2026-11-03 (data/crs/pending-changes.json)
USER_TEXT = "<b>x</b> & co"
ALLOWED_TAGS = {"b", "i"}


class TelegramHtml(HTMLParser):
    """Checks a text as Telegram reads it in HTML mode: only the tags Maple uses, balanced; no stray '<' or '&'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS or attrs:
            self.problems.append(f"tag <{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.problems.append(f"entity &{name};")

    def handle_charref(self, name: str) -> None:
        self.problems.append(f"char ref &#{name};")

    def handle_data(self, data: str) -> None:
        if "<" in data or "&" in data:
            self.problems.append(f"raw text {data!r}")


def html_problems(text: str) -> list[str]:
    checker = TelegramHtml()
    checker.feed(text)
    checker.close()
    return checker.problems + [f"unclosed <{t}>" for t in checker.open]


def run_core(core, chat: int, steps: list[str]) -> list[Reply]:
    replies: list[Reply] = []
    for step in steps:
        if step == "/start":
            replies = core.on_command(chat, "start")
        elif step.startswith("tap:"):
            replies = core.on_button(chat, step[4:])
        else:
            replies = core.on_text(chat, step)
    return replies


def button_data(reply: Reply) -> list[str]:
    return [b.data for b in reply.buttons]


# --- Telegram HTML ------------------------------------------------------------------------------
def test_markup_escapes_every_piece_and_plain_reads_it_back():
    text = bold(f"Job: {USER_TEXT}") + " " + escape(USER_TEXT)
    assert text == "<b>Job: &lt;b&gt;x&lt;/b&gt; &amp; co</b> &lt;b&gt;x&lt;/b&gt; &amp; co"
    assert not html_problems(text)
    assert plain(text) == f"Job: {USER_TEXT} {USER_TEXT}"


def test_a_plain_reply_merged_into_an_html_one_is_escaped():
    merged = merge(Reply(USER_TEXT), Reply(bold("Your CRS score: 424 / 1200"), html=True))
    assert merged.html and merged.text == "&lt;b&gt;x&lt;/b&gt; &amp; co\n\n<b>Your CRS score: 424 / 1200</b>"
    plain_only = merge(Reply(USER_TEXT), Reply("a question"))
    assert not plain_only.html and plain_only.text == f"{USER_TEXT}\n\na question"  # escaped once, by render
    assert render(plain_only)[0] == "&lt;b&gt;x&lt;/b&gt; &amp; co\n\na question"


async def test_the_outbox_sends_html_as_built_and_an_old_plain_row_escaped(tmp_path):
    """Through the fake Bot API: an HTML reply keeps its tags and its escaped user text; a row queued before the
    html flag existed (no "html" key) is read as plain text and escaped as a whole."""
    api = await FakeBotApi(token=TOKEN).start()
    try:
        store = SessionStore(tmp_path / "o.db")
        html_reply = Reply(bold("Job") + " " + escape(USER_TEXT), html=True)
        old_row = Effect.of(7, Reply(USER_TEXT)).model_dump(mode="json")
        old_row.pop("html")
        store.save(store.load(7), None, [Effect.of(7, html_reply), Effect.model_validate(old_row)])
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            assert await Outbox(bot, store).flush() == 2
        sent = api.sent(7)
        assert [m["text"] for m in sent] == [
            "<b>Job</b> &lt;b&gt;x&lt;/b&gt; &amp; co",
            "&lt;b&gt;x&lt;/b&gt; &amp; co",
        ]
        assert all(m["parse_mode"] == "HTML" for m in sent)
        store.close()
    finally:
        await api.stop()


def test_the_result_and_every_detail_and_what_if_are_well_formed_html(tmp_path):
    core = build_core(str(tmp_path / "m.db"), today=lambda: AFTER_RULE_CHANGE)
    final = run_core(core, 1, SINGLE)[-1]
    assert final.html and final.text.startswith(f"<b>Your CRS score: {SINGLE_TOTAL} / 1200</b>")
    assert "<b>Would you have been invited?</b>" in final.text and "<b>Best moves:</b>" in final.text
    shown = [final]
    for data in button_data(final):
        shown += core.on_button(1, data)
    shown += core.on_command(1, "score")
    for reply in shown:
        assert reply.html or reply.chart is not None, reply.text[:80]  # a chart's caption is plain text, escaped
        sent = render(reply)[0]
        assert not html_problems(sent), (sent[:200], html_problems(sent))
        assert len(sent) <= 4096


def test_the_console_shows_the_html_result_as_plain_text(tmp_path):
    from io import StringIO

    from bot.console import show

    out = StringIO()
    show([Reply(bold("Your CRS score: 424 / 1200") + "\n" + escape(USER_TEXT), html=True)], out)
    assert out.getvalue().startswith(f"Your CRS score: 424 / 1200\n{USER_TEXT}\n")


# --- the rule-change note, once per chat -------------------------------------------------------------
def test_the_rule_change_note_is_told_once_per_chat_with_a_button_for_more(tmp_path):
    db = tmp_path / "m.db"
    core = build_core(str(db), today=lambda: AFTER_RULE_CHANGE)
    first = run_core(core, 1, SINGLE)[-1]
    assert "CRS change reported for 2026-11-03 is not confirmed" in first.text
    assert "res:rulechange" in button_data(first)
    more = core.on_button(1, "res:rulechange")[-1]
    assert "Two unofficial sources report" in plain(more.text) and "unverified" in more.text
    assert session_row(core.store, 1)["notes_seen"] == ["pending:2026-11-03"]

    # the breakdown, /score and a result after an edit do not repeat it (the notes detail still has it)
    breakdown = core.on_button(1, "res:breakdown")[-1]
    assert "2026-11-03" not in breakdown.text
    score = core.on_command(1, "score")[-1]
    assert "2026-11-03" not in score.text and "res:rulechange" not in button_data(score)
    core.on_button(1, "e:funds")
    again = core.on_text(1, "25000")[-1]
    assert f"Your CRS score: {SINGLE_TOTAL} / 1200" in again.text
    assert "2026-11-03" not in again.text and "res:rulechange" not in button_data(again)
    assert "2026-11-03" in core.on_button(1, "res:notes")[-1].text
    core.store.close()

    # the same store after a restart of the bot: still told; another chat is told once too
    core = build_core(str(db), today=lambda: AFTER_RULE_CHANGE)
    assert "2026-11-03" not in core.on_command(1, "score")[-1].text
    assert "2026-11-03" in run_core(core, 2, SINGLE)[-1].text
    core.store.close()


# --- what-ifs leave the stored answers alone ----------------------------------------------------------
def test_a_stale_what_if_after_an_edit_gets_the_ones_that_fit_now(tmp_path):
    core = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    steps = [("tap:a:education_proof:none" if s == "tap:a:education_proof:eca" else s) for s in SINGLE]
    final = run_core(core, 3, steps)[-1]
    assert "wi:eca" in button_data(final)
    before = session_row(core.store, 3)
    eca = core.on_button(3, "wi:eca")[-1]
    assert "What if: an Educational Credential Assessment" in eca.text and "unchanged" in eca.text
    assert "Opens: Federal Skilled Worker" in plain(eca.text) and "bachelor's degree" in eca.text
    assert session_row(core.store, 3) == before
    core.on_button(3, "e:education_proof")
    core.on_button(3, "a:education_proof:eca")
    stored = session_row(core.store, 3)
    stale = core.on_button(3, "wi:eca")[-1]
    assert stale.text.startswith("That what-if belongs to an earlier result")
    assert "wi:eca" not in button_data(stale) and any(d.startswith("wi:") for d in button_data(stale))
    assert core.on_button(3, "wi:no-such-move")[-1].text.startswith("That what-if belongs to an earlier result")
    assert session_row(core.store, 3) == stored


def stored_answers(db: Path, chat: int) -> dict:
    store = SessionStore(db)
    try:
        row = session_row(store, chat)
        assert row is not None
        return row
    finally:
        store.close()


async def test_what_if_buttons_through_telegram_leave_the_stored_answers_untouched(api, tmp_path):
    db = tmp_path / "m.db"
    steps = list(SINGLE)
    at = steps.index("software developer")
    steps[at:at] = [USER_TEXT + " software developer"]  # a job title with HTML in it, typed first
    async with running_bot(api, db):
        for step in steps[:at]:
            await act(api, 1, step)
        await say(api, 1, steps[at])
        for step in steps[at + 1 :]:
            replies = await act(api, 1, step)
    assert all("<b>x</b>" not in m["text"] for m in api.sent(1))
    verdict = replies[-1]
    assert verdict["parse_mode"] == "HTML" and not html_problems(verdict["text"])
    assert verdict["text"].startswith(f"<b>Your CRS score: {SINGLE_TOTAL} / 1200</b>")
    what_ifs = [b[0]["callback_data"] for b in verdict["reply_markup"]["inline_keyboard"]]
    what_ifs = [d for d in what_ifs if d.startswith("wi:")]
    assert "wi:french" in what_ifs and "wi:birthday" in what_ifs
    before = stored_answers(db, 1)

    profile = build_profile(before["answers"], TODAY)
    french = what_if(profile, "french")
    assert french is not None and french.after == default_scorer().score(french.profile).total == SINGLE_TOTAL + 62
    async with running_bot(api, db):  # after a restart of the bot, the buttons of the old result still work
        for data in what_ifs:
            shown = await tap(api, 1, data)
            assert shown and all(m["parse_mode"] == "HTML" and not html_problems(m["text"]) for m in shown)
            assert "Your saved answers are unchanged" in shown[-1]["text"]
            if data == "wi:french":
                assert f"{SINGLE_TOTAL} -&gt; {SINGLE_TOTAL + 62} (+62)" in shown[-1]["text"]
                assert "French-language proficiency (category): would have been invited" in shown[-1]["text"]
        # tapping the verdict's buttons leaves the verdict as it was (no edit of the result message)
        assert not any(c.method == "editMessageText" and c.params.get("message_id") == verdict["_message"]
                       ["message_id"] for c in api.calls)  # fmt: skip
    after = stored_answers(db, 1)
    assert after["answers"] == before["answers"] and after["state"] == before["state"]
    assert json.dumps(after, sort_keys=True) == json.dumps({**before, "recent_updates": after["recent_updates"]},
                                                           sort_keys=True)  # fmt: skip

    async with running_bot(api, db):  # /restart, then an old what-if button: answered, nothing stored
        await say(api, 1, "/restart")
        confirm = api.sent(1)[-1]
        yes = next(b[0]["callback_data"] for b in confirm["reply_markup"]["inline_keyboard"]
                   if b[0]["callback_data"].startswith("r:yes"))  # fmt: skip
        await tap(api, 1, yes)
        stale = await tap(api, 1, "wi:french")
        assert "That what-if belongs to an earlier result" in stale[-1]["text"]
        assert "date of birth" in stale[-1]["text"]  # the question being asked stays in view
        assert not any("went wrong" in m["text"] for m in api.sent(1))
    assert stored_answers(db, 1)["answers"] == {}


def test_a_couple_sees_the_partner_as_principal_side_by_side(tmp_path):
    from knowledge.crs.whatif import partner_as_principal
    from tests.test_telegram_e2e import COUPLE, couple_expected

    core = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    final = run_core(core, 4, COUPLE)[-1]
    assert "wi:partner" in button_data(final)
    stored = session_row(core.store, 4)
    shown = plain(core.on_button(4, "wi:partner")[-1].text)
    swap = partner_as_principal(build_profile(stored["answers"], TODAY))
    assert swap is not None and swap.you == couple_expected()
    assert f"You as principal applicant: {swap.you}" in shown
    assert f"Your partner as principal applicant: {swap.partner}" in shown and "age is not asked" in shown
    assert session_row(core.store, 4) == stored
    single = run_core(core, 5, SINGLE)[-1]
    assert "wi:partner" not in button_data(single)
    assert core.on_button(5, "wi:partner")[-1].text.startswith("That what-if belongs to an earlier result")


def test_a_birthday_that_changes_no_points_is_not_offered_as_a_what_if(tmp_path):
    from bot.core import build_core

    core = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    young = ["/start", "2001-03-02", *SINGLE[2:]]  # 25: 110 age points at 25 and at 26
    verdict = run_core(core, 1, young)[-1]
    assert verdict.text.startswith("<b>Your CRS score:")
    assert "wi:birthday" not in [b.data for b in verdict.buttons]
    older = run_core(core, 2, SINGLE)[-1]  # 30: the next birthday costs 6 points
    assert "wi:birthday" in [b.data for b in older.buttons]
    core.store.close()


@pytest.mark.parametrize(("sibling", "gain"), [(False, 600), (True, 585)])
def test_the_nomination_line_keeps_the_600_cap_of_the_additional_points(sibling, gain):
    from flows.markup import plain
    from flows.results import verdict_text
    from knowledge.programs.eligibility import EligibilityEngine
    from tests.conftest import make_profile
    from tests.test_chart import CEC_WORKER

    profile = make_profile(**CEC_WORKER, sibling_in_canada=sibling)
    engine = EligibilityEngine()
    result, report = default_scorer().score(profile), engine.assess(profile)
    nominated = default_scorer().score(profile.model_copy(update={"provincial_nomination": True})).total
    assert default_scorer().with_nomination(profile) == nominated == result.total + gain  # capped at 600
    text = plain(verdict_text(result, report, engine.categories.draws, [], []))
    assert f"With a provincial nomination (+{gain}, to {nominated})" in text
