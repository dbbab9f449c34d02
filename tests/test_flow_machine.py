"""The dialogue machine alone (no Telegram): states, transitions, skips, back and edit."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from bot.console import run_console
from bot.core import build_core
from flows.conversation import (
    DONE,
    START,
    STATES,
    TRANSITIONS,
    ConversationMachine,
    Dialogue,
    Session,
    dependents,
)
from flows.diagram import mermaid
from flows.questions import BY_ID, JOB_LOOP, QUESTIONS
from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)
ANSWERS = {  # a typed answer for every question
    "dob": "1990-04-04",
    "marital": "married",
    "spouse_citizen": "no",
    "spouse_coming": "yes",
    "education": "bachelors",
    "education_proof": "eca",
    "eca_date": "2023-03-15",
    "canadian_study": "none",
    "lang1_test": "ielts",
    "lang1_date": "2025-04-01",
    "lang1_scores": "8 7 7 7",
    "lang2_test": "tef",
    "lang2_date": "2025-02-01",
    "lang2_scores": "316 263 393 393",  # fits both TEF columns: the column is asked
    "lang2_tef_scale": "ancien",
    "lang1_tef_scale": "699",
    "spouse_tef_scale": "699",
    "job_add": "no",
    "job_noc": "21232",
    "job_where": "abroad",
    "job_start": "2021-01-01",
    "job_end": "2024-12-31",
    "job_hours": "35",
    "job_kind": "employee",
    "coq": "yes",
    "coq_trade": "72200",
    "job_offer": "yes",
    "job_offer_noc": "21232",
    "authorized": "no",
    "nomination": "no",
    "sibling": "no",
    "relative": "no",
    "study_two_years": "no",
    "family_size": "2",
    "funds": "30000",
    "spouse_education": "masters",
    "spouse_education_proof": "eca",
    "spouse_test": "celpip",
    "spouse_date": "2025-01-01",
    "spouse_scores": "8 8 8 8",
    "spouse_work": "1",
    "spouse_study": "no",
}


@pytest.fixture(scope="module")
def dialogue():
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


def walk(dialogue, overrides=None, jobs=0):
    """Answer every question asked; return the states visited in order."""
    answers = dict(ANSWERS, **(overrides or {}))
    session = Session(chat_id=1)
    dialogue.start(session)
    visited, added = [], 0
    while session.state != DONE:
        state = session.state
        visited.append(state)
        text = answers[state]
        if state == "job_add":
            text = "yes" if added < jobs else "no"
            added += state == "job_add" and text == "yes"
        dialogue.text(session, text)
        assert len(visited) < 200
    return visited, session


def test_every_question_state_has_an_advance_transition():
    sources = {t["source"] for t in TRANSITIONS if t["trigger"] == "advance"}
    assert sources == set(STATES) - {DONE}
    assert {t["dest"] for t in TRANSITIONS} <= set(STATES)


def test_couple_sees_every_question_but_the_relative_and_funds_when_not_needed(dialogue):
    visited, session = walk(dialogue, jobs=1)
    # every state reached once in this walk, but the TEF column of results that are not TEF
    # (the documents' dates are asked only once /dates was used: tests/test_dates_dialogue.py)
    assert set(visited) == {q.id for q in QUESTIONS} - {"lang1_tef_scale", "spouse_tef_scale", "ee_profile"}
    assert session.answers["lang2_tef_scale"] == "old_scale"
    assert session.answers["jobs"][0]["job_noc"] == "21232"


@pytest.mark.parametrize(
    ("overrides", "skipped"),
    [
        (
            {"marital": "single"},
            {
                "spouse_citizen",
                "spouse_coming",
                "spouse_education",
                "spouse_test",
                "spouse_date",
                "spouse_scores",
                "spouse_work",
                "spouse_study",
            },
        ),
        ({"spouse_citizen": "yes"}, {"spouse_coming", "spouse_education", "spouse_test", "spouse_work"}),
        ({"spouse_coming": "no"}, {"spouse_education", "spouse_test", "spouse_scores", "spouse_work"}),
        ({"spouse_test": "none"}, {"spouse_date", "spouse_scores"}),
        ({"lang1_test": "none"}, {"lang1_date", "lang1_scores", "lang2_test", "lang2_date", "lang2_scores"}),
        ({"lang2_test": "none"}, {"lang2_date", "lang2_scores"}),
        ({"education": "less than high school"}, {"education_proof", "canadian_study"}),
        ({"education": "high school"}, {"canadian_study"}),
        ({"coq": "no"}, {"coq_trade"}),
        ({"job_offer": "no"}, {"job_offer_noc", "authorized"}),
        ({"authorized": "yes"}, {"funds"}),
        ({"sibling": "yes"}, {"relative"}),
        ({"spouse_education": "less than high school"}, {"spouse_education_proof"}),  # nothing to assess
        ({"lang2_scores": "480 470 460 500"}, {"lang2_tef_scale"}),  # only fits the 0-699 column
        ({}, {"study_two_years", "relative", "spouse_study"}),  # no skilled job: FSW is out, its adaptability too
        ({"lang1_test": "none"}, {"coq", "coq_trade"}),  # no trade job and no CLB 5: a certificate changes nothing
    ],
)
def test_questions_that_do_not_apply_are_skipped(dialogue, overrides, skipped):
    visited, _ = walk(dialogue, overrides)
    assert not skipped & set(visited)
    assert set(JOB_LOOP).isdisjoint(visited)  # no job added in these walks


def test_job_loop_files_each_job_and_asks_again(dialogue):
    visited, session = walk(dialogue, jobs=2)
    assert visited.count("job_add") == 3 and visited.count("job_noc") == 2
    assert len(session.answers["jobs"]) == 2


def test_back_from_every_question_returns_to_the_previous_one_and_forgets_it(dialogue):
    visited, _ = walk(dialogue, jobs=1)
    for stop in range(1, len(visited)):
        session = Session(chat_id=1)
        dialogue.start(session)
        for index, state in enumerate(visited[:stop]):
            adding = state == "job_add" and visited[index + 1] == "job_noc"
            dialogue.text(session, "yes" if adding else ANSWERS[state])
        assert session.state == visited[stop]
        dialogue.command(session, "back")
        assert session.state == visited[stop - 1]
        previous = visited[stop - 1]
        if previous in JOB_LOOP:
            assert previous not in session.answers.get("job_draft", {})
        else:
            assert previous not in session.answers


def test_back_at_the_first_question_says_so(dialogue):
    session = Session(chat_id=1)
    dialogue.start(session)
    replies = dialogue.command(session, "back")
    assert "first question" in replies[0].text and session.state == "dob"


def test_edit_asks_only_the_dependents_then_returns(dialogue):
    _, session = walk(dialogue, {"marital": "single"})
    assert session.state == DONE
    dialogue.button(session, "e:marital")
    assert session.state == "marital"
    asked = []
    for _ in range(20):
        dialogue.text(session, ANSWERS[session.state] if session.state != "marital" else "married")
        if session.state == DONE:
            break
        asked.append(session.state)
    assert asked == [
        "spouse_citizen",
        "spouse_coming",
        "family_size",  # a partner counts in the family size: asked again for the new marital status
        "spouse_education",
        "spouse_education_proof",
        "spouse_test",
        "spouse_date",
        "spouse_scores",
        "spouse_work",  # (not the partner's study in Canada: with no skilled job, FSW is out of reach)
    ]


def test_edit_with_the_same_answer_asks_nothing_else(dialogue):
    _, session = walk(dialogue)
    dialogue.button(session, "e:education")
    replies = dialogue.text(session, "bachelors")
    assert session.state == DONE and any("CRS score" in r.text for r in replies)


def test_dependents_are_transitive():
    assert {"spouse_coming", "spouse_education", "spouse_test", "spouse_date", "spouse_scores"} <= dependents("marital")
    assert dependents("dob") == set()


def test_stale_and_unknown_buttons_change_nothing(dialogue):
    session = Session(chat_id=1)
    dialogue.start(session)
    for data in ("a:marital:married", "a:dob:zzz", "garbage", "e:nope", "a::", "nav:nonsense"):
        before = session.model_copy(deep=True)
        dialogue.button(session, data)
        assert session.answers == before.answers and session.state == "dob"


def test_restart_asks_first_then_clears_everything(dialogue):
    # changed: /restart used to clear at once; now it asks, and only "Yes, start again" clears
    _, session = walk(dialogue)
    kept = dict(session.answers)
    asked = dialogue.command(session, "restart")
    yes, no = (b.data for b in asked[0].buttons)
    assert yes.startswith("r:yes:") and no == "r:no" and session.answers == kept
    dialogue.button(session, no)
    assert session.answers == kept and session.state == DONE
    dialogue.command(session, "edit")
    dialogue.button(session, "e:family_size")
    dialogue.text(session, "3")  # the answers changed since the confirmation was asked
    stale = dialogue.button(session, yes)
    assert "out of date" in stale[0].text and session.answers["family_size"] == 3
    assert dialogue.button(session, "r:yes")[0].text.startswith("That button is out of date")
    yes = dialogue.command(session, "restart")[0].buttons[0].data
    dialogue.button(session, yes)
    assert session.state == "dob" and session.answers == {} and session.set_aside == {}
    nothing = dialogue.command(session, "restart")  # nothing to lose: no question asked
    assert "Starting again" in nothing[0].text and session.state == "dob"


def test_start_twice_continues_and_done_says_so(dialogue):
    session = Session(chat_id=1)
    dialogue.start(session)
    dialogue.text(session, "1990-01-01")
    replies = dialogue.start(session)
    assert len(replies) == 1 and "continue" in replies[0].text and "marital" in replies[0].text
    _, done = walk(dialogue)
    assert "answered everything" in dialogue.start(done)[0].text


def test_noc_title_offers_buttons_and_a_number_picks_one(dialogue):
    _, session = walk(dialogue, jobs=0)
    dialogue.button(session, "e:job_add")  # changed: the work history is a list of jobs, not asked again
    dialogue.button(session, "ja:")
    replies = dialogue.text(session, "registered nurse")
    assert len(replies) == 1 and "closest" in replies[0].text  # the intro and the choices: one message
    assert any(b.data == "a:job_noc:31301" for b in replies[0].buttons)
    dialogue.text(session, "1")
    assert session.answers["job_draft"]["job_noc"] == "31301" and session.state == "job_where"


def test_every_question_has_a_prompt_and_choices_fit_in_callback_data():
    for question in QUESTIONS:
        assert question.prompt and question.label
        for choice in question.choices:
            assert len(f"a:{question.id}:{choice.id}".encode()) <= 64
    assert START in STATES and all(q in BY_ID for q in JOB_LOOP)


def test_the_committed_diagram_matches_the_machine():
    committed = (Path(__file__).parent.parent / "docs" / "flow.mmd").read_text()
    assert committed == mermaid(), "run: python -m flows.diagram > docs/flow.mmd"


def test_console_mode_runs_the_same_dialogue(tmp_path):
    lines = iter(["1990-01-01", "1", "/back", "1", "/score", "/quit"])
    out = io.StringIO()
    run_console(build_core(str(tmp_path / "c.db"), today=lambda: TODAY), read=lambda: next(lines), out=out)
    text = out.getvalue()
    assert "What is your marital status?" in text and "[1] Single (never married)" in text
    assert "highest level of education" in text
    assert "I need at least your date of birth and your education" in text
    assert "Bye: your answers are saved." in text


def test_an_update_delivered_twice_is_applied_once(tmp_path):
    core = build_core(str(tmp_path / "d.db"), today=lambda: TODAY)
    core.on_command(9, "start", update_id=100)
    core.on_text(9, "1990-01-01", update_id=101)
    assert core.on_text(9, "1990-01-01", update_id=101) == []  # redelivered after a crash
    assert core.store.load(9).state == "marital"
    core.on_text(9, "single", update_id=5)  # ids may restart lower after a quiet week: still handled
    assert core.store.load(9).state == "education"


def test_the_shared_model_keeps_nothing_of_a_chat_between_moves():
    """One model serves every chat in turn: each move lands where a machine of its own lands, and after
    the move the model holds no chat's data."""
    shared = ConversationMachine()
    couple = {"dob": "1990-01-01", "marital": "married", "spouse_citizen": "no"}
    cases = [({}, START), (couple, "dob"), ({"dob": "1990-01-01"}, DONE), ({}, DONE), (couple, START)]
    for chat, (answers, state) in enumerate(cases, start=1):
        one, own = Session(chat_id=chat, state=state, answers=dict(answers)), Session(chat_id=chat, state=state)
        own.answers = dict(answers)
        shared.fire(one, "resume")
        ConversationMachine().fire(own, "resume")
        assert (one.state, one.answers) == (own.state, own.answers)
        assert shared._model.session.chat_id == 0 and shared._model.answers == {}
    assert shared.machine.models == [shared._model]


