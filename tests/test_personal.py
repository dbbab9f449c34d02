"""Personal answers: a question about the person, computed from the chat's answers (knowledge/faq/personal.py).

The expected figures are worked out here from the rule tables and the engines (the age table of the CRS
rule set, the funds JSON, the rounds CSV, the scorer on a changed profile), never typed in, so a wrong rule
in the personal layer cannot pass.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.conversation import DONE, Dialogue, Session
from flows.faq_replies import Asker, FaqReplies, facts_from_answers
from flows.profile_builder import build_profile
from flows.results import Results
from knowledge.crs.rules import default_rule_book
from knowledge.crs.scoring import default_scorer
from knowledge.draws.rounds import CATEGORY_PATTERNS, default_draws
from knowledge.faq import personal
from knowledge.faq.retriever import default_retriever
from knowledge.profile import add_years, years_between
from knowledge.programs.categories import default_category_rules
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from knowledge.provenance import DATA_DIR

TODAY = date(2026, 10, 1)
MARK = "Computed from your answers"
CRS_PAGE = "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html"

# one person, typed as people type, through the whole questionnaire (married, partner coming, master's with an
# ECA, IELTS 8 7 7 7 of 2025-05-02, a software developer abroad since 2019, a family of 2 with CAD 20,000)
TYPED = [
    *(
        "1985-03-08",
        "married",
        "no",
        "yes",
        "masters",
        "eca",
        "2023-05-10",
        "none",
        "ielts",
        "2025-05-02",
        "8 7 7 7",
        "none",
    ),
    *("yes", "21232", "abroad", "2019-01-01", "ongoing", "40", "employee", "no"),  # one job, then no more
    *("no", "no", "no", "no", "no", "no", "2", "20000", "bachelors", "eca", "none", "0", "no"),
]


@pytest.fixture(scope="module")
def dialogue(faq) -> Dialogue:
    return Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY, faq)


@pytest.fixture(scope="module")
def full(dialogue) -> dict[str, Any]:
    """The stored answers of a person who answered everything (driven through the real dialogue)."""
    session = Session(chat_id=1)
    dialogue.start(session)
    for text in TYPED:
        dialogue.text(session, text)
    assert session.state == DONE
    return session.answers


def ask(faq: FaqReplies, engines, question: str, answers: dict[str, Any]) -> str:
    return faq.ask(question, Asker(answers, TODAY, engines))[1].text


def total(answers: dict[str, Any]) -> int:
    return default_scorer().score(build_profile(answers, TODAY)).total


def with_spouse(answers: dict[str, Any]) -> bool:
    return (
        answers.get("marital") == "married"
        and answers.get("spouse_citizen") == "no"
        and answers.get("spouse_coming") == "yes"
    )


def age_table(answers: dict[str, Any], day: date = TODAY) -> dict[int, int]:
    rules = default_rule_book().for_date(day)
    return {row.age: row.pick(with_spouse(answers)) for row in rules.core.age}


def first_change(born: date, table: dict[int, int]) -> tuple[int, date] | None:
    age = years_between(born, TODAY)
    for later in range(age + 1, 46):
        if table[min(later, 45)] != table[min(later - 1, 45)]:
            return later, add_years(born, later)
    return None


def pick(answers: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: answers[k] for k in keys}


# --- age points and the date they drop ------------------------------------------------------------------
COUPLE_START = {"dob": "1985-03-08", "marital": "married", "spouse_citizen": "no", "spouse_coming": "yes"}
AGES = [
    # (answers, question, the age asked about or None)
    (COUPLE_START, "will my score go down when i turn 42?", 42),
    ({"dob": "1996-06-15", "marital": "never_married"}, "how many points do i get for my age?", None),
    ({"dob": "1990-12-01", "marital": "married", "spouse_citizen": "yes"}, "when do my age points drop?", None),
    ({"dob": "2001-02-02", "marital": "never_married"}, "will i lose points when i turn 27?", 27),
    ({"dob": "1992-10-02", "marital": "common_law", "spouse_citizen": "no", "spouse_coming": "no"},
     "do i lose points on my birthday?", None),
]  # fmt: skip


@pytest.mark.parametrize(("answers", "question", "target"), AGES)
def test_age_points_now_and_the_next_change_come_from_the_age_table(faq, engines, answers, question, target):
    text = ask(faq, engines, question, answers)
    born = date.fromisoformat(answers["dob"])
    table, age = age_table(answers), years_between(born, TODAY)
    assert MARK in text and CRS_PAGE in text
    told = f"You are {age} today ({TODAY.isoformat()}; born {born.isoformat()}, as you told me)"
    assert f"{told}: {table[age]} age points" in text
    assert ("with a spouse or partner" if with_spouse(answers) else "as single") in text
    change = first_change(born, table)
    assert change is not None
    later, day = change
    assert f"on {day.isoformat()} you turn {later}: age points {table[later - 1]} -> {table[later]}" in text.lower()
    if target is not None and table[target] == table[target - 1]:  # a birthday that changes nothing
        assert f"You turn {target} on {add_years(born, target).isoformat()}: that birthday does not change" in text


def test_turning_an_age_already_passed_and_past_45(faq, engines):
    text = ask(faq, engines, "will my score drop when i turn 30?", {"dob": "1980-01-01", "marital": "never_married"})
    assert "You are 46 today" in text and ": 0 age points" in text
    assert "already 46" in text and "nothing left to lose" in text


def test_with_every_answer_the_age_change_shows_the_totals_from_the_scorer(faq, engines, full):
    text = ask(faq, engines, "will my score go down when i turn 42?", full)
    older = {**full, "dob": "1984-03-08"}  # the same person, already 42 on the same day
    assert f"your total {total(full)} -> {total(older)} if nothing else changes" in text


# --- language results' expiry ---------------------------------------------------------------------------
def language_answers(test: str, day: str) -> dict[str, Any]:
    scores = {"ielts": (8, 7, 7, 7), "pte_core": (70, 70, 70, 70), "celpip": (9, 9, 9, 9)}[test]
    return {
        "dob": "1990-01-01",
        "marital": "never_married",
        "education": "bachelors",
        "education_proof": "eca",
        "canadian_study": "none",
        "lang1_test": test,
        "lang1_date": day,
        "lang1_scores": dict(zip(("listening", "reading", "writing", "speaking"), scores, strict=True)),
        "lang2_test": "none",
    }


def two_years_after(day: str) -> date:
    start = date.fromisoformat(day)
    return date(start.year + 2, start.month, start.day)  # none of the days below is 29 February


EXPIRIES = [
    ("pte_core", "2025-05-02", "when does my pte expire?", None),
    ("ielts", "2025-05-02", "when does my ielts expire?", None),
    ("celpip", "2024-06-15", "is my celpip still valid?", None),
    ("ielts", "2025-05-02", "when does my pte expire?", "PTE Core"),  # asked about a test the answers do not hold
]


@pytest.mark.parametrize(("test", "day", "question", "not_held"), EXPIRIES)
def test_language_expiry_is_two_years_after_the_test_date(faq, engines, test, day, question, not_held):
    text = ask(faq, engines, question, language_answers(test, day))
    expiry = two_years_after(day)
    assert MARK in text and "federal-skilled-workers.html" in text
    if expiry > TODAY:
        assert f"expire on {expiry.isoformat()}, in {(expiry - TODAY).days} days" in text
    else:
        assert f"expired on {expiry.isoformat()} ({(TODAY - expiry).days} days ago): they no longer count" in text
    if not_held:
        assert f"Your answers hold no {not_held} result" in text


def test_a_month_only_test_date_says_the_real_date_can_only_be_later(faq, engines):
    text = ask(faq, engines, "when does my ielts expire?", language_answers("ielts", "2025-03-01"))
    assert "expire on 2027-03-01" in text and "can only be later" in text


# --- a test and its date answered, its scores still pending: the expiry needs only the test and its date --------------
def test_dated_tests_are_the_tests_whose_test_and_date_are_answered():
    assert personal.dated_tests({}) == {}
    assert personal.dated_tests({"lang1_test": "none", "lang2_test": "none"}) == {}
    assert personal.dated_tests({"lang1_test": "ielts"}) == {}  # its date not answered yet
    assert personal.dated_tests({"lang1_test": "ielts", "lang1_date": "unknown"}) == {}  # not a date
    found = personal.dated_tests(
        {"lang1_test": "ielts", "lang1_date": "2025-05-02", "spouse_test": "tef_canada", "spouse_date": "2025-01-10"}
    )
    assert found == {
        "first": personal.DatedTest(test="ielts", test_date=date(2025, 5, 2)),
        "spouse": personal.DatedTest(test="tef_canada", test_date=date(2025, 1, 10)),
    }


def pending_scores(dialogue: Dialogue) -> dict[str, Any]:
    """The answers of a person whose IELTS and its date (2025-05-02) are answered, its scores not yet."""
    session = at(dialogue, TYPED.index("8 7 7 7"))
    assert session.state == "lang1_scores"
    return session.answers


@pytest.mark.parametrize(
    ("question", "not_held"),
    [
        ("when does my ielts expire", None),
        ("when does my ielts expire?", None),
        ("quand expire mon ielts ?", None),
        ("quand expire mon tef", "TEF Canada"),  # the answers hold an IELTS: said, then its date
        ("when does my tef expire?", "TEF Canada"),
    ],
)
def test_a_test_expiry_is_dated_while_its_scores_are_still_pending(dialogue, engines, question, not_held):
    answers = pending_scores(dialogue)
    facts = facts_from_answers(answers, TODAY)
    assert "languages" not in facts.known
    facts = facts.model_copy(update={"tests": personal.dated_tests(answers)})
    computed = personal.answer(question, [], facts, engines)
    assert isinstance(computed, personal.Computed) and computed.intent == "language_expiry"
    expiry = two_years_after("2025-05-02")
    assert (
        f"Your IELTS General Training results (test date 2025-05-02) expire on {expiry.isoformat()}, in "
        f"{(expiry - TODAY).days} days." in computed.text
    )
    assert ("Your answers hold no TEF Canada result" in computed.text) == (not_held is not None)
    assert computed.sources[0].url.endswith("federal-skilled-workers.html")
    # without the test's date the scores are not the only thing missing: still named, not guessed
    undated = facts.model_copy(update={"tests": {}})
    missing = personal.answer(question, [], undated, engines)
    assert isinstance(missing, personal.Missing) and missing.needs == ["languages"]


def test_through_the_dialogue_a_test_expiry_is_dated_while_its_scores_are_pending(dialogue):
    session = at(dialogue, TYPED.index("8 7 7 7"))
    reply = dialogue.text(session, "when does my ielts expire")[0]
    assert "expire on 2027-05-02" in reply.text and "which test, its date and your scores" not in reply.text
    assert session.state == "lang1_scores"


def test_no_test_yet(faq, engines):
    answers = {**language_answers("ielts", "2025-05-02"), "lang1_test": "none"}
    for key in ("lang1_date", "lang1_scores", "lang2_test"):
        answers.pop(key)
    text = ask(faq, engines, "when does my test expire?", answers)
    assert "no language test result yet" in text and add_years(TODAY, 2).isoformat() in text


@pytest.mark.parametrize(
    ("proof", "issued", "expected"),
    [
        ("eca", "2023-04-10", "Your ECA (issued 2023-04-10) turns 5 years old on 2028-04-10, in {days} days"),
        ("eca", "2021-06-01", "Your ECA (issued 2021-06-01) turned 5 years old on 2026-06-01: it no longer counts"),
        ("eca", None, "Your answers do not hold your ECA's issue date, so I cannot date its expiry"),
        ("canadian", None, "your education is Canadian: it needs no ECA"),
    ],
)
def test_eca_expiry_is_five_years_after_its_issue_date(faq, engines, full, proof, issued, expected):
    answers = {k: v for k, v in full.items() if k != "eca_date"}  # the ECA date as the row gives it, or none
    answers |= {"education_proof": proof, **({"eca_date": issued} if issued else {})}
    text = ask(faq, engines, "when does my eca expire?", answers)
    if issued:
        expiry = date.fromisoformat(issued).replace(year=date.fromisoformat(issued).year + 5)
        expected = expected.format(days=(expiry - TODAY).days)
    assert expected in text and "education-assessment.html" in text
    assert (MARK in text) == (issued is not None or proof != "eca")


# --- the funds for the family size ---------------------------------------------------------------------------
def funds_from_table(size: int) -> int:
    rules = json.loads((DATA_DIR / "programs" / "proof-of-funds.json").read_text(encoding="utf-8"))
    table = [t for t in rules["tables"] if date.fromisoformat(t["effective_from"]) <= TODAY][-1]
    amounts = table["amounts"]
    return amounts[size - 1] if size <= len(amounts) else amounts[-1] + (size - len(amounts)) * table["each_additional"]


@pytest.mark.parametrize(
    ("size", "funds", "question"),
    [
        (1, None, "how much money do i need for proof of funds?"),
        (3, 20000, "how much funds do i need for my family?"),
        (2, 30000, "does my partner count even if he is already PR?"),
        (9, None, "how much money do we need to show?"),
    ],
)
def test_funds_for_the_family_size_come_from_the_funds_table(faq, engines, full, size, funds, question):
    answers = {**full, "family_size": size}
    answers.pop("funds")
    if funds is not None:
        answers["funds"] = funds
    if size == 1:
        answers.update(marital="never_married")
    text = ask(faq, engines, question, answers)
    needed = funds_from_table(size)
    assert MARK in text and "proof-funds.html" in text
    assert f"For your family of {size} " in text and f"CAD {needed:,}" in text
    if funds is not None:
        assert (f"CAD {needed - funds:,} short" in text) == (funds < needed)
    if "partner" in question:
        assert "counts in that family size even if they are a Canadian citizen or PR" in text


@pytest.mark.parametrize(
    ("question", "size", "amount"),
    [
        ("how much for 4 people", 4, None),
        ("how much money for a family of 3?", 3, None),
        ("is 15000 enough", None, 15000),
        ("is 15,000 enough for 2 people?", 2, 15000),
        ("we have 40k, is that enough for proof of funds", None, 40000),
        ("is 20000 enough for me and my wife", 2, 20000),  # a stranger tester got the funds of 1 person
        ("how much do i need for me and my wife and 2 kids?", 4, None),
        ("me and my 2 kids, how much proof of funds", 3, None),
    ],
)
def test_a_family_size_or_an_amount_in_the_question_is_the_one_computed(faq, engines, full, question, size, amount):
    answers = {**full, "family_size": 2}
    answers.pop("funds")
    text = ask(faq, engines, question, answers)
    needed = funds_from_table(size or 2)
    assert MARK in text and f"CAD {needed:,}" in text
    assert ("(as you ask)" in text) == (size is not None)
    if amount is not None:
        verdict = (
            f"CAD {amount:,} is enough." if amount >= needed else f"CAD {amount:,} is CAD {needed - amount:,} short."
        )
        assert verdict in text


def test_a_family_size_in_the_question_needs_none_in_the_answers(faq, engines):
    text = ask(faq, engines, "how much for 4 people", {"date_of_birth": "1990-01-01"})
    assert f"CAD {funds_from_table(4):,}" in text and "(as you ask)" in text


def test_a_family_size_asked_in_french_is_answered_in_french(faq, engines, full):
    text = ask(faq, engines, "combien pour 5 personnes ?", {**full, "family_size": 2})
    assert "Pour une famille de 5 personnes (comme vous le demandez)" in text
    couple = ask(faq, engines, "combien de fonds pour moi et ma femme ?", {**full, "family_size": 1})
    assert "Pour une famille de 2 personnes (comme vous le demandez)" in couple
    assert f"{funds_from_table(5):,} $".replace(",", "\xa0") in text


@pytest.mark.parametrize("question", ["my kids were born 2019 and 2021, how much proof of funds do i need?"])
def test_a_year_in_the_question_is_no_amount(faq, engines, full, question):
    answers = {**full, "family_size": 4}
    answers.pop("funds")
    text = ask(faq, engines, question, answers)
    assert "For your family of 4 " in text and "short" not in text and "is enough" not in text


def test_a_partner_left_out_of_the_family_size_is_pointed_out(faq, engines, full):
    text = ask(faq, engines, "does my wife count for proof of funds if she is a PR?", {**full, "family_size": 1})
    assert f"at least 2 and the amount at least CAD {funds_from_table(2):,}" in text


# --- the person's occupations in each category ----------------------------------------------------------
def nurse(full: dict[str, Any]) -> dict[str, Any]:
    job = {"job_noc": "31301", "job_where": "canada", "job_start": "2023-01-01", "job_end": "ongoing",
           "job_hours": 40, "job_kind": "employee"}  # fmt: skip
    return {**full, "jobs": [job]}


@pytest.mark.parametrize(
    ("who", "question", "category"),
    [
        ("developer", "is my job in the healthcare category?", "healthcare_social_services"),
        ("developer", "is my occupation eligible for stem draws?", "stem"),
        ("nurse", "is my job in the healthcare category?", "healthcare_social_services"),
        ("nurse", "does my job count for trades draws?", "trades"),
    ],
)
def test_category_fit_is_the_category_rules_verdict_for_their_noc(faq, engines, full, who, question, category):
    answers = nurse(full) if who == "nurse" else full
    text = ask(faq, engines, question, answers)
    report = default_category_rules().assess(build_profile(answers, TODAY))
    assert report is not None
    fit = next(f for f in report.fits if f.key == category)
    assert MARK in text and "category-based-selection.html" in text
    assert f"• {fit.label}: {'yes' if fit.fits else 'no'}: " in text
    noc = answers["jobs"][0]["job_noc"]
    assert f"Your jobs' NOC codes: {noc}." in text
    if not fit.fits:
        year = default_category_rules().year_for(TODAY)
        assert year is not None
        listed = len(next(c for c in year.categories if c.key == category).occupations)
        assert f"none of your jobs is one of its {listed} listed occupations" in text
    other = [f.label for f in report.fits if f.key != category]
    assert not any(f"• {label}:" in text for label in other)  # only the category asked about


# --- the score against the rounds ---------------------------------------------------------------------------
def rounds_cleared(kind: str, score: int) -> tuple[int, int]:
    year_ago = date(TODAY.year - 1, TODAY.month, TODAY.day)
    pattern = CATEGORY_PATTERNS[kind]
    rounds = [d for d in default_draws().rounds if year_ago < d.date <= TODAY and pattern.search(d.name)]
    return sum(1 for d in rounds if d.min_crs <= score), len(rounds)


def test_a_french_draw_question_gets_their_score_against_the_french_rounds(faq, engines, full):
    text = ask(faq, engines, "is my score enough to get invited in a french draw?", full)
    score = total(full)
    cleared, held = rounds_cleared("french", score)
    assert held > 0
    assert f"Your CRS score: {score}." in text
    assert f"{score} would have cleared {cleared} of the {held} in the last 12 months" in text
    # this person has no French result: the rounds could not invite them, and the reply says so
    assert "needs a TEF Canada or TCF Canada result. So these rounds could not invite you." in text
    assert "express-entry-rounds.html (checked 2026-12-01)" in text


def test_an_unnamed_round_lists_only_the_routes_open_to_them(faq, engines, full):
    text = ask(faq, engines, "will i get invited?", full)
    report = EligibilityEngine().assess(build_profile(full, TODAY))
    assert report.eligible_programs == ["fsw"]
    assert "Federal Skilled Worker rounds" in text and "General (all-program) rounds" in text
    assert "Canadian Experience Class rounds" not in text  # not eligible: those rounds could not invite them
    assert not any(f"{f.label} rounds" in text for f in report.categories.fits if not f.fits)


# --- what a change would do ------------------------------------------------------------------------------------
def test_what_if_i_get_my_eca_gives_the_new_total_from_the_scorer(faq, engines, full):
    without = {**full, "education_proof": "none"}
    text = ask(faq, engines, "what if i get my WES done, what will be my score?", without)
    before, after = total(without), total({**without, "education_proof": "eca"})
    assert after > before
    assert f"your score {before} -> {after} (+{after - before})" in text and MARK in text


def test_what_if_with_an_eca_already_says_so_and_the_score_stays(faq, engines, full):
    text = ask(faq, engines, "what if i get my eca?", full)
    assert "already has an ECA" in text and f"it stays {total(full)}" in text


def test_what_if_a_nomination(faq, engines, full):
    text = ask(faq, engines, "what if i get a provincial nomination?", full)
    after = total({**full, "nomination": "yes"})
    assert f"your score {total(full)} -> {after} (+{after - total(full)})" in text


@pytest.mark.parametrize(
    ("question", "changed"),
    [
        ("what if i learn french?", {"lang2_test": "nclc", "lang2_date": "2026-09-01",
                                     "lang2_scores": {"listening": 7, "reading": 7, "writing": 7, "speaking": 7}}),
        ("what if i get clb 10 in ielts, what would my score be?",
         {"lang1_scores": {"listening": 8.5, "reading": 8.0, "writing": 7.5, "speaking": 7.5}}),
    ],
)  # fmt: skip
def test_what_if_a_language_change_gives_the_scorers_total_for_the_changed_answers(
    faq, engines, full, question, changed
):
    text = ask(faq, engines, question, full)
    before, after = total(full), total({**full, **changed})
    assert after > before and f"your score {before} -> {after} (+{after - before})" in text


def test_the_rounds_before_the_last_questions_only_name_the_all_program_ones(faq, engines, full):
    answers = {k: v for k, v in full.items() if k != "spouse_study"}  # the CRS is complete, eligibility is not
    known = facts_from_answers(answers, TODAY).known
    assert "score" in known and "everything" not in known
    text = ask(faq, engines, "will i get invited?", answers)
    assert "General (all-program) rounds" in text and "judged once the questionnaire is finished" in text
    assert "Federal Skilled Worker rounds" not in text and "You are eligible" not in text


# --- an online credential: what follows for this person ------------------------------------------------------------
def education_points(answers: dict[str, Any], level: str) -> int:
    rules = default_rule_book().for_date(TODAY)
    return next(r.pick(with_spouse(answers)) for r in rules.core.education if r.key == level)


def test_a_six_month_online_certificate_changes_nothing_for_a_masters(faq, engines, full):
    text = ask(faq, engines, "does my online certificate count? it is a 6 month online certificate", full)
    assert "a 6-month program is below the one-year level" in text
    assert f"({education_points(full, 'masters')} points)" in text and "already counts as much or more" in text
    assert "no Canadian-study bonus" in text and f"So your score stays {total(full)}." in text


def test_a_two_year_online_diploma_on_top_of_a_bachelors(faq, engines, full):
    answers = {**full, "education": "bachelors"}
    text = ask(faq, engines, "will my 2 year online diploma count for points?", answers)
    gained = education_points(answers, "two_or_more") - education_points(answers, "bachelors")
    assert f"{education_points(answers, 'two_or_more')} points (+{gained})" in text
    assert f"So your score would go from {total(answers)} to {total({**answers, 'education': 'two_or_more'})}." in text


def test_an_online_credential_of_unknown_length_asks_for_it(faq, engines, full):
    text = ask(faq, engines, "does my online certificate count?", full)
    assert MARK not in text and "how long the program is" in text


def test_what_is_my_score(faq, engines, full):
    text = ask(faq, engines, "what is my score?", full)
    assert f"Your CRS score: {total(full)} of 1200" in text and MARK in text


# --- a partner who is not scored (a Canadian citizen or PR, or not coming): their results add nothing ---------------
PARTNER_CANADIAN = {"dob": "1985-03-08", "marital": "married", "spouse_citizen": "yes"}
PARTNER_AWAY = {**COUPLE_START, "spouse_coming": "no"}


@pytest.mark.parametrize(
    ("answers", "question", "why", "adds"),
    [
        (PARTNER_CANADIAN, "does my wife need ielts", "is a Canadian citizen or permanent resident", "language test"),
        (PARTNER_CANADIAN, "should my husband take the celpip?", "is a Canadian citizen or permanent resident",
         "language test"),
        (PARTNER_AWAY, "does my wife need ielts?", "is not coming with you to Canada", "language test"),
        (PARTNER_AWAY, "will my spouse's eca add points?", "is not coming with you to Canada", "education"),
        (PARTNER_AWAY, "does my partner's canadian work experience count?", "is not coming with you to Canada",
         "Canadian work experience"),
    ],
)  # fmt: skip
def test_a_partner_who_is_not_scored_adds_no_points(faq, engines, answers, question, why, adds):
    facts = facts_from_answers(answers, TODAY)
    assert "column" in facts.known and facts.with_spouse is False  # the answers' own column: single
    text = ask(faq, engines, question, answers)
    assert f"You told me your spouse or partner {why}, so you are scored as single." in text
    assert f"Their {adds}" in text and "adds no CRS points in your case." in text
    assert "no spouse points apply" in text
    assert f"{MARK}. Source: {CRS_PAGE}" in text
    assert "can add up to 20 CRS points" not in text  # the general answer, misleading here, is not shown


@pytest.mark.parametrize(
    "answers", [COUPLE_START, {"dob": "1985-03-08", "marital": "never_married"}], ids=["scored partner", "single"]
)
def test_a_scored_partner_or_none_gets_the_general_answer(faq, engines, answers):
    text = ask(faq, engines, "does my wife need ielts?", answers)
    assert "can add up to 20 CRS points" in text and MARK not in text


def test_a_partner_not_scored_yet_unknown_is_named_not_guessed(faq, engines):
    text = ask(faq, engines, "does my wife need ielts?", {"dob": "1985-03-08"})
    assert MARK not in text and "I can compute this for you once I have your marital status" in text


def test_a_principal_applicant_question_is_not_about_points_lost(faq, engines):
    text = ask(faq, engines, "should my wife be the main applicant with her ielts?", PARTNER_CANADIAN)
    assert "adds no CRS points in your case" not in text


# --- facts not answered yet: say what is missing, never guess -------------------------------------------------------
MISSING = [
    ({}, "will my score go down when i turn 42?", "your date of birth"),
    ({"dob": "1985-03-08"}, "how many points do i get for my age?", "your marital status"),
    (COUPLE_START, "when does my ielts expire?", "your language tests"),
    (COUPLE_START, "how much money do i need for proof of funds?", "your family size"),
    (COUPLE_START, "is my score enough to get invited in a french draw?", "every question that counts for the CRS"),
    (COUPLE_START, "what if i get my eca?", "every question that counts for the CRS"),
    ({"dob": "1985-03-08", "marital": "married", "spouse_citizen": "no"}, "how many points for my age?",
     "your marital status"),  # the partner's coming decides the column
]  # fmt: skip


@pytest.mark.parametrize(("answers", "question", "named"), MISSING)
def test_a_missing_fact_is_named_not_guessed(faq, engines, answers, question, named):
    text = ask(faq, engines, question, answers)
    assert MARK not in text
    assert "I can compute this for you once I have " + named in text


# --- through the dialogue, in the middle of the questionnaire -------------------------------------------------------
def at(dialogue: Dialogue, count: int) -> Session:
    session = Session(chat_id=3)
    dialogue.start(session)
    for text in TYPED[:count]:
        dialogue.text(session, text)
    return session


@pytest.mark.parametrize(
    ("count", "question", "expected"),
    [
        (4, "will my score go down when i turn 42?", "On 2027-03-08 you turn 42"),
        (11, "when does my ielts expire?", "expire on 2027-05-02"),
        (1, "how many points do i get for my age?", "I can compute this for you once I have your marital status"),
    ],
)
def test_mid_questionnaire_the_pending_question_follows_in_the_same_message(dialogue, count, question, expected):
    session = at(dialogue, count)
    state, stored = session.state, json.dumps(session.answers, sort_keys=True)
    replies = dialogue.text(session, question)
    assert len(replies) == 1 and expected in replies[0].text
    assert replies[0].text.endswith(dialogue.ask(session).text)
    assert session.state == state and json.dumps(session.answers, sort_keys=True) == stored
    assert any(b.data.startswith(f"a:{state}:") for b in replies[0].buttons) or state == "lang2_test"


def test_the_general_entry_stays_a_button_under_the_computed_answer(dialogue):
    session = at(dialogue, 4)
    reply = dialogue.text(session, "will my score go down when i turn 42?")[0]
    assert "q:age-points" in [b.data for b in reply.buttons]
    shown = dialogue.button(session, "q:age-points")[0]
    assert "How do age points work?" in shown.text


def test_a_question_not_about_the_person_gets_the_general_answer(faq, engines, full):
    text = ask(faq, engines, "how do age points work?", full)
    entry = default_retriever().by_id["age-points"]
    assert entry.answer in text and MARK not in text


@pytest.mark.parametrize(
    "question",
    [
        # the rule is the answer, not a computation on the person's answers
        "does my nursing experience need to be continuous for the healthcare category",
        "electrician in brazil with 8 years, how do i get the provincial certificate before moving",
        "worked 3 years as a software developer in bangalore, do i get any points for that experience",
        "can i use gold or property as proof of funds",
        "does a gift from my parents count for funds",
        "can i borrow money for proof of funds",
        "i have a job offer and a work permit in canada, do i still need proof of funds",
        "do i need an eca if i studied in canada",
        "my score equals the cutoff, why was i not invited",
        "does my daughter's age change the points when i apply?",
        # a question that gives its own test date is about that test
        "ielts taken in january 2024, will it expire before i get an ita",
        "can i use an ielts result from 3 years ago",
        "what if i am refused at the medical exam?",
    ],
)
def test_questions_a_computation_would_not_answer_get_the_knowledge_base(faq, engines, full, question):
    assert MARK not in ask(faq, engines, question, full)


def test_at_the_end_of_the_questionnaire_too(dialogue, full):
    session = Session(chat_id=4, state=DONE, answers=json.loads(json.dumps(full)))
    replies = dialogue.text(session, "when does my ielts expire?")
    assert "expire on 2027-05-02" in replies[0].text and MARK in replies[0].text


def test_ask_command_is_personal_too(dialogue):
    session = at(dialogue, 4)
    replies = dialogue.command(session, "ask", "will i lose points when i turn 42")
    assert "On 2027-03-08 you turn 42" in replies[0].text


# --- compound questions ----------------------------------------------------------------------------------------------
def test_a_compound_question_is_answered_in_its_parts(faq, engines, full):
    text = ask(faq, engines, "how many points for age and when does my test expire?", full)
    table = age_table(full)
    assert "› how many points for age?" in text and "› when does my test expire?" in text
    assert f"{table[41]} age points" in text and "expire on 2027-05-02" in text
    assert text.count(MARK) == 1


def test_a_compound_of_a_general_and_a_personal_question(faq, engines, full):
    text = ask(faq, engines, "what is an eca and when does my ielts expire?", full)
    entry = default_retriever().by_id["eca-what"]
    assert f"› what is an eca?\n{entry.answer}\nSource: {entry.source} (checked {entry.checked.isoformat()})" in text
    assert "› when does my ielts expire?\nYour IELTS General Training results" in text and MARK in text


def test_a_compound_with_a_part_not_computable_yet_names_what_is_missing(faq, engines):
    text = ask(faq, engines, "how many points for age and when does my test expire?", COUPLE_START)
    assert "› how many points for age?" in text and "On 2027-03-08 you turn 42" not in text  # not asked
    assert "35 age points" in text and "once I have your language tests" in text


def test_a_compound_with_a_part_that_does_not_resolve_is_answered_as_one_question(faq, engines, full):
    text = ask(faq, engines, "what is the weather in toronto and when does my ielts expire?", full)
    assert "›" not in text and "expire on 2027-05-02" in text


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("how many points for age and when does my test expire?", 2),
        ("when does my ielts expire? and my pte?", 1),
        ("does my online certificate count? it is a 6 month online certificate", 1),
        ("what if i get my WES done, what will be my score?", 1),
        ("is my score enough? when do my age points drop?", 2),
        ("points for age and education", 1),
        ("how much money do we need and is my job in the stem category and when does my test expire", 3),
        ("", 0),
    ],
)
def test_split_question(question, parts):
    assert len(personal.split_question(question)) == parts


# --- the table ---------------------------------------------------------------------------------------------------
def test_every_entry_the_table_names_exists_and_every_intent_computes():
    table = personal.load_table()
    ids = set(default_retriever().by_id)
    assert table.entry_ids() <= ids, table.entry_ids() - ids
    assert set(table.category_entries) <= ids
    assert {i.id for i in table.intents} == set(personal.COMPUTE)
    assert all(set(i.needs) <= set(personal.FACT_WORDS) for i in table.intents)
    categories = {c.key for c in default_category_rules().year_for(TODAY).categories}
    assert set(table.category_words) <= categories


def test_facts_are_known_only_when_answered(full):
    facts = facts_from_answers({"dob": "1985-03-08", "marital": "married"}, TODAY)
    assert facts.known == {"age"} and facts.with_spouse is None and facts.profile is None
    facts = facts_from_answers(full, TODAY)
    assert set(personal.FACT_WORDS) <= facts.known
    draft = {**full, "job_add": "yes", "job_draft": {"job_noc": "21231"}}
    assert "work" not in facts_from_answers(draft, TODAY).known  # a job being added: the history is not complete


# --- never a computed answer without its facts, never a crash ---------------------------------------------------------
QUESTIONS = [
    ("will my score go down when i turn 42?", {"age", "column"}),
    ("when does my ielts expire?", {"languages"}),
    ("how much money do i need for proof of funds?", {"family_size"}),
    ("is my job in the healthcare category?", {"work"}),
    ("is my score enough to get invited in a french draw?", {"score"}),
    ("what if i get my eca?", {"score"}),
    ("what is my score?", {"score"}),
    ("does my 6 month online certificate count?", {"education", "column"}),
    ("when does my eca expire?", {"education"}),
    ("how many points for age and when does my test expire?", set()),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_prefix_of_the_answers_computes_only_from_known_facts(faq, engines, full, data):
    keys = list(full)
    answers = {k: full[k] for k in keys[: data.draw(st.integers(0, len(keys)), label="answered")]}
    question, needs = data.draw(st.sampled_from(QUESTIONS), label="question")
    text = ask(faq, engines, question, answers)
    known = facts_from_answers(answers, TODAY).known
    if "languages" in needs and "first" in personal.dated_tests(answers):
        known = known | {"languages"}  # a test expiry needs only the test and its date, not its scores
    assert text
    if MARK in text and needs:
        assert needs <= known
    if needs and not needs <= known:
        assert MARK not in text


def test_no_answer_holds_a_personal_figure_for_a_number_the_answers_do_not_give(faq, engines):
    # "my 400 score" is not the person's score: without the answers, no figure is invented
    text = ask(faq, engines, "is my score of 400 enough for a french draw?", {})
    assert MARK not in text and not re.search(r"\b400 would have cleared\b", text)


# --- the programs, judged on the whole questionnaire ----------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "programs"),
    [
        ("am i eligible for fsw?", ["fsw"]),
        ("do i qualify for cec", ["cec"]),
        ("which programs am i eligible for?", ["fsw", "cec", "fst"]),
        ("can i apply under express entry with my profile?", ["fsw", "cec", "fst"]),
    ],
)
def test_program_eligibility_is_the_engines_verdict_with_its_reasons(faq, engines, full, question, programs):
    # "am i eligible for fsw" at the end got the general FSW rules (a stranger tester, 2026-12-02)
    text = ask(faq, engines, question, full)
    report = EligibilityEngine().assess(build_profile(full, TODAY))
    assert MARK in text
    for verdict in report.programs:
        shown = f"{verdict.label}: " in text
        assert shown == (verdict.program in programs), (verdict.program, text)
        if shown:
            status = {"eligible": "eligible.", "not_eligible": "not eligible.", "unknown": "cannot tell"}[
                verdict.status
            ]
            assert f"{verdict.label}: {status}" in text
            for check in verdict.checks:
                if check.ok is not True:
                    assert f"• {check.detail}" in text
            if verdict.grid is not None:
                assert f"selection grid: {verdict.grid.total} of 100 points" in text


def test_program_eligibility_before_the_end_says_what_it_needs(faq, engines, full):
    text = ask(faq, engines, "am i eligible for fsw?", {"dob": full["dob"]})
    assert "once I have the whole questionnaire" in text
