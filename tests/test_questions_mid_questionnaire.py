"""Questions typed while a question of the questionnaire waits: answered by the knowledge base, nothing stored;
and answers typed the way people type them (some of them a bit like questions) still taken as answers.

Each question was once read as an answer (stored, or re-asked as an invalid one) at the question it names:
benchmarks/eval_faq_in_dialogue.py measures the same on the tuning and development sets.
"""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversation import Dialogue, Session
from flows.faq_replies import FaqReplies, looks_like_question
from flows.questions import BY_ID
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.faq.retriever import default_retriever
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from tests.waiting import waiting_at_each_step

TODAY = date(2026, 10, 1)


@pytest.fixture(scope="module")
def faq() -> FaqReplies:
    return FaqReplies(default_retriever())


@pytest.fixture(scope="module")
def dialogue(faq) -> Dialogue:
    results = Results(default_scorer(), EligibilityEngine())
    return Dialogue(results, default_noc_index(), lambda: TODAY, faq)


@pytest.fixture(scope="module")
def waiting(dialogue) -> dict[str, Session]:
    """A session waiting at each step (English)."""
    return waiting_at_each_step(dialogue, None)


@pytest.fixture(scope="module")
def waiting_fr(dialogue) -> dict[str, Session]:
    return waiting_at_each_step(dialogue, "fr")


def _type(dialogue: Dialogue, at: Session, text: str) -> tuple[Session, str]:
    session = at.model_copy(deep=True)
    replies = dialogue.text(session, text)
    return session, "\n".join(r.text for r in replies)


# (the pending question, a question typed there): each was read as an answer, or re-asked as an invalid one
QUESTIONS = [
    ("dob", "i turn 42 next year will my score go down"),
    ("dob", "will my score go down when i turn 42?"),
    ("dob", "i lived in dubai for 2 years do i need a pcc from there"),
    ("dob", "got an email saying i've been invited, what does the invitation actually mean for me"),
    ("dob", "anyone know the average wait time from submission to COPR these days? submitted in june"),
    ("marital", "my husband is canadian can he sponsor me instead"),
    ("marital", "i got married, do i change my profile"),
    ("marital", "my wife is a citizen, what family size for proof of funds"),
    ("marital", "hi, is wes the only option for eca or are there others that are cheaper"),
    ("education", "i did my masters online from a uk university will it count"),
    ("education", "early childhood educator with 2 years experience, is there a category draw for me"),
    ("education", "i only finished high school, can i still apply for express entry"),
    ("education", "doctor with mbbs from bangladesh, is that considered a masters in crs"),
    ("lang1_test", "my celpip expires next month what happens"),
    ("lang1_test", "i am from the uk and english is my mother tongue, is ielts required"),
    ("lang1_test", "i scored 7.5 in listening in ielts, what clb level is that"),
    ("lang1_scores", "i got 7 in reading, is that clb 9"),
    ("lang1_scores", "clb meaning"),
    ("job_noc", "i am a cook, which noc should i pick"),
    ("job_noc", "my old noc was 2174, what is the new noc 2021 code"),
    ("job_start", "since 2019 does it count"),
    ("job_start", "my experience is from 11 years ago does it count"),
    ("job_hours", "i worked 20 hours a week does it count"),
    ("job_hours", "i work 45 hours a week, does it count more than full time"),
    ("job_offer", "i heard the crs changed in november 2026, is that true"),
    ("job_offer", "i have a job offer and a work permit in canada, do i still need proof of funds"),
    ("family_size", "we have two kids 5 and 9, do we need to show more money for proof of funds"),
    ("family_size", "we are 3, does my wife count"),
    ("funds", "i have 15000 is that enough"),
    ("funds", "i have 15000, is that enough"),
    ("funds", "fsw requirements"),
]


@pytest.mark.parametrize(("step", "text"), QUESTIONS)
def test_a_question_at_a_pending_question_reaches_the_knowledge_base_and_stores_nothing(
    dialogue, faq, waiting, step, text
):
    at = waiting[step]
    expected = faq.ask(text, dialogue._asker(at))[1].text
    session, said = _type(dialogue, at, text)
    assert expected in said
    assert session.answers == at.answers and session.state == step and not session.pending


QUESTIONS_FR = [
    ("dob", "j'ai vecu 2 ans a dubai faut il un certificat de police"),
    ("dob", "que veut dire IPD"),
    ("marital", "mon fils a 23 ans est il enfant a charge"),
    ("marital", "qui de nous deux doit etre demandeur principal"),
    ("lang1_test", "mon tef est sur 699 quelle echelle utiliser"),
    ("lang1_test", "mon tef de 2024 est encore valide"),
    ("job_hours", "je suis travailleur autonome ca compte"),
    ("funds", "j'ai une offre d'emploi avec eimt combien de points"),
    ("family_size", "ai je besoin d'une ede"),
]


@pytest.mark.parametrize(("step", "text"), QUESTIONS_FR)
def test_a_french_question_at_a_pending_question_reaches_the_knowledge_base(dialogue, faq, waiting_fr, step, text):
    at = waiting_fr[step]
    expected = faq.ask(text, dialogue._asker(at))[1].text
    session, said = _type(dialogue, at, text)
    assert expected in said
    assert session.answers == at.answers and session.state == step and not session.pending