@pytest.mark.parametrize(("lang", "banner", "bye"), [
    ("C.UTF-8", "Maple in the terminal", "Bye: nothing is stored for this chat."),
    ("fr_CA.UTF-8", "Maple dans le terminal", "Au revoir : rien n'est enregistré pour cette conversation."),
])  # fmt: skip
def test_the_console_speaks_the_terminals_language_and_follows_langue(tmp_path, monkeypatch, lang, banner, bye):
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    lines = iter(["/quit"])
    out = io.StringIO()
    run_console(build_core(str(tmp_path / "c.db"), today=lambda: TODAY), read=lambda: next(lines), out=out)
    assert out.getvalue().startswith(banner) and bye in out.getvalue()
    switched = iter(["/langue", "2", "/quit"])  # English -> French with /langue, then the console's words follow
    out = io.StringIO()
    monkeypatch.setenv("LANG", "C.UTF-8")
    run_console(build_core(str(tmp_path / "d.db"), today=lambda: TODAY), read=lambda: next(switched), out=out)
    assert out.getvalue().rstrip().endswith("Au revoir : rien n'est enregistré pour cette conversation.")


@pytest.mark.parametrize(
    ("lines", "bye"),
    [
        (["1990-01-01", "/quit"], "Bye: your answers are saved."),
        (["1990-01-01", "/forget", "1", "/quit"], "Bye: nothing is stored for this chat."),  # it said "saved"
        (["/quit"], "Bye: nothing is stored for this chat."),
    ],
)
def test_the_console_says_goodbye_with_what_is_stored(tmp_path, lines, bye):
    typed = iter(lines)
    out = io.StringIO()
    run_console(build_core(str(tmp_path / "b.db"), today=lambda: TODAY), read=lambda: next(typed), out=out)
    assert out.getvalue().rstrip().endswith(bye)


