"""An edit never loses the answers that depend on it: they are set aside and asked again with a Keep button.

The tester's scenario: answered through to the language scores, /edit, Education, a new level. Before the fix
``education_proof``, ``eca_date`` and ``canadian_study`` were dropped and asked again with no earlier answer.
"""

from __future__ import annotations

import pytest

from flows.conversation import DONE, Session
from tests.test_navigation_corrections import TYPED, Chat, at, dialogue, engine_total, total_shown  # noqa: F401

DEPENDENTS = ("education_proof", "eca_date", "canadian_study")
NEW_LEVEL = {"en": "master's", "fr": "maîtrise"}
EARLIER = {"en": "Your earlier answer:", "fr": "Votre réponse précédente :"}
KEEP = {"en": "Keep: ", "fr": "Garder : "}
TOTAL = {"en": "Your CRS score:", "fr": "Votre score CRS :"}


def _chat(dialogue, language: str) -> Chat:  # noqa: F811
    chat = Chat(dialogue)
    chat.session.language = language
    chat.replies = dialogue.start(chat.session) if language == "en" else chat.replies
    return chat


def _finish(chat: Chat) -> None:
    for _ in range(80):
        if chat.state == DONE:
            return
        chat.say(TYPED[chat.state])
    raise AssertionError("never reached the end")


def _edit_education(chat: Chat, text: str) -> None:
    chat.say("/edit")
    chat.tap("e:education")
    chat.say(text)
    assert chat.answers["education"] == "masters"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_edited_education_offers_its_dependents_back_with_keep(dialogue, language):  # noqa: F811
    chat = _chat(dialogue, language)
    at(chat, "lang2_test")  # the language scores answered
    before = {q: chat.answers[q] for q in DEPENDENTS}
    _edit_education(chat, NEW_LEVEL[language])
    for qid in DEPENDENTS:
        assert chat.state == qid, (qid, chat.replies[-1].text)
        assert qid not in chat.answers and chat.session.set_aside[qid] == before[qid]
        text = chat.replies[-1].text
        assert EARLIER[language] in text, text
        keep = [b for b in chat.replies[-1].buttons if b.data == f"k:{qid}"]
        assert keep and keep[0].label.startswith(KEEP[language]), chat.replies[-1].buttons
        chat.tap(f"k:{qid}")
        assert chat.answers[qid] == before[qid]  # stored unchanged
    assert chat.state == "lang2_test"  # back where the person was
    assert not chat.session.set_aside


@pytest.mark.parametrize("language", ["en", "fr"])
def test_kept_dependents_give_the_same_total_as_answering_that_level_from_the_start(dialogue, language):  # noqa: F811
    edited = _chat(dialogue, language)
    _finish(edited)
    original_answers = dict(edited.answers)
    original = total_shown_in(edited.replies, language)
    assert original == engine_total(edited.answers)
    _edit_education(edited, NEW_LEVEL[language])
    for qid in DEPENDENTS:
        edited.tap(f"k:{qid}")
    assert edited.state == DONE
    new_total = total_shown_in(edited.replies, language)
    assert {**original_answers, "education": "masters"} == edited.answers

    fresh = _chat(dialogue, language)
    at(fresh, "education")
    fresh.say("masters")
    _finish(fresh)
    assert new_total == total_shown_in(fresh.replies, language) == engine_total(fresh.answers)

    # and the level edited back, every dependent kept: the total before the edit
    _edit_education(edited, NEW_LEVEL[language])  # unchanged: nothing set aside
    assert not edited.session.set_aside and edited.state == DONE
    edited.say("/edit")
    edited.tap("e:education")
    edited.say("bachelors")
    for qid in DEPENDENTS:
        edited.tap(f"k:{qid}")
    assert edited.answers == original_answers
    assert total_shown_in(edited.replies, language) == original


def total_shown_in(replies, language: str) -> int:
    if language == "en":
        return total_shown(replies)
    import re

    found = [re.search(r"(\d+) / 1200", r.text) for r in replies]
    totals = [int(m[1]) for m in found if m]
    assert totals, [r.text[:80] for r in replies]
    return totals[0]


