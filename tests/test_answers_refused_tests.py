"""Answers that name something Express Entry does not take: a language test it does not accept (IELTS Academic,
TOEFL, TCF tout public...) and a trade certificate from abroad at the certificate-of-qualification question.

Both are refused by name with what does count (knowledge base entries ``accepted-tests`` and
``foreign-trade-certificate``), the same question is asked again with its buttons, and nothing is stored.
"""

from __future__ import annotations

from datetime import date

import pytest

from flows.answers import REFUSED_TESTS, Accepted, Invalid, places, read_answer
from flows.conversation import Dialogue, Session
from flows.i18n import Languages
from flows.questions import BY_ID
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)
FR = Languages.load().get("fr")
ACCEPTED_NAMES = ("CELPIP-General", "IELTS General Training", "PTE Core", "TEF Canada", "TCF Canada")


@pytest.fixture(scope="module")
def noc():
    return default_noc_index()


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


def read(qid: str, text: str, noc, answers: dict | None = None):
    return read_answer(BY_ID[qid], text, answers or {"lang1_test": "ielts"}, TODAY, noc)


# --- language tests -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ielts academic", "IELTS Academic"),
        ("IELTS Académique", "IELTS Academic"),
        ("I took IELTS Academic last year", "IELTS Academic"),
        ("academic ielts", "IELTS Academic"),
        ("ilets academic", "IELTS Academic"),
        ("pte academic", "PTE Academic"),
        ("PTE-Academic", "PTE Academic"),
        ("pte general", "PTE General"),
        ("celpip ls", "CELPIP-General LS"),
        ("celpip-general ls", "CELPIP-General LS"),
        ("CELPIP General LS", "CELPIP-General LS"),
        ("toefl", "TOEFL"),
        ("TOEFL iBT", "TOEFL"),
        ("tofel", "TOEFL"),
        ("duolingo", "Duolingo English Test"),
        ("det", "Duolingo English Test"),
        ("cambridge", "Cambridge English"),
        ("tcf tp", "TCF tout public"),
        ("TCF Tout Public", "TCF tout public"),
        ("tcf québec", "TCF Québec"),
        ("TEFAQ", "TEF Québec"),
        ("delf", "DELF"),
        ("DALF C1", "DALF"),
    ],
)
@pytest.mark.parametrize("qid", ["lang1_test", "spouse_test"])
def test_a_test_express_entry_does_not_accept_is_refused_by_name(qid, text, named, noc):
    outcome = read(qid, text, noc)
    assert isinstance(outcome, Invalid), (text, outcome)
    assert named in outcome.message and "cannot be used" in outcome.message
    assert all(name in outcome.message for name in ACCEPTED_NAMES) and "“No test (yet)”" in outcome.message


@pytest.mark.parametrize(("phrase", "found"), REFUSED_TESTS.items())
def test_every_phrase_of_the_table_is_refused_at_the_second_test_too(phrase, found, noc):
    for first in ("ielts", "tef_canada"):  # the second test offers the other language's tests only
        outcome = read("lang2_test", " ".join(phrase), noc, {"lang1_test": first})
        assert isinstance(outcome, Invalid) and found[0] in outcome.message, (phrase, first)


@pytest.mark.parametrize("text", ["academic", "Academic", "académique", "the academic one"])
def test_academic_alone_asks_which_test(text, noc):
    outcome = read("lang1_test", text, noc)
    assert isinstance(outcome, Invalid)
    assert outcome.message.startswith("Which academic test?")
    assert "IELTS General Training or PTE Core" in outcome.message


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("ielts", "ielts"), ("IELTS", "ielts"), ("ielts general", "ielts"), ("ielts gt", "ielts"),
        ("general training", "ielts"), ("IELTS General Training", "ielts"), ("ielts genral", "ielts"),
        ("ilets", "ielts"), ("ielst", "ielts"), ("I took ielts general", "ielts"),
        ("celpip", "celpip"), ("celpip general", "celpip"), ("CELPIP-General", "celpip"), ("celpib", "celpip"),
        ("pte core", "pte_core"), ("pte", "pte_core"),
        ("tef", "tef_canada"), ("tef canada", "tef_canada"), ("tcf canada", "tcf_canada"), ("tcf", "tcf_canada"),
        ("ielts general and toefl", "ielts"),  # an accepted test named: that is the answer
        ("no test", "none"),
    ],
)  # fmt: skip
def test_accepted_tests_and_their_typos_read_as_before(text, choice, noc):
    assert read("lang1_test", text, noc) == Accepted(choice)


