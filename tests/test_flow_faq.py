"""Questions in the middle of the questionnaire: answered from the knowledge base, then the same question."""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversation import DONE, Dialogue, Session
from flows.faq_replies import FaqReplies, looks_like_question
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.faq.retriever import default_retriever
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)
DOB = "What is your date of birth?"


def one_message_asking(replies, prompt: str = DOB) -> bool:
    """One message per turn: the knowledge base's reply, then the pending question, in the same message."""
    return len(replies) == 1 and prompt in replies[0].text.split("\n\n")[-1]


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    results = Results(default_scorer(), EligibilityEngine())
    return Dialogue(results, default_noc_index(), lambda: TODAY, FaqReplies(default_retriever()))


def at_question(dialogue: Dialogue, *answers: str) -> Session:
    session = Session(chat_id=7)
    dialogue.start(session)
    for answer in answers:
        dialogue.text(session, answer)
    return session


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("what is an eca?", True),
        ("does my online certificate count", True),
        ("Is my IELTS still valid?", True),
        ("ielts?", False),
        ("masters", False),
        ("1994-05-17", False),
        ("8 7 7 7", False),
        ("software developer", False),
        ("How", False),
        ("", False),
        ("c'est quoi la CEC", True),  # French questions typed without "?"
        ("c quoi le PTQF", True),
        ("est ce que le WES est obligatoire", True),
        ("j'ai 45 ans est-ce que j'ai une chance", True),
        ("combien de points pour mon âge", True),
        ("c'est", False),
        ("et si jai mon eca", True),  # a what-if typed without "?" nor apostrophe
        ("what if i get my eca", True),
        ("marié depuis 2019", False),
        ("oui c'est ça", False),
        ("quest ce que la FEER", True),  # typed on a phone: no apostrophe, no "?"
        ("qu est ce que le CRS", True),
        ("qu est-ce que le CRS", True),
        ("kesk un ECA", True),
        ("keske la FEER", True),
        ("c koi le CRS", True),
        ("cest quoi la CEC", True),
        ("cest koi la CEC", True),
        ("celpip or ielts which is easier", True),  # the options named first, then "which"
        ("employee or contractor", False),
        ("questionnaire", False),
        ("celib", False),
        ("bac+3", False),
        ("since 2019", False),
        ("17 may 1994", False),
        ("no", False),
        ("42", False),
    ],
)
def test_looks_like_question(text, question):
    assert looks_like_question(text) is question


def test_a_question_is_answered_with_its_source_then_the_same_question_again(dialogue):
    session = at_question(dialogue)
    replies = dialogue.text(session, "do I get points for my brother in Toronto?")
    assert "15 points" in replies[0].text
    assert "Source: https://www.canada.ca/" in replies[0].text and "(checked 2026-11-22)" in replies[0].text
    assert one_message_asking(replies)
    assert session.state == "dob" and session.answers == {}


def test_answers_already_given_are_kept(dialogue):
    session = at_question(dialogue, "1990-01-01", "married")
    stored = dict(session.answers)
    replies = dialogue.text(session, "should my wife be the main applicant?")
    assert "principal" in replies[0].text.lower()
    assert session.answers == stored and session.state == "spouse_citizen"
    assert replies[0].text.endswith(dialogue.ask(session).text) and len(replies) == 1


def test_a_plain_answer_is_still_an_answer(dialogue):
    session = at_question(dialogue)
    dialogue.text(session, "1990-01-01")
    assert session.answers["dob"] == "1990-01-01"


def test_a_job_title_question_is_a_question_not_a_job_title(dialogue):
    session = at_question(dialogue)
    session.state = "job_noc"
    replies = dialogue.text(session, "what is TEER?")
    assert "training, education, experience and responsibilities" in replies[0].text
    assert session.pending == [] and session.state == "job_noc"


def test_a_topic_the_knowledge_base_is_sure_of_is_answered_then_the_question_again(dialogue):
    # changed twice: a statement the knowledge base could answer first replaced the invalid-answer message, then
    # was only offered as a button under it; a tester typing topics ("ECA validity years") read "I could not read
    # that as a date". Now, no answer and a confident entry: the entry, then the same question, nothing stored
    session = at_question(dialogue)
    replies = dialogue.text(session, "ECA validity years")
    assert replies[0].text.startswith("How long is an ECA valid?") and "Source:" in replies[0].text
    assert "I could not read that as a date" not in replies[0].text
    assert one_message_asking(replies) and session.answers == {} and session.state == "dob"


