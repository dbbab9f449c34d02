"""A what-if that names a language level ("NCLC 9 partout", "CLB 9 in writing", "my wife got CLB 9").

The figure expected is the scorer's (knowledge.crs.scoring) for the answers changed by hand here: the asked
results set to the asked level as a direct CLB/NCLC result (not the engine's own raw-score lookup), so a move
that changes the wrong language, the wrong abilities or the wrong person cannot pass. And a change Maple
cannot compute never gets "it stays" / "cela ne change pas": the knowledge base answers instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.conversation import DONE, Dialogue, Session
from flows.faq_replies import Asker, FaqReplies
from flows.profile_builder import build_profile
from flows.results import Results
from knowledge.crs import whatif
from knowledge.crs.scoring import default_scorer
from knowledge.language import ABILITIES
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.programs.noc import default_noc_index
from tests.test_personal import TODAY, TYPED

# TEF Canada (699 scale) results: NCLC 8/7/8/7 for her, 8/8/7/6 for the partner (the tester's 480/470/430/450)
FRENCH_FIRST = {"listening": 470, "reading": 440, "writing": 480, "speaking": 460}
PARTNER_TEF = {"listening": 480, "reading": 470, "writing": 430, "speaking": 450}


@pytest.fixture(scope="module")
def full(faq) -> dict[str, Any]:
    dialogue = Dialogue(Results(default_scorer(), EligibilityEngine()), default_noc_index(), lambda: TODAY, faq)
    session = Session(chat_id=1)
    dialogue.start(session)
    for text in TYPED:
        dialogue.text(session, text)
    assert session.state == DONE
    return session.answers


def french_first(full: dict[str, Any]) -> dict[str, Any]:
    """The accountant: French first language (TEF Canada, NCLC 7-8), no second language."""
    return {**full, "lang1_test": "tef_canada", "lang1_date": "2025-05-02", "lang1_scores": FRENCH_FIRST}


def french_partner(full: dict[str, Any]) -> dict[str, Any]:
    """The engineer: IELTS first language, an accompanying partner with TEF Canada 480/470/430/450."""
    return {**full, "spouse_test": "tef_canada", "spouse_date": "2025-06-01", "spouse_scores": PARTNER_TEF}


def levels(answers: dict[str, Any], prefix: str) -> dict[str, int]:
    profile = build_profile(answers, TODAY)
    result = {"lang1": profile.first_language, "spouse": profile.spouse.language if profile.spouse else None}[prefix]
    assert result is not None
    return dict(result.levels)


def at_level(answers: dict[str, Any], prefix: str, level: int, abilities: tuple[str, ...] = ABILITIES) -> dict:
    """The answers with those results as a direct NCLC/CLB result at ``level`` in ``abilities`` (others kept)."""
    now = levels(answers, prefix)
    french = answers[f"{prefix}_test"] in ("tef_canada", "tcf_canada", "nclc")
    scores = {a: max(now[a], level) if a in abilities else now[a] for a in ABILITIES}
    return {**answers, f"{prefix}_test": "nclc" if french else "clb", f"{prefix}_scores": scores}


def total(answers: dict[str, Any]) -> int:
    return default_scorer().score(build_profile(answers, TODAY)).total


def ask(faq: FaqReplies, engines, question: str, answers: dict[str, Any]) -> str:
    return faq.ask(question, Asker(answers, TODAY, engines))[1].text


# (who, question, whose results, the level, the abilities changed)
ASKED = [
    (french_first, "et si j'obtiens NCLC 9 partout ?", "lang1", 9, ABILITIES),
    (french_first, "Et si j'ai NCLC 9 dans les quatre ?", "lang1", 9, ABILITIES),
    (french_first, "what if I get NCLC 9 in all four?", "lang1", 9, ABILITIES),
    (french_first, "et si j'ai NCLC 9 en expression écrite ?", "lang1", 9, ("writing",)),
    (french_first, "et si j'ai NCLC 9 en EE ?", "lang1", 9, ("writing",)),
    (french_first, "et si j'obtiens NCLC 10 en compréhension de l'écrit ?", "lang1", 10, ("reading",)),
    (french_first, "et si j'ai NCLC 9 en expression orale et en compréhension de l'oral ?", "lang1", 9,
     ("listening", "speaking")),
    (french_first, "what if I get NCLC 9 in writing?", "lang1", 9, ("writing",)),
    (french_first, "what if my writing goes to CLB 9?", "lang1", 9, ("writing",)),
    (french_first, "what if my speaking goes to CLB 10?", "lang1", 10, ("speaking",)),
    (french_partner, "et si ma femme avait NCLC 9 ?", "spouse", 9, ABILITIES),
    (french_partner, "what if my wife got CLB 9?", "spouse", 9, ABILITIES),
    (french_partner, "what if my husband gets NCLC 8?", "spouse", 8, ABILITIES),
    (lambda a: a, "what if my writing goes to CLB 10?", "lang1", 10, ("writing",)),  # IELTS, CLB 9 in all four
]  # fmt: skip


@pytest.mark.parametrize(("who", "question", "prefix", "level", "abilities"), ASKED)
def test_a_level_asked_gives_the_scorers_figure_for_those_results_at_that_level(
    faq, engines, full, who, question, prefix, level, abilities
):
    answers = who(full)
    before, after = total(answers), total(at_level(answers, prefix, level, abilities))
    assert after > before  # the tester's cases: the bot said it stays
    text = ask(faq, engines, question, answers)
    assert f"{before} -> {after} (+{after - before})" in text, text
    assert f"stays {before}" not in text and f"reste {before}" not in text and "ne change" not in text
    if question.lower().startswith("et si"):  # a French question is answered in French
        assert f"votre score {before} -> {after}" in text and "Only that change" not in text


def test_one_ability_named_changes_that_ability_only(faq, engines, full):
    answers = french_first(full)
    one = total(at_level(answers, "lang1", 9, ("writing",)))
    four = total(at_level(answers, "lang1", 9))
    assert one != four
    text = ask(faq, engines, "what if my writing goes to CLB 9?", answers)
    assert f"-> {one} " in text and f"-> {four} " not in text


# what Maple cannot compute for this person: never "it stays", the knowledge base's answer instead
CANNOT = [
    (french_partner, "what if my wife retakes her TEF?"),  # a new result, at no level said
    (french_partner, "et si ma femme repasse son test ?"),
    (french_first, "what if i take the TCF?"),  # French is already the first language
    (french_first, "et si je passe le TCF ?"),
    (lambda a: {**a, "education": "secondary"}, "what if i get a second degree?"),  # not "already at that level"
    (lambda a: a, "what if i get clb 12 in all four?"),  # beyond the top of every conversion table
    (lambda a: a, "et si mon expression écrite passe à NCLC 9 ?"),  # one ability of a French test not taken
    (lambda a: a, "what if i work another year in canada?"),  # no job in Canada to continue
    (french_first, "what if i improve my english?"),  # not her first language (French): no move for it
]


@pytest.mark.parametrize(("who", "question"), CANNOT)
def test_a_change_maple_cannot_compute_never_says_the_score_stays(faq, engines, full, who, question):
    answers = who(full)
    text = ask(faq, engines, question, answers)
    assert f"stays {total(answers)}" not in text and f"reste {total(answers)}" not in text
    assert "does not change your score" not in text and "ne change donc pas" not in text


def test_a_level_already_reached_says_so_and_the_score_it_keeps(faq, engines, full):
    # IELTS 8 7 7 7 is CLB 9 in all four: CLB 9 in writing is already in the answers
    assert levels(full, "lang1")["writing"] == 9
    text = ask(faq, engines, "what if my writing goes to CLB 9?", full)
    assert "already at level 9 or higher" in text and f"it stays {total(full)}" in text


def test_the_level_moves_are_scored_on_a_copy_and_keep_the_engine_api(full):
    profile = build_profile(french_partner(full), TODAY)
    key = whatif.level_key("partner", 9)
    found = whatif.what_if(profile, key)
    assert found is not None and found.after == total(at_level(french_partner(full), "spouse", 9))
    assert profile.spouse is not None and profile.spouse.language is not None
    assert profile.spouse.language.levels == levels(french_partner(full), "spouse")  # the original untouched
    assert key not in {w.key for w in whatif.what_ifs(profile)}  # asked in words only, never a ranked button
    for bad in ("first_level:3", "first_level:11", "first_level:9:typing", "partner_level:9:writing", "first_level:x"):
        assert whatif.what_if(profile, bad) is None


@pytest.mark.parametrize("question", ["what if my wife got CLB 9?", "et si mon mari avait NCLC 9 ?"])
def test_a_partner_with_no_test_gets_a_test_at_the_asked_level(faq, engines, full, question):
    assert full["spouse_test"] == "none"
    nine = dict.fromkeys(ABILITIES, 9)
    tested = {**full, "spouse_test": "clb", "spouse_date": "2026-09-01", "spouse_scores": nine}
    before, after = total(full), total(tested)
    assert after > before
    assert f"{before} -> {after} (+{after - before})" in ask(faq, engines, question, full)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    level=st.integers(min_value=4, max_value=10),
    chosen=st.sets(st.sampled_from(ABILITIES), min_size=1),
    whose=st.sampled_from(["lang1", "spouse"]),
)
def test_any_level_move_is_the_scorers_total_for_those_results_at_that_level(full, level, chosen, whose):
    answers = french_partner(french_first(full))
    abilities = tuple(a for a in ABILITIES if a in chosen) if whose == "lang1" else ABILITIES
    key = whatif.level_key("first" if whose == "lang1" else "partner", level, abilities)
    found = whatif.what_if(build_profile(answers, TODAY), key)
    if all(levels(answers, whose)[a] >= level for a in abilities):
        assert found is None  # nothing rises: no move (and "it stays" only because the answers hold it)
    else:
        assert found is not None and found.after == total(at_level(answers, whose, level, abilities))
