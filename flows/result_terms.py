"""The texts made in ``knowledge/`` that the result shows, translated at the flows edge (knowledge stays English data).

A sentence knowledge makes as a :class:`knowledge.wording.Phrase` (a template and its parameters) is said from its
template, exactly; what follows is for the texts knowledge still makes as plain English strings.

``knowledge/`` builds English labels and sentences (a score factor's label, a program's name, a category, a fixed
check, a what-if's label); it must not import :mod:`flows.i18n` (imports point bot -> flows -> knowledge). The ones
that are stable texts are listed here, each marked with ``N_`` so that the catalog test requires its translation;
:func:`term` translates a text that is one of them, or made of them with ": " or " + " (a factor
"First official language: listening", a combination "no foreign work + CLB 9+ in all four abilities").
A few sentences with figures in them have a pattern here (``PATTERNS``: "35 years old on 2026-10-01", "you turn 31"),
their parts translated as terms and their ISO dates shown in the language's words. The other texts with figures
(a check's shortfall of funds, a language result's conversion) stay English until knowledge gives them as keys
with parameters.
"""

from __future__ import annotations

import re
from datetime import date

from flows.i18n import N_, SOURCE_LANGUAGE, Translator
from knowledge.wording import Phrase

SEPARATORS = (": ", " + ")
CAP = " cap"  # "Skill transferability cap": the points above a section's cap

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# knowledge's sentences with figures: (the English, as a regex with named parts, the msgid with the same names)
PATTERNS = (
    (re.compile(r"(?P<age>\d+) years old on (?P<day>\d{4}-\d{2}-\d{2})"), N_("{age} years old on {day}")),
    (re.compile(r"you turn (?P<age>\d+)"), N_("you turn {age}")),
    (re.compile(r"(?P<raw>\d+) capped at (?P<cap>\d+)"), N_("{raw} capped at {cap}")),
    (re.compile(r"your partner's (?P<label>.+) results expire"), N_("your partner's {label} results expire")),
    (re.compile(r"your (?P<label>.+) results expire"), N_("your {label} results expire")),
    (re.compile(r"CRS from (?P<day>\d{4}-\d{2}-\d{2}) \((?P<note>.+)\)"), N_("CRS from {day} ({note})")),
    # what-ifs: "English listening up to CLB 8" (label), "listening CLB 8" (short), a test's gain (detail)
    (
        re.compile(r"(?P<language>English|French) (?P<ability>\w+) up to (?P<unit>CLB|NCLC) (?P<level>\d+)"),
        N_("{language} {ability} up to {unit} {level}"),
    ),
    (
        re.compile(r"(?P<ability>listening|reading|writing|speaking) (?P<unit>CLB|NCLC) (?P<level>\d+)"),
        N_("{ability} {unit} {level}"),
    ),
    (
        re.compile(r"(?P<unit>CLB|NCLC) (?P<level>\d+) in all four (?P<language>English|French) abilities"),
        N_("{unit} {level} in all four {language} abilities"),
    ),
    (re.compile(r"(?P<unit>CLB|NCLC) (?P<level>\d+) in all four"), N_("{unit} {level} in all four")),
    (
        re.compile(
            r"(?P<test>.+) (?P<ability>listening|reading|writing|speaking) (?P<before>[\d.]+) -> (?P<after>[\d.]+) "
            r"gives (?P<unit>CLB|NCLC) (?P<level>\d+)"
        ),
        N_("{test} {ability} {before} -> {after} gives {unit} {level}"),
    ),
    # a language result's conversion: "IELTS General Training 8.0 = CLB 9 (band: CLB 9)"
    (
        re.compile(r"(?P<test>.+) (?P<score>[\d.]+) = (?P<unit>CLB|NCLC) (?P<level>\d+) \(band: (?P<band>.+)\)"),
        N_("{test} {score} = {unit} {level} (band: {band})"),
    ),
    (re.compile(r"(?P<unit>CLB|NCLC) (?P<level>\d+) or more"), N_("{unit} {level} or more")),
    (re.compile(r"(?P<unit>CLB|NCLC) (?P<level>\d+)"), N_("{unit} {level}")),
    # eligibility: the funds and the Canadian hours (money_* and number_* parts are formatted for the language)
    (
        re.compile(
            r"FSW and FST need \$(?P<money_need>[\d,]+) for a family of (?P<size>\d+); you have "
            r"\$(?P<money_have>[\d,]+), \$(?P<money_short>[\d,]+) short"
        ),
        N_("FSW and FST need {money_need} for a family of {size}; you have {money_have}, {money_short} short"),
    ),
    (
        re.compile(
            r"FSW and FST need \$(?P<money_need>[\d,]+) for a family of (?P<size>\d+) \(not needed if you apply "
            r"through the Canadian Experience Class\)"
        ),
        N_(
            "FSW and FST need {money_need} for a family of {size} (not needed if you apply through the Canadian "
            "Experience Class)"
        ),
    ),
    (
        re.compile(r"FSW and FST need \$(?P<money_need>[\d,]+) for a family of (?P<size>\d+)"),
        N_("FSW and FST need {money_need} for a family of {size}"),
    ),
    (
        re.compile(
            r"you need 1 year \(1,560 hours\) of skilled work in Canada in the last 3 years; you have "
            r"(?P<number_hours>[\d,]+) hours \((?P<years>[\d.]+) years full-time\)"
        ),
        N_(
            "you need 1 year (1,560 hours) of skilled work in Canada in the last 3 years; you have {number_hours} "
            "hours ({years} years full-time)"
        ),
    ),
    (
        re.compile(r"your partner's age is not asked: counted as yours \((?P<age>\d+)\)"),
        N_("your partner's age is not asked: counted as yours ({age})"),
    ),
    (
        re.compile(r"(?P<level>.+), but foreign education needs an ECA to earn points"),
        N_("{level}, but foreign education needs an ECA to earn points"),
    ),
    # categories: "none of your jobs is one of its 4 listed occupations"
    (
        re.compile(r"none of your jobs is one of its (?P<count>\d+) listed occupations"),
        N_("none of your jobs is one of its {count} listed occupations"),
    ),
    (
        re.compile(r"CRS age points \(with a spouse or partner\), (?P<rules>.+)"),
        N_("CRS age points (with a spouse or partner), {rules}"),
    ),
    (
        re.compile(r"CRS age points \(without a spouse or partner\), (?P<rules>.+)"),
        N_("CRS age points (without a spouse or partner), {rules}"),
    ),
)

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
    N_("0 years (None or less than a year)"),
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
    N_("NCLC 7+ in all four French abilities"),
    N_("NCLC 7+ in all four French abilities; you must also be eligible for FSW, CEC or FST to be invited"),
    N_("a second post-secondary credential (one of 3+ years)"),
    N_("a master's degree"),
    N_("an Educational Credential Assessment (ECA) of your education"),
    N_("one more year of skilled work in Canada"),
    N_("an ECA of your partner's education"),
    N_("a language test for your partner (CLB 7 in all four)"),
    N_("French at NCLC 7 in all four abilities"),
    N_("NCLC 9 in all four French abilities"),
    N_("French NCLC 7"),
    N_("a 2nd credential"),
    N_("a master's"),
    N_("an ECA"),
    N_("NCLC 9 in all four"),
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
    N_("your partner's language test at CLB 7 in all four abilities"),
    N_("current official grid as last read"),
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
    """``text`` in ``t``'s language when it is a known term or made of known terms; else as it is (English)."""
    if t.language == SOURCE_LANGUAGE or not text:
        return text
    if isinstance(text, Phrase) and (not text.msgid or t.has(text.msgid)):  # knowledge said it as a template
        return t.say(text, term)
    if t.has(text):
        return t(text)
    for pattern, msgid in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return t(msgid, **{name: _part(t, name, value) for name, value in found.groupdict().items()})
    if text.endswith(CAP) and term(t, text[: -len(CAP)]) != text[: -len(CAP)]:
        return t("{label} cap", label=term(t, text[: -len(CAP)]))
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


def _part(t: Translator, name: str, value: str) -> str:
    """A pattern's part: an ISO date in the language's words, dollars and counts in the language's format
    (``money_*``, ``number_*``), another figure as it is, a text as a term."""
    if name.startswith("money_"):
        return t.format_money(int(value.replace(",", "")))
    if name.startswith("number_"):
        return t.format_number(int(value.replace(",", "")))
    if ISO_DAY.fullmatch(value):
        return t.format_date(date.fromisoformat(value))
    if value in ("CLB", "NCLC"):  # the level unit: as the catalog says it (NCLC in French)
        return t(value)
    return value if value.replace(".", "", 1).isdigit() else term(t, value)