# (pending question, answers before it, typed text, what the reply opens with): topics typed without "?" or a
# question word, at free-text prompts, as a tester typed them
TOPICS_AT_PROMPTS = [
    ("dob", (), "ielts validity", "How long are my language test results valid?"),
    ("dob", (), "study permit for my son", "That is outside what I know"),
    ("job_noc", (), "ielts validity", "How long are my language test results valid?"),
]


@pytest.mark.parametrize(("step", "before", "text", "opening"), TOPICS_AT_PROMPTS)
def test_topics_at_free_text_prompts_get_the_knowledge_base_then_the_question(dialogue, step, before, text, opening):
    session = at_question(dialogue, *before)
    session.state = step
    prompt = dialogue.ask(session).text.split("\n")[-1]
    replies = dialogue.text(session, text)
    assert replies[0].text.startswith(opening)
    assert one_message_asking(replies, prompt) and session.answers == {} and session.state == step


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ielts or celpip or tef", "suggest"),  # not sure: the closest entries under the question
        ("eca for my moroccan degree", "suggest"),
    ],
)
def test_a_topic_the_knowledge_base_is_not_sure_of_is_offered_under_the_question(dialogue, text, kind):
    session = at_question(dialogue)
    result, _ = dialogue.faq.ask(text)
    assert result.kind == kind
    replies = dialogue.text(session, text)
    assert replies[0].text.startswith("I could not read that as a date") and "Source:" not in replies[0].text
    offered = [b.data for b in replies[0].buttons]
    assert offered and offered == [f"q:{e.id}" for e in result.suggestions]
    assert one_message_asking(replies) and session.answers == {}


@pytest.mark.parametrize(
    ("step", "before", "text", "stored"),
    [
        ("dob", (), "17 may 1994", "1994-05-17"),
        ("marital", ("1990-01-01",), "married", "married"),
        ("education", ("1990-01-01", "single"), "masters", "masters"),
    ],
)
def test_real_answers_are_still_answers(dialogue, step, before, text, stored):
    session = at_question(dialogue, *before)
    assert session.state == step
    dialogue.text(session, text)
    assert session.answers[step] == stored


def test_one_word_that_is_no_answer_gets_the_invalid_answer_message(dialogue):
    session = at_question(dialogue)
    replies = dialogue.text(session, "ielts")
    assert replies[0].text.startswith("I could not read that as a date") and "Source:" not in replies[0].text


def test_mistyped_numbers_still_get_the_invalid_answer_message(dialogue):
    session = at_question(dialogue)
    replies = dialogue.text(session, "17 05")
    assert "Source:" not in replies[0].text
    assert one_message_asking(replies)


def test_out_of_scope_and_unknown_questions_say_so_honestly(dialogue):
    session = at_question(dialogue)
    outside = dialogue.text(session, "how do I apply for Australian PR?")
    assert outside[0].text.startswith("That is outside what I know")
    # sent to canada.ca's immigration pages (visas, permits, citizenship), not back to Express Entry's own
    assert "https://www.canada.ca/en/services/immigration-citizenship.html" in outside[0].text
    french = Session(chat_id=13, language="fr")
    dialogue.start(french)
    dehors = dialogue.text(french, "comment obtenir un visa visiteur ?")
    assert "https://www.canada.ca/fr/services/immigration-citoyennete.html" in dehors[0].text
    unknown = dialogue.text(session, "what is the capital of canada?")
    assert unknown[0].text.startswith("I don't know the answer to that one")
    assert [b.data for b in unknown[0].buttons] == ["t:"]
    assert one_message_asking(outside) and one_message_asking(unknown)


def test_a_weak_match_offers_two_or_three_entries_as_buttons(dialogue):
    session = at_question(dialogue)
    replies = dialogue.text(session, "tell me about spouse")
    offered = [b.data for b in replies[0].buttons]
    assert 2 <= len(offered) <= 3 and all(d.startswith("q:") for d in offered)
    tapped = dialogue.button(session, offered[0])
    assert "Source:" in tapped[0].text and one_message_asking(tapped)


def test_ask_with_and_without_the_question(dialogue):
    session = at_question(dialogue)
    replies = dialogue.command(session, "ask", "what is a personal reference code")
    assert "personal reference code" in replies[0].text.lower() and one_message_asking(replies)
    prompt = dialogue.command(session, "ask")
    assert prompt[0].text.startswith("What is your question?") and session.asking
    replies = dialogue.text(session, "ECA organizations")  # not phrased as a question: still taken as one
    assert "WES" in replies[0].text and not session.asking
    assert one_message_asking(replies) and session.answers == {}


