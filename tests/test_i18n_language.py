"""The chat's language: set from Telegram's language_code on first contact, changed by /language or /langue,
remembered in the store; switching keeps every answer; the questionnaire and its common errors in French."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core import MapleCore, build_core
from bot.store import SessionStore
from bot.telegram_bot import COMMANDS, menu
from flows.i18n import Languages
from flows.questions import QUESTIONS

TODAY = date(2026, 10, 1)


@pytest.fixture
def core(tmp_path: Path) -> MapleCore:
    made = build_core(str(tmp_path / "m.db"), today=lambda: TODAY)
    yield made
    made.store.close()


def _texts(replies) -> str:
    return "\n".join(r.text for r in replies)


def _labels(replies) -> list[str]:
    return [b.label for r in replies for b in r.buttons]


def test_first_contact_in_french_speaks_french(core):
    replies = core.command(1, "start", language_code="fr-CA").replies
    text = _texts(replies)
    assert text.startswith("Bonjour! Je suis Maple.") and "Système de classement global (SCG)" in text
    assert "Étape 1 sur" in text and "Quelle est votre date de naissance?" in text
    assert "/langue" in text
    assert core.store.load(1).language == "fr"


@pytest.mark.parametrize("code", ["en", "de", "pt-BR"])
def test_first_contact_in_another_language_speaks_english(core, code):
    text = _texts(core.command(2, "start", language_code=code).replies)
    assert text.startswith("Hello! I am Maple.") and "Step 1 of" in text
    assert core.store.load(2).language == "en"


def test_the_console_sets_no_language_and_gets_english(core):
    assert "Step 1 of" in _texts(core.on_command(3, "start"))
    assert core.store.load(3).language is None


def test_language_is_set_once_and_then_remembered(core, tmp_path):
    core.command(4, "start", language_code="fr")
    replies = core.text(4, "1990-01-01", language_code="en").replies  # a later update in English changes nothing
    assert "Quel est votre état matrimonial?" in _texts(replies)
    core.store.close()
    again = SessionStore(str(tmp_path / "m.db"))
    try:
        assert again.load(4).language == "fr"
    finally:
        again.close()
    core.store = SessionStore(str(tmp_path / "m.db"))


@pytest.mark.parametrize("command", ["language", "langue"])
def test_switching_language_keeps_every_answer(core, command):
    core.command(5, "start", language_code="en")
    for step in ("1990-01-01", "married", "no", "yes", "bachelors"):
        core.text(5, step)
    before = core.store.load(5)
    menu_reply = core.command(5, command).replies
    assert [b.data for b in menu_reply[0].buttons] == ["lang:en", "lang:fr"]
    assert _labels(menu_reply) == ["English", "Français"]
    switched = core.button(5, "lang:fr").replies
    after = core.store.load(5)
    assert after.language == "fr"
    assert after.answers == before.answers and after.state == before.state
    text = _texts(switched)
    assert "Je vous parlerai en français désormais." in text
    assert "Ce diplôme est-il canadien" in text and "Étape 2 sur" in text
    assert "J'ai une EDE" in _labels(switched)
    back = core.button(5, "lang:en").replies
    assert core.store.load(5).answers == before.answers
    assert "Is that credential Canadian" in _texts(back) and "I have an ECA" in _labels(back)


def test_help_and_unknown_commands_in_french(core):
    core.command(6, "start", language_code="fr")
    assert "Commandes : /back" in _texts(core.command(6, "help").replies)
    assert "Je ne connais pas cette commande" in _texts(core.command(6, "nope").replies)


def test_the_command_menu_in_french():
    languages = Languages.load()
    french = {c.command: c.description for c in menu("fr", languages)}
    english = {c.command: c.description for c in menu("en", languages)}
    assert english == {**COMMANDS}
    assert set(french) == {"langue" if name == "language" else name for name in COMMANDS}
    assert french["start"] == "Commencer ou reprendre le questionnaire"
    assert french["score"] == "Votre résultat SCG jusqu'ici"
    assert all(french[n] != english[n] for n in english if n in french and n != "language")


# --- the questionnaire in French -----------------------------------------------------------------------------
def test_every_question_prompt_is_shown_in_french(core):
    """Each question asked of a French chat shows its French prompt and no English prompt."""
    languages = Languages.load()
    fr = languages.get("fr")
    english_prompts = {q.prompt for q in QUESTIONS}
    core.command(7, "start", language_code="fr")
    session = core.store.load(7)
    for question in QUESTIONS:
        if question.kind == "scores" or question.in_job_loop:
            continue  # their prompts need earlier answers: the end-to-end run covers them
        session.state = question.id
        shown = core.dialogue.ask(session)
        assert fr(question.prompt) in shown.text, question.id
        assert not any(p in shown.text for p in english_prompts), question.id
        assert all(b.label != c.label or fr(c.label) == c.label for b in shown.buttons for c in question.choices)


@pytest.mark.parametrize(
    ("answers", "typed", "french"),
    [
        ([], "hello", "Je n'arrive pas à lire cette date. Envoyez-la comme ceci : 17 mai 1994 (ou 1994-05-17)."),
        ([], "1994", "Quels jour et mois de 1994?"),
        ([], "2030-01-01", "Cette date est dans le futur"),
        ([], "I am 30", "J'ai besoin de votre date de naissance exacte"),
        (["1990-01-01"], "blue", "choix : Célibataire (jamais marié(e)), Marié(e)"),
        (["1990-01-01"], "je ne sais pas", "Pas de problème. Votre situation aujourd'hui."),
    ],
)  # fmt: skip
def test_common_invalid_answers_in_french(core, answers, typed, french):
    core.command(8, "start", language_code="fr")
    for answer in answers:
        core.text(8, answer)
    text = _texts(core.text(8, typed).replies)
    assert french in text, text


def test_numbers_and_scores_errors_in_french(core):
    core.command(9, "start", language_code="fr")
    for step in ("1990-01-01", "célibataire", "bachelors", "eca", "2023-05-10", "none", "ielts", "2025-05-01"):
        core.text(9, step)
    text = _texts(core.text(9, "8 7").replies)
    assert "Il me faut exactement quatre nombres. Envoyez les quatre résultats dans cet ordre" in text
    text = _texts(core.text(9, "8 7 7 7").replies)
    assert "Cela donne : compréhension de l'oral : NCLC 9" in text


def test_a_french_choice_typed_as_its_button_reads_is_accepted(core):
    core.command(10, "start", language_code="fr")
    core.text(10, "8 mars 1985")
    core.text(10, "Conjoint(e) de fait")
    assert core.store.load(10).answers["marital"] == "common_law"
    assert core.store.load(10).answers["dob"] == "1985-03-08"


def test_keep_back_and_best_guess_labels_in_french(core):
    core.command(11, "start", language_code="fr")
    core.text(11, "1990-01-01")
    back = core.command(11, "back").replies
    assert "Garder : 1er janvier 1990" in _labels(back)
    assert "Votre réponse précédente : 1er janvier 1990" in _texts(back)
    core.button(11, "k:dob")
    for step in ("single", "bachelors"):
        core.text(11, step)
    unsure = core.text(11, "je ne sais pas").replies
    assert "Le plus probable : Étranger, pas encore d'EDE" in _labels(unsure)
    assert "« Retour" in _labels(unsure)


def test_a_chat_begun_before_languages_existed_stays_english(core):
    core.on_command(12, "start")  # no language_code: as a session stored before the field
    core.on_text(12, "1990-01-01")
    replies = core.text(12, "single", language_code="fr").replies
    assert "What is your highest level of education" in _texts(replies)
    assert core.store.load(12).language is None
    core.command(12, "langue")
    assert "Quel est votre plus haut niveau" in _texts(core.button(12, "lang:fr").replies)


def test_a_date_in_numbers_is_read_day_first_in_french_and_said_back_in_french_words(core):
    core.command(13, "start", language_code="fr")
    replies = core.text(13, "12/06/1997").replies
    assert "Je lis : 12 juin 1997." in _texts(replies)
    assert core.store.load(13).answers["dob"] == "1997-06-12"
    core.command(16, "start", language_code="fr")
    core.text(16, "12 juin 1997")  # a written French month: one reading
    assert core.store.load(16).answers["dob"] == "1997-06-12"


def test_edit_summary_restart_and_the_work_history_in_french(core):
    core.command(14, "start", language_code="fr")
    for step in (
        "1990-01-01",
        "single",
        "bachelors",
        "eca",
        "2023-05-10",
        "none",
        "none",
        "yes",
        "21232",
        "canada",
        "2022-01-01",
    ):
        core.text(14, step)
    core.button(14, "a:job_end:ongoing")
    for step in ("40", "employee", "no"):
        core.text(14, step)
    summary = _texts(core.command(14, "summary").replies)
    assert "Vos réponses (touchez-en une pour la modifier) :" in summary
    assert "À propos de vous" in summary and "État matrimonial : Célibataire (jamais marié(e))" in summary
    assert "Emploi 1 : 21232 " in summary
    assert "Au Canada, 1er janvier 2022 – J'y travaille encore, 40 h/semaine" in summary
    edit = core.command(14, "edit").replies
    assert "Quelle réponse voulez-vous modifier?" in _texts(edit) and "Voir toutes mes réponses" in _labels(edit)
    jobs = core.button(14, "e:job_add").replies
    assert "Votre expérience de travail : 1 emploi." in _texts(jobs) and "Ajouter un emploi" in _labels(jobs)
    restart = core.command(14, "restart").replies
    assert "Recommencer à la première question?" in _texts(restart)
    assert _labels(restart)[1] == "Non, garder mes réponses"
    assert "En pause. Vos réponses sont gardées" in _texts(core.command(14, "cancel").replies)


def test_score_problems_and_the_language_gap_in_french(core):
    core.command(15, "start", language_code="fr")
    for step in ("1990-01-01", "single", "bachelors", "eca", "2023-05-10", "none", "ielts", "2025-05-01"):
        core.text(15, step)
    twice = _texts(core.text(15, "L 8 L 7 W 7 S 7").replies)
    assert "Je vois compréhension de l'oral deux fois et pas de compréhension de l'écrit." in twice
    core.text(15, "5 5 5 5")
    for step in ("tcf", "2025-05-01"):
        core.text(15, step)
    gap = _texts(core.text(15, "549 549 16 16").replies)
    assert "À vérifier : votre premier test (NCLC 5 à 6) donne bien moins que le second (NCLC 10 à 10)" in gap


@pytest.mark.parametrize(
    ("day", "french", "english"),
    [
        (date(2026, 12, 1), "1er décembre 2026", "1 December 2026"),
        (date(1985, 3, 8), "8 mars 1985", "8 March 1985"),
        (date(2027, 1, 31), "31 janvier 2027", "31 January 2027"),
    ],
)
def test_the_first_of_a_month_is_an_ordinal_in_french_and_reads_back(day, french, english):
    from flows.answers import parse_date

    languages = Languages.load()
    assert languages.get("fr").format_date(day) == french and languages.get("en").format_date(day) == english
    assert parse_date(french) == day  # a date Maple writes is one it reads (a button's label typed back)


def test_french_typed_in_an_english_chat_is_offered_french_once(core):
    core.command(21, "start", language_code="en")
    replies = core.text(21, "bonjour, vous parlez français ?").replies
    first = replies[0]
    assert first.text.startswith("Je parle aussi français : touchez « Français » ou envoyez /langue")
    assert "lang:fr" in [b.data for b in first.buttons]
    again = core.text(21, "je parle français").replies
    assert all("Je parle aussi français" not in r.text for r in again)  # once per chat
    english = core.text(22, "what is an eca?").replies  # English: no offer
    assert all("Je parle aussi" not in r.text for r in english)
    core.button(21, "lang:fr")
    assert core.store.load(21).language == "fr"
    core.command(23, "start", language_code="fr")
    assert all("Je parle aussi" not in r.text for r in core.text(23, "bonjour, vous parlez français ?").replies)
