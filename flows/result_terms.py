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
    N_("listening"),
    N_("reading"),
    N_("writing"),
    N_("speaking"),
    N_("no nomination"),
    N_("none declared"),
    N_("No Canadian post-secondary credential"),
    N_("no test result"),
    N_("no French result"),
    N_("no spouse or common-law partner: scored as single"),
    N_("Bachelor's degree or a 3+ year program"),
    N_("One-year post-secondary credential"),
    N_("Two-year post-secondary program"),
    N_("Master's or entry-to-practice professional degree"),
    N_("Doctoral degree (PhD)"),
    N_("no certificate of qualification"),
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
    N_("ECA"),
    N_("valid job offer"),
    N_("Canadian credential"),
    N_("certificate of qualification"),
    N_("you need a language test result (English or French)"),
    N_("you need a full-time job offer of at least 1 year, or a Canadian certificate of qualification in your trade"),
    N_("add your work history (NOC code, dates, hours) to check 1 year of continuous skilled work"),
    N_("add your work history to check 2 years in a skilled trade"),
    N_("add your work history to check 1 year of Canadian work"),
    N_("you need a Canadian credential or an Educational Credential Assessment (ECA) of your foreign education"),
    N_("you need a Canadian credential or an ECA of your foreign education: do you have one?"),
    N_("you need a valid first-official-language result with CLB 7 in all four"),
    N_("no proof of funds needed: you are authorized to work in Canada and have a valid job offer"),
    N_(
        "Maple does not assess admissibility (health, security, criminality) or the plan to live outside Quebec, "
        "which every program also requires."
    ),
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
    N_("needs a TEF Canada or TCF Canada result"),
    N_("a second post-secondary credential (one of 3+ years)"),
    N_("a master's degree"),
    N_("an Educational Credential Assessment (ECA) of your education"),
    N_("one more year of skilled work in Canada"),
    N_("an ECA of your partner's education"),
    N_("a language test for your partner (CLB 7 in all four)"),
    N_("French at NCLC 7 in all four abilities"),
    N_("French NCLC 7"),
    N_("a 2nd credential"),
    N_("a master's"),
    N_("an ECA"),
    N_("your next birthday"),
    N_(
        "none of your jobs is in an eligible skilled trade (NOC major groups 72, 73, 82, 83, 92, 93, minor group "
        "6320 or unit group 62200)"
    ),
    N_("language below CLB 5 in some ability"),
    N_("your partner is a Canadian citizen or permanent resident: scored as single"),
    N_("your partner is not coming with you to Canada: scored as single"),
    N_("nominated"),
    N_("sibling 18+ in Canada, citizen or PR"),
    N_(
        "Foreign Skilled Military Applicant with 10+ years of continuous service in a recognized foreign military, "
        "experience aligned with NOC 40042, 42102 or 43204, an offer of arranged employment from the Canadian Forces "
        "Recruiting Group for 3+ years, and at least a 2-year post-secondary credential (with an ECA if earned "
        "abroad)."
    ),
    N_("English"),
    N_("French"),
    N_("1 more year in Canada"),
    N_("your partner's ECA"),
    N_("your partner's test"),
    N_("NCLC 7 in all four French abilities (a TEF Canada or TCF Canada result)"),
    N_("your ECA is 5 years old"),
    N_("your Express Entry profile expires"),
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
    N_("no foreign work, second language, job offer, nomination or Canadian study counted for your partner"),
    N_("your second language earns nothing as the accompanying partner"),
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