def test_topics_browser(dialogue):
    session = at_question(dialogue)
    topics = dialogue.command(session, "topics")
    tags = [b.data for b in topics[0].buttons]
    assert "t:points" in tags and "t:after-ita" in tags and len(tags) == 10
    listed = dialogue.button(session, "t:after-ita")
    assert any(b.data == "q:medical-exam" for b in listed[0].buttons)
    shown = dialogue.button(session, "q:medical-exam")
    assert "2023-10-01" in shown[0].text and one_message_asking(shown)
    stale = dialogue.button(session, "q:no-such-entry")
    assert "no longer there" in stale[0].text and one_message_asking(stale)


def test_questions_after_the_last_answer_and_before_the_first(dialogue):
    session = Session(chat_id=8)
    first = dialogue.text(session, "what is express entry?")
    assert "three federal economic programs" in first[0].text and one_message_asking(first)
    session.state = DONE
    done = dialogue.text(session, "how long is my profile valid?")
    assert "12 months" in done[0].text and len(done) == 1
    thanks = dialogue.text(session, "thanks!")
    assert thanks[0].text.startswith("You're welcome!")
    assert dialogue.text(session, "ok")[0].text.startswith("You have answered every question")


def test_a_bare_ask_survives_a_restart_of_the_bot(tmp_path):
    from bot.core import build_core

    db = str(tmp_path / "ask.db")
    first = build_core(db, today=lambda: TODAY)
    first.on_command(3, "start")
    assert first.on_command(3, "ask")[0].text.startswith("What is your question?")
    first.store.close()
    second = build_core(db, today=lambda: TODAY)  # the bot restarted between /ask and the question
    replies = second.on_text(3, "eca")  # one word: read as an answer (a bad date) unless /ask is remembered
    assert "Educational Credential Assessment" in replies[0].text and one_message_asking(replies)
    second.store.close()


def test_a_confident_answer_comes_with_the_nearest_entries_as_buttons_under_it():
    faq = FaqReplies(default_retriever())
    result, reply = faq.ask("how long is my eca valid")
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "eca-validity"
    assert reply.text.startswith(result.entry.question)  # the answer itself, not "I am not sure"
    assert [b.data for b in reply.buttons] == [f"q:{e.id}" for e in result.related]
    assert 1 <= len(reply.buttons) <= 2 and all(e.id != "eca-validity" for e in result.related)


@pytest.mark.parametrize("language", [None, "fr"])
def test_a_french_question_without_its_apostrophe_is_a_question_at_the_job_title(dialogue, language):
    # a tester's "quest ce que la FEER" got job titles to choose from ("Opérateurs de scies à chaîne", "Athlètes")
    session = Session(chat_id=8, language=language)
    dialogue.start(session)
    session.state = "job_noc"
    replies = dialogue.text(session, "quest ce que la FEER")
    assert "Qu'est-ce que la FEER?" in replies[0].text and "La FEER (formation" in replies[0].text
    assert session.pending == [] and session.state == "job_noc" and session.answers == {}
    assert not any(b.data.startswith("a:job_noc:") for b in replies[0].buttons)


def test_a_french_topic_at_the_date_of_birth_is_offered_not_refused_as_a_date(dialogue):
    session = Session(chat_id=9, language="fr")
    dialogue.start(session)
    replies = dialogue.text(session, "preuve de fonds pour 2 personnes")
    assert any(b.data.startswith("q:proof-of-funds") for b in replies[0].buttons)
    assert session.answers == {} and session.state == "dob"


@pytest.mark.parametrize(
    ("text", "entry"),
    [("eca?", "eca-what"), ("ECA ?", "eca-what"), ("wes?", None)],
)
def test_a_choice_asked_about_is_a_question_not_an_answer(dialogue, text, entry):
    # at "do you have an ECA?", "eca?" stored "I have an ECA" (a stranger tester, 2026-12-02): it asks what one is
    session = at_question(dialogue, "1990-03-10", "single", "masters")
    assert session.state == "education_proof"
    replies = dialogue.text(session, text)
    assert session.state == "education_proof" and "education_proof" not in session.answers
    assert len(replies) == 1 and "ECA" in replies[0].text.split("\n\n")[-1]  # the same question, asked again
    result, _ = dialogue.faq.ask(text)
    if entry is not None:
        assert result.entry is not None and result.entry.id == entry
        assert result.entry.question in replies[0].text
    # the choice typed as an answer is still read as one
    assert dialogue.text(session, "Foreign, no ECA yet")[0] and session.answers["education_proof"]


