"""End to end on the real python-telegram-bot stack: questions in the middle of the questionnaire."""

from __future__ import annotations

from tests.people import buttons
from tests.telegram_harness import running_bot, say, tap

DOB = "What is your date of birth?"


async def test_a_question_mid_questionnaire_is_answered_then_the_question_repeats(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 5, "/start")
        await say(api, 5, "1990-01-01")
        replies = await say(api, 5, "does my online certificate count?")
        assert "ECA" in replies[0]["text"] and "Source: https://www.canada.ca/" in replies[0]["text"]
        assert replies[0]["parse_mode"] == "HTML"
        assert "What is your marital status?" in replies[-1]["text"].split("\n\n")[-1]
        # the questionnaire goes on from there, the date of birth kept
        replies = await tap(api, 5, "a:marital:never_married")
        assert "education" in replies[-1]["text"].lower()


async def test_suggestions_topics_and_ask_through_telegram(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 6, "/start")
        suggested = await say(api, 6, "tell me about spouse")
        offered = buttons(suggested[0])
        assert 2 <= len(offered) <= 3 and all(d.startswith("q:") for d in offered)
        shown = await tap(api, 6, offered[0])
        assert "Source:" in shown[0]["text"] and DOB in shown[-1]["text"].split("\n\n")[-1]
        topics = await say(api, 6, "/topics")
        assert "t:draws" in buttons(topics[0])
        listed = await tap(api, 6, "t:draws")
        assert "q:tie-break" in buttons(listed[0])
        tie = await tap(api, 6, "q:tie-break")
        assert "submitted" in tie[0]["text"] and DOB in tie[-1]["text"].split("\n\n")[-1]
        asked = await say(api, 6, "/ask how many points for a provincial nomination")
        assert "600" in asked[0]["text"] and DOB in asked[-1]["text"].split("\n\n")[-1]
        outside = await say(api, 6, "how do I get a US green card?")
        assert outside[0]["text"].startswith("That is outside what I know")
    commands = next(c.params["commands"] for c in api.calls if c.method == "setMyCommands")
    assert {"ask", "topics"} <= {c["command"] for c in commands}


async def test_html_in_a_question_is_escaped(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 9, "/start")
        await say(api, 9, "/ask")
        replies = await say(api, 9, "<b>what</b> is an <i>eca</i>?")
        assert all("<b>" not in r["text"] and "<i>" not in r["text"] for r in replies)
        assert DOB in replies[-1]["text"].split("\n\n")[-1]
