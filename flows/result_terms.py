"""The texts made in ``knowledge/`` that the result shows, translated at the flows edge (knowledge stays English data).

A sentence knowledge makes as a :class:`knowledge.wording.Phrase` (a template and its parameters: every sentence with
figures in it, every check, reason, what-if and date) is said from its template, exactly, its parameters translated
here as terms.

What is left for this module are the plain English labels knowledge still gives as strings (a score factor's label,
a section's name, a combination's tier, a program's or a category's name from the data files): they are listed
here, each marked with ``N_`` so that the catalog test requires its translation, and :func:`term` translates a text
that is one of them, or made of them with ": " or " + " (a factor "First official language: listening", a
combination "no foreign work + CLB 9+ in all four abilities"). Nothing here recognises an English sentence after the
fact: a text that is neither a phrase nor a known term stays as it is (a proper name: a test, a NOC title).
"""

from __future__ import annotations

from flows.i18n import N_, SOURCE_LANGUAGE, Translator
from knowledge.wording import Phrase

SEPARATORS = (": ", " + ")

KNOWLEDGE_TERMS = (
    N_("Core / human capital"),
    N_("Spouse or common-law partner"),
    N_("Skill transferability"),
    N_("Additional points"),
    N_("Age"),
    N_("Level of education"),
    N_("Canadian work experience"),
    N_("Education + language"),
    N_("Education + Canadian work"),
    N_("Foreign work + language"),
    N_("Foreign work + Canadian work"),
    N_("Certificate of qualification + language"),
    N_("Provincial or territorial nomination"),
    N_("Brother or sister in Canada"),
    N_("French-language skills"),
    N_("Post-secondary education in Canada"),
    N_("First official language"),
    N_("Second official language"),
    N_("Spouse's first official language"),
    N_("Spouse's education"),
    N_("Spouse's Canadian work experience"),
    N_("Not applicable"),
    N_("Education combinations cap"),
    N_("Second language cap"),
    N_("Foreign work combinations cap"),
    N_("CLB 7+ in all four abilities"),
    N_("CLB 9+ in all four abilities"),
    N_("CLB 7+ in all four, one or more under 9"),
    N_("CLB 5+ in all four, one or more under 7"),
    N_("language below CLB 7 in some ability"),
    N_("no foreign work"),
    N_("less than 1 year of Canadian work"),
    N_("1 year of Canadian work"),
    N_("2+ years of Canadian work"),
    N_("1-2 years of foreign work"),
    N_("3+ years of foreign work"),
    N_("one post-secondary credential of 1+ years"),
    N_("two+ credentials (one of 3+ years), master's or PhD"),
    N_("secondary school or less"),
    N_("Federal Skilled Worker Program"),
    N_("Federal Skilled Trades Program"),
    N_("Canadian Experience Class"),
    N_("French-language proficiency"),
    N_("Healthcare and social services occupations"),
    N_("STEM occupations"),
    N_("Trade occupations"),
    N_("Education occupations"),
    N_("Transport occupations"),
    N_("Physicians with Canadian work experience"),
    N_("Senior managers with Canadian work experience"),
    N_("Researchers with Canadian work experience"),
    N_("Skilled military recruits"),
    N_("language below CLB 5 in some ability"),
    N_(
        "Foreign Skilled Military Applicant with 10+ years of continuous service in a recognized foreign military, "
        "experience aligned with NOC 40042, 42102 or 43204, an offer of arranged employment from the Canadian Forces "
        "Recruiting Group for 3+ years, and at least a 2-year post-secondary credential (with an ECA if earned "
        "abroad)."
    ),
    N_("English"),
    N_("French"),
    N_(
        "Language test results are valid for 2 years from the date of the test result; they must still be valid on "
        "the day you apply for permanent residence."
    ),
    N_(
        "An ECA must be less than 5 years old when it is used (sources word the reference date differently: when "
        "IRCC receives the profile or the application)."
    ),
    N_(
        "A submitted Express Entry profile stays in the pool for up to 12 months; after that a new profile can be "
        "submitted if still eligible."
    ),
    N_("I need at least your date of birth and your education first."),
    N_("age points"),
    N_("language expiry"),
    N_("eca expiry"),
    N_("profile expiry"),
)


def term(t: Translator, text: str) -> str:
    """``text`` in ``t``'s language: a phrase said from its template, a known term or one made of known terms; else
    as it is (English: a proper name)."""
    if t.language == SOURCE_LANGUAGE or not text:
        return text
    if isinstance(text, Phrase) and (not text.msgid or t.has(text.msgid)):  # knowledge said it as a template
        return t.say(text, term)
    if t.has(text):
        return t(text)
    for separator in SEPARATORS:
        head, found, tail = text.partition(separator)
        if found and t.has(head):
            rest = term(t, tail)
            if rest != tail or t.has(tail):
                return (
                    t("{label}: {value}", label=t(head), value=rest)
                    if separator == ": "
                    else t(head) + separator + rest
                )
    return text
