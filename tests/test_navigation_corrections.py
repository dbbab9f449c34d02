"""Corrections that never lose data: /back, /edit with Keep, the work history job by job, /restart, /summary.

The first tests replay the failures measured through the real bot, step by step.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from flows.conversation import DONE, Dialogue, Rules, Session, job_ref
from flows.profile_builder import build_profile
from flows.questions import BY_ID, JOB_LOOP, QUESTIONS, SECTION_OF, SECTIONS
from flows.replies import Button, Reply, merge
from flows.results import Results
from knowledge.crs.scoring import default_scorer, score
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index

TODAY = date(2026, 10, 1)
TYPED = {  # one valid typed answer per question
    "dob": "1990-05-10",
    "marital": "married",
    "spouse_citizen": "no",
    "spouse_coming": "yes",
    "education": "bachelors",
    "education_proof": "eca",
    "eca_date": "2023-05-10",
    "canadian_study": "none",
    "lang1_test": "ielts",
    "lang1_date": "2025-04-01",
    "lang1_scores": "8 7 7 7",
    "lang2_test": "none",
    "job_add": "no",
    "job_noc": "21232",
    "job_where": "abroad",
    "job_start": "2021-01-01",
    "job_end": "2024-12-31",
    "job_hours": "35",
    "job_kind": "employee",
    "coq": "no",
    "job_offer": "no",
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
    "lang1_tef_scale": "699",
    "lang2_tef_scale": "699",
    "spouse_tef_scale": "699",
}


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


class Chat:
    """One person talking to the dialogue, the way an edge would."""

    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue
        self.session = Session(chat_id=5)
        self.replies: list[Reply] = dialogue.start(self.session)

    def say(self, text: str) -> list[Reply]:
        if text.startswith("/"):
            self.replies = self.dialogue.command(self.session, text[1:])
        else:
            self.replies = self.dialogue.text(self.session, text)
        return self.replies

    def tap(self, data: str) -> list[Reply]:
        assert data in self.buttons(), f"{data} is not offered: {self.buttons()}"
        self.replies = self.dialogue.button(self.session, data)
        return self.replies

    def tap_label(self, start: str) -> list[Reply]:
        data = next(b.data for r in self.replies for b in r.buttons if b.label.startswith(start))
        return self.tap(data)

    def buttons(self) -> list[str]:
        return [b.data for r in self.replies for b in r.buttons]

    def finish(self, jobs: int = 0) -> list[Reply]:
        """Answer every question asked, with TYPED; add ``jobs`` jobs when asked."""
        for _ in range(200):
            if self.session.state == DONE:
                return self.replies
            state = self.session.state
            text = TYPED[state]
            if state == "job_add":
                text = "yes" if len(self.session.answers.get("jobs", [])) < jobs else "no"
            self.say(text)
        raise AssertionError("never reached the end")

    @property
    def state(self) -> str:
        return self.session.state

    @property
    def answers(self) -> dict:
        return self.session.answers


def total_shown(replies: list[Reply]) -> int:
    found = [re.search(r"Your CRS score: (\d+) / 1200", r.text) for r in replies]
    totals = [int(m[1]) for m in found if m]
    assert totals, [r.text[:80] for r in replies]
    return totals[0]


def engine_total(answers: dict) -> int:
    return score(build_profile(answers, TODAY)).total


def at(chat: Chat, qid: str, jobs: int = 0) -> Chat:
    for _ in range(200):
        if chat.state == qid:
            return chat
        state = chat.state
        text = TYPED[state]
        if state == "job_add":
            text = "yes" if len(chat.answers.get("jobs", [])) < jobs else "no"
        chat.say(text)
    raise AssertionError(f"never reached {qid}")


# --- the measured failures ----------------------------------------------------------------------
def test_editing_the_work_history_keeps_both_jobs_and_the_score(dialogue):
    chat = Chat(dialogue)
    final = chat.finish(jobs=2)
    before = total_shown(final)
    menu = chat.say("/edit")
    assert len(menu) == 1 and "e:job_add" in chat.buttons()
    assert any(b.label == "Work history: 2 jobs" for b in menu[0].buttons)
    jobs = chat.tap("e:job_add")
    assert "2 jobs" in jobs[0].text and len(chat.answers["jobs"]) == 2
    chat.tap(f"j:{job_ref(1, chat.answers['jobs'][1])}")
    chat.tap_label("Hours per week")
    asked = chat.replies[0].text
    assert "Job 2:" in asked and "Current answer: 35" in asked and "k:job_hours" in chat.buttons()
    chat.tap("k:job_hours")  # Keep: nothing changes, back to where the person was
    assert chat.state == DONE and len(chat.answers["jobs"]) == 2
    chat.say("/back")  # the previous answered question in table order, not "the end"
    assert chat.state == "spouse_study" and "k:spouse_study" in chat.buttons()
    chat.tap("k:spouse_study")
    assert chat.state == DONE and engine_total(chat.answers) == before
    assert "e:job_add" in [b.data for b in chat.say("/edit")[0].buttons]  # still in the menu


def test_editing_a_job_detail_changes_that_job_only(dialogue):
    chat = Chat(dialogue)
    chat.finish(jobs=2)
    first = dict(chat.answers["jobs"][0])
    chat.say("/edit")
    chat.tap("e:job_add")
    chat.tap(f"j:{job_ref(1, chat.answers['jobs'][1])}")
    chat.tap_label("Hours per week")
    replies = chat.say("20")
    assert chat.answers["jobs"][1]["job_hours"] == 20 and chat.answers["jobs"][0] == first
    assert chat.state == DONE and total_shown(replies) == engine_total(chat.answers)


def test_marital_status_edited_then_back_twice_is_still_scored_as_married(dialogue):
    chat = Chat(dialogue)
    for text in ("1990-05-10", "married", "no", "yes"):
        chat.say(text)
    assert chat.state == "education"
    chat.say("/edit")
    chat.tap("e:marital")
    assert "Current answer: Married" in chat.replies[0].text
    chat.say("married")
    assert chat.state == "education"  # nothing changed: back where the person was
    chat.say("/back")
    assert chat.state == "spouse_coming" and chat.replies[0].text.startswith("Step 1 of 7 ·")  # no flicker
    chat.say("/back")
    assert chat.state == "spouse_citizen"
    chat.say("yes")  # the partner is Canadian: spouse_coming no longer applies
    final = chat.finish()
    assert chat.answers["marital"] == "married" and chat.answers["spouse_citizen"] == "yes"
    profile = build_profile(chat.answers, TODAY)
    assert profile.marital_status == "married"
    assert total_shown(final) == engine_total(chat.answers)


def test_marital_status_changed_asks_the_partner_questions_again(dialogue):
    chat = Chat(dialogue)
    for text in ("1990-05-10", "married", "no", "yes"):
        chat.say(text)
    chat.say("/edit")
    chat.tap("e:marital")
    chat.say("single")
    assert chat.state == "education" and "spouse_citizen" not in chat.answers
    chat.say("/back")
    assert chat.state == "marital"  # spouse questions do not apply any more: not on the way back
    chat.say("married")
    assert chat.state == "spouse_citizen"  # asked again, before going on


def test_date_of_birth_edited_then_back_never_loses_it(dialogue):
    chat = Chat(dialogue)
    for text in ("1990-05-10", "single"):
        chat.say(text)
    chat.say("/edit")
    chat.tap("e:dob")
    chat.say("1991-01-01")
    assert chat.state == "education"
    chat.say("/back")
    chat.say("/back")
    assert chat.state == "dob" and "dob" not in chat.answers
    assert "k:dob" in chat.buttons() and "Your earlier answer: 1991-01-01" in chat.replies[0].text
    chat.tap("k:dob")
    assert chat.state == "marital" and chat.answers["dob"] == "1991-01-01"
    chat.tap("k:marital")
    final = chat.finish()
    assert not any("I need at least" in r.text for r in final)
    assert total_shown(final) == engine_total(chat.answers)
    assert "e:dob" in [b.data for b in chat.say("/edit")[0].buttons]


def test_two_edits_each_followed_by_back_leave_nothing_unanswered_at_the_end(dialogue):
    chat = Chat(dialogue)
    chat.finish()
    chat.say("/edit")
    chat.tap("e:education")
    chat.say("/back")  # the question before education is set aside
    assert chat.state == "spouse_coming" and "spouse_coming" not in chat.answers
    chat.say("/edit")
    chat.tap("e:lang1_test")
    chat.say("/back")
    assert chat.state == "canadian_study"
    chat.say("none")  # later questions are all answered, but spouse_coming is not: asked next
    assert chat.state == "spouse_coming"
    final = chat.say("yes")
    assert chat.state == DONE and total_shown(final) == engine_total(chat.answers)


def test_edit_menu_buttons_name_questions_and_a_stale_one_is_handled(dialogue):
    chat = Chat(dialogue)
    for text in ("1990-05-10", "married", "no", "yes"):
        chat.say(text)
    menu = chat.say("/edit")[0]
    assert [b.data for b in menu.buttons] == [
        "e:dob",
        "e:marital",
        "e:spouse_citizen",
        "e:spouse_coming",
        "go:summary",
        "go:continue",
    ]
    assert [b.label for b in menu.buttons[:2]] == ["Date of birth: 1990-05-10", "Marital status: Married"]
    chat.tap("e:marital")
    chat.say("single")
    stale = dialogue.button(chat.session, "e:spouse_coming")  # from the old menu: not an answer any more
    assert len(stale) == 1 and "not there any more" in stale[0].text
    assert [b.data for b in stale[0].buttons][:2] == ["e:dob", "e:marital"]
    assert chat.state == "education" and chat.answers["marital"] == "never_married"


def test_keep_after_edit_returns_to_where_the_person_was(dialogue):
    chat = at(Chat(dialogue), "lang1_scores")
    before = dict(chat.answers)
    chat.say("/edit")
    chat.tap("e:education")
    assert chat.state == "education" and chat.answers == before  # the answer stays until a new one
    replies = chat.tap("k:education")
    assert chat.state == "lang1_scores" and chat.answers == before
    assert replies[0].text.startswith("Kept: Bachelor's") and len(replies) == 1


def test_a_stale_keep_button_changes_nothing(dialogue):
    chat = at(Chat(dialogue), "education")
    chat.say("/edit")
    chat.tap("e:marital")
    chat.say("married")
    before = chat.session.model_copy(deep=True)
    replies = dialogue.button(chat.session, "k:marital")
    assert "earlier question" in replies[0].text and chat.session == before


def test_back_walks_into_the_last_job_and_keep_refiles_it(dialogue):
    chat = at(Chat(dialogue), "coq", jobs=1)
    job = dict(chat.answers["jobs"][0])
    chat.say("/back")
    assert chat.state == "job_add" and "k:job_add" in chat.buttons()
    chat.say("/back")
    assert chat.state == "job_kind" and chat.answers["jobs"] == [] and "Job 1:" in chat.replies[0].text
    chat.tap("k:job_kind")
    assert chat.answers["jobs"] == [job] and chat.state == "job_add"
    chat.tap("k:job_add")
    assert chat.state == "coq"


def test_a_job_is_deleted_only_after_confirmation_and_old_job_buttons_go_stale(dialogue):
    chat = Chat(dialogue)
    chat.finish(jobs=2)
    jobs = [dict(j) for j in chat.answers["jobs"]]
    refs = [job_ref(i, j) for i, j in enumerate(jobs)]
    chat.say("/edit")
    chat.tap("e:job_add")
    chat.tap(f"j:{refs[0]}")
    chat.tap(f"jd:{refs[0]}")
    assert chat.answers["jobs"] == jobs  # asked first
    chat.tap(f"j:{refs[0]}")  # "No, keep it"
    chat.tap(f"jd:{refs[0]}")
    replies = chat.tap(f"jx:{refs[0]}")
    assert chat.answers["jobs"] == jobs[1:] and "Job 1 deleted" in replies[0].text
    if refs[1] != job_ref(0, jobs[1]):
        stale = dialogue.button(chat.session, f"jf:{refs[1]}:job_hours")
        assert "has changed" in stale[0].text and chat.answers["jobs"] == jobs[1:]


def test_a_job_is_added_from_the_work_history_then_back_to_where_the_person_was(dialogue):
    chat = at(Chat(dialogue), "nomination")
    chat.say("/edit")
    chat.tap("e:job_add")
    chat.tap("ja:")
    assert chat.state == "job_noc"
    for field in JOB_LOOP:
        chat.say(TYPED[field])
    assert chat.state == "job_add" and len(chat.answers["jobs"]) == 1
    chat.say("no")
    assert chat.state == "nomination"


def test_a_job_detail_without_its_job_is_not_filed_as_a_new_job(dialogue):
    chat = Chat(dialogue)
    chat.finish(jobs=1)
    jobs = [dict(j) for j in chat.answers["jobs"]]
    chat.session.state, chat.session.editing = "job_hours", "job_hours"  # editing_job lost (an old store)
    replies = chat.say("20")
    assert "could not be applied" in replies[0].text and chat.answers["jobs"] == jobs
    assert "job_draft" not in chat.answers and chat.state == DONE


def test_a_filed_job_start_after_its_end_is_refused(dialogue):
    chat = Chat(dialogue)
    chat.finish(jobs=1)
    chat.say("/edit")
    chat.tap("e:job_add")
    ref = job_ref(0, chat.answers["jobs"][0])
    chat.tap(f"j:{ref}")
    chat.tap(f"jf:{ref}:job_start")
    replies = chat.say("2025-06-01")
    assert "after the job's end" in replies[0].text and chat.answers["jobs"][0]["job_start"] == "2021-01-01"


def test_summary_shows_every_answer_with_an_edit_button_on_one_screen(dialogue):
    chat = Chat(dialogue)
    chat.finish(jobs=1)
    replies = chat.say("/summary")
    assert len(replies) == 1
    summary = replies[0]
    assert "Date of birth: 1990-05-10" in summary.text and "Job 1: 21232" in summary.text
    assert "Your partner" in summary.text and "Partner's scores: 8 8 8 8" in summary.text
    data = [b.data for b in summary.buttons]
    assert "e:dob" in data and "e:spouse_scores" in data and f"j:{job_ref(0, chat.answers['jobs'][0])}" in data
    chat.say("/edit")
    assert chat.tap("go:summary")[0].text == summary.text  # reachable from /edit
    assert chat.tap("go:continue")[0].text.startswith("You have answered every question")


def test_restart_confirmation_keeps_answers_on_no(dialogue):
    chat = at(Chat(dialogue), "education")
    kept = dict(chat.answers)
    asked = chat.say("/restart")
    assert [b.label for b in asked[0].buttons] == ["Yes, start again", "No, keep my answers"]
    assert asked[0].buttons[0].data.startswith("r:yes:")
    replies = chat.tap("r:no")
    assert chat.answers == kept and chat.state == "education" and "education" in replies[0].text


# --- progress, answer first, one message per turn -----------------------------------------------
def test_sections_cover_every_question_once_in_table_order():
    listed = [qid for _, ids in SECTIONS for qid in ids]
    assert listed == [q.id for q in QUESTIONS]
    assert set(SECTION_OF) == set(BY_ID)


def test_every_question_shows_its_step_and_section(dialogue):
    chat = Chat(dialogue)
    assert chat.replies[0].text.split("\n\n")[-1].startswith("Step 1 of 6 · About you\nWhat is your date of birth")
    at(chat, "lang1_test")
    assert chat.replies[0].text.startswith("Step 3 of 7 · Language\n")  # married, partner coming: 7 sections
    at(chat, "spouse_education")
    assert chat.replies[0].text.startswith("Step 7 of 7 · Your partner\n")


class CountingFaq:
    """A knowledge base that counts how often it is asked."""

    def __init__(self, real) -> None:
        self.real, self.calls = real, 0

    def ask(self, text, *rest):  # rest: the chat's answers, for personal answers (flows/faq_replies.py)
        self.calls += 1
        return self.real.ask(text, *rest)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_an_answer_is_tried_before_the_knowledge_base(faq):
    counting = CountingFaq(faq)
    dialogue = Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY, counting)
    chat = at(Chat(dialogue), "lang1_test")
    chat.say("IELTS general?")  # looks like a question, but it is a valid answer: taken as one
    assert chat.answers["lang1_test"] == "ielts" and counting.calls == 0
    chat.say("is my ielts still valid?")  # not an answer: the knowledge base, once
    assert counting.calls == 1 and chat.state == "lang1_date"
    assert "lang1_date" not in chat.answers and len(chat.replies) == 1


def test_messages_per_turn_on_a_mixed_workload(faq):
    """Answers, invalid answers, chatter, questions, navigation: at most 1.1 messages a turn (1.83 before)."""
    dialogue = Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY, faq)
    chat = Chat(dialogue)
    counts = [len(chat.replies)]
    script = [
        "yesterday",
        "1990-05-10",
        "what is an eca?",
        "it's complicated",
        "married",
        "no",
        "yes",
        "/score",
        "bachelors",
        "eca",
        "thanks",
        "2023-05-10",
        "none",
        "ielts",
        "2025-04-01",
        "8 7",
        "8 7 7 7",
        "none",
        "/back",
        "none",
        "yes",
        "registered nurse",
        "1",
        "abroad",
        "2021-01-01",
        "2024-12-31",
        "35",
        "employee",
        "no",
        "how many points for a provincial nomination?",
        "/edit",
        "tap:e:education",
        "masters",
        "no",
        "maybe",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
        "2",
        "/summary",
        "30000",
        "masters",
        "eca",
        "celpip",
        "2025-01-01",
        "8 8 8 8",
        "1",
    ]
    for step in script:
        replies = chat.tap(step[4:]) if step.startswith("tap:") else chat.say(step)
        counts.append(len(replies))
    final = chat.say("no")
    assert chat.state == DONE and total_shown(final) == engine_total(chat.answers)
    average = sum(counts) / len(counts)
    assert average <= 1.1, counts
    assert max(counts) == 1


def test_merge_joins_texts_with_a_blank_line_and_keeps_the_last_buttons():
    a, b = Reply("one", [Button("x", "q:x")]), Reply("two", [Button("y", "a:y")])
    assert merge(a, b) == Reply("one\n\ntwo", [Button("y", "a:y")])
    assert merge(a, b, all_buttons=True).buttons == [Button("x", "q:x"), Button("y", "a:y")]
    assert merge(Reply(""), b) == b and merge() == Reply("")


def test_a_session_stored_before_the_new_fields_loads_and_goes_on(dialogue):
    old = {"chat_id": 3, "state": "education", "version": 1, "history": ["dob", "marital"]}
    old |= {"answers": {"dob": "1990-01-01", "marital": "never_married"}, "pending": [], "editing": None}
    session = Session(**old)
    assert session.set_aside == {} and session.editing_job is None
    dialogue.text(session, "bachelors")
    assert session.state == "education_proof"
    dialogue.command(session, "back")
    assert session.state == "education" and session.set_aside == {"education": "bachelors"}


def test_rules_are_named_predicates_of_the_question_table():
    rules = Rules({"marital": "married", "spouse_citizen": "no", "spouse_coming": "yes"})
    for question in QUESTIONS:
        assert question.when is None or callable(getattr(rules, question.when))
    assert rules.partner_counts() and rules.applies(BY_ID["spouse_education"])


def test_the_store_keeps_what_back_set_aside_and_the_job_being_changed(tmp_path):
    from bot.store import SessionStore

    store = SessionStore(tmp_path / "s.db")
    session = Session(chat_id=4, state="job_hours", editing="job_hours", editing_job=0, set_aside={"dob": "1990-01-01"})
    store.save(session)
    loaded = store.load(4)
    store.close()
    assert loaded.set_aside == {"dob": "1990-01-01"} and loaded.editing_job == 0