def test_a_refused_test_in_the_dialogue_stores_nothing_and_asks_again_with_buttons(dialogue):
    session = Session(chat_id=5, state="lang1_test", answers={"dob": "1990-01-01", "marital": "single"})
    replies = dialogue.text(session, "IELTS Academic")
    assert "IELTS Academic is not the version Express Entry accepts" in replies[0].text
    assert replies[-1].text.endswith(dialogue.ask(session).text)
    assert "No test (yet)" in [b.label for b in replies[-1].buttons]
    assert session.state == "lang1_test" and "lang1_test" not in session.answers


def test_a_french_chat_is_refused_in_french(dialogue):
    session = Session(chat_id=6, state="lang1_test", answers={"dob": "1990-01-01"}, language="fr")
    replies = dialogue.text(session, "TCF tout public")
    assert "Le test TCF tout public n'est pas la version acceptée pour Entrée express" in replies[0].text
    assert "« Pas de test (encore) »" in replies[0].text
    assert FR("No test (yet)") in [b.label for b in replies[-1].buttons]
    assert session.state == "lang1_test" and "lang1_test" not in session.answers


# --- certificate of qualification ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "yes i have polish welding certificate",
        "yes, from the UK",
        "yes my CAP from France",
        "oui mon CAP de soudeur",
        "yes from india",
        "Yes, from India",
        "oui, de l'Inde",
        "yes i have an NVQ",
        "yes, from my home country",
        "i have a welding certificate from abroad",
        "yes, a German Gesellenbrief",
    ],
)
def test_a_certificate_from_abroad_is_not_a_yes(text, noc):
    outcome = read("coq", text, noc)
    assert isinstance(outcome, Invalid), (text, outcome)
    assert "issued by a Canadian province, territory or federal authority" in outcome.message
    assert "does not count on its own" in outcome.message


@pytest.mark.parametrize("country", places()["abroad"])
def test_yes_from_any_country_abroad_is_not_a_yes(country, noc):
    assert not isinstance(read("coq", f"yes, from {country}", noc), Accepted), country


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"), ("Yes", "yes"), ("oui", "yes"), ("yes i do", "yes"), ("yes from Ontario", "yes"),
        ("oui, de l'Alberta", "yes"), ("yes in canada", "yes"), ("yes red seal", "yes"),
        ("yes, from Ontario, after my Polish one", "yes"),  # issued in Canada: a Canadian place wins
        ("no", "no"), ("no, only a polish one", "no"), ("non", "no"),
    ],
)  # fmt: skip
def test_a_canadian_certificate_and_a_no_read_as_before(text, value, noc):
    assert read("coq", text, noc) == Accepted(value)


def test_a_foreign_certificate_in_the_dialogue_stores_nothing_and_asks_again(dialogue):
    session = Session(chat_id=7, state="coq", answers={"dob": "1990-01-01"})
    replies = dialogue.text(session, "yes, from the UK")
    assert "a certificate from another country does not count on its own" in replies[0].text
    assert [b.label for b in replies[-1].buttons][:2] == ["Yes", "No"]
    assert session.state == "coq" and "coq" not in session.answers


def test_a_french_chat_hears_it_in_french(dialogue):
    session = Session(chat_id=8, state="coq", answers={"dob": "1990-01-01"}, language="fr")
    replies = dialogue.text(session, "oui mon CAP de soudeur")
    assert "un certificat d'un autre pays ne compte pas à lui seul" in replies[0].text
    assert session.state == "coq" and "coq" not in session.answers


# --- ECA, small ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["i don't have eca yet", "havent done it", "not done yet", "i dont have it yet", "no eca", "not yet"]
)
@pytest.mark.parametrize("qid", ["education_proof", "spouse_education_proof"])
def test_no_eca_yet_in_other_words_reads_as_none(qid, text, noc):
    assert read(qid, text, noc, {"education": "bachelors"}) == Accepted("none")
