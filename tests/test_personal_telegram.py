"""End to end on the real python-telegram-bot stack: a question about the person, answered from their answers."""

from __future__ import annotations

from knowledge.crs.rules import default_rule_book
from knowledge.profile import add_years
from tests.people import buttons
from tests.telegram_harness import TODAY, running_bot, say, tap


async def test_a_personal_question_mid_questionnaire_is_computed_then_the_question_repeats(api, tmp_path):
    table = {row.age: row.pick(True) for row in default_rule_book().for_date(TODAY).core.age}
    async with running_bot(api, tmp_path / "p.db"):
        await say(api, 8, "/start")
        await say(api, 8, "1985-03-08")
        await tap(api, 8, "a:marital:married")
        await tap(api, 8, "a:spouse_citizen:no")
        await tap(api, 8, "a:spouse_coming:yes")
        replies = await say(api, 8, "will my score go down when i turn 42?")
        text = replies[-1]["text"]
        assert len(replies) == 1 and replies[0]["parse_mode"] == "HTML"
        assert f"You are 41 today ({TODAY.isoformat()}; born 1985-03-08, as you told me): {table[41]} age" in text
        assert f"On {add_years(TODAY.replace(year=1985, month=3, day=8), 42).isoformat()} you turn 42" in text
        assert f"age points {table[41]} -&gt; {table[42]}" in text  # the reply's text is HTML-escaped
        assert "Computed from your answers. Source: https://www.canada.ca/" in text
        assert "What is your highest level of education" in text.split("\n\n")[-1]
        assert "q:age-points" in buttons(replies[0])
        # nothing was stored by the question: the education question takes its answer
        replies = await tap(api, 8, "a:education:masters")
        assert "Educational Credential Assessment" in replies[-1]["text"]
        # a fact not answered yet is named, not guessed
        replies = await say(api, 8, "when does my ielts expire?")
        assert "I can compute this for you once I have your language tests" in replies[-1]["text"]
        assert "Computed from your answers" not in replies[-1]["text"]
