"""The questionnaire as data: each question, its kind, its choices, when it applies, what it depends on.

Order matters: a question is asked after every question it depends on. ``when`` names a predicate
of :class:`flows.conversation.Conversation` (a question whose predicate is false is skipped).
``depends_on`` lists the questions whose change makes this one be asked again after an edit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.vocabulary import EDUCATION_LABELS

Kind = Literal["choice", "yesno", "date", "number", "scores", "noc"]


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    synonyms: tuple[str, ...] = ()


class Question(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    prompt: str
    kind: Kind
    choices: tuple[Choice, ...] = ()
    when: str | None = None
    depends_on: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    hint: str = ""
    label: str = ""  # short name for /edit and summaries
    in_job_loop: bool = False


YES = Choice(id="yes", label="Yes", synonyms=("y", "yes", "yeah", "yep", "oui", "true", "1"))
NO = Choice(id="no", label="No", synonyms=("n", "no", "nope", "non", "false", "0"))

ENGLISH_TESTS = (
    Choice(id="ielts", label="IELTS General Training", synonyms=("ielts", "ielts gt", "ielts general")),
    Choice(id="celpip", label="CELPIP-General", synonyms=("celpip", "celpip g", "celpip general")),
    Choice(id="pte_core", label="PTE Core", synonyms=("pte", "pte core", "pearson")),
)
FRENCH_TESTS = (
    Choice(id="tef_canada", label="TEF Canada", synonyms=("tef", "tef canada")),
    Choice(id="tcf_canada", label="TCF Canada", synonyms=("tcf", "tcf canada")),
)
NO_TEST = Choice(id="none", label="No test (yet)", synonyms=("none", "no", "not yet", "no test", "nothing"))

EDUCATION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "less_than_secondary": ("none", "less than high school", "no high school", "primary", "less than secondary"),
    "secondary": ("high school", "secondary", "highschool", "hs", "diploma high school"),
    "one_year": ("one year", "1 year", "1-year", "certificate", "one-year diploma"),
    "two_year": ("two year", "2 year", "2-year", "diploma", "associate", "college diploma"),
    "bachelors": (
        "bachelor",
        "bachelors",
        "bachelor's",
        "degree",
        "ba",
        "bsc",
        "bs",
        "beng",
        "undergrad",
        "three year",
        "3 year",
        "licence",
    ),
    "two_or_more": ("two or more", "two degrees", "2 degrees", "bachelor and diploma", "double"),
    "masters": (
        "master",
        "masters",
        "master's",
        "msc",
        "ma",
        "mba",
        "meng",
        "md",
        "law degree",
        "llb",
        "professional degree",
        "jd",
        "pharmd",
        "dds",
    ),
    "doctoral": ("phd", "doctorate", "doctoral", "ph.d", "ph.d."),
}
EDUCATION_CHOICES = tuple(
    Choice(id=level, label=label, synonyms=EDUCATION_SYNONYMS[level]) for level, label in EDUCATION_LABELS.items()
)

MARITAL_CHOICES = (
    Choice(id="never_married", label="Single (never married)", synonyms=("single", "never married", "unmarried")),
    Choice(id="married", label="Married", synonyms=("married", "wife", "husband", "spouse")),
    Choice(id="common_law", label="Common-law", synonyms=("common law", "common-law", "partner", "living together")),
    Choice(id="divorced_separated", label="Divorced or separated", synonyms=("divorced", "separated")),
    Choice(id="legally_separated", label="Legally separated", synonyms=("legally separated",)),
    Choice(id="annulled_marriage", label="Annulled marriage", synonyms=("annulled",)),
    Choice(id="widowed", label="Widowed", synonyms=("widowed", "widow", "widower")),
)

SCORE_HINT = "Send the four scores in this order: listening, reading, writing, speaking (e.g. {example})."

QUESTIONS: tuple[Question, ...] = (
    Question(
        id="dob", label="Date of birth", kind="date", prompt="What is your date of birth? (YYYY-MM-DD, e.g. 1994-05-17)"
    ),
    Question(
        id="marital",
        label="Marital status",
        kind="choice",
        choices=MARITAL_CHOICES,
        prompt="What is your marital status?",
    ),
    Question(
        id="spouse_citizen",
        label="Partner is Canadian/PR",
        kind="yesno",
        choices=(YES, NO),
        when="is_partnered",
        depends_on=("marital",),
        prompt="Is your spouse or partner a Canadian citizen or permanent resident?",
    ),
    Question(
        id="spouse_coming",
        label="Partner comes along",
        kind="yesno",
        choices=(YES, NO),
        when="partner_not_canadian",
        depends_on=("marital", "spouse_citizen"),
        prompt="Will your spouse or partner come with you to Canada?",
    ),
    Question(
        id="education",
        label="Education",
        kind="choice",
        choices=EDUCATION_CHOICES,
        prompt="What is your highest level of education (completed)?",
    ),
    Question(
        id="education_proof",
        label="ECA / Canadian credential",
        kind="choice",
        when="has_education",
        depends_on=("education",),
        choices=(
            Choice(id="canadian", label="It is Canadian", synonyms=("canadian", "canada")),
            Choice(id="eca", label="I have an ECA", synonyms=("eca", "wes", "yes", "assessed")),
            Choice(id="none", label="Foreign, no ECA yet", synonyms=("no", "none", "not yet")),
        ),
        prompt="Is that credential Canadian, or do you have an Educational Credential Assessment (ECA) for it?",
    ),
    Question(
        id="canadian_study",
        label="Canadian study",
        kind="choice",
        when="has_post_secondary",
        depends_on=("education",),
        choices=(
            Choice(id="none", label="No Canadian credential", synonyms=("no", "none")),
            Choice(
                id="one_or_two_years",
                label="1-2 year credential",
                synonyms=("1", "2", "one", "two", "1-2", "one or two"),
            ),
            Choice(
                id="three_plus_years",
                label="3+ years, or master's/PhD",
                synonyms=("3", "three", "3+", "masters", "phd"),
            ),
        ),
        prompt="Did you complete a post-secondary credential in Canada (studying full-time, in Canada, "
        "for 8+ months)? If so, how long was the program?",
    ),
    Question(
        id="lang1_test",
        label="First language test",
        kind="choice",
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Which language test did you take? (your stronger official language first)",
    ),
    Question(
        id="lang1_date",
        label="First test date",
        kind="date",
        when="has_lang1",
        depends_on=("lang1_test",),
        prompt="On what date did you take it? (YYYY-MM-DD)",
    ),
    Question(
        id="lang1_scores",
        label="First test scores",
        kind="scores",
        when="has_lang1",
        depends_on=("lang1_test", "lang1_date"),
        prompt="What were your scores?",
    ),
    Question(
        id="lang2_test",
        label="Second language test",
        kind="choice",
        when="has_lang1",
        depends_on=("lang1_test",),
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Did you also take a test in the other official language?",
    ),
    Question(
        id="lang2_date",
        label="Second test date",
        kind="date",
        when="has_lang2",
        depends_on=("lang2_test",),
        prompt="On what date did you take it? (YYYY-MM-DD)",
    ),
    Question(
        id="lang2_scores",
        label="Second test scores",
        kind="scores",
        when="has_lang2",
        depends_on=("lang2_test", "lang2_date"),
        prompt="What were your scores?",
    ),
    Question(
        id="job_add",
        label="Work history",
        kind="yesno",
        choices=(
            Choice(id="yes", label="Add a job", synonyms=("yes", "y", "add", "add a job", "another")),
            Choice(id="no", label="No (more) jobs", synonyms=("no", "n", "none", "done", "finished")),
        ),
        prompt="Let's go through your paid work in the last 10 years, one job at a time. Add a job?",
    ),
    Question(
        id="job_noc",
        label="Job",
        kind="noc",
        in_job_loop=True,
        prompt="What was the job title (or its 5-digit NOC code)?",
    ),
    Question(
        id="job_where",
        label="Job location",
        kind="choice",
        in_job_loop=True,
        choices=(
            Choice(id="canada", label="In Canada", synonyms=("canada", "in canada", "ca")),
            Choice(id="abroad", label="Outside Canada", synonyms=("abroad", "outside", "outside canada")),
        ),
        prompt="Was that job in Canada or outside Canada?",
    ),
    Question(
        id="job_start", label="Job start", kind="date", in_job_loop=True, prompt="When did it start? (YYYY-MM-DD)"
    ),
    Question(
        id="job_end",
        label="Job end",
        kind="date",
        in_job_loop=True,
        choices=(
            Choice(
                id="ongoing", label="I still work there", synonyms=("still", "ongoing", "current", "now", "present")
            ),
        ),
        prompt="When did it end? (YYYY-MM-DD, or tap if you still work there)",
    ),
    Question(
        id="job_hours",
        label="Hours per week",
        kind="number",
        in_job_loop=True,
        minimum=1,
        maximum=100,
        prompt="How many paid hours a week? (30 or more is full-time)",
    ),
    Question(
        id="job_kind",
        label="Job type",
        kind="choice",
        in_job_loop=True,
        choices=(
            Choice(id="employee", label="Employee", synonyms=("employee", "employed", "salaried")),
            Choice(
                id="self_employed",
                label="Self-employed",
                synonyms=("self", "self-employed", "freelance", "own business"),
            ),
            Choice(id="student", label="Employee, while a full-time student", synonyms=("student", "while studying")),
        ),
        prompt="Were you an employee, self-employed, or working while a full-time student?",
    ),
    Question(
        id="coq",
        label="Certificate of qualification",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a certificate of qualification in a trade, issued by a Canadian province, "
        "territory or federal body?",
    ),
    Question(
        id="coq_trade",
        label="Certificate's trade",
        kind="noc",
        when="has_coq",
        depends_on=("coq",),
        prompt="Which trade is it for? (trade name or 5-digit NOC code)",
    ),
    Question(
        id="job_offer",
        label="Job offer",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a valid job offer in Canada: full-time, for at least 1 year, supported by an "
        "LMIA or exempt from one?",
    ),
    Question(
        id="job_offer_noc",
        label="Job offer's occupation",
        kind="noc",
        when="has_offer",
        depends_on=("job_offer",),
        prompt="What is the offered job? (title or 5-digit NOC code)",
    ),
    Question(
        id="authorized",
        label="Authorized to work in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="has_offer",
        depends_on=("job_offer",),
        prompt="Are you currently authorized to work in Canada?",
    ),
    Question(
        id="nomination",
        label="Provincial nomination",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a provincial or territorial nomination?",
    ),
    Question(
        id="sibling",
        label="Sibling in Canada",
        kind="yesno",
        choices=(YES, NO),
        prompt="Does a brother or sister of yours (or of your partner) live in Canada, aged 18+, as a "
        "citizen or permanent resident?",
    ),
    Question(
        id="relative",
        label="Other relative in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="no_sibling",
        depends_on=("sibling",),
        prompt="Does another relative (parent, grandparent, child, aunt, uncle, niece, nephew) aged 18+ live "
        "in Canada as a citizen or permanent resident?",
    ),
    Question(
        id="study_two_years",
        label="2 years of study in Canada",
        kind="yesno",
        choices=(YES, NO),
        prompt="Have you studied full-time in Canada for at least 2 academic years?",
    ),
    Question(
        id="family_size",
        label="Family size",
        kind="number",
        minimum=1,
        maximum=30,
        prompt="How many people are in your family, counting you, your partner and dependent children "
        "(even those not coming)?",
    ),
    Question(
        id="funds",
        label="Settlement funds",
        kind="number",
        minimum=0,
        maximum=100_000_000,
        when="needs_funds",
        depends_on=("job_offer", "authorized"),
        prompt="How much money (in Canadian dollars) can you show for settling in Canada?",
    ),
    Question(
        id="spouse_education",
        label="Partner's education",
        kind="choice",
        choices=EDUCATION_CHOICES,
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        prompt="What is your partner's highest level of education?",
    ),
    Question(
        id="spouse_test",
        label="Partner's language test",
        kind="choice",
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Which language test did your partner take?",
    ),
    Question(
        id="spouse_date",
        label="Partner's test date",
        kind="date",
        when="partner_has_test",
        depends_on=("spouse_test",),
        prompt="On what date did your partner take it? (YYYY-MM-DD)",
    ),
    Question(
        id="spouse_scores",
        label="Partner's scores",
        kind="scores",
        when="partner_has_test",
        depends_on=("spouse_test", "spouse_date"),
        prompt="What were your partner's scores?",
    ),
    Question(
        id="spouse_work",
        label="Partner's Canadian work",
        kind="number",
        minimum=0,
        maximum=60,
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        prompt="How many years of skilled (TEER 0-3), full-time work in Canada does your partner have in the "
        "last 10 years? (0 if none)",
    ),
    Question(
        id="spouse_study",
        label="Partner's study in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        prompt="Has your partner studied full-time in Canada for at least 2 academic years?",
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
FRENCH_TEST_IDS = frozenset(c.id for c in FRENCH_TESTS)


def choices_for(question: Question, answers: dict[str, object]) -> tuple[Choice, ...]:
    """The choices to offer: a second test must be in the other official language."""
    if question.id == "lang2_test":
        first_is_french = answers.get("lang1_test") in FRENCH_TEST_IDS
        return (*(ENGLISH_TESTS if first_is_french else FRENCH_TESTS), NO_TEST)
    return question.choices


JOB_LOOP = tuple(q.id for q in QUESTIONS if q.in_job_loop)
DONE = "done"

# The questionnaire's sections, for the "Step 3 of 6 · Language" line on every question: each question in
# exactly one section, the sections in table order (a test checks both).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("About you", ("dob", "marital", "spouse_citizen", "spouse_coming")),
    ("Education", ("education", "education_proof", "canadian_study")),
    ("Language", ("lang1_test", "lang1_date", "lang1_scores", "lang2_test", "lang2_date", "lang2_scores")),
    ("Work", ("job_add", *JOB_LOOP)),
    (
        "Extra points",
        (
            "coq",
            "coq_trade",
            "job_offer",
            "job_offer_noc",
            "authorized",
            "nomination",
            "sibling",
            "relative",
            "study_two_years",
        ),
    ),
    ("Family and funds", ("family_size", "funds")),
    (
        "Your partner",
        ("spouse_education", "spouse_test", "spouse_date", "spouse_scores", "spouse_work", "spouse_study"),
    ),
)
SECTION_OF: dict[str, str] = {qid: name for name, ids in SECTIONS for qid in ids}
