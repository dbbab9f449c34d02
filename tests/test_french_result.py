"""The result in French (issue #14): the verdict, every detail, every what-if, /score and /dates in the chat's
language, as well-formed Telegram HTML, with the same figures as in English; the labels made in knowledge/
translated at the flows edge (flows/result_terms.py)."""

from __future__ import annotations

import random
import string
from datetime import date

import pytest

from bot.core import build_core
from bot.delivery import render
from flows.i18n import Languages
from flows.i18n.extract import ROOT, code_messages
from flows.markup import plain
from flows.result_terms import KNOWLEDGE_TERMS, term
from flows.results import dates_text
from knowledge.crs.scoring import default_scorer
from knowledge.deadlines import Deadline
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine
from knowledge.wording import Money, Phrase
from tests.people import make_people, to_profile
from tests.test_result_html_whatif import AFTER_RULE_CHANGE, button_data, html_problems, run_core
from tests.test_telegram_e2e import COUPLE, SINGLE, SINGLE_TOTAL


@pytest.fixture(scope="module")
def fr():
    return Languages.load().get("fr")


def _fixed_english() -> list[str]:
    """The result's own English sentences (no placeholder, long enough not to be a word French shares)."""
    found = code_messages([ROOT / "flows/results.py", ROOT / "flows/chart_data.py"])
    fields = lambda m: [n for _, n, _, _ in string.Formatter().parse(m) if n]  # noqa: E731
    return [m.strip() for m in found if not fields(m) and len(m.strip()) >= 12]


ENGLISH = _fixed_english()


def _no_english(text: str) -> list[str]:
    return [m for m in ENGLISH if m in text]


def _french_core(tmp_path, steps: list[str], chat: int = 1):
    """The questionnaire answered in English, then the chat switched to French (/langue), then the result again."""
    core = build_core(str(tmp_path / "m.db"), today=lambda: AFTER_RULE_CHANGE)
    english = run_core(core, chat, steps)[-1]
    core.on_button(chat, "lang:fr")
    core.on_button(chat, "e:funds")
    french = core.on_text(chat, "20 000 $")[-1]
    return core, english, french


def test_the_verdict_is_french_well_formed_and_has_the_english_figures(tmp_path):
    core, english, french = _french_core(tmp_path, SINGLE)
    assert english.text.startswith(f"<b>Your CRS score: {SINGLE_TOTAL} / 1200</b>")
    assert french.html and f"<b>Votre score SCG : {SINGLE_TOTAL} / 1200</b>" in french.text
    assert "<b>Auriez-vous été invité(e)?</b>" in french.text and "<b>Meilleures options :</b>" in french.text
    assert "/forget supprime vos données." in french.text
    assert not html_problems(render(french)[0]) and not _no_english(french.text), _no_english(french.text)
    assert button_data(french) == [
        d for d in button_data(english) if d != "res:rulechange"
    ]  # the note: told once  # the same details and what-ifs, in French
    labels = [b.label for b in french.buttons]
    assert "Détail du score" in labels and any(lbl.startswith("Et si ") for lbl in labels)
    # the figures are the English ones: every number of the English verdict is in the French one
    numbers = lambda text: sorted(w for w in plain(text).replace(",", " ").split() if w.isdigit())  # noqa: E731
    assert {n for n in numbers(english.text) if len(n) < 4} <= set(numbers(french.text))
    # dates in French words ("29 septembre 2026"), not ISO
    assert "2026-" not in plain(french.text.split("Prochaine date")[0]) and "2026" in french.text
    core.store.close()


@pytest.mark.parametrize("steps", [SINGLE, COUPLE], ids=["single", "couple"])
def test_every_detail_and_what_if_is_french_well_formed_html(tmp_path, steps):
    core, _, french = _french_core(tmp_path, steps)
    shown = [(data, r) for data in [*button_data(french), "res:rulechange"] for r in core.on_button(1, data)]
    shown += [("/score", r) for r in core.on_command(1, "score")]
    assert len(shown) >= len(button_data(french))
    for data, reply in shown:
        sent = render(reply)[0]
        assert reply.html or reply.chart is not None, (data, reply.text[:80])
        assert not html_problems(sent), (data, sent[:200], html_problems(sent))
        assert not _no_english(reply.text), (data, _no_english(reply.text))
        assert all(not b.label.startswith("What if") for b in reply.buttons), data
    texts = {data: plain(r.text) for data, r in shown}
    assert "Facteurs de base / capital humain" in texts["res:breakdown"]
    assert "Première langue officielle : compréhension de l'oral" in texts["res:breakdown"]
    assert "Programmes :" in texts["res:programs"] and "Catégorie de l'expérience canadienne" in texts["res:programs"]
    assert "Rondes par catégorie" in texts["res:categories"] and "Professions" in texts["res:categories"]
    assert "Changement de règles signalé (3 novembre 2026), non confirmé" in texts["res:rulechange"]
    change = texts["res:rulechange"]  # every text of the reported change, its sources' notes included
    assert "professions à salaire élevé" in change and "non vérifié" in change and "guide en chinois" in change
    assert not any(w in change for w in ("high-wage", "unverified", "tool description", "Chinese guide")), change
    assert any(d.startswith("wi:") and "Et si :" in t and "Vos réponses enregistrées" in t for d, t in texts.items())
    chart = next(r for d, r in shown if d == "res:chart")
    assert chart.text.startswith("Votre score SCG") and "Par section : Facteurs de base" in chart.text
    dates = plain(core.on_command(1, "dates")[0].text)
    assert dates.startswith("Vos dates") and "/remind vous envoie un rappel" in dates
    core.store.close()