# (the pending question, words that ask without a question's form): never read as the answer; the entry that
# answers them is said, then the same question (changed: it used to be only a button under the question)
OFFERED = [
    ("marital", "spouse factors points", False),  # was stored as "married"
    ("education", "points for 2 year college diploma in canada", False),  # was stored as a two-year program
    ("lang1_test", "minimum ielts for express entry", False),  # was stored as IELTS
    ("lang1_test", "pof for single person", False),  # was stored as PTE ("person", Pearson misspelt)
    ("education", "montant des fonds suffisants 2025", True),  # "des": was stored as Québec's DES (secondary)
    ("education", "regle de departage des rondes", True),
    ("education", "points de transferabilite pour une licence", True),  # was stored as a bachelor's
]


@pytest.mark.parametrize(("step", "text", "french"), OFFERED)
def test_words_about_the_score_are_not_read_as_a_choice(dialogue, faq, waiting, waiting_fr, step, text, french):
    at = (waiting_fr if french else waiting)[step]
    result = faq.ask(text, dialogue._asker(at))[0]
    session = at.model_copy(deep=True)
    replies = dialogue.text(session, text)
    assert session.answers == at.answers and session.state == step and not session.pending
    assert result.kind == "answer" and result.entry is not None
    said = "\n\n".join(r.text for r in replies)
    assert faq.ask(text, dialogue._asker(at))[1].text in said
    assert said.endswith(dialogue.ask(session).text)  # then the same question


def _stored(session: Session, step: str):
    if BY_ID[step].in_job_loop:
        return session.answers.get("job_draft", {}).get(step)
    return session.answers.get(step)


# (the pending question, an answer as people type it, what is stored); some look a bit like questions
ANSWERS = [
    ("dob", "17 may 1994", "1994-05-17"),
    ("dob", "1994-05-17", "1994-05-17"),
    ("marital", "married", "married"),
    ("marital", "married and she is coming with me", "married"),
    ("marital", "celib", "never_married"),
    ("education", "masters", "masters"),
    ("education", "bac+3", "bachelors"),
    ("education", "masters, in canada", "masters"),
    ("education", "un DES", "secondary"),
    ("education", "DES du Québec", "secondary"),
    ("lang1_test", "ielts general", "ielts"),
    ("lang1_test", "i took pearson", "pte_core"),
    ("lang1_test", "celpip", "celpip"),
    ("lang1_test", "tef canada 450 points", "tef_canada"),  # "points" with a score: the test is named
    ("lang1_scores", "8 7 7 7", {"listening": 8.0, "reading": 7.0, "writing": 7.0, "speaking": 7.0}),
    ("lang1_scores", "L 8 R 7 W 7 S 7", {"listening": 8.0, "reading": 7.0, "writing": 7.0, "speaking": 7.0}),
    ("job_noc", "21232", "21232"),
    ("job_hours", "42", 42),
    ("job_hours", "40 hours", 40),
    ("job_offer", "no", "no"),
    ("job_offer", "yes I have", "yes"),
    ("job_offer", "yes i have one from my employer", "yes"),
    ("family_size", "3", 3),
    ("funds", "30000", 30000),
    ("funds", "about 30k cad", 30000),
]


@pytest.mark.parametrize(("step", "text", "value"), ANSWERS)
def test_answers_typed_like_people_are_still_answers(dialogue, waiting, step, text, value):
    session, _ = _type(dialogue, waiting[step], text)
    assert _stored(session, step) == value and session.state != step


ANSWERS_FR = [
    ("marital", "celib", "never_married"),
    ("marital", "marié depuis 2019", "married"),
    ("education", "bac+3", "bachelors"),
    ("job_offer", "oui c'est ça", "yes"),
    ("job_hours", "40 heures par semaine", 40),
]


@pytest.mark.parametrize(("step", "text", "value"), ANSWERS_FR)
def test_french_answers_are_still_answers(dialogue, waiting_fr, step, text, value):
    session, _ = _type(dialogue, waiting_fr[step], text)
    assert _stored(session, step) == value and session.state != step


@pytest.mark.parametrize(
    ("step", "text"),
    [
        ("dob", "42"),  # an age: the exact date is asked for, not the knowledge base
        ("job_noc", "software developer"),  # readings offered to pick from
        ("job_start", "since 2019"),  # which month is asked
    ],
)
def test_half_answers_are_followed_up_not_sent_to_the_knowledge_base(dialogue, waiting, step, text):
    session, said = _type(dialogue, waiting[step], text)
    assert session.state == step and "Source:" not in said
    assert _stored(session, step) is None


@pytest.mark.parametrize(
    "text",
    [
        "i do it part time",
        "my brother is there",
        "my wife is my partner",
        "yes i have a sister who is in toronto",
        "i worked there since 2019 and i am still there",
        "it was 35 hours i think",
        "no it is not",
        "yes she is",
        "35 hours, sometimes more",
        "35 hours, was full time",
        "software developer, since 2019",
        "i was a cook and i am now a chef",
        "je travaille 40 heures par semaine",
        "j'ai commencé quand j'avais 25 ans",
        "mariée avec deux enfants",
    ],
)
def test_statements_with_question_words_inside_are_not_questions(text):
    assert not looks_like_question(text)
