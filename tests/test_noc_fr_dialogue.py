"""A French chat at the job question (issue #14): the person types the job in French, is offered the NOC 2021 unit
groups under their official French titles (CNP 2021, "FEER"), and the one tapped, typed by its number or by its
code is confirmed in French; an English chat sees the same codes under the English titles, as before."""

from __future__ import annotations

import pytest

from bot.core import build_core
from tests.test_result_html_whatif import run_core
from tests.test_telegram_e2e import SINGLE

TO_THE_JOB_TITLE = SINGLE[1 : SINGLE.index("tap:a:job_add:yes") + 1]  # every answer up to "add a job: yes"
NURSE_FR = (
    "31301 Infirmiers autorisés/infirmières autorisées et infirmiers psychiatriques autorisés/infirmières "
    "psychiatriques autorisées (FEER 1)"
)
NURSE_EN = "31301 Registered nurses and registered psychiatric nurses (TEER 1)"


@pytest.fixture
def core(tmp_path):
    core = build_core(str(tmp_path / "m.db"))
    yield core
    core.store.close()


def at_the_job_title(core, chat: int, language: str) -> None:
    run_core(core, chat, ["/start"])
    core.on_button(chat, f"lang:{language}")
    run_core(core, chat, TO_THE_JOB_TITLE)
    assert core.store.load(chat).state == "job_noc"


def test_a_french_nurse_is_offered_31301_under_its_french_title_and_confirmed_in_french(core):
    at_the_job_title(core, 1, "fr")
    offered = core.on_text(1, "infirmière autorisée")
    assert len(offered) == 1 and offered[0].text.startswith("Laquelle de ces professions")
    buttons = [(b.label, b.data) for b in offered[0].buttons if b.data.startswith("a:job_noc:")]
    assert buttons[0] == (NURSE_FR, "a:job_noc:31301")
    assert all("(FEER " in label for label, _ in buttons)  # every match titled in French
    assert "32101 Infirmiers auxiliaires/infirmières auxiliaires (FEER 2)" in [label for label, _ in buttons]
    confirmed = core.on_button(1, "a:job_noc:31301")
    assert confirmed[0].text.startswith(NURSE_FR)
    assert "Cet emploi était-il au Canada" in confirmed[0].text
    session = core.store.load(1)
    assert session.state == "job_where" and session.answers["job_draft"]["job_noc"] == "31301"


def test_going_back_shows_the_kept_job_in_french(core):
    at_the_job_title(core, 1, "fr")
    core.on_text(1, "infirmière autorisée")
    core.on_text(1, "1")  # the first match, by its number
    assert core.store.load(1).answers["job_draft"]["job_noc"] == "31301"
    again = core.on_button(1, "nav:back")[0]
    kept = NURSE_FR.removesuffix(" (FEER 1)")
    assert f"Votre réponse précédente : {kept}." in again.text
    assert any(b.label == f"Garder : {kept}" for b in again.buttons)


def test_a_code_typed_in_a_french_chat_is_confirmed_with_its_french_title(core):
    at_the_job_title(core, 1, "fr")
    confirmed = core.on_text(1, "21232")[0].text
    assert confirmed.startswith(
        "CNP 21232 : Développeurs/développeuses et programmeurs/programmeuses de logiciels (FEER 1)."
    )
    assert core.store.load(1).answers["job_draft"]["job_noc"] == "21232"


@pytest.mark.parametrize(
    ("typed", "code", "title"),
    [
        ("soudeuse", "72106", "Soudeurs/soudeuses et opérateurs/opératrices de machines à souder et à braser"),
        ("développeur de logiciels", "21232", "Développeurs/développeuses et programmeurs/programmeuses de logiciels"),
        ("enseignant au secondaire", "41220", "Enseignants/enseignantes au niveau secondaire"),
        ("camionneur", "73300", "Conducteurs/conductrices de camions de transport"),
    ],
)
def test_french_job_words_offer_the_right_unit_group_first(core, typed, code, title):
    at_the_job_title(core, 1, "fr")
    first = core.on_text(1, typed)[0].buttons[0]
    assert (first.data, first.label) == (f"a:job_noc:{code}", f"{code} {title} (FEER {code[1]})")


def test_the_french_label_typed_as_it_reads_picks_it(core):
    at_the_job_title(core, 1, "fr")
    core.on_text(1, "infirmière autorisée")
    core.on_text(1, NURSE_FR)
    assert core.store.load(1).answers["job_draft"]["job_noc"] == "31301"


def test_an_english_chat_keeps_the_english_titles_even_for_a_french_word(core):
    at_the_job_title(core, 2, "en")
    offered = core.on_text(2, "registered nurse")[0]
    assert offered.buttons[0].label == NURSE_EN
    at_the_job_title(core, 3, "en")
    french_word = core.on_text(3, "infirmière")[0]
    assert french_word.buttons[0].label == NURSE_EN  # found from the French word, shown in the chat's language
    assert core.on_text(3, "1")[0].text.startswith(NURSE_EN)
