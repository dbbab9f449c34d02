"""End to end: the real python-telegram-bot stack, polling a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import logging

from knowledge.crs.scoring import score
from knowledge.profile import Profile
from tests.telegram_harness import TOKEN, act, running_bot, say, tap

SINGLE = [
    "/start",
    "1996-03-02",
    "tap:a:marital:never_married",
    "bachelors",
    "tap:a:education_proof:eca",
    "2023-05-10",  # the ECA's issue date
    "tap:a:canadian_study:none",
    "tap:a:lang1_test:ielts",
    "2025-05-01",
    "8 7 7 7",
    "tap:a:lang2_test:none",
    "tap:a:job_add:yes",
    "software developer",
    "tap:a:job_noc:21232",
    "abroad",
    "2022-01-01",
    "2025-06-30",
    "40",
    "tap:a:job_kind:employee",
    "tap:a:job_add:no",
    "tap:a:coq:no",
    "no",
    "tap:a:nomination:no",
    "no",
    "no",
    "no",
    "1",
    "20000",
]
# Single, 30 on 2026-10-01, bachelor's (ECA), IELTS 8/7/7/7 = CLB 9 x4, 3.5 years abroad (TEER 1):
# core 105 + 120 + 4x31 = 349; transferability 25 (one credential, CLB 9) + 50 (3y foreign, CLB 9) = 75 -> 424
SINGLE_TOTAL = 424

COUPLE = [
    "/start",
    "1991-07-15",
    "married",
    "tap:a:spouse_citizen:no",
    "tap:a:spouse_coming:yes",
    "masters",
    "eca",
    "March 2023",  # the ECA's issue date
    "none",
    "celpip",
    "2025-08-01",
    "10 9 9 10",
    "tap:a:lang2_test:none",
    "tap:a:job_add:yes",
    "21232",
    "canada",
    "2024-01-15",
    "tap:a:job_end:ongoing",
    "30",
    "employee",
    "no",
    "no",
    "no",
    "no",
    "no",  # no relative or 2-year study question: a Canadian year already gives the FSW adaptability maximum
    "2",
    "30000",
    "bachelors",
    "i have WES",
    "ielts",
    "2025-03-03",
    "7 7 7 7",
    "0",
]


def couple_expected() -> int:
    """The couple, scored by the engine from the same facts (the chat must agree with maple-crs)."""
    return score(
        Profile.model_validate(
            {
                "profile_date": "2026-10-01",
                "date_of_birth": "1991-07-15",
                "marital_status": "married",
                "education": "masters",
                "education_proof": "eca",
                "spouse": {
                    "education": "bachelors",
                    "education_proof": "eca",
                    "language": {
                        "test": "ielts",
                        "test_date": "2025-03-03",
                        "listening": 7,
                        "reading": 7,
                        "writing": 7,
                        "speaking": 7,
                    },
                },
                "first_language": {
                    "test": "celpip",
                    "test_date": "2025-08-01",
                    "listening": 10,
                    "reading": 9,
                    "writing": 9,
                    "speaking": 10,
                },
                "work_periods": [{"noc": "21232", "in_canada": True, "start": "2024-01-15"}],
            }
        )
    ).total


async def run_steps(api, chat_id, steps):
    replies = []
    for step in steps:
        replies = await act(api, chat_id, step)
    return replies


async def test_single_person_by_buttons_and_text(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        replies = await run_steps(api, 1, SINGLE)
        texts = [r["text"] for r in replies]
        assert len(replies) == 1, texts  # the verdict is one message; the details are behind its buttons
        assert f"Your CRS score: {SINGLE_TOTAL} / 1200" in texts[0]
        assert "Eligible for: Federal Skilled Worker Program." in texts[0] and "/forget" in texts[0]
        details = [b[0]["callback_data"] for b in replies[0]["reply_markup"]["inline_keyboard"]]
        assert details[:2] == ["res:breakdown", "res:programs"]
        programs = await tap(api, 1, "res:programs")
        assert "Federal Skilled Worker Program: eligible" in programs[0]["text"]
    assert any(c.method == "setMyCommands" for c in api.calls)
    assert any(c.method == "answerCallbackQuery" for c in api.calls)
    assert any(c.method == "editMessageText" and "→" in c.params["text"] for c in api.calls)


async def test_couple_gets_the_engines_score(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        replies = await run_steps(api, 2, COUPLE)
        expected = couple_expected()
        assert any(f"Your CRS score: {expected} / 1200" in r["text"] for r in replies), [r["text"] for r in replies]
        breakdown = await tap(api, 2, "res:breakdown")
        assert any("Spouse or common-law partner:" in r["text"] for r in breakdown)


async def test_invalid_answers_get_a_friendly_message_and_the_same_question(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 3, "/start")
        for bad in ("yesterday", "2030-01-01", "🍁🍁", "9" * 500):
            replies = await say(api, 3, bad)
            assert len(replies) == 1  # the error and the question again: one message
            assert "date of birth" in replies[0]["text"]
        await say(api, 3, "1990-01-01")
        replies = await say(api, 3, "it's complicated")
        assert "Please tap a button or type one of" in replies[0]["text"]
        assert "marital status" in replies[-1]["text"]
        await say(api, 3, "single")
        await say(api, 3, "phd")
        await say(api, 3, "eca")
        await say(api, 3, "2023-05-10")
        await say(api, 3, "none")
        await say(api, 3, "ielts")
        await say(api, 3, "2025-01-01")
        replies = await say(api, 3, "8 7.3 7 7")
        assert "half bands" in replies[0]["text"] and "scores" in replies[-1]["text"]
        replies = await say(api, 3, "8 7")
        assert "exactly four numbers" in replies[0]["text"]


async def test_user_text_is_escaped_in_html(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 4, "/start")
        await say(api, 4, "1990-01-01")
        await say(api, 4, "single")
        await say(api, 4, "masters")
        await say(api, 4, "eca")
        await say(api, 4, "2023-05-10")
        await say(api, 4, "none")
        await say(api, 4, "ielts")
        await say(api, 4, "2025-01-01")
        await say(api, 4, "8 8 8 8")
        await say(api, 4, "none")
        await say(api, 4, "yes")
        replies = await say(api, 4, "<b>chef</b> & cook")
    assert all("<b>chef" not in r["text"] for r in replies)


async def test_restart_of_the_bot_resumes_where_the_person_was(api, tmp_path):
    db = tmp_path / "m.db"
    async with running_bot(api, db):
        for step in SINGLE[:7]:
            await act(api, 5, step)
    async with running_bot(api, db):  # a new Application on the same database
        replies = await say(api, 5, "hello again")
        assert "Please tap a button or type one of" in replies[0]["text"]
        assert "Which language test" in replies[-1]["text"]
        replies = await run_steps(api, 5, SINGLE[7:])
    assert any(f"Your CRS score: {SINGLE_TOTAL} / 1200" in r["text"] for r in replies)


async def test_two_chats_interleaved_never_see_each_other(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        for a, b in zip(SINGLE, COUPLE[: len(SINGLE)], strict=False):
            await act(api, 10, a)
            await act(api, 20, b)
        for rest in SINGLE[len(COUPLE) :] or []:
            await act(api, 10, rest)
        for rest in COUPLE[len(SINGLE) :]:
            await act(api, 20, rest)
        await tap(api, 10, "res:breakdown")
        await tap(api, 20, "res:breakdown")
    single_texts = " ".join(m["text"] for m in api.sent(10))
    couple_texts = " ".join(m["text"] for m in api.sent(20))
    assert f"Your CRS score: {SINGLE_TOTAL} / 1200" in single_texts
    assert f"Your CRS score: {couple_expected()} / 1200" in couple_texts
    assert "Is your spouse or partner a Canadian citizen" not in single_texts
    assert "Is your spouse or partner a Canadian citizen" in couple_texts
    assert "CELPIP-General 10" not in single_texts and "CELPIP-General 10" in couple_texts


async def test_back_edit_score_forget_and_stale_buttons(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 6, "/start")
        await say(api, 6, "1990-01-01")
        replies = await say(api, 6, "/back")
        assert "date of birth" in replies[-1]["text"]
        await say(api, 6, "1990-01-01")
        await tap(api, 6, "a:marital:married")
        replies = await tap(api, 6, "a:marital:never_married")  # an old keyboard
        assert "earlier question" in replies[0]["text"]
        await tap(api, 6, "a:spouse_citizen:yes")
        replies = await say(api, 6, "/edit")
        assert any(b[0]["callback_data"] == "e:marital" for b in replies[-1]["reply_markup"]["inline_keyboard"])
        replies = await tap(api, 6, "e:marital")
        assert "Current answer: Married" in replies[0]["text"]
        replies = await say(api, 6, "single")
        assert "education" in replies[-1]["text"]  # partner questions are not asked for a single person
        replies = await say(api, 6, "/score")
        assert "I need at least your date of birth and your education" in replies[0]["text"]
        replies = await say(api, 6, "/forget")
        assert "cannot be undone" in replies[0]["text"]  # asked first, with buttons
        replies = await tap(api, 6, "forget:no")
        assert "Nothing was deleted" in replies[0]["text"] and "education" in replies[0]["text"] + replies[-1]["text"]
        await say(api, 6, "/forget")
        replies = await tap(api, 6, "forget:yes")
        assert "deleted" in replies[0]["text"]
        replies = await say(api, 6, "/start")
        assert "date of birth" in replies[-1]["text"]


async def test_rate_limit_429_is_retried(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        api.fail_next["sendMessage"] = 1
        api.user_sends(7, "/start")
        replies = await api.wait_for(7, 1, timeout=15)
    assert "date of birth" in replies[-1]["text"]
    attempts = [c for c in api.calls if c.method == "sendMessage"]
    assert len(attempts) == 2  # the answered 429, then the greeting with the question, again


async def test_the_token_never_appears_in_logs(api, tmp_path, caplog):
    from bot.logging_setup import RedactToken

    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RedactToken(TOKEN))
    logging.getLogger("httpx").setLevel(logging.INFO)
    async with running_bot(api, tmp_path / "m.db"):
        await say(api, 8, "/start")
        await say(api, 8, "1990-01-01")
    assert "getUpdates" in caplog.text or "sendMessage" in caplog.text  # httpx did log the request URLs
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text
