"""The person's language: message catalogs, a translator per language, numbers, dates and money per locale.

Messages are kept in standard gettext catalogs, one per language, under ``flows/locale/<lang>/LC_MESSAGES/maple.po``
(English is the source language: its msgids are the English text, so English needs no catalog). The ``.po`` files
are read with Babel at start-up; no compiled ``.mo`` is committed. A translator works on them with any PO editor.

How code marks a message (the lint in ``tests/test_i18n_catalog.py`` finds them with an AST scan):

- ``t("Step {step} of {total} · {section}", step=3, total=6, section=...)`` translates and fills named placeholders;
- ``N_("...")`` marks a constant for translation without translating it (it is translated where it is shown);
- ``Msg("...", name=value)`` is a message with its parameters, made where the language is not known (the answer
  readers) and rendered at the edge with :meth:`Translator.render`.

Data the dialogue shows (question prompts, hints, labels, choice labels, section names, command descriptions) keeps
its English text as the msgid and is translated when shown; the catalog test enumerates that data directly.

Parameters are formatted for the language: an ``int`` or ``float`` as a number ("100,000,000" / "100 000 000"), a
``date`` as "8 March 1985" / "8 mars 1985", a :class:`Msg` translated, a list of them joined with commas; pass a
year as a ``str`` (a number would get a thousands separator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, parse_pattern

from knowledge.wording import Capitalized, Fixed, Joined, Money, Phrase

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "maple"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "fr")  # the languages a person can choose (/language, /langue)
LOCALES = {"en": "en_CA", "fr": "fr_CA"}  # Canadian conventions: "25 000 $" in French, "$25,000" in English
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language (the /language buttons)
DATE_PATTERN = "d MMMM y"  # "8 March 1985", "8 mars 1985"
FIRST_OF_MONTH = {"fr": "d'er' MMMM y"}  # "1er mars 1985": the first of the month is an ordinal in French
CURRENCY = "CAD"


# an official page's address -> its twin in a language, or a loader of that map (called once, when first needed)
PageMap = Mapping[str, str] | Callable[[], Mapping[str, str]]


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalog without translating it (it is translated where it is shown)."""
    return msgid


def language_for(code: str | None) -> str:
    """The language for Telegram's ``language_code``: "fr", "fr-CA", "fr_BE"... -> French; anything else English."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else SOURCE_LANGUAGE


@dataclass(frozen=True, init=False)
class Msg:
    """A message and its named parameters, made where the language is not known and rendered at the edge."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, msgid: str, /, **params: Any) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)

    def english(self) -> str:
        """The message in the source language (what the code and its tests read)."""
        return Translator(SOURCE_LANGUAGE, {}).render(self)


