"""Sentences that knowledge builds for people to read, kept as a message and its parameters.

A check's shortfall ("you need CLB 7 in speaking; you have CLB 6"), a category's reason, a deadline, a computed
answer: knowledge makes them from the rule tables, in English, and must not know the person's language (imports
point bot -> flows -> knowledge). A :class:`Phrase` is such a sentence: it *is* its English text (a ``str``, so the
engines, the JSON of ``maple-crs`` and every test read it as before) and it also keeps its template (the English
msgid, with ``{named}`` fields) and its parameters, so that the flows edge can say it in the person's language
exactly (the catalog holds the template's translation; numbers, dates and money are formatted there for the
language), instead of recognising English sentences after the fact.

Parameters: an ``int`` (1,560), :class:`Money` ($12,345), :class:`Fixed` (a decimal with its places: 1.25), a
``date`` (English: ISO 2026-10-01, as knowledge always wrote it), a ``str`` that is a term (a label, an ability:
translated when the catalog has it) or a figure to show as it is (pass a year as ``str``), an :class:`Occupation`
(a NOC title with its code), a nested :class:`Phrase`, or a :class:`Joined` list of phrases.

A pydantic field that holds a phrase is typed :data:`Text` (``str`` to a type checker): pydantic would otherwise
copy a ``str`` subclass into a plain ``str`` and lose the template.

Templates are marked for the catalogs by the call itself: ``Phrase("literal template", ...)`` anywhere under
``knowledge/`` is extracted by ``flows/i18n/extract.py`` and must have a translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema


class Money(int):
    """A whole number of Canadian dollars: "$12,345" in English."""

    def __str__(self) -> str:
        return f"${int(self):,}"


class Fixed:
    """A decimal shown with a fixed number of places: ``Fixed(1.25, 2)`` is "1.25" in English."""

    __slots__ = ("places", "value")

    def __init__(self, value: float, places: int) -> None:
        self.value = float(value)
        self.places = places

    def __str__(self) -> str:
        return f"{self.value:.{self.places}f}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fixed) and (self.value, self.places) == (other.value, other.places)

    def __hash__(self) -> int:
        return hash((self.value, self.places))

    def __repr__(self) -> str:
        return f"Fixed({self.value!r}, {self.places})"


class Occupation(str):
    """An occupation's title as a parameter (English), with its NOC code and, when known, its official French (CNP)
    title, so that the edge shows it in the person's language (:meth:`in_language`)."""

    code: str
    fr: str

    def __new__(cls, code: str, title: str, fr: str = "") -> Occupation:
        occupation = super().__new__(cls, title)
        occupation.code = code
        occupation.fr = fr
        return occupation

    def in_language(self, language: str | None) -> str:
        return self.fr if language == "fr" and self.fr else str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Occupation, (self.code, str(self), self.fr))


def english(value: Any) -> str:
    """A parameter as knowledge writes it in English."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Money | Fixed | str):  # a Phrase is a str: its English text
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Phrase(str):
    """An English sentence that keeps its template and parameters (see the module's docstring)."""

    msgid: str
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Phrase:
        text = msgid.format_map({name: english(value) for name, value in params.items()}) if params else msgid
        phrase = super().__new__(cls, text)
        phrase.msgid = msgid
        phrase.params = params
        return phrase

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r}, {dict(self.params)!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the template
        return (_rebuild, (type(self), self.msgid, dict(self.params)))

    def upper_first(self) -> Phrase:
        """The same phrase, to be shown with a capital first letter (at the start of a line)."""
        return Capitalized(self)


def _rebuild(cls: type[Phrase], msgid: str, params: dict[str, Any]) -> Phrase:
    return cls(msgid, **params)


class Joined(Phrase):
    """Phrases (or terms) said one after the other with a separator ("; ", ", ")."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, separator: str, parts: Iterable[str]) -> Joined:
        items = tuple(parts)
        joined = str.__new__(cls, separator.join(items))
        joined.msgid = ""
        joined.params = {}
        joined.parts = items
        joined.separator = separator
        return joined

    def __repr__(self) -> str:
        return f"Joined({self.separator!r}, {list(self.parts)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.separator, self.parts))


class Capitalized(Phrase):
    """A phrase shown with a capital first letter."""

    inner: str

    def __new__(cls, inner: str) -> Capitalized:
        capitalized = str.__new__(cls, inner[:1].upper() + inner[1:])
        capitalized.msgid = ""
        capitalized.params = {}
        capitalized.inner = inner
        return capitalized

    def __reduce__(self) -> tuple[Any, ...]:
        return (Capitalized, (self.inner,))


def _keep(value: Any) -> str:
    """A :data:`Text` field's validator: a phrase stays a phrase, any other text is kept as it is."""
    if isinstance(value, str):
        return value
    raise ValueError("text expected")


# A pydantic field holding English text that may be a Phrase (kept, not copied into a plain str).
Text = Annotated[str, PlainValidator(_keep), PlainSerializer(str, return_type=str), WithJsonSchema({"type": "string"})]
