"""End to end in French: the real python-telegram-bot stack against the fake Bot API, a person whose Telegram is
in French answering the whole questionnaire (typing French labels, French dates and "20 000 $"), reaching the same
CRS total as the same answers in English: every question before it and the final result are French."""

from __future__ import annotations

import re

from flows.i18n import Languages
from flows.questions import QUESTIONS
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import act, running_bot
from tests.test_telegram_e2e import SINGLE, SINGLE_TOTAL

FRENCH_SINGLE = [
    "/start",
    "2 mars 1996",
    "Célibataire (jamais marié(e))",
    "tap:a:education:bachelors",
    "J'ai une EDE",
    "10 mai 2023",  # la date de délivrance de l'EDE
    "tap:a:canadian_study:none",
    "tap:a:lang1_test:ielts",
    "1er mai 2025",
    "8 7 7 7",
    "tap:a:lang2_test:none",
    "tap:a:job_add:yes",
    "21232",
    "À l'extérieur du Canada",
    "janvier 2022",
    "30 juin 2025",
    "40",
    "tap:a:job_kind:employee",
    "tap:a:job_add:no",
    "tap:a:coq:no",
    "non",
    "tap:a:nomination:no",
    "non",
    "non",
    "non",
    "1",
    "20 000 $",
]
TOTAL = re.compile(r"(?:Your CRS score|Votre score SCG) ?: (\d+) / 1200")


async def _run(api: FakeBotApi, chat_id: int, steps: list[str]) -> list[list[dict]]:
    return [await act(api, chat_id, step) for step in steps]


def _total(replies: list[dict]) -> int:
    found = [int(m.group(1)) for r in replies for m in [TOTAL.search(r["text"])] if m]
    assert len(found) == 1, [r["text"] for r in replies]
    return found[0]


async def test_a_french_questionnaire_reaches_the_same_total_as_in_english(api, tmp_path):
    api.languages[2] = "fr-CA"
    async with running_bot(api, tmp_path / "m.db"):
        english = await _run(api, 1, SINGLE)
        french = await _run(api, 2, FRENCH_SINGLE)
    assert _total(english[-1]) == _total(french[-1]) == SINGLE_TOTAL
    verdict = "\n".join(r["text"] for r in french[-1])
    assert f"<b>Votre score SCG : {SINGLE_TOTAL} / 1200</b>" in verdict and "Auriez-vous été invité(e)?" in verdict
    assert "Your CRS score" not in verdict and "Would you have been invited?" not in verdict
    assert "/forget supprime vos données." in verdict
    fr = Languages.load().get("fr")
    english_prompts = [q.prompt for q in QUESTIONS]
    for turn in french[:-1]:  # every question before the result: French, with its step line
        text = "\n".join(r["text"] for r in turn)
        assert "Étape " in text, text
        assert not any(p in text for p in english_prompts), text
    first = "\n".join(r["text"] for r in french[0])
    assert (
        first.startswith("Bonjour! Je suis Maple.")
        and fr("What is your date of birth? (YYYY-MM-DD, e.g. 1994-05-17)") in first
    )
    funds = "\n".join(r["text"] for r in french[-2])
    assert fr("How much money (in Canadian dollars) can you show for settling in Canada?") in funds
    buttons = [
        b["text"] for r in french[2] for row in (r.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
    ]
    assert "Diplôme d'études secondaires" in buttons and "« Retour" in buttons


async def test_the_menu_is_set_in_english_and_in_french(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        pass
    menus = {c.params.get("language_code", ""): c.params["commands"] for c in api.calls if c.method == "setMyCommands"}
    assert set(menus) == {"", "fr"}
    french = {c["command"]: c["description"] for c in menus["fr"]}
    english = {c["command"]: c["description"] for c in menus[""]}
    assert french["langue"] == "Français ou anglais" and english["language"] == "English or French"
    assert french["help"] == "Ce que je fais et comment"


async def test_langue_switches_a_chat_to_french_through_telegram(api, tmp_path):
    async with running_bot(api, tmp_path / "m.db"):
        await act(api, 3, "/start")
        await act(api, 3, "1996-03-02")
        menu = await act(api, 3, "/langue")
        assert "Quelle langue" in menu[0]["text"]
        switched = await act(api, 3, "tap:lang:fr")
        text = "\n".join(r["text"] for r in switched)
        assert "Je vous parlerai en français désormais." in text and "Quel est votre état matrimonial?" in text
        after = await act(api, 3, "tap:a:marital:never_married")
        assert "Quel est votre plus haut niveau de scolarité" in "\n".join(r["text"] for r in after)