@pytest.mark.parametrize(("text", "entry"), [("noc", "find-noc"), ("crs", "what-is-crs"), ("pnp", None)])
def test_one_word_naming_a_topic_where_it_is_no_answer_is_that_topic(dialogue, text, entry):
    # "noc", "pnp", "crs" at the date of birth were refused as dates (a stranger tester, 2026-12-02): the topic, or
    # its nearest entries offered under the question, and the same question again, nothing stored
    session = at_question(dialogue)
    replies = dialogue.text(session, text)
    assert session.state == "dob" and session.answers == {}
    assert "date of birth" in replies[-1].text.split("\n\n")[-1]
    result, _ = dialogue.faq.ask(text)
    if entry is not None:
        assert result.kind == "answer" and result.entry is not None and result.entry.id == entry
        assert result.entry.question in replies[0].text
    else:
        assert result.kind == "suggest"
        assert {f"q:{e.id}" for e in result.suggestions} <= {b.data for b in replies[-1].buttons}
    # a word that names nothing is still refused as a date
    assert "could not read that as a date" in dialogue.text(session, "asdf")[0].text


def test_one_word_that_is_a_choice_is_still_an_answer(dialogue):
    session = at_question(dialogue, "1990-03-10")
    dialogue.text(session, "married")
    assert session.answers["marital"] == "married"


@pytest.mark.parametrize("text", ["category for my job?", "which category is my job in?"])
def test_a_category_asked_before_any_job_points_to_every_category(dialogue, text):
    # "category for my job" got the healthcare list (a stranger tester): no category named, so all of them
    session = at_question(dialogue, "1990-03-10")
    replies = dialogue.text(session, text)
    assert "once I have your work history" in replies[0].text
    assert "Which jobs are in the healthcare" not in replies[0].text
    assert "q:categories-2026" in {b.data for b in replies[0].buttons}
    assert session.state == "marital" and "marital" not in session.answers


@pytest.mark.parametrize(
    ("citizen", "coming", "alone"),
    [("yes", None, True), ("no", "no", True), ("no", "yes", False)],
)
def test_the_sibling_question_names_the_partner_only_when_the_partner_is_scored(dialogue, citizen, coming, alone):
    # a nurse whose husband is a Canadian PR typed "my husbands brother yes" and got +15 (a stranger tester,
    # 2026-12-03): the CRS counts a sibling of the candidate or of the accompanying spouse or partner only
    session = Session(chat_id=11)
    dialogue.start(session)
    session.answers.update(marital="married", spouse_citizen=citizen, **({"spouse_coming": coming} if coming else {}))
    session.state = "sibling"
    asked = dialogue.ask(session).text
    assert ("Your partner's do not count" in asked) is alone
    assert ("(or of your partner)" in asked) is not alone
    unsure = dialogue.text(session, "not sure")[0].text
    assert ("Your partner's brothers and sisters count only when your partner comes with you" in unsure) is alone
    french = Session(chat_id=12, language="fr", answers=dict(session.answers), state="sibling")
    assert ("Ceux de votre époux ou conjoint ne comptent pas" in dialogue.ask(french).text) is alone


@pytest.mark.parametrize("text", ["thanks!", "Thank you so much", "ok thanks", "merci beaucoup", "thx"])
def test_a_thank_you_after_the_result_is_answered_as_one(dialogue, text):
    # "thanks!" after the result got "You have answered every question..." (a stranger tester)
    session = Session(chat_id=14, language="fr" if "merci" in text else None)
    dialogue.start(session)
    session.state = DONE
    reply = dialogue.text(session, text)[0].text
    assert reply.startswith("Avec plaisir!" if "merci" in text else "You're welcome!")
    assert not dialogue.text(session, "thanks for nothing, what is an eca?")[0].text.startswith("You're welcome")


def test_help_mid_questionnaire_asks_the_pending_question_again(dialogue):
    # /help was the one aside after which the question did not come back (a stranger tester)
    session = at_question(dialogue, "1990-03-10")
    reply = dialogue.command(session, "help")
    assert len(reply) == 1 and "/back" in reply[0].text and reply[0].text.endswith(dialogue.ask(session).text)
    assert session.state == "marital" and "marital" not in session.answers