# (what is typed at the education question, the kind of button offered with the question): whatever is offered,
# the question's own choices come first, so a choice keeps its number on the console
OFFERS_AT_EDUCATION = [
    ("masters degree from india does it count", "q:"),  # a question: the entry, then ❓ entries as buttons
    ("ECA validity years", "q:"),  # a topic the knowledge base is sure of: answered, related entries offered
    ("bonjour, vous parlez français ?", "lang:fr"),  # French in an English chat: the language offered
]


@pytest.mark.parametrize(("text", "offer"), OFFERS_AT_EDUCATION)
def test_offers_come_after_the_questions_own_choices(tmp_path, text, offer):
    core = build_core(str(tmp_path / "o.db"), today=lambda: TODAY)
    core.on_command(3, "start")
    core.on_text(3, "1990-01-01")
    core.on_text(3, "single")
    plain = core.dialogue.ask(core.store.load(3))
    own = [b.data for b in plain.buttons if not b.data.startswith("nav:")]
    replies = core.on_text(3, text)
    assert len(replies) == 1 and core.store.load(3).state == "education"
    data = [b.data for b in replies[0].buttons if not b.data.startswith("nav:")]
    assert data[: len(own)] == own  # the choices first, in their order
    assert any(d.startswith(offer) for d in data[len(own) :])  # the offer after them


