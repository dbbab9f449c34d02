"""French sources of the knowledge base: the lint rule for English pages, and what the French files cite (issue #14)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from knowledge.faq.entries import FaqEntry, load_knowledge_base
from knowledge.faq.lint import french_problems

ENGLISH_NOT_SAID = "English page and its source_note does not say so"
NOT_FRENCH = "not a French page"


def _entry(source: str, note: str | None) -> FaqEntry:
    french = {
        "question": "Combien de temps une EDE est-elle valide?",
        "phrasings": ["validite de l'ede", "mon wes est-il valide", "ede expiree"],
        "answer": "Moins de 5 ans.",
        "source": source,
        "source_note": note,
    }
    return FaqEntry.model_validate(
        {
            "id": "eca-validity",
            "question": "How long is an ECA valid?",
            "phrasings": ["eca expiry", "is my wes still valid"],
            "answer": "Less than 5 years.",
            "source": "https://www.canada.ca/en/x.html",
            "checked": "2026-11-22",
            "tags": ["education"],
            "fr": french,
        }
    )


@pytest.mark.parametrize(
    ("source", "note", "expected"),
    [
        ("https://www.canada.ca/fr/immigration-refugies-citoyennete/x.html", None, None),
        ("https://laws-lois.justice.gc.ca/fra/lois/i-2.5/article-36.html", None, None),
        ("https://www.statcan.gc.ca/fr/sujets/norme/cnp/2021/indexV1", None, None),
        ("https://ircc.canada.ca/francais/information/frais/bareme.asp", None, None),
        ("https://www.canada.ca/en/immigration-refugees-citizenship/x.html", None, NOT_FRENCH),
        # a note that does not say the page is English is no longer enough
        (
            "https://www.canada.ca/en/immigration-refugees-citizenship/x.html",
            "Adresse tirée d'une correspondance publique anglais-français; page non consultée.",
            ENGLISH_NOT_SAID,
        ),
        (
            "https://www.canada.ca/en/immigration-refugees-citizenship/x.html",
            "Page française non confirmée.",
            ENGLISH_NOT_SAID,
        ),
        ("https://laws-lois.justice.gc.ca/eng/acts/i-2.5/section-36.html", "Loi.", ENGLISH_NOT_SAID),
        ("https://ircc.canada.ca/english/information/fees/fees.asp", "Frais.", ENGLISH_NOT_SAID),
        (
            "https://www.canada.ca/en/immigration-refugees-citizenship/x.html",
            "Page anglaise citée : aucune adresse française trouvée.",
            None,
        ),
        # a page without a language in its address still needs a note, any note
        ("https://secure.cic.gc.ca/PanelPhysicianMedecinDesigne/Accueil", None, NOT_FRENCH),
        ("https://secure.cic.gc.ca/PanelPhysicianMedecinDesigne/Accueil", "Page bilingue.", None),
    ],
)
def test_french_source_rule(source, note, expected):
    problems = [p for p in french_problems(_entry(source, note)) if "French source" in p]
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems


@pytest.fixture(scope="module")
def french_entries():
    kb = load_knowledge_base()
    assert kb.problems == []
    return [(entry, entry.fr) for entry in kb.entries if entry.fr is not None]


def test_every_french_source_passes_the_rule(french_entries):
    for entry, _ in french_entries:
        assert [p for p in french_problems(entry) if "French source" in p] == [], entry.id


def test_french_ircc_pages_use_the_french_site_and_the_current_program_folder(french_entries):
    for entry, french in french_entries:
        source = french.source or entry.source
        url = urlparse(source)
        if url.hostname == "www.canada.ca" and url.path.startswith("/fr/"):
            assert url.path.startswith("/fr/immigration-refugies-citoyennete/"), (entry.id, source)
            assert "immigration-refugees-citizenship" not in url.path, (entry.id, source)
            # the three programs' pages sit together under qui-presenter-demande/ (the old address is gone)
            assert "/devenir-candidat/" not in url.path, (entry.id, source)


def test_an_english_source_in_a_french_entry_is_one_with_no_french_address_found(french_entries):
    english = {(french.source or entry.source) for entry, french in french_entries if "/en/" in (french.source or "")}
    for entry, french in french_entries:
        if (french.source or entry.source) in english:
            assert (french.source_note or "").startswith("Page anglaise citée"), entry.id


def test_every_french_source_note_says_how_the_address_was_established(french_entries):
    how = (
        "Adresse tirée",
        "Adresse déduite",
        "Contenu lu dans une copie conservée",
        "Page anglaise citée",
        "« criteries » est bien",
        "Version française de la Loi",
        "Page française jumelle selon le modèle",
    )
    for entry, french in french_entries:
        note = french.source_note or ""
        assert note.startswith(how), (entry.id, note)
        # an address taken from a public map or a pattern is never presented as a page that was read
        if note.startswith(("Adresse tirée", "Adresse déduite")):
            assert "non consultée" in note or "n'a pas été consultée" in note, (entry.id, note)


@pytest.mark.parametrize(
    ("english", "french", "same"),
    [
        ("since 2025-07-07: $15,263", "depuis le 7 juillet 2025 : 15 263 $", True),
        ("from 2026-01-01 to 2026-09-16", "du 1er janvier 2026 au 16 septembre 2026", True),
        ("since 2025-07-07", "depuis le 2025-07-07", True),
        ("since 2025-07-07", "depuis le 8 juillet 2025", False),
        ("on 2026-02-18, 12 months", "le 18 février 2026, 6 mois", False),
    ],
)
def test_the_figures_check_reads_a_french_written_date_as_its_iso_day(english, french, same):
    from knowledge.faq.lint import figures

    assert (figures(english, "en") == figures(french, "fr")) is same


def test_a_french_chat_is_told_only_what_a_person_needs_about_the_source():
    # the French notes record how each French address was found (for maintainers): never shown; a French chat
    # learns only that the page cited is in English, when it is
    from flows.faq_replies import FaqReplies
    from knowledge.faq.retriever import default_retriever

    faq = FaqReplies(default_retriever())
    shown = {e.id: faq.entry(e, "fr").text for e in default_retriever().kb.entries if e.fr is not None}
    english_page = [
        i for i, e in default_retriever().by_id.items() if (e.fr.source_note or "").startswith("Page anglaise")
    ]
    assert english_page, "some French entries cite an English page"
    for entry_id, text in shown.items():
        assert "find_string" not in text and "correspondance publique" not in text and "non consultée" not in text
        assert ("n'existe qu'en anglais" in text) == (entry_id in english_page), entry_id
    # in English the note says how the facts were read (through copies, not the live page): shown as written
    noted = next(e for e in default_retriever().kb.entries if e.source_note)
    assert f"About this source: {noted.source_note}" in faq.entry(noted, "en").text
