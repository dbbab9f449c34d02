"""Retrieval: the measured floors on the labelled sets, and the behaviours behind them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.faq.confidence import ConfidenceModels
from knowledge.faq.entries import FaqEntry, KnowledgeBase, load_knowledge_base
from knowledge.faq.evaluation import SETS, EvalSet, evaluate_plain_bm25, evaluate_retriever
from knowledge.faq.learned import LABELLED_DIR
from knowledge.faq.retriever import FaqRetriever, Gate, default_retriever

DATA = Path(__file__).parent / "data"
LABELLED = LABELLED_DIR  # the tuning and development sets, the paraphrases: the learned signal's training sets


@pytest.fixture(scope="module")
def retriever() -> FaqRetriever:
    return default_retriever()


def test_the_evaluation_sets_are_big_enough_and_labelled_with_real_entries():
    ids = load_knowledge_base().by_id()
    tuning = EvalSet.load(LABELLED / "faq_eval.yaml")
    heldout = EvalSet.load(DATA / "faq_heldout.yaml")
    rank, gate = EvalSet.load(LABELLED / "faq_dev_rank.yaml"), EvalSet.load(LABELLED / "faq_dev_gate.yaml")
    assert len(tuning.in_scope) >= 150 and len(tuning.out_of_scope) >= 40
    assert len(rank.in_scope) + len(gate.in_scope) >= 200 and len(rank.out_of_scope) + len(gate.out_of_scope) >= 40
    for item in [*tuning.in_scope, *heldout.in_scope, *rank.in_scope, *gate.in_scope]:
        assert item.id in ids, item
    # the development set asks about every entry in each of its two parts
    assert {i.id for i in rank.in_scope} == set(ids) == {i.id for i in gate.in_scope}
    for data in (tuning, rank, gate):
        assert len({i.q for i in data.in_scope}) == len(data.in_scope)
    # the two parts are disjoint: the answer threshold is set on questions the phrasings were not written from
    assert not {i.q for i in rank.in_scope} & {i.q for i in gate.in_scope}
    assert not set(rank.out_of_scope) & set(gate.out_of_scope)


def test_floors_on_the_tuning_set(retriever):
    # measured 2026-12-02 (its questions are now training examples of the learned signal): top-1 100%, answered
    # right 100%, wrong 0%, refused 94.9% (98.3% before the learned scope: "visitor visa processing time" is now
    # answered with the processing-time entry, where the scope rule refused it)
    figures = evaluate_retriever(retriever, EvalSet.load(LABELLED / "faq_eval.yaml"))
    assert figures.top1 >= 0.97, figures.misses
    assert figures.answered_right >= 0.95, figures.misses
    assert figures.refusals >= 0.93, figures.leaks
    assert figures.answered_wrong <= 0.01, figures.misses  # a wrong answer shown as an answer is the worst outcome


def test_floors_on_the_development_set(retriever):
    # both parts are training examples now (the gate part sets the answer threshold out of fold: see
    # knowledge/faq/fitting.py); measured 2026-12-02 with the learned gate: rank part top-1 100%, right 97.8%,
    # wrong 0%, refused 97.6%; gate part top-1 99.1%, right 93.8%, wrong 0.4%, refused 95.2%
    rank = evaluate_retriever(retriever, EvalSet.load(LABELLED / "faq_dev_rank.yaml"))
    assert rank.top1 >= 0.98 and rank.answered_right >= 0.92, rank.misses
    assert rank.answered_wrong <= 0.01 and rank.refusals >= 0.9, (rank.misses, rank.leaks)
    gate = evaluate_retriever(retriever, EvalSet.load(LABELLED / "faq_dev_gate.yaml"))
    assert gate.top1 >= 0.97 and gate.answered_right >= 0.9, gate.misses
    assert gate.answered_wrong <= 0.01 and gate.refusals >= 0.9, (gate.misses, gate.leaks)


def test_floors_on_the_held_out_set(retriever):
    # never tuned on (see the file's header); measured 2026-12-02 with the calibrated gate: top-1 97.0%, right
    # 92.4%, wrong 3.0% (2 of 66), refused 80.0% (12 of 15; with the first learned gate: 97.0%, 89.4%, 1.5%, 80.0%;
    # at the start of the day: 89.4%, 71.2%, 3.0%, 93.3%)
    figures = evaluate_retriever(retriever, EvalSet.load(DATA / "faq_heldout.yaml"))
    assert figures.top1 >= 0.95, figures.misses
    assert figures.answered_right >= 0.9, figures.misses
    assert figures.refusals >= 0.8, figures.leaks
    assert figures.answered_wrong <= 0.035, figures.misses


# frozen, never opened: aggregates only, so no assertion message shows their questions. The floors sit under
# the figures measured 2026-12-03 with the learned out-of-scope similarity, five calibration sets and the stricter
# operating point (top-1, right, wrong, refused; v2: 91.2%, 82.4%, 3.4%, 97.3%; v3: 97.8%, 90.8%, 0.9%, 100%;
# v4: 98.7%, 96.0%, 0%, 100%; v5: 98.3%, 95.7%, 0.7%, 98.8%; v6: 97.3%, 94.0%, 0.7%, 100%; v7: 95.7%, 92.0%,
# 2.7%, 98.8%; v8, written before this change and measured once before it (98.0%, 96.0%, 0.7%, 87.8%) and once
# after: 98.3%, 97.0%, 0.3%, 98.6%). Before it (2026-12-02): v2 91.2 / 83.8 / 3.4 / 97.3, v3 97.4 / 91.3 / 0.9 /
# 100, v4 98.7 / 95.7 / 0 / 98.3, v5 97.7 / 95.3 / 1.0 / 91.2, v6 97.3 / 95.7 / 1.0 / 90.0, v7 96.0 / 92.0 / 2.7 /
# 93.8. A change that loses ground on unseen questions fails here.
FROZEN_FLOORS = {
    "faq_heldout_v2.yaml": (0.89, 0.8, 0.04, 0.95),
    "faq_heldout_v3.yaml": (0.96, 0.89, 0.015, 0.98),
    "faq_heldout_v4.yaml": (0.97, 0.94, 0.01, 0.98),
    "faq_heldout_v5.yaml": (0.96, 0.94, 0.015, 0.97),
    "faq_heldout_v6.yaml": (0.96, 0.92, 0.015, 0.98),
    "faq_heldout_v7.yaml": (0.945, 0.9, 0.035, 0.97),
    "faq_heldout_v8.yaml": (0.97, 0.95, 0.01, 0.97),
}


@pytest.mark.parametrize("name", sorted(FROZEN_FLOORS))
def test_floors_on_the_frozen_held_out_sets(retriever, name):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    figures = evaluate_retriever(retriever, EvalSet.load(path))
    top1, right, wrong, refused = figures.top1, figures.answered_right, figures.answered_wrong, figures.refusals
    low_top1, low_right, high_wrong, low_refused = FROZEN_FLOORS[name]
    met = (top1 >= low_top1, right >= low_right, wrong <= high_wrong, refused >= low_refused)
    assert met == (True, True, True, True), (
        f"top-1 {top1:.3f}, right {right:.3f}, wrong {wrong:.3f}, refused {refused:.3f}"
    )


def test_an_answer_offers_the_two_nearest_entries_under_it(retriever):
    result = retriever.ask("ECA organizations")
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "eca-organizations"
    related = [e.id for e in result.related]
    assert 1 <= len(related) <= 2 and "eca-organizations" not in related and "eca-what" in related
    assert result.suggestions == []


def test_context_around_a_known_question_does_not_hide_the_answer(retriever):
    question = "hi all, from lagos, 31 years old, my son turned 22 after we applied, is he still a dependant?"
    result = retriever.ask(question)
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "dependent-children"


def test_a_clear_lead_answers_a_question_full_of_context(retriever):
    question = "my HR is asking what to write in the experience letter for IRCC, what needs to be in it exactly?"
    result = retriever.ask(question)
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "work-reference-letter"
    assert result.confidence is not None and result.confidence >= 0.95 and result.suggestions == []
    # the hand-set gate (a language without learned models) answers it by its clear-lead rule, and only by it
    rules = FaqRetriever(load_knowledge_base(), models=ConfidenceModels.none())
    by_rules = rules.ask(question)
    assert by_rules.kind == "answer" and by_rules.confidence is None
    top, runner = by_rules.matches[0], by_rules.matches[1]
    assert top.rank >= rules.gate.lead_margin * runner.rank
    assert 1 <= len(by_rules.related) <= 2  # the nearest ones under it, not instead
    cautious = FaqRetriever(load_knowledge_base(), gate=Gate(lead_margin=float("inf")), models=ConfidenceModels.none())
    assert cautious.ask(question).kind != "answer"


def test_maple_beats_plain_bm25_where_it_matters():
    kb = load_knowledge_base()
    data = EvalSet.load(LABELLED / "faq_eval.yaml")
    ours, plain = evaluate_retriever(FaqRetriever(kb), data), evaluate_plain_bm25(kb, data)
    assert ours.top1 > plain.top1
    assert ours.refusals > plain.refusals + 0.5
    assert ours.answered_wrong < plain.answered_wrong


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # typos
        ("what is an educational credential assesment", "eca-what"),
        ("job ofer points", "job-offer-points-ended"),
        ("points for foreign work experiance", "foreign-work-points"),
        ("how long is my langauge test valid", "language-validity"),
        ("proof of fund amout", "proof-of-funds-amount"),
        # abbreviations
        ("ielts validity", "language-validity"),
        ("what is eca", "eca-what"),
        ("how many points for pnp", "provincial-nomination"),
        ("cec requirements", "cec-minimums"),
        ("fsw requirements", "fsw-minimums"),
        ("coq points", "coq-points"),
        ("what is ita", "what-is-ita"),
        ("how long to get pr after applying", "processing-time"),
        ("what is noc", "find-noc"),
        ("teer meaning", "teer"),
        ("what is clb", "clb-nclc"),
        ("pof for family of 4", "proof-of-funds-amount"),
        # plurals and everyday words
        ("do my siblings give points", "sibling-points"),
        ("does my wife need a language test", "spouse-language"),
        ("which tests are accepted", "accepted-tests"),
        ("do u get points for ur brother", "sibling-points"),
    ],
)
def test_typos_abbreviations_and_everyday_words_find_the_entry(retriever, question, entry_id):
    assert retriever.search(question, k=1)[0].entry_id == entry_id


@pytest.mark.parametrize(
    ("typed", "repaired"),
    [
        ("ilets", "ielts"),  # two letters swapped: one slip, as "lets" (one missing) is; the first letter decides
        ("ilts", "ielts"),
        ("celpp", "celpip"),
        ("experiance", "experience"),
        ("assesment", "assessment"),
        ("certifcate", "certificate"),
        ("sibiling", "sibling"),
        ("validity", "validity"),  # a known word is kept
    ],
)
def test_a_typo_is_repaired_to_the_word_one_slip_away(retriever, typed, repaired):
    assert retriever.indexes["en"].analyzer.repair([typed]) == [repaired]


def test_a_swapped_letter_in_a_test_name_still_answers(retriever):
    result = retriever.ask("ilets validity", "en")
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "language-validity"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("does my online certificate count", "answer"),
        ("is my IELTS still valid", "answer"),
        ("do I get points for my brother in Toronto", "answer"),
        ("how do i apply for australian pr", "out_of_scope"),
        ("how do i sponsor my parents", "answer"),  # a pointer to the family sponsorship page
        ("when do i give biometrics for pr", "answer"),
        # near an out-of-scope question people ask (the learned similarity to them), though no scope phrase
        ("my vfs biometrics appointment got cancelled, how do i book a new slot", "dont_know"),
        ("i lived in germany for 3 years, do i need a police certificate", "answer"),  # a country is context
        ("what is the uk skilled worker visa", "out_of_scope"),
        ("how to apply for a study permit", "out_of_scope"),
        ("who won the hockey game", "out_of_scope"),
        ("what is the capital of canada", "dont_know"),
        ("asdfgh", "dont_know"),
        ("8 7 7", "dont_know"),
        ("", "dont_know"),
    ],
)
def test_the_gate(retriever, question, kind):
    assert retriever.ask(question).kind == kind


def test_a_country_name_does_not_make_an_express_entry_question_out_of_scope(retriever):
    result = retriever.ask("I lived in Australia for two years, do I need a police certificate from there?")
    assert result.kind in ("answer", "suggest")
    assert result.matches[0].entry_id == "police-certificates"


@pytest.mark.parametrize(("question", "expected"), [("spouse", "spouse-scored-single"), ("spouse", "spouse-points")])
def test_an_ambiguous_question_offers_the_closest_entries_not_an_answer(retriever, question, expected):
    result = retriever.ask(question)
    assert result.kind == "suggest"
    assert 2 <= len(result.suggestions) <= 3
    assert expected in [e.id for e in result.suggestions]


def test_a_lone_acronym_is_answered_by_its_definition_with_its_neighbours_under_it(retriever):
    result = retriever.ask("eca")
    assert result.kind == "answer" and result.entry is not None and result.entry.id == "eca-what"
    assert "eca-organizations" in [e.id for e in result.related]


def english_only() -> KnowledgeBase:
    return KnowledgeBase(entries=[e.model_copy(update={"fr": None}) for e in load_knowledge_base().entries])


def test_french_questions_use_the_french_fields():
    english = english_only()
    fields = {
        "question": "Combien de temps une évaluation des diplômes d'études est-elle valide?",
        "phrasings": ["validité de l'EDE", "mon évaluation WES est-elle encore valide"],
        "answer": "Moins de 5 ans.",
    }
    french = FaqEntry.model_validate(dict(english.by_id()["eca-validity"].model_dump(), fr=fields))
    entries = [french if e.id == "eca-validity" else e for e in english.entries]
    retriever = FaqRetriever(KnowledgeBase(entries=entries))
    assert set(retriever.indexes) == {"en", "fr"}
    assert retriever.search("mon évaluation des diplômes est-elle valide", language="fr", k=1)[0].entry_id == (
        "eca-validity"
    )
    # no French index: a French question to an English-only base falls back to English
    assert FaqRetriever(english_only())._index("fr").analyzer.language == "en"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gets_a_decision_and_never_an_error(text):
    result = _shared().ask(text)
    assert result.kind in ("answer", "suggest", "dont_know", "out_of_scope")
    assert (result.entry is not None) == (result.kind == "answer")
    assert len(result.suggestions) <= 3
    assert len(result.related) <= 2 and (not result.related or result.kind == "answer")
    assert result.entry is None or result.entry not in result.related
    if not any(ch.isalpha() for ch in text):
        assert result.kind == "dont_know"


_CACHE: list[FaqRetriever] = []


def _shared() -> FaqRetriever:
    if not _CACHE:
        _CACHE.append(default_retriever())
    return _CACHE[0]


@pytest.mark.parametrize(
    "text",
    ["🍁" * 2000, "what is an eca? " * 250, "9" * 4096, "x" * 4096, "\x00\n\t<>&;DROP TABLE", "ÉCA? ça compte?"],
)
def test_odd_or_huge_messages_get_a_decision(retriever, text):
    assert retriever.ask(text).kind in ("answer", "suggest", "dont_know", "out_of_scope")


class _Letters:
    """A stand-in embedder (bag of letters): exercises the hybrid ranking without the optional model."""

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 26), dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    vectors[row, ord(ch) - 97] += 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def test_the_hybrid_ranking_adds_similar_entries_and_keeps_the_gate():
    kb = load_knowledge_base()
    hybrid = FaqRetriever(kb, gate=Gate(semantic_weight=1.0), semantic=_Letters())
    matches = hybrid.search("what is an eca", k=3)
    assert matches[0].entry_id == "eca-what" and all(-1.0 <= m.similarity <= 1.0001 for m in matches)
    assert hybrid.ask("who won the hockey game").kind == "out_of_scope"
    assert hybrid.ask("8 7 7").kind == "dont_know"


def test_the_packaged_wordllama_model_loads_offline():
    from knowledge.faq.embedding import wordllama_embedder

    vectors = wordllama_embedder().embed(["what is an eca", "educational credential assessment", "hockey game"])
    assert vectors.shape == (3, 256)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


def test_maple_kb_eval_shows_the_three_sets_and_never_a_question_of_v2(capsys):
    from knowledge.faq.cli import entry_point

    with pytest.raises(SystemExit) as done:
        entry_point(["eval", "--misses"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    names = ("tuning", "dev rank", "dev gate", "held-out (old)", "held-out v2", "held-out v5", "bm25", "WRONG")
    assert all(name in out for name in names)
    shown = {q for s in SETS if not s.blind for q in _questions(EvalSet.load(s.path))}  # their misses may print
    for frozen in (DATA / name for name in FROZEN_FLOORS):
        if frozen.exists():  # checked without printing: the set stays unread by people
            # a question another set also asks (or holds in a longer one) may be printed as that set's
            own = [q for q in _questions(EvalSet.load(frozen)) if not any(q in other for other in shown)]
            assert sum(q in out for q in own) == 0, frozen.name


def _questions(data: EvalSet) -> list[str]:
    return [item.q for item in data.in_scope] + list(data.out_of_scope)


def test_maple_kb_eval_can_leave_the_frozen_set_out(capsys):
    from knowledge.faq.cli import entry_point

    with pytest.raises(SystemExit) as done:
        entry_point(["eval", "--set", "dev gate", "--set", "tuning"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "dev gate maple" in out and "tuning bm25" in out and "held-out" not in out
    with pytest.raises(SystemExit) as done:
        entry_point(["eval", "--set", "no such set"])
    assert done.value.code == 2
