"""knowledge.wording: a sentence knowledge makes is its English text and keeps its template and parameters, so the
flows edge says it in the person's language exactly (issue #14)."""

from __future__ import annotations

import copy
import pickle
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from flows.i18n import Languages
from flows.i18n.extract import KNOWLEDGE_DIR, KNOWLEDGE_MARKERS, code_messages
from flows.result_terms import term
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.wording import Fixed, Joined, Money, Occupation, Phrase, Text, english

NEED = "you need {unit} {need} in {ability}; you have {unit} {level}"


class Holder(BaseModel):
    one: Text
    many: list[Text] = []


@pytest.fixture(scope="module")
def fr():
    return Languages.load().get("fr")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (7, "7"),
        (1560, "1,560"),
        (Money(15263), "$15,263"),
        (Fixed(1.254, 2), "1.25"),
        (Fixed(11.6, 1), "11.6"),
        (date(2026, 10, 1), "2026-10-01"),
        ("2026", "2026"),
        (Occupation("31301", "Registered nurses"), "Registered nurses"),
        (True, "True"),
    ],
)
def test_a_parameter_in_english_is_what_knowledge_always_wrote(value, said):
    assert english(value) == said


def test_a_phrase_is_its_english_text_and_keeps_its_template():
    phrase = Phrase(NEED, unit="CLB", need=7, ability="speaking", level=6)
    assert phrase == "you need CLB 7 in speaking; you have CLB 6" and isinstance(phrase, str)
    assert (phrase.msgid, dict(phrase.params)) == (NEED, {"unit": "CLB", "need": 7, "ability": "speaking", "level": 6})
    for again in (copy.deepcopy(phrase), pickle.loads(pickle.dumps(phrase))):
        assert again == phrase and again.msgid == NEED and dict(again.params) == dict(phrase.params)
    joined = Joined("; ", [phrase, "CLB 7+ in all four abilities"])
    assert joined == "you need CLB 7 in speaking; you have CLB 6; CLB 7+ in all four abilities"
    assert pickle.loads(pickle.dumps(joined)).parts == joined.parts
    assert phrase.upper_first() == "You need CLB 7 in speaking; you have CLB 6"


def test_a_text_field_keeps_the_phrase_and_dumps_plain_english():
    phrase = Phrase("{size} people", size=3)
    held = Holder(one=phrase, many=[phrase, "plain"])
    assert isinstance(held.one, Phrase) and held.one.msgid == "{size} people" and isinstance(held.many[0], Phrase)
    assert held.model_dump(mode="json") == {"one": "3 people", "many": ["3 people", "plain"]}
    assert Holder.model_validate_json(held.model_dump_json()).one == "3 people"  # read back: plain English
    assert Holder.model_json_schema()["properties"]["one"]["type"] == "string"
    with pytest.raises(ValueError):
        Holder(one=3)


def test_french_says_the_template_with_french_terms_and_formats(fr):
    gap = Phrase(NEED, unit="CLB", need=7, ability="speaking", level=6)
    assert term(fr, gap) == "il vous faut NCLC 7 en expression orale; vous avez NCLC 6"
    both = Joined("; ", [gap, Phrase(NEED, unit="CLB", need=7, ability="writing", level=5)])
    assert term(fr, both) == (
        "il vous faut NCLC 7 en expression orale; vous avez NCLC 6; il vous faut NCLC 7 en expression écrite; "
        "vous avez NCLC 5"
    )
    assert fr.say(Phrase("no such template {n}", n=1500)) == "no such template 1,500"  # untranslated: English, whole
    assert fr._said(Money(15263), term) == "15\u00a0263\u00a0$" and fr._said(Fixed(11.6, 1), term) == "11,6"
    english = Languages.load().get("en")
    assert term(english, gap) == str(gap) and english.say(gap) == str(gap)


@given(st.integers(0, 10**7), st.sampled_from(["listening", "reading", "writing", "speaking"]))
def test_any_phrase_reads_back_its_parameters(level, ability):
    phrase = Phrase(NEED, unit="NCLC", need=level + 1, ability=ability, level=level)
    assert phrase == f"you need NCLC {level + 1:,} in {ability}; you have NCLC {level:,}"
    assert pickle.loads(pickle.dumps(phrase)).params["level"] == level


def test_every_phrase_template_in_knowledge_is_extracted_with_its_fields(fr):
    found = code_messages(sorted(KNOWLEDGE_DIR.rglob("*.py")), KNOWLEDGE_MARKERS)
    assert NEED in found and any("knowledge/programs/federal.py" in w for w in found[NEED])
    fields = lambda m: {n for _, n, _, _ in string.Formatter().parse(m) if n}  # noqa: E731
    for msgid in found:
        assert fr.has(msgid), msgid
        assert fields(fr(msgid)) == fields(msgid), msgid


def test_the_fsw_language_shortfall_is_said_in_french(fr):
    profile = Profile.model_validate(
        {
            "profile_date": "2026-12-01",
            "date_of_birth": "1994-01-01",
            "marital_status": "never_married",
            "education": "bachelors",
            "education_proof": "eca",
            "first_language": {
                "test": "ielts",
                "test_date": "2026-06-01",
                "listening": 8.0,
                "reading": 7.0,
                "writing": 7.0,
                "speaking": 5.5,
            },
        }
    )
    fsw = next(v for v in EligibilityEngine().assess(profile).programs if v.program == "fsw")
    language = next(c for c in fsw.checks if c.key == "language")
    assert language.ok is False and isinstance(language.detail, Phrase)
    assert language.detail == "you need CLB 7 in speaking; you have CLB 6"
    assert term(fr, language.detail) == "il vous faut NCLC 7 en expression orale; vous avez NCLC 6"


def test_an_occupation_is_shown_with_its_official_french_title_in_a_french_result(fr):
    from flows.markup import plain
    from flows.results import categories_text
    from tests.conftest import make_profile
    from tests.test_chart import NURSE

    nurse = Occupation("31301", "Registered nurses", "Infirmiers autorisés/infirmières autorisées")
    assert nurse == "Registered nurses" and pickle.loads(pickle.dumps(nurse)).fr == nurse.fr
    assert fr._said(nurse, term) == "Infirmiers autorisés/infirmières autorisées" and nurse.in_language("en") == nurse
    report = EligibilityEngine().assess(make_profile(**NURSE))
    french, english = plain(categories_text(report, fr)), plain(categories_text(report))
    assert "Infirmiers autorisés/infirmières autorisées et infirmiers psychiatriques autorisés" in french
    assert "Registered nurses and registered psychiatric nurses" not in french
    assert "Registered nurses and registered psychiatric nurses" in english