def test_a_dependent_that_no_longer_applies_is_not_offered(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    chat.say("/edit")
    chat.tap("e:education_proof")
    chat.say("canadian")  # a Canadian credential has no ECA: its date no longer applies
    assert chat.answers["education_proof"] == "canadian"
    assert chat.state == "lang2_test", chat.replies[-1].text
    assert "eca_date" not in chat.answers
    chat.say("/summary")
    assert "ECA issue date" not in chat.replies[-1].text
    chat.say("/edit")
    assert "e:eca_date" not in chat.buttons()
    # an ECA again: the date applies again and is offered back
    chat.tap("e:education_proof")
    chat.say("eca")
    assert chat.state == "eca_date" and "k:eca_date" in chat.buttons()
    chat.tap("k:eca_date")
    assert chat.answers["eca_date"] == TYPED["eca_date"] and chat.state == "lang2_test"


def test_education_edited_to_less_than_secondary_offers_nothing(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    chat.say("/edit")
    chat.tap("e:education")
    chat.say("less than secondary")
    assert chat.answers["education"] == "less_than_secondary"
    assert chat.state == "lang2_test"
    assert not any(q in chat.answers for q in DEPENDENTS)


def test_a_family_size_of_one_is_not_offered_as_keep_once_married(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "marital")
    chat.say("single")
    _finish(chat)
    assert chat.answers["marital"] == "never_married" and chat.answers["family_size"] == 2
    chat.say("/edit")
    chat.tap("e:family_size")
    chat.say("1")
    assert chat.answers["family_size"] == 1
    chat.say("/edit")
    chat.tap("e:marital")
    chat.say("married")
    at(chat, "family_size")  # the questions in between answered as typed
    assert chat.state == "family_size" and chat.session.set_aside.get("family_size") == 1
    assert "k:family_size" not in chat.buttons() and "earlier answer" not in chat.replies[-1].text
    chat.say("keep")  # the word does not keep it either
    assert chat.state == "family_size" and "family_size" not in chat.answers
    chat.say("/summary")
    assert "To confirm" not in chat.replies[-1].text
    chat.say("3")
    assert chat.answers["family_size"] == 3


def test_a_valid_family_size_is_offered_back_after_a_new_marital_status(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    _finish(chat)  # married, family of 2
    chat.say("/edit")
    chat.tap("e:marital")
    chat.say("common-law")
    at(chat, "family_size")  # the questions in between answered as typed
    assert chat.state == "family_size" and "k:family_size" in chat.buttons()
    chat.tap("k:family_size")
    assert chat.answers["family_size"] == 2


def test_summary_edit_and_score_show_what_is_to_be_confirmed(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    chat.say("/edit")
    chat.tap("e:education")
    chat.say("masters")
    assert chat.state == "education_proof"
    chat.say("/summary")
    summary = chat.replies[-1].text
    assert "To confirm" in summary
    tail = summary[summary.index("To confirm") :]
    for label in ("ECA / Canadian credential: I have an ECA", "ECA issue date: 2023-05-10", "Canadian study"):
        assert label in tail, tail
    assert "e:eca_date" in chat.buttons()
    chat.tap("e:eca_date")  # it applies once the ECA is kept: that comes first, with its Keep
    assert chat.state == "education_proof" and "k:education_proof" in chat.buttons()
    chat.say("/edit")
    labels = [b.label for r in chat.replies for b in r.buttons]
    assert any(lbl.startswith("ECA issue date: 2023-05-10 (to confirm)") for lbl in labels), labels
    chat.say("/score")
    text = "\n".join(r.text for r in chat.replies)
    assert "Not counted until you confirm them" in text and "ECA issue date" in text
    # confirming one from /edit's list asks it with its Keep, then goes on
    chat.say("/edit")
    chat.tap("e:canadian_study")
    assert chat.state == "canadian_study" and "k:canadian_study" in chat.buttons()
    chat.tap("k:canadian_study")
    assert chat.answers["canadian_study"] == TYPED["canadian_study"]
    assert chat.state == "education_proof"
    chat.tap("k:education_proof")
    chat.tap("k:eca_date")
    assert chat.state == "lang2_test"
    chat.say("/summary")
    assert "To confirm" not in chat.replies[-1].text


def test_back_then_summary_lists_the_set_aside_answer(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    chat.say("/back")
    assert chat.state == "lang1_scores"
    chat.say("/summary")
    assert "To confirm" in chat.replies[-1].text
    chat.say("/score")
    assert "Not counted until you confirm them" in "\n".join(r.text for r in chat.replies)


def test_french_messages_for_what_is_to_be_confirmed(dialogue):  # noqa: F811
    chat = _chat(dialogue, "fr")
    at(chat, "lang2_test")
    chat.say("/edit")
    chat.tap("e:education")
    chat.say("maîtrise")
    chat.say("/summary")
    text = chat.replies[-1].text
    assert "To confirm" not in text and "À confirmer" in text and "Date de délivrance de l'EDE : 10 mai 2023" in text
    chat.say("/edit")
    labels = [b.label for r in chat.replies for b in r.buttons]
    assert any(lbl.endswith("(à confirmer)") for lbl in labels) and not any("to confirm" in lbl for lbl in labels)
    chat.say("/score")
    said = "\n".join(r.text for r in chat.replies)
    assert "Not counted" not in said and "Pas compté tant que vous ne les avez pas confirmés" in said


def test_a_session_with_set_aside_dependents_survives_a_store_round_trip(dialogue):  # noqa: F811
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    _edit_education(chat, "masters")
    chat.session = Session.model_validate_json(chat.session.model_dump_json())
    chat.replies = dialogue.start(chat.session)
    assert "k:education_proof" in chat.buttons()


def test_summary_with_a_test_and_its_scores_both_set_aside(dialogue):  # noqa: F811
    """Found by the navigation property test: the scores set aside by an edit of the test, then the test set
    aside by /back: /summary reads the scores against the test they were given for, and lists both."""
    chat = _chat(dialogue, "en")
    at(chat, "lang2_test")
    chat.say("/edit")
    chat.tap("e:lang1_test")
    chat.say("celpip")
    assert chat.state == "lang1_date" and "k:lang1_date" in chat.buttons()
    chat.say("/back")
    assert chat.state == "lang1_test" and "lang1_test" in chat.session.set_aside
    chat.say("/summary")
    tail = chat.replies[-1].text.split("To confirm")[1]
    assert "Language test" in tail or "lang" in tail.lower(), tail
    assert "8 7 7 7" in tail
    chat.say("/score")
    chat.tap("k:lang1_test")
    assert chat.answers["lang1_test"] == "celpip" and chat.state == "lang1_date"
