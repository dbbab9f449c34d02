"""The knowledge base in French: every entry translated, lint, French retrieval, language detection, floors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.faq.entries import ENTRIES_DIR, load_knowledge_base
from knowledge.faq.evaluation import DATA_DIR, EvalSet, evaluate_retriever
from knowledge.faq.french import fold
from knowledge.faq.language import detect_language
from knowledge.faq.learned import LABELLED_DIR
from knowledge.faq.lint import figures, french_problems, lint
from knowledge.faq.retriever import FaqRetriever, default_retriever

FRENCH_DIR = ENTRIES_DIR.parent / "fr"


@pytest.fixture(scope="module")
def retriever() -> FaqRetriever:
    return default_retriever()


def test_every_entry_has_a_french_version_from_the_fr_files():
    kb = load_knowledge_base()
    assert kb.problems == []
    assert len(kb.entries) >= 110
    for entry in kb.entries:
        assert entry.fr is not None, entry.id
        assert entry.fr.source and entry.fr.source.startswith("https://"), entry.id
        assert entry.fr.checked is not None and len(entry.fr.phrasings) >= 3, entry.id
    themes = {p.name for p in ENTRIES_DIR.glob("*.yaml")}
    assert {p.name for p in FRENCH_DIR.glob("*.yaml")} - {"glossary.yaml", "scope.yaml"} == themes


def test_lint_passes_in_both_languages():
    _, problems = lint(today=date(2026, 12, 3))
    assert problems == []


def _kb_with_french(tmp_path: Path, answer: str, source: str = "https://www.canada.ca/fr/x.html") -> Path:
    entries = tmp_path / "kb" / "entries"
    entries.mkdir(parents=True)
    english = {
        "id": "eca-validity",
        "question": "How long is an ECA valid?",
        "phrasings": ["eca expiry", "is my wes still valid"],
        "answer": "Less than 5 years old; 15,263 dollars.",
        "source": "https://www.canada.ca/en/x.html",
        "checked": "2026-11-22",
        "tags": ["education"],
    }
    (entries / "a.yaml").write_text(yaml.safe_dump([english]), encoding="utf-8")
    french = tmp_path / "kb" / "fr"
    french.mkdir()
    fields = {
        "id": "eca-validity",
        "question": "Combien de temps une EDE est-elle valide?",
        "phrasings": ["validite de l'ede", "mon wes est-il valide", "ede expiree"],
        "answer": answer,
        "source": source,
        "checked": "2026-12-02",
    }
    (french / "a.yaml").write_text(yaml.safe_dump([fields], allow_unicode=True), encoding="utf-8")
    return entries


def test_lint_catches_changed_figures_and_a_non_french_source(tmp_path):
    entries = _kb_with_french(tmp_path, "Moins de 6 ans; 15 263 dollars.", source="https://www.canada.ca/en/x.html")
    _, problems = lint(entries, date(2026, 12, 2))
    messages = " | ".join(p.message for p in problems)
    assert "figures differ" in messages and "missing ['5'], extra ['6']" in messages
    assert "not a French page" in messages


def test_lint_accepts_french_number_formats_and_flags_missing_translations(tmp_path):
    entries = _kb_with_french(tmp_path, "Moins de 5 ans; 15 263 dollars.")
    kb, problems = lint(entries, date(2026, 12, 2))
    assert problems == []
    bare = kb.entries[0].model_copy(update={"fr": None})
    assert french_problems(bare) == ["no French version (add it to fr/<theme file>.yaml)"]


@pytest.mark.parametrize(
    ("english", "french"),
    [("15,263 for 1", "15 263 pour 1"), ("IELTS 7.0", "IELTS 7,0"), ("2024-04-30: 950", "2024-04-30 : 950")],
)
def test_figures_read_both_number_formats(english, french):
    assert figures(english, "en") == figures(french, "fr")


def test_a_french_id_without_english_entry_is_a_problem(tmp_path):
    entries = _kb_with_french(tmp_path, "Moins de 5 ans; 15 263 dollars.")
    (entries.parent / "fr" / "b.yaml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": "ghost",
                    "question": "Q?",
                    "phrasings": ["a", "b", "c"],
                    "answer": "R.",
                    "source": "https://www.canada.ca/fr/y.html",
                    "checked": "2026-12-02",
                }
            ]
        ),
        encoding="utf-8",
    )
    kb = load_knowledge_base(entries)
    assert [(p.entry, p.message) for p in kb.problems] == [("ghost", "no English entry has this id")]


@pytest.mark.parametrize(
    ("question", "chat", "expected"),
    [
        ("mon EDE est-elle encore valide", None, "fr"),
        ("is my ECA still valid", None, "en"),
        ("combien de points pour mon frere", None, "fr"),
        ("c'est quoi une IPD", None, "fr"),
        ("qu'est-ce que le SCG", None, "fr"),
        ("evaluation des diplomes", "fr", "fr"),
        ("how many points for french", None, "en"),
        ("IELTS 7", None, "en"),
        ("IELTS 7", "fr", "fr"),
        ("12345", "fr", "fr"),
        ("", None, "en"),
        ("what is the TEF Canada", "fr", "en"),
        ("la preuve de fonds pour 2 personnes", "en", "fr"),
    ],
)
def test_language_detection(question, chat, expected):
    assert detect_language(question, chat) == expected


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Combien de temps une EDE est-elle valide?", "eca-validity"),
        ("mon ede est encore valide apres 5 ans", "eca-validity"),
        ("combien de points pour un frere au canada", "sibling-points"),
        ("c quoi une IPD", "what-is-ita"),
        ("quel test de français pour entrée express", "accepted-tests"),
        ("quel test de francais pour entree express", "accepted-tests"),
        ("est-ce que le bénévolat compte", "unpaid-work"),
    ],
)
def test_french_questions_get_french_answers_with_the_french_source(retriever, question, entry_id):
    result = retriever.ask(question, language="fr")
    assert result.kind == "answer" and result.entry is not None and result.entry.id == entry_id
    assert result.language == "fr"
    shown = result.entry.text(result.language)
    assert shown.answer == result.entry.fr.answer and shown.answer != result.entry.answer
    assert "/fr/" in (shown.source or "") or "/fra/" in (shown.source or "") or shown.source_note


@pytest.mark.parametrize("question", ["comment obtenir un permis d'études", "visa pour l'Australie", "la météo"])
def test_french_out_of_scope(retriever, question):
    assert retriever.ask(question, language="fr").kind == "out_of_scope"


def test_english_default_is_unchanged(retriever):
    result = retriever.ask("do i get points for my brother")
    assert result.language == "en" and result.entry is not None and result.entry.id == "sibling-points"


def test_fold_removes_accents_and_normalizes_apostrophes():
    assert fold("Évaluation des diplômes d’études") == "evaluation des diplomes d'etudes"


def test_french_tuning_floors(retriever):
    """Floors a little under the measured figures (2026-12-02: top-1 93.9%, answered right 87.1%,
    answered wrong 2.7%, out-of-scope refused 100% on 147 + 18 questions)."""
    data = EvalSet.load(LABELLED_DIR / "fr" / "faq_eval_fr.yaml")
    assert len(data.in_scope) >= 100 and len(data.out_of_scope) >= 15
    figures_ = evaluate_retriever(retriever, data, "fr")
    assert figures_.top1 >= 0.90
    assert figures_.answered_right >= 0.83
    assert figures_.answered_wrong <= 0.04
    assert figures_.refusals >= 0.90


# frozen, never opened: aggregates only. Floors under the figures measured 2026-12-03 with the learned
# out-of-scope similarity, three French calibration sets and the stricter operating point (top-1, right, wrong,
# refused; v1: 96.2%, 93.8%, 0.8%, 100%; v2: 98.3%, 89.4%, 0%, 97.5%; v3: 95.0%, 87.5%, 0.5%, 98.0%; v4: 96.0%,
# 87.0%, 1.5%, 100%; v5, written before this change and measured once before it (94.9%, 83.4%, 1.3%, 93.0%) and
# once after: 98.1%, 88.5%, 0.6%, 100%). Before it (2026-12-02): v1 96.2 / 95.4 / 0 / 96.9, v2 97.2 / 86.1 / 0 /
# 97.5, v3 95.0 / 87.0 / 0.5 / 88.0, v4 93.0 / 84.0 / 2.5 / 96.0.
FRENCH_FROZEN_FLOORS = {
    "faq_heldout_fr.yaml": (0.94, 0.91, 0.015, 0.96),
    "faq_heldout_fr_v2.yaml": (0.96, 0.87, 0.01, 0.95),
    "faq_heldout_fr_v3.yaml": (0.93, 0.85, 0.015, 0.96),
    "faq_heldout_fr_v4.yaml": (0.94, 0.85, 0.025, 0.97),
    "faq_heldout_fr_v5.yaml": (0.96, 0.86, 0.015, 0.97),
}


@pytest.mark.parametrize("name", sorted(FRENCH_FROZEN_FLOORS))
def test_floors_on_the_frozen_french_held_out_sets(retriever, name):
    figures_ = evaluate_retriever(retriever, EvalSet.load(DATA_DIR / name), "fr")
    top1, right, wrong, refused = figures_.top1, figures_.answered_right, figures_.answered_wrong, figures_.refusals
    low_top1, low_right, high_wrong, low_refused = FRENCH_FROZEN_FLOORS[name]
    met = (top1 >= low_top1, right >= low_right, wrong <= high_wrong, refused >= low_refused)
    assert met == (True, True, True, True), (
        f"top-1 {top1:.3f}, right {right:.3f}, wrong {wrong:.3f}, refused {refused:.3f}"
    )
