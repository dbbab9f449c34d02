"""A person waiting at each kind of pending question: the steps, answers typed to reach them, and the walk.

Shared by tests/test_questions_mid_questionnaire.py and benchmarks/eval_faq_in_dialogue.py (questions typed while
a question of the questionnaire waits).
"""

from __future__ import annotations

from flows.conversation import DONE, Dialogue, Session

# the pending questions a question is typed at, in the order the questionnaire reaches them
STEPS = (
    "dob",
    "marital",
    "education",
    "lang1_test",
    "lang1_scores",
    "job_noc",
    "job_start",
    "job_hours",
    "job_offer",
    "family_size",
    "funds",
)
# typed answers that walk the questionnaire through every step above (one job)
SCRIPT = {
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
    "lang2_test": "none",
    "job_noc": "21232",
    "job_where": "abroad",
    "job_start": "2021-01-01",
    "job_end": "2024-12-31",
    "job_hours": "35",
    "job_kind": "employee",
    "coq": "no",
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
    "spouse_test": "none",
    "spouse_work": "0",
    "spouse_study": "no",
    "ee_profile": "not yet",
}


def waiting_at_each_step(dialogue: Dialogue, language: str | None) -> dict[str, Session]:
    """A session waiting at each step, reached by typing the script's answers."""
    session = Session(chat_id=1, language=language)
    dialogue.start(session)
    found: dict[str, Session] = {}
    added = False
    for _ in range(200):
        if session.state == DONE:
            break
        state = session.state
        if state in STEPS and state not in found:
            found[state] = session.model_copy(deep=True)
        if state == "job_add":
            text = "no" if added else "yes"
            added = True
        else:
            text = SCRIPT[state]
        dialogue.text(session, text)
        if session.pending:  # a reading to confirm: its first choice
            dialogue.text(session, "1")
    missing = [s for s in STEPS if s not in found]
    assert not missing, f"the script never reached {missing}"
    return found