class Translator:
    """One language's messages and formats. Missing translations fall back to the English msgid."""

    def __init__(
        self,
        language: str,
        messages: Mapping[str, str],
        pages: PageMap | None = None,
    ) -> None:
        self.language = language
        # an official page (its English address) -> this language's twin; a loader is called on the first page asked
        self._pages = pages
        self.locale = Locale.parse(LOCALES.get(language, LOCALES[SOURCE_LANGUAGE]))
        self.messages = dict(messages)
        money = parse_pattern(self.locale.currency_formats["standard"])
        money.frac_prec = (0, 0)  # whole dollars: "$25,000", "25 000 $"
        self._money = money

    def gettext(self, msgid: str, /, **params: Any) -> str:
        """``msgid`` in this language, its ``{named}`` placeholders filled with ``params`` formatted for it."""
        text = self.messages.get(msgid) or msgid
        if not params:
            return text
        return text.format_map({name: self._value(value) for name, value in params.items()})

    __call__ = gettext

    def page(self, url: str) -> str:
        """The official page ``url`` in this language, when its twin is known (else the page as given)."""
        if callable(self._pages):
            self._pages = dict(self._pages())
        return (self._pages or {}).get(url, url)

    def has(self, msgid: str) -> bool:
        return self.language == SOURCE_LANGUAGE or bool(self.messages.get(msgid))

    def render(self, message: Msg | str) -> str:
        if isinstance(message, Phrase):
            return self.say(message)
        if isinstance(message, str):
            return self.gettext(message)
        return self.gettext(message.msgid, **message.params)

    def say(self, phrase: Phrase, term: Callable[[Translator, str], str] | None = None) -> str:
        """A sentence knowledge made (:class:`knowledge.wording.Phrase`) in this language: its template translated,
        its parameters formatted for the language, a text parameter translated as a term (by ``term`` when given,
        else when the catalog has it). A template without a translation is said in English, whole."""
        if self.language == SOURCE_LANGUAGE:
            return str(phrase)
        word = term or _catalog_term
        if isinstance(phrase, Joined):
            return phrase.separator.join(self._said(part, word) for part in phrase.parts)
        if isinstance(phrase, Capitalized):
            said = self._said(phrase.inner, word)
            return said[:1].upper() + said[1:]
        if not self.has(phrase.msgid):
            return str(phrase)
        return self.gettext(phrase.msgid, **{name: self._said(value, word) for name, value in phrase.params.items()})

    def _said(self, value: Any, term: Callable[[Translator, str], str]) -> str:
        if isinstance(value, Phrase):
            return self.say(value, term)
        if isinstance(value, Money):
            return self.format_money(int(value))
        if isinstance(value, Fixed):
            return format_decimal(
                value.value, format="#,##0" + ("." + "0" * value.places if value.places else ""), locale=self.locale
            )
        if callable(getattr(value, "in_language", None)):  # a title known in several languages (NOC / CNP)
            return str(value.in_language(self.language))
        if isinstance(value, str):
            return term(self, value)
        return self._value(value)

    def _value(self, value: Any) -> str:
        if isinstance(value, Phrase):
            return self.say(value)
        if isinstance(value, Msg):
            return self.render(value)
        if callable(getattr(value, "in_language", None)):  # a text known in several languages (a NOC title)
            return str(value.in_language(self.language))
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int) and 0 <= value < 1000:  # no separator in either locale: skip Babel (hot path)
            return str(value)
        if isinstance(value, int | float):
            return self.format_number(value)
        if isinstance(value, date):
            return self.format_date(value)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return ", ".join(self._value(v) for v in value)
        return str(value)

    # --- formats ----------------------------------------------------------------------------------------
    def format_number(self, value: float) -> str:
        """1234567.5 -> "1,234,567.5" (English), "1 234 567,5" (French, with no-break spaces)."""
        return format_decimal(value, locale=self.locale)

    def format_date(self, day: date) -> str:
        """8 March 1985 / 8 mars 1985; the first of a month in French is "1er mars 1985" (the French ordinal)."""
        if day.day == 1 and self.language in FIRST_OF_MONTH:
            return babel_format_date(day, FIRST_OF_MONTH[self.language], locale=self.locale)
        return babel_format_date(day, DATE_PATTERN, locale=self.locale)

    def format_money(self, amount: float) -> str:
        """Canadian dollars, whole: "$25,000" (English), "25 000 $" (French, with no-break spaces)."""
        return self._money.apply(round(amount), self.locale, currency=CURRENCY, currency_digits=False)


def _catalog_term(t: Translator, text: str) -> str:
    return t(text) if t.has(text) else text


def catalog_path(language: str, directory: Path = LOCALE_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path) -> dict[str, str]:
    """A ``.po`` file's translations: msgid -> msgstr, leaving out empty and fuzzy ones (gettext's rule)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
    }


class Languages:
    """Every language's translator, loaded once per process and injected where messages are shown."""

    def __init__(self, translators: Mapping[str, Translator]) -> None:
        self.translators = dict(translators)

    @classmethod
    def load(
        cls,
        directory: Path = LOCALE_DIR,
        pages: Mapping[str, Mapping[str, str] | Callable[[], Mapping[str, str]]] | None = None,
    ) -> Languages:
        """The catalogs of ``directory``; ``pages``: per language, the official pages' twins or their loader (by
        default the knowledge base's, read when a page is first asked: an entry's English source and its French
        version's)."""
        if pages is None:
            from knowledge.faq.entries import default_french_pages

            pages = {"fr": default_french_pages}
        translators = {SOURCE_LANGUAGE: Translator(SOURCE_LANGUAGE, {})}
        for language in LANGUAGES:
            if language != SOURCE_LANGUAGE:
                catalog = read_catalog(catalog_path(language, directory))
                translators[language] = Translator(language, catalog, pages.get(language))
        return cls(translators)

    def get(self, language: str | None) -> Translator:
        return self.translators.get(language or SOURCE_LANGUAGE) or self.translators[SOURCE_LANGUAGE]


@cache
def default_languages() -> Languages:
    """The shipped catalogs (read once; like the other ``default_*`` loaders, injectable instead)."""
    return Languages.load()