@pytest.mark.parametrize(("text", "offer"), OFFERS_AT_EDUCATION)
def test_on_the_console_a_choice_keeps_its_number_when_an_offer_is_added(tmp_path, text, offer):
    # a tester typed "4" for Master's after a question and got Bachelor's: the ❓ offers were numbered first
    lines = iter(["1990-01-01", "single", text, "7", "/quit"])
    out = io.StringIO()
    core = build_core(str(tmp_path / "n.db"), today=lambda: TODAY)
    run_console(core, read=lambda: next(lines), out=out)
    shown = out.getvalue().split("What is your highest level of education (completed)?")
    assert len(shown) == 3  # asked, then asked again with the offer
    assert "[7] Master's or entry-to-practice professional degree" in shown[1]
    assert "[7] Master's or entry-to-practice professional degree" in shown[2]
    assert core.store.load(0).answers["education"] == "masters"


def test_on_the_console_a_number_typed_at_a_number_question_is_the_answer_not_a_numbered_offer(tmp_path):
    # at the family size, after a question added ❓ offers, "2" opened the second offer and stored nothing (a stranger)
    core = build_core(str(tmp_path / "f.db"), today=lambda: TODAY)
    session = core.store.load(0)
    session.answers.update(dob="1990-01-01", marital="never_married")
    session.state = "family_size"
    core.store.save(session)
    lines = iter(["how much money do i need for proof of funds?", "2", "/quit"])
    out = io.StringIO()
    run_console(core, read=lambda: next(lines), out=out)
    assert "[1] ❓" in out.getvalue()  # the offers were there, numbered
    assert core.store.load(0).answers["family_size"] == 2