def test_french_dates_lines_use_french_dates(fr):
    item = Deadline(key="age:31", kind="age_points", day=date(2027, 3, 2), what=Phrase("you turn {age}", age=31),
                    status="near",
                    days_left=20, points_before=105, points_after=99, total_before=424, total_after=418,
                    rule="age", source="https://example.org/crs", checked=date(2026, 12, 1))  # fmt: skip
    text = dates_text([item], {}, fr)
    assert "2 mars 2027 : vous aurez 31 ans : points pour l'âge 105 -> 99" in text and "(dans 20 jours)" in text
    assert "vérifié le 1er décembre 2026" in text


def test_every_label_knowledge_makes_for_many_people_has_a_french_term(fr):
    """A new factor, section, program or category label in knowledge/ fails here until it is in the table."""
    today = date(2026, 12, 1)
    scorer, engine = default_scorer(), EligibilityEngine()
    missing: set[str] = set()
    for person in make_people(40, random.Random(14).randrange(10**6), today):
        profile = Profile.model_validate(to_profile(person, today))
        result, report = scorer.score(profile), engine.assess(profile)
        labels = [s.label for s in result.sections] + [f.label for s in result.sections for f in s.factors]
        labels += [v.label for v in report.programs] + list(report.caveats)
        if report.categories:
            labels += [f.label for f in report.categories.fits]
        missing |= {label for label in labels if term(fr, label) == label}
    assert not missing, missing


def test_the_term_table_is_translated_and_composes(fr):
    assert all(fr.has(t) for t in KNOWLEDGE_TERMS)
    assert term(fr, "Spouse's first official language: speaking") == (
        "Première langue officielle de l'époux ou du conjoint : expression orale"
    )
    assert term(fr, "no foreign work + CLB 9+ in all four abilities") == (
        "aucune expérience à l'étranger + NCLC 9 ou plus dans les quatre compétences"
    )
    # knowledge's sentences with figures are phrases: said from their template, figures and dates for French
    assert term(fr, Phrase("{age} years old on {day}", age=35, day=date(2026, 10, 1))) == "35 ans au 1er octobre 2026"
    assert term(fr, Phrase("{raw} capped at {cap}", raw=2, cap=100)) == "2 plafonné à 100"
    need = "FSW and FST need {need} for a family of {size}; you have {have}, {short} short"
    funds = term(fr, Phrase(need, need=Money(15263), size=1, have=Money(12000), short=Money(3263)))
    assert (
        funds
        == "le PTQF et le PTMSF exigent 15\u00a0263\u00a0$ pour une famille de 1; vous avez 12\u00a0000\u00a0$, "
        + ("il manque 3\u00a0263\u00a0$")
    )
    # no English sentence is recognised after the fact any more: a plain string that is no term stays as it is
    plain_english = "35 years old on 2026-10-01"
    assert term(fr, plain_english) == plain_english
    english = Languages.load().get("en")
    assert term(english, "Age") == "Age"


def test_the_french_chart_draws_its_own_words_in_french(fr, tmp_path):
    from bot.chart import HEIGHT, WIDTH, chart_words, render_png
    from flows.chart_data import ChartData
    from tests.test_chart import png_size

    core, _, _ = _french_core(tmp_path, SINGLE)
    chart = next(r for r in core.on_button(1, "res:chart") if r.chart is not None).chart
    assert chart is not None and chart.language == "fr"
    again = ChartData.model_validate(chart.model_dump(mode="json"))  # as the outbox keeps it
    words = chart_words(again, fr)
    assert words["title"].startswith(f"Votre score SCG ({SINGLE_TOTAL}) et les seuils de vos voies")
    assert "2026-" not in words["title"] and words["footer"].startswith("Rondes d'invitations d'IRCC")
    assert png_size(render_png(again)) == (WIDTH, HEIGHT)
    old_row = {k: v for k, v in chart.model_dump(mode="json").items() if k != "language"}
    assert ChartData.model_validate(old_row).language == "en"  # a chart queued before languages: English
    core.store.close()


def test_a_french_result_links_the_french_twin_of_each_official_page_it_knows(fr):
    from flows.results import score_text

    profile = Profile.model_validate(to_profile(make_people(1, 7, date(2026, 12, 1))[0], date(2026, 12, 1)))
    result = default_scorer().score(profile)
    english_page = result.sources[0]
    assert "/en/" in english_page and fr.page(english_page) != english_page and "/fr/" in fr.page(english_page)
    said = score_text(result, t=fr)
    assert fr.page(english_page) in said and english_page not in said
    assert Languages.load().get("en").page(english_page) == english_page  # English: the page as given
    assert fr.page("https://example.org/unknown") == "https://example.org/unknown"  # no twin known: as given
