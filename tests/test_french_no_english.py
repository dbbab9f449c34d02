"""No English left in a French result (issue #14): for many generated people, every text of the result (the score
breakdown, the programs, the categories, the verdict, every what-if and the next birthday's, the partner as principal
applicant, the dates) said in French has no line with English words.

The only English allowed are proper names: the tests' names (IELTS, CELPIP, PTE Core, TEF, TCF: no English word in
them) and a NOC title that has no official French (CNP) title, which knowledge passes as a
:class:`knowledge.wording.Occupation` parameter: such a title is taken out of the text before the check, so an English
title is allowed only where knowledge said it is one and knows no French for it (all 516 have one today). The links
(canada.ca/en/...) are taken out too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

import pytest

from flows import results
from flows.i18n import Languages
from flows.markup import plain
from knowledge.crs.scoring import default_scorer
from knowledge.crs.whatif import next_birthday, partner_as_principal, what_ifs
from knowledge.deadlines import personal_dates
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.wording import Capitalized, Joined, Occupation, Phrase
from tests.people import make_people, to_profile

TODAY = date(2026, 12, 1)
# English words that no French sentence of the result uses ("on", "as", "or", "but" are French words too: left out)
ENGLISH = re.compile(
    r"\b(you|your|the|need|needs|needed|have|has|with|and|in|at|of|is|are|not|from|for|to|no|only|than|which|"
    r"years?|months?|hours|year\(s\)|points? needed|short|gives|none|below|above|more|less|test result)\b"
)
LINK = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def fr():
    return Languages.load().get("fr")


def occupations(texts: Iterable[object]) -> Iterator[Occupation]:
    """Every NOC title knowledge passed as a parameter, in these texts (phrases walked to their parts)."""
    for text in texts:
        if isinstance(text, Occupation):
            yield text
        if isinstance(text, Joined):
            yield from occupations(text.parts)
        elif isinstance(text, Capitalized):
            yield from occupations([text.inner])
        elif isinstance(text, Phrase):
            yield from occupations(text.params.values())


def english_lines(text: str, titles: set[str]) -> list[str]:
    found = []
    for line in plain(text).splitlines():
        kept = LINK.sub("", line)
        for title in sorted(titles, key=len, reverse=True):
            kept = kept.replace(title, "")
        if ENGLISH.search(kept):
            found.append(line)
    return found


def french_result(person: dict, fr) -> tuple[list[str], set[str]]:
    """Every result text for one person in French, and the NOC titles knowledge gave as parameters."""
    scorer, engine = default_scorer(), EligibilityEngine()
    draws = engine.categories.draws
    profile = Profile.model_validate(to_profile(person, TODAY))
    result, report = scorer.score(profile), engine.assess(profile)
    moves = what_ifs(profile, scorer, engine, draws)
    birthday = next_birthday(profile, scorer, engine, draws)
    swap = partner_as_principal(profile, scorer)
    dates = personal_dates(profile, TODAY, eca_issued=date(2022, 3, 1), profile_created=date(2026, 2, 1), scorer=scorer)
    texts = [
        results.score_text(result, t=fr),
        results.programs_text(report, fr),
        results.categories_text(report, fr),
        results.verdict_text(result, report, draws, moves[:2], [], fr),
        results.dates_text(dates, {}, fr),
    ]
    texts += [results.what_if_text(m, draws, fr) for m in [*moves, *([birthday] if birthday else [])]]
    if swap is not None:
        texts.append(results.partner_text(swap, fr))
    said: list[object] = [c.detail for v in report.programs for c in v.checks] + list(report.caveats)
    said += [f.reason for f in report.categories.fits] if report.categories else []
    said += [report.certificate.reason] if report.certificate else []
    said += [f.detail for s in result.sections for f in s.factors] + list(result.caveats)
    said += [x for m in moves for x in (m.label, m.short, m.detail)] + [d.what for d in dates]
    return texts, {str(o) for o in occupations(said) if not o.fr}  # an English title only where no French is known


@pytest.mark.parametrize("seed", [1234, 14, 2026])
def test_no_french_result_text_has_an_english_line(fr, seed):
    leaks: dict[str, str] = {}
    titles_seen: set[str] = set()
    for person in make_people(40, seed, TODAY):
        texts, titles = french_result(person, fr)
        titles_seen |= titles
        assert texts[0].startswith("<b>Votre score SCG"), texts[0][:80]  # French, not an empty or English result
        for text in texts:
            for line in english_lines(text, titles):
                leaks.setdefault(re.sub(r"\d[\d,. ]*", "#", line.strip())[:160], line)
    assert not leaks, "\n".join(sorted(leaks.values()))


def test_the_check_finds_english_and_allows_only_a_title_given_as_an_occupation(fr):
    assert english_lines("Métiers : 14 months full-time equivalent as 72106 Welders", set())
    title = "Welders and related machine operators"
    said = Phrase("{noc} {occupation}", noc="72106", occupation=Occupation("72106", title))
    assert set(map(str, occupations([Joined("; ", [said])]))) == {title}
    assert not english_lines(f"Métiers : 14 mois comme 72106 {title} au cours des 5 dernières années", {title})
    assert english_lines(f"Métiers : 14 mois comme 72106 {title} in the last 5 years", {title})
    assert not english_lines("Source : https://www.canada.ca/en/immigration/who-can-apply/the-page.html", set())


def test_what_if_buttons_name_the_programs_in_french(fr):
    from flows.results import _button_label

    scorer, engine = default_scorer(), EligibilityEngine()
    labels = []
    for person in make_people(40, 1234, TODAY):
        profile = Profile.model_validate(to_profile(person, TODAY))
        moves = what_ifs(profile, scorer, engine, engine.categories.draws)
        labels += [_button_label(m, fr) for m in moves if m.opens_programs]
    assert labels and all(not re.search(r"\b(FSW|FST)\b", label) for label in labels), labels
    assert any(re.search(r"\b(PTQF|PTMSF|CEC)\b", label) for label in labels)
