"""The French catalog is complete and well-formed, the lint finds every marked message, formats follow the locale.

The lint is an AST scan (flows/i18n/extract.py) of the translated modules for ``t("...")``, ``N_("...")``,
``Msg("...")``, ``x.gettext("...")`` and ``self._t(session)("...")`` string literals, plus the question table and
the other shown vocabularies enumerated from their data.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from flows.i18n import LANGUAGES, SOURCE_LANGUAGE, Languages, Msg, Translator, catalog_path, language_for, read_catalog
from flows.i18n.extract import all_messages, code_messages, data_messages
from flows.questions import QUESTIONS, SECTIONS

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def _catalog(language: str):
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_the_modules_use_has_a_translation(language):
    translated = read_catalog(catalog_path(language))
    missing = {msgid: where[:2] for msgid, where in all_messages().items() if not translated.get(msgid)}
    assert not missing, f"{len(missing)} message(s) without a {language} msgstr: {missing}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_catalog_entry_is_empty_or_fuzzy(language):
    bad = [m.id for m in _catalog(language) if m.id and (not m.string or m.fuzzy)]
    assert not bad, bad


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_keep_the_placeholders_and_format(language):
    for message in _catalog(language):
        if not message.id:
            continue
        assert _fields(message.string) == _fields(message.id), message.id
        message.string.format_map({name: "x" for name in _fields(message.id)})  # no stray brace


def test_the_catalog_has_no_obsolete_entries_left_over():
    assert not _catalog("fr").obsolete, "run python -m flows.i18n.extract --update and remove what is gone"


def test_the_question_table_is_all_in_the_extracted_messages():
    messages = data_messages()
    for question in QUESTIONS:
        assert question.prompt in messages and question.label in messages, question.id
        assert not question.hint or question.hint in messages
        assert all(c.label in messages for c in question.choices)
    assert all(name in messages for name, _ in SECTIONS)


def test_the_lint_finds_marked_literals_and_would_fail_on_a_new_one(tmp_path: Path):
    module = tmp_path / "mod.py"
    module.write_text(
        "from flows.i18n import N_, Msg\n"
        "A = N_('A constant')\n"
        "def f(t, self, session):\n"
        "    t('Plain {x}', x=1)\n"
        "    self._t(session)('Through the dialogue')\n"
        "    t.gettext('By method')\n"
        "    return Msg('A message', n=2), print('not marked')\n",
        encoding="utf-8",
    )
    found = code_messages([module])
    assert set(found) == {"A constant", "Plain {x}", "Through the dialogue", "By method", "A message"}
    assert not read_catalog(catalog_path("fr")).get("Through the dialogue")  # so the completeness test would fail


def test_the_marked_messages_of_the_dialogue_are_found():
    found = all_messages()
    for msgid in ("Step {step} of {total} · {section}", "Keep: {answer}", "« Back", "Best guess: {label}"):
        assert msgid in found
    assert "Start or continue the questionnaire" in found  # the command menu (bot/telegram_bot.py)
    assert "Please send a number from {low} to {high}, e.g. {example}." in found  # flows/answers.py


# --- the translator ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def languages() -> Languages:
    return Languages.load()


def test_french_formats_follow_the_locale(languages):
    fr, en = languages.get("fr"), languages.get("en")
    assert fr.format_money(25000) == "25\u00a0000\u00a0$"  # "25 000 $" with no-break spaces
    assert en.format_money(25000) == "$25,000"
    assert fr.format_date(date(1985, 3, 8)) == "8 mars 1985"
    assert en.format_date(date(1985, 3, 8)) == "8 March 1985"
    assert fr.format_number(1234567.5) == "1\u00a0234\u00a0567,5"
    assert en.format_number(1234567.5) == "1,234,567.5"


def test_parameters_are_formatted_for_the_language(languages):
    fr = languages.get("fr")
    said = fr.render(Msg("Please send a number from {low} to {high}, e.g. {example}.", low=0, high=100_000_000,
                         example="25000"))  # fmt: skip
    assert said == "Envoyez un nombre de 0 à 100\u00a0000\u00a0000, p. ex. 25000."
    assert fr.render(Msg("I read that as {day}.", day=date(2026, 2, 12))) == "Je lis : 12 février 2026."
    nested = Msg("No problem. {hint}", hint=Msg("Send your best answer; you can change it later with /edit."))
    assert fr.render(nested).startswith("Pas de problème. Envoyez votre meilleure réponse")
    assert (
        fr("Step {step} of {total} · {section}", step=3, total=6, section=fr("Language")) == "Étape 3 sur 6 · Langues"
    )


def test_english_is_the_msgid_and_a_missing_translation_falls_back_to_it(languages):
    assert languages.get("en")("Keep: {answer}", answer="Yes") == "Keep: Yes"
    assert languages.get("fr")("Not in any catalog {x}", x=1) == "Not in any catalog 1"
    assert languages.get(None).language == "en" and languages.get("de").language == "en"
    assert Translator("fr", {"Yes": "Oui"}).has("Yes") and not Translator("fr", {}).has("Yes")


@pytest.mark.parametrize(
    ("code", "language"),
    [("fr", "fr"), ("fr-CA", "fr"), ("FR_ca", "fr"), ("fr-BE", "fr"), ("en", "en"), ("en-GB", "en"), ("de", "en"),
     ("", "en"), (None, "en"), ("frr", "en")],
)  # fmt: skip
def test_telegram_language_code_picks_the_language(code, language):
    assert language_for(code) == language
