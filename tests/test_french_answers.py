"""French answers are read like English ones: every French button label typed as it reads, the common French ways
of answering (flows/locale/fr/answers.yaml), French numbers (decimal comma, "20 000 $", units) and dates."""

from __future__ import annotations

from datetime import date

import pytest

from flows.answers import Accepted, french_names, read_answer
from flows.i18n import Languages
from flows.questions import BY_ID, QUESTIONS, choices_for
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)
ANSWERS = {"lang1_test": "ielts", "job_draft": {"job_start": "2020-01-01"}}
FR = Languages.load().get("fr")
LABELLED = [
    (q.id, c.id)
    for q in QUESTIONS
    for c in q.choices
    if c in choices_for(q, ANSWERS) and not q.id.endswith("_tef_scale")  # TEF columns: labels change with the scores
]


@pytest.fixture(scope="module")
def noc():
    return default_noc_index()


def read(qid: str, text: str, noc):
    return read_answer(BY_ID[qid], text, ANSWERS, TODAY, noc)


@pytest.mark.parametrize(("qid", "choice"), LABELLED)
def test_every_french_button_label_typed_reads_as_its_choice(qid, choice, noc):
    label = FR(next(c.label for c in BY_ID[qid].choices if c.id == choice))
    assert read(qid, label, noc) == Accepted(choice), label


@pytest.mark.parametrize(("qid", "choice", "name"), [
    (qid, choice, name) for qid, by_choice in french_names().items() for choice, names in by_choice.items()
    for name in names if (qid, choice) in LABELLED
])  # fmt: skip
def test_every_french_name_in_the_table_reads_as_its_choice(qid, choice, name, noc):
    assert read(qid, name, noc) == Accepted(choice), name


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("job_hours", "40 heures", 40),
        ("job_hours", "37,5", 37.5),
        ("job_hours", "40 h par semaine", 40),
        ("family_size", "3 personnes", 3),
        ("funds", "20 000 $", 20000),
        ("funds", "20\u00a0000\u00a0$", 20000),
        ("funds", "25 000,50 $", 25000.5),
        ("funds", "$25,000", 25000),
        ("funds", "25,000", 25000),
        ("spouse_work", "2 ans", 2),
        ("spouse_work", "18 mois", 1.5),
        ("spouse_work", "aucune", 0),
        ("dob", "8 mars 1985", "1985-03-08"),
        ("dob", "1er mars 1985", "1985-03-01"),
        ("marital", "veuve", "widowed"),
        ("job_where", "à l'étranger", "abroad"),
        ("job_kind", "travailleur autonome", "self_employed"),
        ("education_proof", "j'ai une EDE", "eca"),
        ("sibling", "oui j'en ai", "yes"),
        ("sibling", "non merci", "no"),
        ("sibling", "nn", "no"),
        ("marital", "celib", "never_married"),
        ("job_end", "aujourd'hui", "ongoing"),
        ("job_end", "jusqu'à aujourd'hui", "ongoing"),
    ],
)
def test_french_answers(qid, text, value, noc):
    outcome = read(qid, text, noc)
    assert isinstance(outcome, Accepted) and outcome.value == value, outcome


def test_hours_per_day_in_french_are_refused_with_the_per_week_message(noc):
    outcome = read("job_hours", "8 heures par jour", noc)
    assert not isinstance(outcome, Accepted) and FR.render(outcome.msg).startswith("Envoyez les heures par semaine")


@pytest.mark.parametrize(
    ("language", "typed", "stored", "said"),
    [
        ("fr", "08/03/1985", "1985-03-08", "Je lis : 8 mars 1985."),  # French: day first, said back
        ("fr", "8.3.1985", "1985-03-08", "Je lis : 8 mars 1985."),
        ("fr", "25/03/1985", "1985-03-25", None),  # one reading only: nothing to say back
        ("en", "08/03/1985", None, "Is that 8 March 1985 or 3 August 1985?"),  # English: asked
    ],
)
def test_a_date_in_numbers_is_read_day_first_in_a_french_chat(language, typed, stored, said):
    from flows.conversation import Dialogue, Session
    from flows.markup import plain
    from knowledge.crs.scoring import default_scorer
    from tests.test_flow_faq import TODAY
    from tests.test_french_bot_messages import results

    dialogue = Dialogue(results(default_scorer()), default_noc_index(), lambda: TODAY)
    session = Session(chat_id=1, language=language)
    dialogue.start(session)
    assert session.state == "dob"
    text = plain("\n".join(r.text for r in dialogue.text(session, typed)))
    assert session.answers.get("dob") == stored
    assert (said in text) if said else ("Je lis" not in text), text
    assert "_reading_language" not in session.answers  # the language is context, never stored as an answer


def test_the_partners_eca_choice_is_said_of_the_credential_not_of_the_person():
    own = {c.id: c.label for c in BY_ID["education_proof"].choices}
    partner = {c.id: c.label for c in BY_ID["spouse_education_proof"].choices}
    assert own["eca"] == "I have an ECA" and partner["eca"] == "It has an ECA" and FR(partner["eca"]) == "Il a une EDE"
    assert {k: v for k, v in partner.items() if k != "eca"} == {k: v for k, v in own.items() if k != "eca"}


@pytest.mark.parametrize(
    ("typed", "level"),
    [("bac+2", "two_year"), ("BTS", "two_year"), ("DUT en informatique", "two_year"), ("bac +3", "bachelors"),
     ("bac+5 master", "masters")],
)  # fmt: skip
def test_french_lengths_after_the_baccalaureat_read_as_their_level_and_are_said_back(typed, level, noc):
    outcome = read("education", typed, noc)
    assert isinstance(outcome, Accepted) and outcome.value == level and outcome.note.startswith("Noted: ")


@pytest.mark.parametrize("typed", ["bac+5", "bac+4", "bac plus 5"])
def test_four_or_five_years_after_the_baccalaureat_are_asked_not_assumed(typed, noc):
    from flows.answers import Options

    outcome = read("education", typed, noc)
    assert isinstance(outcome, Options) and [c.id for c in outcome.choices] == ["masters", "bachelors"]
    assert FR(outcome.msg.msgid).startswith("Quatre ou cinq ans après le baccalauréat")
