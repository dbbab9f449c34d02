"""The bot's own messages in the chat's language (issue #14): /forget and its buttons, the storage apologies,
the /remind menu, a reminder, a draw alert and a re-score, in French for a French chat and unchanged in English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core import NOT_SAVED, build_core
from bot.store import SessionStore, StorageUnavailable
from bot.watch import HORIZON, Watch
from flows.conversation import DONE, Session
from flows.i18n import Languages
from tests.test_alerts import CEC_ROUND, outbox, results, subscribe
from tests.test_remind import NOW, NURSE, Clock, answers_of, fire_at, make_watch
from tests.test_result_html_whatif import run_core
from tests.test_telegram_e2e import SINGLE


@pytest.fixture(scope="module")
def nurse_answers() -> dict:
    return answers_of(NURSE, NOW.date())


def _seed(db, chat_id: int, answers: dict, language: str | None) -> None:
    store = SessionStore(db)
    store.save(Session(chat_id=chat_id, state=DONE, answers=answers, language=language))
    store.close()


def test_forget_in_french_asks_deletes_and_keeps_in_french(tmp_path):
    core = build_core(str(tmp_path / "m.db"))
    run_core(core, 1, SINGLE[:3])
    core.on_button(1, "lang:fr")
    ask = core.on_command(1, "forget")[0]
    assert ask.text.startswith("Supprimer tout ce que j'ai enregistré") and "irréversible" in ask.text
    assert [b.label for b in ask.buttons] == ["Oui, tout supprimer", "Non, garder mes réponses"]
    kept = core.on_button(1, "forget:no")
    assert len(kept) == 1  # one message: the note and the question
    assert kept[0].text.startswith("Rien n'a été supprimé.")
    assert "Quel est votre plus haut niveau de scolarité" in kept[0].text
    stale = core.on_button(1, "forget:yes")[0]  # the Yes of the confirmation just answered No: out of date
    assert stale.text.startswith("Ce bouton n'est plus à jour : rien n'a été supprimé.") and core.store.load(1).answers
    core.on_command(1, "forget")
    done = core.on_button(1, "forget:yes")[0]
    assert done.text.startswith("C'est fait : tout ce que j'avais enregistré") and core.store.load(1).answers == {}
    # an English chat sees the English texts, as before
    run_core(core, 2, SINGLE[:3])
    assert core.on_command(2, "forget")[0].text.startswith("Delete everything I stored for this chat")
    assert core.on_button(2, "forget:yes")[0].text.startswith("Done: everything I stored")
    core.store.close()


def test_the_storage_apology_is_in_the_chat_s_language(tmp_path, monkeypatch):
    core = build_core(str(tmp_path / "m.db"))
    run_core(core, 1, SINGLE[:2])
    core.on_button(1, "lang:fr")
    run_core(core, 2, SINGLE[:2])

    def broken(*args, **kwargs):
        raise StorageUnavailable("disk full")

    monkeypatch.setattr(core.store, "save", broken)
    french = core.on_text(1, "1996-03-02")[0].text
    assert (
        french.startswith("Je n'ai pas pu enregistrer cela") and "Vos réponses précédentes sont en sécurité" in french
    )
    assert core.on_text(2, "1996-03-02")[0].text == NOT_SAVED
    core.store.close()


def test_remind_menu_and_a_reminder_in_french(tmp_path, nurse_answers):
    db = tmp_path / "m.db"
    _seed(db, 7, nurse_answers, "fr")
    clock = Clock(NOW)
    store, watch = make_watch(db, clock)
    menu = watch.command(7, "remind", "", None)[0]
    assert menu.text.startswith("Les rappels sont envoyés 30 et 7 jours avant chaque date choisie")
    assert "◻️ Anniversaires qui changent mes points" in [b.label for b in menu.buttons]
    saved = watch.button(7, "w:set:age:on", None)[0]
    assert "Enregistré. Activé : anniversaires qui changent mes points." in saved.text
    assert "8 mars 2027 (30 jours avant)" in saved.text
    clock.set(fire_at("2027-03-08", 30) - timedelta(minutes=30))
    due = watch.db.due(clock() + HORIZON)
    assert watch.fire(due[0].id) is True
    text = store.conn.execute("select text from watch_outbox where chat_id = 7").fetchone()[0]
    assert text.startswith("Rappel : 8 mars 2027 : vous aurez 42 ans : points pour l'âge 39 -> 28")
    assert "(dans 30 jours)" in text and "Source : https://www.canada.ca/" in text and "/remind modifie" in text
    off = watch.command(7, "remind", "off", None)[0]
    assert off.text.startswith("Les rappels et les alertes de rondes sont désactivés")
    store.close()


def test_a_draw_alert_goes_to_each_subscriber_in_their_language(tmp_path):
    db = tmp_path / "m.db"
    _seed(db, 1, {}, "fr")
    _seed(db, 2, {}, "en")
    store = SessionStore(db)
    watch = Watch(store, results(), Clock(NOW))
    subscribe(store, 1, ["all", "cec"], 498)
    subscribe(store, 2, ["all", "cec"], 498)
    assert watch.new_rounds([CEC_ROUND]) == 2
    (_, french, _), (_, english, _) = outbox(store)
    assert french.startswith("Nouvelle ronde d'invitations Entrée express no 460 le 1er décembre 2026")
    assert "3\u00a0000 invitations" in french and "il manque 17 points" in french
    assert english.startswith("New Express Entry round #460 on 2026-12-01") and "17 points short" in english
    assert "3,000 invitations" in english
    store.close()


def test_the_french_catalog_has_every_watch_and_core_message():
    fr = Languages.load().get("fr")
    assert fr("Draw alerts") == "Alertes de rondes" and fr(" and ") == " et "


async def test_the_error_apology_is_in_the_chat_s_language(tmp_path):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    from bot.telegram_bot import CORE_KEY, on_error

    core = build_core(str(tmp_path / "m.db"))
    run_core(core, 1, SINGLE[:2])
    core.on_button(1, "lang:fr")
    sent: list[tuple[int, str]] = []

    async def send_message(chat_id: int, text: str) -> None:
        sent.append((chat_id, text))

    def update(chat_id: int, language_code: str | None) -> Update:
        user = User(id=chat_id, first_name="x", is_bot=False, language_code=language_code)
        chat = Chat(id=chat_id, type="private")
        return Update(1, message=Message(1, datetime.now(UTC), chat, from_user=user, text="hi"))

    context = SimpleNamespace(
        error=RuntimeError("boom"),
        bot=SimpleNamespace(send_message=send_message),
        application=SimpleNamespace(bot_data={CORE_KEY: core}),
    )
    await on_error(update(1, None), context)  # the chat's language: French, set by /langue
    await on_error(update(2, "fr-CA"), context)  # a new chat: Telegram's language
    await on_error(update(3, "en"), context)
    assert [text.split(",")[0] for _, text in sent] == [
        "Désolé",
        "Désolé",
        "Sorry",
    ]
    assert sent[0][1].endswith("/start montre la question où vous en êtes.")
    core.store.close()


def test_topics_in_french_label_every_topic_and_its_questions():
    from flows.conversation import Dialogue
    from flows.faq_replies import FaqReplies
    from knowledge.crs.scoring import default_scorer
    from knowledge.faq.retriever import default_retriever
    from knowledge.faq.topics import load_topics
    from knowledge.programs.noc import default_noc_index
    from tests.test_flow_faq import TODAY

    faq = FaqReplies(default_retriever())
    dialogue = Dialogue(results(default_scorer()), default_noc_index(), lambda: TODAY, faq)
    fr = Languages.load().get("fr")
    french, english = Session(chat_id=1, language="fr"), Session(chat_id=2)
    listed = dialogue.command(french, "topics")[0]
    assert listed.text.startswith("Choisissez un sujet")
    labels = {b.data: b.label for b in listed.buttons}
    assert labels["t:points"] == "Points du SCG" and labels["t:programs"] == "PTQF, PTMSF et CEC"
    assert len(labels) == len(load_topics()) and all(fr.has(t.label) for t in load_topics())
    assert dialogue.command(english, "topics")[0].buttons[0].label == "CRS points"  # English unchanged
    topic = dialogue.button(french, "t:after-ita")[0]
    assert topic.text.startswith("Après une invitation : touchez une question")
    entries = faq.retriever.kb.tagged("after-ita")
    assert [b.label for b in topic.buttons if b.data.startswith("q:")] == [e.text("fr").question for e in entries]
    assert any(e.fr is not None for e in entries)  # some of them have their French question
