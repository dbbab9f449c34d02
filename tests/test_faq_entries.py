"""The knowledge base as data: the schema, the loader's checks, the shipped entries, maple-kb lint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.faq.cli import entry_point
from knowledge.faq.entries import FaqEntry, load_knowledge_base
from knowledge.faq.lint import lint

GOOD = {
    "id": "eca-validity",
    "question": "How long is an ECA valid?",
    "phrasings": ["eca expiry", "is my wes still valid"],
    "answer": "An ECA must be less than 5 years old.",
    "source": "https://www.canada.ca/en/immigration-refugees-citizenship.html",
    "checked": "2026-11-22",
    "tags": ["education"],
}


def write(directory: Path, name: str, entries: list[dict]) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(yaml.safe_dump(entries), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": "http://www.canada.ca/en.html"}, "source"),
        ({"source": "canada.ca/en.html"}, "source"),
        ({"id": "ECA Validity"}, "id"),
        ({"phrasings": ["only one"]}, "phrasings"),
        ({"answer": "   "}, "answer"),
        ({"answer": "x " * 500}, "answer"),
        ({"checked": "22/11/2026"}, "checked"),
        ({"tags": []}, "tags"),
        ({"colour": "red"}, "colour"),
        ({"fr": {"question": "Combien de temps?", "phrasings": ["une"], "answer": "Cinq ans."}}, "fr.phrasings"),
    ],
)
def test_an_invalid_entry_is_reported_with_its_field(tmp_path, change, field):
    kb = load_knowledge_base(write(tmp_path / "kb", "a.yaml", [dict(GOOD, **change)]))
    assert kb.entries == []
    assert any(p.message.startswith(field) and p.entry for p in kb.problems), kb.problems


@pytest.mark.parametrize("missing", ["question", "phrasings", "answer", "source", "checked", "tags"])
def test_every_required_field_is_required(tmp_path, missing):
    entry = {k: v for k, v in GOOD.items() if k != missing}
    kb = load_knowledge_base(write(tmp_path / "kb", "a.yaml", [entry]))
    assert [p.message.split(":")[0] for p in kb.problems] == [missing]


def test_duplicates_across_files_are_found(tmp_path):
    other = dict(GOOD, id="eca-how-long", phrasings=["ECA expiry!", "something else"])
    directory = write(tmp_path / "kb", "a.yaml", [GOOD])
    write(directory, "b.yaml", [other, dict(GOOD, question="A different question?", phrasings=["x y", "y z"])])
    messages = [str(p) for p in load_knowledge_base(directory).problems]
    assert any("duplicate question 'ECA expiry!': also in eca-validity" in m for m in messages)
    assert any("eca-validity: id already used in a.yaml" in m for m in messages)


def test_a_broken_file_is_reported_not_fatal(tmp_path):
    directory = write(tmp_path / "kb", "a.yaml", [GOOD])
    (directory / "b.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    kb = load_knowledge_base(directory)
    assert [e.id for e in kb.entries] == ["eca-validity"]
    assert any("not valid YAML" in p.message for p in kb.problems)


def test_french_fields_have_room_and_english_is_the_fallback():
    french = {
        "question": "Combien de temps une EDE est-elle valide?",
        "phrasings": ["validité de l'EDE", "expiration EDE"],
        "answer": "Moins de 5 ans.",
        "source": "https://www.canada.ca/fr/immigration-refugies-citoyennete.html",
    }
    entry = FaqEntry.model_validate(dict(GOOD, fr=french))
    assert entry.text("fr").question.startswith("Combien")
    assert entry.languages() == ["en", "fr"]
    plain = FaqEntry.model_validate(GOOD)
    assert plain.text("fr").question == GOOD["question"]


def test_the_shipped_knowledge_base_is_clean_and_large_enough():
    kb = load_knowledge_base()
    assert kb.problems == []
    assert len(kb.entries) >= 60
    assert all(e.checked <= date(2026, 12, 3) for e in kb.entries)


# the subjects the knowledge base must cover (issue #5), each with the entry that covers it
COVERED = [
    "online-credential-education-points",
    "online-credential-canadian-study-bonus",
    "canadian-study-bonus-conditions",
    "eca-what",
    "eca-organizations",
    "accepted-tests",
    "language-validity",
    "clb-nclc",
    "profile-validity",
    "ita-60-days",
    "provincial-nomination",
    "job-offer-points-ended",
    "sibling-points",
    "spouse-principal-applicant",
    "coq-points",
    "coq-trades",
    "fsw-minimums",
    "fst-minimums",
    "cec-minimums",
    "proof-of-funds-amount",
    "teer",
    "find-noc",
    "part-time-work",
    "self-employment",
    "categories-2026",
    "how-draws-work",
    "tie-break",
    "medical-exam",
    "police-certificates",
    "processing-time",
    "create-profile-steps",
    "secure-account",
    "personal-reference-code",
    "profile-documents",
]


@pytest.mark.parametrize("entry_id", COVERED)
def test_each_required_subject_has_an_entry(entry_id):
    assert entry_id in load_knowledge_base().by_id()


@pytest.mark.parametrize(
    ("entry_id", "facts"),
    [
        ("online-credential-canadian-study-bonus", ["Normally no", "8", "March 2020", "August 2022"]),
        ("job-offer-points-ended", ["2025-03-25"]),
        ("sibling-points", ["15", "18"]),
        ("ita-60-days", ["60 days"]),
        ("language-validity", ["2 years"]),
        ("medical-exam", ["2023-10-01"]),
        ("additional-cap", ["600"]),
        ("french-bonus", ["50", "25", "NCLC 7"]),
        ("tie-break", ["submitted"]),
        ("processing-time", ["6 months", "80%"]),
    ],
)
def test_key_facts_are_in_the_answers(entry_id, facts):
    answer = load_knowledge_base().by_id()[entry_id].answer
    for fact in facts:
        assert fact in answer, (entry_id, fact)


def test_lint_passes_on_the_shipped_entries():
    _, problems = lint(
        today=date(2026, 12, 3),
        topic_tags={
            "points",
            "education",
            "language",
            "work",
            "spouse",
            "programs",
            "funds",
            "draws",
            "profile",
            "after-ita",
        },
    )
    assert problems == []


def test_lint_finds_stale_future_unofficial_and_unreachable_entries(tmp_path):
    entries = [
        dict(GOOD, id="old", question="Old one?", phrasings=["a b", "b c"], checked="2025-01-01"),
        dict(GOOD, id="future", question="Future one?", phrasings=["c d", "d e"], checked="2027-01-01"),
        dict(GOOD, id="blog", question="Blog one?", phrasings=["e f", "f g"], source="https://www.cicnews.com/x"),
        dict(GOOD, id="hidden", question="Hidden one?", phrasings=["g h", "h i"], tags=["misc"]),
    ]
    _, problems = lint(write(tmp_path / "kb", "a.yaml", entries), date(2026, 12, 1), 180, {"education"})
    found = {(p.entry, p.message.split(" ")[0]) for p in problems}
    assert ("old", "checked") in found and ("future", "checked") in found
    assert ("blog", "source") in found and ("hidden", "no") in found
    assert len(problems) == 4


def test_lint_finds_an_entry_its_own_question_does_not_find(tmp_path):
    # "greedy" claims the very words of "victim"'s question in its phrasings: a curation mistake
    greedy = dict(GOOD, id="greedy", question="ECA renewal?", phrasings=["eca valid how long", "how long eca valid"])
    victim = dict(GOOD, id="victim", question="How long is an ECA valid?", phrasings=["wes expiry date", "ces expiry"])
    _, problems = lint(write(tmp_path / "kb", "a.yaml", [greedy, victim]), date(2026, 12, 1))
    assert [(p.entry, p.message) for p in problems] == [
        ("victim", "its own question finds greedy: make the question or phrasings more distinct")
    ]


def test_maple_kb_lint_exit_statuses(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        entry_point(["lint", "--today", "2026-12-03"])
    assert done.value.code == 0 and "entries: all good" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        entry_point(["lint", "--today", "2027-12-01", "--max-age-days", "30"])
    assert done.value.code == 1 and "more than 30 days old" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        entry_point(["lint", "--today", "not-a-date"])
    assert done.value.code == 2


def test_maple_kb_ask_shows_the_decision(capsys):
    with pytest.raises(SystemExit) as done:
        entry_point(["ask", "do", "i", "get", "points", "for", "my", "brother"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "decision: answer" in out and "15 points" in out


def test_maple_kb_ask_answers_a_french_question_in_french(capsys):
    with pytest.raises(SystemExit) as done:
        entry_point(["ask", "combien", "de", "points", "pour", "un", "frere", "au", "canada"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "decision: answer (fr)" in out and "confidence" in out
    assert "Source: https://www.canada.ca/fr/" in out
    with pytest.raises(SystemExit) as done:
        entry_point(["ask", "--language", "en", "combien", "de", "points", "pour", "un", "frere"])
    assert "(en)" in capsys.readouterr().out
