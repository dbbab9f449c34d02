"""Property: whatever the sequence of answers, /back, /edit (questions and jobs), Keep and /restart, the
questionnaire ends with every needed question answered exactly as last given, and the score shown is
the score of those answers computed directly (profile_builder, then knowledge.crs.scoring.score).

The test keeps its own record of what the person gave: the last value for each question, and the jobs
(filed, changed one detail at a time, deleted, added). /back is the one move whose effect on the jobs
is read back from the session (it walks into the last filed job); its effect on every other answer is
checked through Keep, which must give back exactly the value set aside.
"""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.answers import SCORE_EXAMPLES
from flows.conversation import DONE, JOB_ADD, Dialogue, Rules, Session
from flows.profile_builder import NotEnoughAnswers, build_profile
from flows.questions import BY_ID, JOB_LOOP, QUESTIONS, choices_for
from flows.results import Results
from knowledge.crs.scoring import default_scorer, score
from knowledge.language import ABILITIES
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from knowledge.vocabulary import PARTNERED

TODAY = date(2026, 10, 1)
TYPED: dict[str, list[str]] = {  # valid typed answers; the first is the deterministic answerer's
    "dob": ["1990-04-04", "1985-11-30", "1999-02-01"],
    "lang1_date": ["2025-04-01", "2026-01-15"],
    "lang2_date": ["2025-02-01", "2026-03-03"],
    "spouse_date": ["2025-01-01", "2026-02-02"],
    "job_noc": ["21232", "31301", "72200"],
    "job_start": ["2019-03-01", "2022-06-01"],
    "job_end": ["2024-12-31"],
    "job_hours": ["35", "20"],
    "coq_trade": ["72200"],
    "job_offer_noc": ["21232"],
    "family_size": ["3", "1"],  # 1 is valid only without a spouse or partner (see options)
    "funds": ["30000", "5000"],
    "spouse_work": ["0", "2"],
}
SCORES = {test: [example] for test, example in SCORE_EXAMPLES.items()} | {"ielts": ["8 7 7 7", "6.5 6 6 7"]}
TEST_OF = {"lang1_scores": "lang1_test", "lang2_scores": "lang2_test", "spouse_scores": "spouse_test"}


def options(session: Session) -> list[tuple[str, Any]]:
    """The valid answers to the pending question: (what the person sends, the value stored)."""
    question = BY_ID[session.state]
    answers = session.answers
    if question.kind == "scores":
        out = []
        for text in SCORES[answers[TEST_OF[question.id]]]:
            values = [float(n) for n in text.split()]
            out.append((text, dict(zip(ABILITIES, values, strict=True))))
        return out
    if question.id in TYPED:
        taps = [(f"tap:a:{question.id}:{c.id}", c.id) for c in question.choices]  # job_end: still working
        typed = [(t, int(t) if question.kind == "number" else t) for t in TYPED[question.id]]
        if question.id == "family_size" and answers.get("marital") in PARTNERED:
            typed = [(t, value) for t, value in typed if value >= 2]  # a partner counts: 1 is refused
        return typed + taps
    choices = list(choices_for(question, answers))
    if question.id == JOB_ADD:
        choices.reverse()  # "no" first: the deterministic answerer ends the work history
    return [(f"tap:a:{question.id}:{c.id}", c.id) for c in choices]


