"""Is this question French or English? A small deterministic detector, no model.

Rules, in order:
1. text with no letters: the chat's language when known, else English;
2. each word votes: a French-only function word ("est", "les", "pour", "mon", "quoi"...) or a word
   with a French accent or elision ("é", "è", "ç", "l'", "qu'") counts for French; an English-only
   function word ("the", "is", "my", "how", "what"...) counts for English;
3. the language with more votes wins; a tie (or no vote at all) goes to the chat's language when
   known, else English. Words both languages use ("a", "on", "in", "express", "canada") do not vote.

So "mon EDE est-elle valide" is French, "is my ECA valid" English, and "IELTS 7" in a French chat French.
"""

from __future__ import annotations

import re

from knowledge.faq.entries import Language


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# function words only one of the two languages uses (never a word the other one types in a question)
FRENCH_WORDS = _wordset(
    """
    le la les un une des du au aux ce cet cette ces est sont suis etre être ai avez avoir ont fait faut
    je tu il elle nous vous ils elles mon ma mes ta tes sa ses notre nos votre vos leur leurs
    et ou où mais donc que qui quoi quel quelle quels quelles quand comment combien pourquoi
    pour par avec sans dans sur sous chez entre vers depuis pendant avant après apres selon
    pas ne moins tres très aussi encore deja déjà toujours si peut peux puis dois doit faire
    bonjour salut merci svp stp oui est-ce c'est qu'est-ce
    """
)
ENGLISH_WORDS = _wordset(
    """
    the is are was were be been am do does did have has had my your his her their our its
    what how when where which who why whom whose can could should would will shall may might must
    i you he she we they him us them this that these those there here of for with without from
    to into about after before during and but or not no yes if than then get got need want please
    hi hello thanks
    """
)
_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæ]")
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)['’][a-zàâäçéèêëîïôöùûüÿœæ]")
_WORDS = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+(?:['’-][a-zàâäçéèêëîïôöùûüÿœæ]+)*")


def language_votes(text: str) -> tuple[int, int]:
    """(French votes, English votes) of ``text``'s words."""
    lowered = text.lower()
    french = english = 0
    for word in _WORDS.findall(lowered):
        if word in FRENCH_WORDS or _ACCENTED.search(word) or _ELISION.match(word):
            french += 1
        elif word in ENGLISH_WORDS:
            english += 1
    return french, english


def detect_language(text: str, chat_language: Language | None = None) -> Language:
    """The language to search and answer ``text`` in (see the module's rules)."""
    french, english = language_votes(text)
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return chat_language or "en"