# (what the chat did before /start, how /start greets): "Welcome back" only for someone who has answered
START_GREETINGS = [
    ((), "Hello! I am Maple."),  # a brand-new chat, nothing stored
    ((("command", "start"),), "Hello! I am Maple."),  # /start again (the console sends one when it opens)
    ((("text", "hi"),), "Hello! I am Maple."),  # a first message, then /start
    ((("command", "language"),), "Hello! I am Maple."),
    ((("command", "start"), ("text", "1990-01-01")), "Welcome back! Let's continue where you stopped."),
    ((("command", "start"), ("text", "1990-01-01"), ("command", "back")), "Welcome back!"),  # an answer set aside
]


@pytest.mark.parametrize(("before", "greeting"), START_GREETINGS)
def test_start_greets_a_new_person_as_new(tmp_path, before, greeting):
    core = build_core(str(tmp_path / "s.db"), today=lambda: TODAY)
    for kind, value in before:
        core.on_command(4, value) if kind == "command" else core.on_text(4, value)
    replies = core.on_command(4, "start")
    assert replies[0].text.startswith(greeting)
    assert ("Welcome back" in replies[0].text) is greeting.startswith("Welcome back")
    assert "date of birth" in replies[0].text or "marital status" in replies[0].text  # and the pending question


def test_the_console_greets_a_new_person_once_as_new_even_when_start_is_typed(tmp_path):
    lines = iter(["/start", "/quit"])
    out = io.StringIO()
    run_console(build_core(str(tmp_path / "w.db"), today=lambda: TODAY), read=lambda: next(lines), out=out)
    # the terminal sends /start itself: the /start typed right after shows the question again, not the whole welcome
    text = out.getvalue()
    assert "Welcome back" not in text and text.count("Hello! I am Maple.") == 1
    assert text.count("What is your date of birth?") == 2