class Person:
    """Drives the dialogue and records what was given."""

    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue
        self.session = Session(chat_id=1)
        dialogue.start(self.session)
        self.last: dict[str, Any] = {}
        self.jobs: list[dict[str, Any]] = []
        self.draft: dict[str, Any] = {}

    # --- moves ---
    def send(self, text: str) -> list:
        if text.startswith("tap:"):
            return self.dialogue.button(self.session, text[4:])
        if text.startswith("/"):
            return self.dialogue.command(self.session, text[1:])
        return self.dialogue.text(self.session, text)

    def answer(self, pick: int) -> None:
        session = self.session
        if session.state not in BY_ID:
            return
        qid, job = session.state, session.editing_job
        text, value = options(session)[pick % len(options(session))]
        self.send(text)
        self.given(qid, value, job)

    def given(self, qid: str, value: Any, job: int | None) -> None:
        if qid not in JOB_LOOP:
            self.last[qid] = value
            if qid == JOB_ADD:
                self.draft = {}
        elif job is not None:
            self.jobs[job][qid] = value
        else:
            self.draft[qid] = value
            if qid == JOB_LOOP[-1]:
                self.jobs.append(self.draft)
                self.draft = {}

    def keep(self) -> None:
        session = self.session
        if session.state not in BY_ID:
            return
        qid = session.state
        if f"k:{qid}" not in [b.data for b in self.dialogue.ask(session).buttons]:
            return
        job, edited = session.editing_job, session.editing == qid
        aside = session.set_aside.get(qid)
        self.send(f"tap:k:{qid}")
        if job is not None or edited:
            return  # the answer never left
        if qid not in JOB_LOOP:
            assert aside == self.last[qid], "/back set aside something else than the last answer given"
        self.given(qid, aside, None)

    def back(self) -> None:
        self.send("/back")
        answers = self.session.answers
        self.jobs = deepcopy(answers.get("jobs", []))
        self.draft = deepcopy(answers.get("job_draft") or {})

    def edit(self, pick: int) -> None:
        menu = self.send("/edit")
        offered = [b.data for b in menu[0].buttons if b.data.startswith("e:") and b.data != "e:job_add"]
        if offered:
            self.send("tap:" + offered[pick % len(offered)])

    def job_screen(self, pick: int) -> str | None:
        menu = self.send("/edit")
        if "e:job_add" not in [b.data for b in menu[0].buttons]:
            return None
        screen = self.send("tap:e:job_add")
        jobs = [b.data for b in screen[0].buttons if b.data.startswith("j:")]
        return jobs[pick % len(jobs)] if jobs else None

    def edit_back(self, pick: int) -> None:
        """/edit an earlier answer, then /back from there: two answers away from where the person was."""
        self.edit(pick)
        self.back()

    def edit_job(self, pick: int, field: int) -> None:
        tapped = self.job_screen(pick)
        if tapped is not None:
            ref = tapped[2:]
            self.send(f"tap:j:{ref}")
            self.send(f"tap:jf:{ref}:{JOB_LOOP[field % len(JOB_LOOP)]}")

    def delete_job(self, pick: int) -> None:
        tapped = self.job_screen(pick)
        if tapped is not None:
            ref = tapped[2:]
            index = int(ref.split("-")[0])
            self.send(f"tap:jd:{ref}")
            self.send(f"tap:jx:{ref}")
            self.jobs.pop(index)

    def add_job(self) -> None:
        menu = self.send("/edit")
        if "e:job_add" not in [b.data for b in menu[0].buttons]:
            return
        screen = self.send("tap:e:job_add")
        if "ja:" in [b.data for b in screen[0].buttons]:
            self.send("tap:ja:")
            self.last[JOB_ADD] = "yes"
            self.draft = {}

    def restart(self, confirm: bool) -> None:
        asked = self.send("/restart")
        offered = [b.data for b in asked[0].buttons]
        if len(offered) == 2 and offered[1] == "r:no":
            self.send("tap:" + offered[0 if confirm else 1])
        if not self.session.answers and not self.session.set_aside:
            self.last, self.jobs, self.draft = {}, [], {}

    def chatter(self, text: str) -> None:
        before = deepcopy(self.session.answers)
        self.send(text)
        assert self.session.answers == before

    def finish(self) -> None:
        for _ in range(300):
            if self.session.state == DONE:
                return
            self.answer(0)
        raise AssertionError("the deterministic answerer never reached the end")

    # --- checks ---
    def check_done_means_complete(self) -> None:
        if self.session.state != DONE:
            assert self.session.state in BY_ID
            return
        answers = self.session.answers
        rules = Rules(answers)
        missing = [q.id for q in QUESTIONS if not q.in_job_loop and rules.applies(q) and q.id not in answers]
        assert not missing, f"DONE with {missing} unanswered"
        assert not answers.get("job_draft")


MOVES = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 5)),
    st.tuples(st.just("answer"), st.integers(0, 5)),
    st.tuples(st.just("answer"), st.integers(0, 5)),
    st.tuples(st.just("back")),
    st.tuples(st.just("edit"), st.integers(0, 40)),
    st.tuples(st.just("edit_back"), st.integers(0, 40)),
    st.tuples(st.just("keep")),
    st.tuples(st.just("edit_job"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("delete_job"), st.integers(0, 5)),
    st.tuples(st.just("add_job")),
    st.tuples(st.just("restart"), st.booleans()),
    st.tuples(st.just("chatter"), st.sampled_from(["thanks", "hmm", "what is an eca?", "/score", "/summary"])),
)


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(st.integers(0, 5), max_size=45), moves=st.lists(MOVES, max_size=40))
def test_any_navigation_ends_with_the_last_answers_given_and_their_score(dialogue, first, moves):
    person = Person(dialogue)
    for pick in first:  # some way into the questionnaire first, with random valid answers
        person.answer(pick)
    for move in moves:
        getattr(person, move[0])(*move[1:])
        person.check_done_means_complete()
    person.finish()
    person.check_done_means_complete()

    expected: dict[str, Any] = {}
    rules = Rules(expected)
    for question in QUESTIONS:
        if not question.in_job_loop and rules.applies(question):
            assert question.id in person.last, f"{question.id} answered but never given"
            expected[question.id] = person.last[question.id]
    expected["jobs"] = person.jobs
    answers = person.session.answers
    assert {key: answers.get(key, [] if key == "jobs" else None) for key in expected} == expected

    shown = dialogue.command(person.session, "score")[0].text
    try:
        direct = score(build_profile(expected, TODAY)).total
    except NotEnoughAnswers as exc:  # answers the questionnaire accepts but the profile refuses together
        assert str(exc) in shown
        return
    found = re.search(r"Your CRS score: (\d+) / 1200", shown)
    assert found is not None, shown
    assert int(found[1]) == direct
