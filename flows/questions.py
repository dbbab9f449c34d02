"""The questionnaire as data: each question, its kind, its choices, when it applies, what it depends on.

Order matters: a question is asked after every question it depends on. ``when`` names a predicate
of :class:`flows.conversation.Conversation` (a question whose predicate is false is skipped).
``depends_on`` lists the questions whose change makes this one be asked again after an edit.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.language import default_language_tables, tef_readings
from knowledge.vocabulary import EDUCATION_LABELS, PARTNERED

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
    hint: str = ""  # what the question means and where to find the answer (shown to someone unsure)
    # the prompt and hint for someone whose partner is not scored (a Canadian citizen or PR, or not coming): only
    # their own relatives count then (CRS: a sibling of the candidate or of the accompanying spouse or partner)
    alone_prompt: str = ""
    alone_hint: str = ""
    likely: str = ""  # the choice most people who are unsure turn out to have (offered, never assumed)
    label: str = ""  # short name for /edit and summaries
    in_job_loop: bool = False


YES = Choice(id="yes", label="Yes", synonyms=("y", "yes", "yeah", "yep", "yup", "oui", "true", "1", "yes i do"))
NO = Choice(id="no", label="No", synonyms=("n", "no", "nope", "nah", "non", "false", "0", "not yet", "never"))

ENGLISH_TESTS = (
    Choice(
        id="ielts", label="IELTS General Training", synonyms=("ielts", "ielts gt", "ielts general", "ilets", "ielst")
    ),
    Choice(id="celpip", label="CELPIP-General", synonyms=("celpip", "celpip g", "celpip general")),
    Choice(id="pte_core", label="PTE Core", synonyms=("pte", "pte core", "pearson")),
)
FRENCH_TESTS = (
    Choice(id="tef_canada", label="TEF Canada", synonyms=("tef", "tef canada")),
    Choice(id="tcf_canada", label="TCF Canada", synonyms=("tcf", "tcf canada")),
)
TEF_COLUMNS = (
    Choice(id="699_scale", label="The score out of 699", synonyms=("699", "out of 699", "new", "new scale", "score")),
    Choice(
        id="old_scale",
        label="The 'Équivalence ancien score' column",
        synonyms=(
            "ancien",
            "old",
            "old scale",
            "equivalence",
            "équivalence",
            "equivalence ancien score",
            "ancien score",
        ),
    ),
)
NO_TEST = Choice(
    id="none",
    label="No test (yet)",
    synonyms=("none", "no", "not yet", "no test", "nothing", "not taken", "havent taken", "no other test", "only one"),
)

EDUCATION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "less_than_secondary": (
        "none",
        "less than high school",
        "no high school",
        "primary",
        "primary school",
        "less than secondary",
        "middle school",
        "10th",
        "10th grade",
    ),
    "secondary": (
        "high school",
        "secondary",
        "highschool",
        "hs",
        "diploma high school",
        "high school diploma",
        "secondary school",
        "12th",
        "12th grade",
        "grade 12",
        "hsc",
        "a levels",
    ),
    "one_year": (
        "one year",
        "1 year",
        "1-year",
        "certificate",
        "one-year diploma",
        "1 year diploma",
        "one year diploma",
        "1 year certificate",
        "one year certificate",
        "1 year program",
        "one year program",
        "1 yr",
    ),
    "two_year": (
        "two year",
        "2 year",
        "2-year",
        "diploma",
        "associate",
        "associate degree",
        "college diploma",
        "2 year diploma",
        "two year diploma",
        "2 year certificate",
        "two year certificate",
        "2 year program",
        "two year program",
        "2 yr",
    ),
    "bachelors": (
        "bachelor",
        "bachelors",
        "bachelor's",
        "degree",
        "ba",
        "bsc",
        "bs",
        "beng",
        "btech",
        "b tech",
        "bcom",
        "bba",
        "bca",
        "bed",
        "bsn",
        "be",
        "undergrad",
        "undergraduate",
        "bachelor degree",
        "bachelors degree",
        "university degree",
        "three year",
        "3 year",
        "four year",
        "4 year",
        "3 year degree",
        "4 year degree",
        "licence",
        "licence universitaire",
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
        "mtech",
        "m tech",
        "mcom",
        "mca",
        "mphil",
        "masters degree",
        "master degree",
        "postgraduate",
        "post graduate",
        "maitrise",
        "master 2",
        "md",
        "law degree",
        "llb",
        "professional degree",
        "jd",
        "pharmd",
        "dds",
    ),
    "doctoral": ("phd", "doctorate", "doctoral", "ph.d", "ph.d.", "dphil", "doctorat", "doctoral degree"),
}
EDUCATION_CHOICES = tuple(
    Choice(id=level, label=label, synonyms=EDUCATION_SYNONYMS[level]) for level, label in EDUCATION_LABELS.items()
)

MARITAL_CHOICES = (
    Choice(
        id="never_married",
        label="Single (never married)",
        synonyms=("single", "never married", "unmarried", "celibataire", "not married", "never been married"),
    ),
    Choice(id="married", label="Married", synonyms=("married", "wife", "husband", "spouse", "marie", "mariee")),
    Choice(
        id="common_law",
        label="Common-law",
        synonyms=("common law", "common-law", "partner", "living together", "conjoint de fait", "live in partner"),
    ),
    Choice(id="divorced_separated", label="Divorced or separated", synonyms=("divorced", "separated", "divorce")),
    Choice(id="legally_separated", label="Legally separated", synonyms=("legally separated",)),
    Choice(id="annulled_marriage", label="Annulled marriage", synonyms=("annulled",)),
    Choice(id="widowed", label="Widowed", synonyms=("widowed", "widow", "widower")),
)

SCORE_HINT = "Send the four scores in this order: listening, reading, writing, speaking (e.g. {example})."

EDUCATION_PROOF_CHOICES: tuple[Choice, ...] = (
    Choice(
        id="canadian",
        label="It is Canadian",
        synonyms=("canadian", "canada", "from canada", "in canada", "canadian degree", "canadian diploma"),
    ),
    Choice(
        id="eca",
        label="I have an ECA",
        synonyms=(
            "eca",
            "wes",
            "yes",
            "assessed",
            "have eca",
            "have an eca",
            "have one",
            "icas",
            "iqas",
            "ces",
            "ices",
            "mcc",
            "pebc",
            "cic",
            "yes i do",
            "yes i have",
        ),
    ),
    Choice(
        id="none",
        label="Foreign, no ECA yet",
        synonyms=(
            "no",
            "none",
            "not yet",
            "no eca",
            "no eca yet",
            "no ece",
            "not assessed",
            "not done",
            "foreign",
            "dont have",
            "dont have one",
            "do not have",
            "dont have eca",
            "dont have an eca",
            "do not have eca",
            "do not have an eca",
            "havent done",
            "havent done it",
            "have not done it",
            "in progress",
            "applied",
            "waiting",
            "pending",
            "nope",
            "nah",
        ),
    ),
)
# the partner's: the same choices, said of the partner ("It has an ECA", not "I have an ECA")
SPOUSE_EDUCATION_PROOF_CHOICES: tuple[Choice, ...] = tuple(
    c.model_copy(update={"label": "It has an ECA"}) if c.id == "eca" else c for c in EDUCATION_PROOF_CHOICES
)


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="dob",
        hint=(
            "Your date of birth as on your passport. Age points change on your birthday, so I need the "
            "exact date (day, month, year), not your age."
        ),
        label="Date of birth",
        kind="date",
        prompt="What is your date of birth? (YYYY-MM-DD, e.g. 1994-05-17)",
    ),
    Question(
        id="marital",
        hint=(
            "Your status today. Common-law means you have lived together in a conjugal relationship for"
            " at least 12 months in a row; a fiancé(e) or girlfriend/boyfriend you don't live with is "
            "single."
        ),
        label="Marital status",
        kind="choice",
        choices=MARITAL_CHOICES,
        prompt="What is your marital status?",
    ),
    Question(
        id="spouse_citizen",
        hint=(
            "Yes if your spouse or partner is already a Canadian citizen or permanent resident (PR card"
            " or confirmation of PR); then they don't count in your score."
        ),
        label="Partner is Canadian/PR",
        kind="yesno",
        choices=(YES, NO),
        when="is_partnered",
        depends_on=("marital",),
        prompt="Is your spouse or partner a Canadian citizen or permanent resident?",
    ),
    Question(
        id="spouse_coming",
        hint=(
            "Yes if your spouse or partner would immigrate with you (be listed as accompanying), even "
            "if later; no if they stay behind."
        ),
        label="Partner comes along",
        kind="yesno",
        choices=(YES, NO),
        when="partner_not_canadian",
        depends_on=("marital", "spouse_citizen"),
        prompt="Will your spouse or partner come with you to Canada?",
    ),
    Question(
        id="education",
        hint=(
            "The highest credential you have completed (diploma or degree received), not one you are "
            "still studying for. A 3- or 4-year bachelor's is 'Bachelor's'; a 2-year college diploma is"
            " 'Two-year'."
        ),
        label="Education",
        kind="choice",
        choices=EDUCATION_CHOICES,
        prompt="What is your highest level of education (completed)?",
    ),
    Question(
        id="education_proof",
        hint=(
            "An ECA (Educational Credential Assessment) is a report from WES, ICAS, IQAS, CES, ICES, "
            "MCC or PEBC saying what a foreign diploma equals in Canada; you would have ordered and "
            "paid for it. A diploma from a Canadian school needs no ECA."
        ),
        likely="none",
        label="ECA / Canadian credential",
        kind="choice",
        when="has_education",
        depends_on=("education",),
        choices=EDUCATION_PROOF_CHOICES,
        prompt="Is that credential Canadian, or do you have an Educational Credential Assessment (ECA) for it?",
    ),
    Question(
        id="eca_date",
        hint=(
            "The date printed on your ECA report (WES, ICAS, IQAS, CES, ICES, MCC or PEBC) as its issue date. "
            "An ECA counts while it is less than 5 years old; a month and year is enough (e.g. March 2023)."
        ),
        label="ECA issue date",
        kind="date",
        when="has_eca",
        depends_on=("education_proof",),
        choices=(
            Choice(id="unknown", label="I don't know it", synonyms=("unknown", "dont know", "no idea", "skip", "?")),
        ),
        prompt="On what date was your ECA issued? (so I can tell you when it turns 5 years old)",
    ),
    Question(
        id="canadian_study",
        hint=(
            "Only a diploma or degree from a Canadian school, studied full-time in Canada for at least "
            "8 months. Count the program's length; a master's or PhD counts as 3+ years."
        ),
        label="Canadian study",
        kind="choice",
        when="has_post_secondary",
        depends_on=("education",),
        choices=(
            Choice(
                id="none", label="No Canadian credential", synonyms=("no", "none", "nope", "never", "not in canada")
            ),
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
        hint=(
            "The official test you took: IELTS General Training, CELPIP-General or PTE Core (English); "
            "TEF Canada or TCF Canada (French). If you have not taken one, tap No test (yet)."
        ),
        label="First language test",
        kind="choice",
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Which language test did you take? (your stronger official language first)",
    ),
    Question(
        id="lang1_date",
        hint=(
            "The date you sat the test, printed on your results: the Test Report Form (IELTS), the "
            "official score report (CELPIP, PTE Core) or the attestation (TEF, TCF). Results count for "
            "2 years from that date; a month and year is enough (e.g. March 2025)."
        ),
        label="First test date",
        kind="date",
        when="has_lang1",
        depends_on=("lang1_test",),
        prompt="On what date did you take it? (YYYY-MM-DD)",
    ),
    Question(
        id="lang1_scores",
        hint=(
            "The four ability scores on your results (not the overall score): listening, reading, "
            "writing, speaking; for TEF/TCF, CO, CE, EE, EO."
        ),
        label="First test scores",
        kind="scores",
        when="has_lang1",
        depends_on=("lang1_test", "lang1_date"),
        prompt="What were your scores?",
    ),
    Question(
        id="lang1_tef_scale",
        hint=(
            "Since 2023-12-11 a TEF Canada certificate shows each score twice: out of 699, and in a column "
            "called 'Équivalence ancien score' (the old scale). IRCC's tables convert each column differently."
        ),
        label="First test: TEF column",
        kind="choice",
        when="lang1_tef_unclear",
        depends_on=("lang1_test", "lang1_date", "lang1_scores"),
        choices=TEF_COLUMNS,
        prompt="Your four numbers fit both columns of a TEF Canada certificate. Which column did you read?",
    ),
    Question(
        id="lang2_test",
        hint=(
            "The official test you took: IELTS General Training, CELPIP-General or PTE Core (English); "
            "TEF Canada or TCF Canada (French). If you have not taken one, tap No test (yet)."
        ),
        label="Second language test",
        kind="choice",
        when="has_lang1",
        depends_on=("lang1_test",),
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Did you also take a test in the other official language?",
    ),
    Question(
        id="lang2_date",
        hint=(
            "The date you sat the test, printed on your results: the Test Report Form (IELTS), the "
            "official score report (CELPIP, PTE Core) or the attestation (TEF, TCF). Results count for "
            "2 years from that date; a month and year is enough (e.g. March 2025)."
        ),
        label="Second test date",
        kind="date",
        when="has_lang2",
        depends_on=("lang2_test",),
        prompt="On what date did you take it? (YYYY-MM-DD)",
    ),
    Question(
        id="lang2_scores",
        hint=(
            "The four ability scores on your results (not the overall score): listening, reading, "
            "writing, speaking; for TEF/TCF, CO, CE, EE, EO."
        ),
        label="Second test scores",
        kind="scores",
        when="has_lang2",
        depends_on=("lang2_test", "lang2_date"),
        prompt="What were your scores?",
    ),
    Question(
        id="lang2_tef_scale",
        hint=(
            "Since 2023-12-11 a TEF Canada certificate shows each score twice: out of 699, and in a column "
            "called 'Équivalence ancien score' (the old scale). IRCC's tables convert each column differently."
        ),
        label="Second test: TEF column",
        kind="choice",
        when="lang2_tef_unclear",
        depends_on=("lang2_test", "lang2_date", "lang2_scores"),
        choices=TEF_COLUMNS,
        prompt="Your four numbers fit both columns of a TEF Canada certificate. Which column did you read?",
    ),
    Question(
        id="job_add",
        hint=(
            "Paid work in the last 10 years, in Canada or abroad, employee or self-employed. Volunteer "
            "work and unpaid internships don't count."
        ),
        label="Work history",
        kind="yesno",
        choices=(
            Choice(
                id="yes",
                label="Add a job",
                synonyms=("yes", "y", "add", "add a job", "another", "one more", "add another", "another job"),
            ),
            Choice(
                id="no",
                label="No (more) jobs",
                synonyms=(
                    "no",
                    "n",
                    "none",
                    "done",
                    "finished",
                    "no more",
                    "no more jobs",
                    "thats all",
                    "thats it",
                    "nothing else",
                    "nothing more",
                    "all done",
                    "no jobs",
                    "never worked",
                ),
            ),
        ),
        prompt="Let's go through your paid work in the last 10 years, one job at a time. Add a job?",
    ),
    Question(
        id="job_noc",
        hint=(
            "The NOC code is the 5-digit National Occupational Classification code of the job; look "
            "your job title up on the Government of Canada's 'Find your NOC' page (noc.statcan.gc.ca). "
            "If you don't know it, type the job title and I will look it up."
        ),
        label="Job",
        kind="noc",
        in_job_loop=True,
        prompt="What was the job title (or its 5-digit NOC code)?",
    ),
    Question(
        id="job_where",
        hint=("Where you physically did the work: in Canada, or in any other country."),
        label="Job location",
        kind="choice",
        in_job_loop=True,
        choices=(
            Choice(id="canada", label="In Canada", synonyms=("canada", "in canada", "ca", "inside canada")),
            Choice(
                id="abroad",
                label="Outside Canada",
                synonyms=(
                    "abroad",
                    "outside",
                    "outside canada",
                    "outside of canada",
                    "not in canada",
                    "overseas",
                    "back home",
                    "home country",
                    "my country",
                    "foreign",
                ),
            ),
        ),
        prompt="Was that job in Canada or outside Canada?",
    ),
    Question(
        id="job_start",
        hint=(
            "The first day of paid work in that job, as on your contract or reference letter; a month "
            "and year is enough (e.g. March 2021)."
        ),
        label="Job start",
        kind="date",
        in_job_loop=True,
        prompt="When did it start? (YYYY-MM-DD)",
    ),
    Question(
        id="job_end",
        hint=(
            "The last day of paid work in that job, as on your reference letter; a month and year is "
            "enough. If you still work there, tap 'I still work there'."
        ),
        label="Job end",
        kind="date",
        in_job_loop=True,
        choices=(
            Choice(
                id="ongoing",
                label="I still work there",
                synonyms=(
                    "still",
                    "ongoing",
                    "current",
                    "currently",
                    "now",
                    "present",
                    "still working",
                    "still there",
                    "still employed",
                    "i still work there",
                    "till date",
                    "to date",
                    "till now",
                    "until now",
                    "up to now",
                    "today",
                    "continuing",
                    "not ended",
                    "hasnt ended",
                    "current job",
                    "en cours",
                    "toujours",
                ),
            ),
        ),
        prompt="When did it end? (YYYY-MM-DD, or tap if you still work there)",
    ),
    Question(
        id="job_hours",
        hint=(
            "Paid hours a week, as on your reference letter or pay slips. 30 hours a week is full-time;"
            " part-time work counts in proportion."
        ),
        label="Hours per week",
        kind="number",
        in_job_loop=True,
        minimum=1,
        maximum=100,
        prompt="How many paid hours a week? (30 or more is full-time)",
    ),
    Question(
        id="job_kind",
        hint=(
            "Employee: on someone's payroll. Self-employed: your own business or freelance. Student: "
            "you worked while enrolled full-time in school."
        ),
        label="Job type",
        kind="choice",
        in_job_loop=True,
        choices=(
            Choice(
                id="employee",
                label="Employee",
                synonyms=("employee", "employed", "salaried", "full time employee", "staff", "permanent"),
            ),
            Choice(
                id="self_employed",
                label="Self-employed",
                synonyms=(
                    "self",
                    "self-employed",
                    "freelance",
                    "freelancer",
                    "own business",
                    "business owner",
                    "contractor",
                ),
            ),
            Choice(id="student", label="Employee, while a full-time student", synonyms=("student", "while studying")),
        ),
        prompt="Were you an employee, self-employed, or working while a full-time student?",
    ),
    Question(
        id="coq",
        hint=(
            "A certificate of qualification is issued by a Canadian province or territory (e.g. Skilled"
            " Trades Ontario, a Red Seal) after you pass its trade exam. A diploma from abroad is not "
            "one."
        ),
        likely="no",
        label="Certificate of qualification",
        when="coq_can_matter",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a certificate of qualification in a trade, issued by a Canadian province, "
        "territory or federal body?",
    ),
    Question(
        id="coq_trade",
        hint=("The trade printed on your certificate of qualification (e.g. electrician), or its NOC code."),
        label="Certificate's trade",
        kind="noc",
        when="has_coq",
        depends_on=("coq",),
        prompt="Which trade is it for? (trade name or 5-digit NOC code)",
    ),
    Question(
        id="job_offer",
        hint=(
            "A written offer from a Canadian employer, full-time, for at least one year, with a "
            "positive LMIA or exempt from one (e.g. you already work for them on an employer-specific "
            "work permit)."
        ),
        likely="no",
        label="Job offer",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a valid job offer in Canada: full-time, for at least 1 year, supported by an "
        "LMIA or exempt from one?",
    ),
    Question(
        id="job_offer_noc",
        hint=("The title of the offered job, as in the offer letter or LMIA, or its NOC code."),
        label="Job offer's occupation",
        kind="noc",
        when="has_offer",
        depends_on=("job_offer",),
        prompt="What is the offered job? (title or 5-digit NOC code)",
    ),
    Question(
        id="authorized",
        hint=("Yes if you hold a valid work permit (or are otherwise allowed to work in Canada) today."),
        label="Authorized to work in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="has_offer",
        depends_on=("job_offer",),
        prompt="Are you currently authorized to work in Canada?",
    ),
    Question(
        id="nomination",
        hint=(
            "A nomination certificate from a Provincial Nominee Program (PNP), accepted in your Express"
            " Entry profile. An interest letter or a submitted application is not a nomination yet."
        ),
        likely="no",
        label="Provincial nomination",
        kind="yesno",
        choices=(YES, NO),
        prompt="Do you have a provincial or territorial nomination?",
    ),
    Question(
        id="sibling",
        hint=(
            "A brother or sister (including half and step siblings) of you or your partner, 18 or "
            "older, living in Canada as a citizen or permanent resident."
        ),
        label="Sibling in Canada",
        kind="yesno",
        choices=(YES, NO),
        prompt="Does a brother or sister of yours (or of your partner) live in Canada, aged 18+, as a "
        "citizen or permanent resident?",
        alone_prompt="Does a brother or sister of yours live in Canada, aged 18+, as a citizen or permanent "
        "resident? (Your partner's do not count: they count only for a partner who comes with you and is not a "
        "Canadian citizen or PR.)",
        alone_hint="A brother or sister (including half and step siblings) of yours, 18 or older, living in Canada "
        "as a citizen or permanent resident. Your partner's brothers and sisters count only when your partner comes "
        "with you and is not a Canadian citizen or PR.",
    ),
    Question(
        id="relative",
        hint=("The relative must be 18 or older and live in Canada as a citizen or permanent resident."),
        label="Other relative in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="relative_can_matter",
        depends_on=("sibling",),
        prompt="Does another relative (parent, grandparent, child, aunt, uncle, niece, nephew) aged 18+ live "
        "in Canada as a citizen or permanent resident?",
    ),
    Question(
        id="study_two_years",
        hint=(
            "Full-time study at a Canadian school, in Canada, for at least two academic years (e.g. a "
            "two-year college program)."
        ),
        label="2 years of study in Canada",
        when="study_can_matter",
        kind="yesno",
        choices=(YES, NO),
        prompt="Have you studied full-time in Canada for at least 2 academic years?",
    ),
    Question(
        id="family_size",
        hint=(
            "Count yourself, your spouse or partner, and your dependent children (under 22), even if "
            "they won't come with you or are Canadian citizens or permanent residents. A single person with no "
            "children is 1."
        ),
        label="Family size",
        kind="number",
        minimum=1,
        maximum=30,
        depends_on=("marital",),  # a partner counts (at least 2): a new marital status asks the size again
        prompt="How many people are in your family, counting you, your partner and dependent children "
        "(even those not coming)?",
    ),
    Question(
        id="funds",
        hint=(
            "Money that is yours and available now: bank balances and savings you can show on "
            "statements, not borrowed and not property. Send it in Canadian dollars."
        ),
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
        hint=("Your partner's highest completed diploma or degree."),
        label="Partner's education",
        kind="choice",
        choices=EDUCATION_CHOICES,
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        prompt="What is your partner's highest level of education?",
    ),
    Question(
        id="spouse_education_proof",
        hint=(
            "A partner's foreign diploma earns points only with an ECA (Educational Credential Assessment) "
            "from WES, ICAS, IQAS, CES, ICES, MCC or PEBC. A diploma from a Canadian school needs none."
        ),
        likely="none",
        label="Partner's ECA",
        kind="choice",
        when="partner_has_education",
        depends_on=("marital", "spouse_citizen", "spouse_coming", "spouse_education"),
        choices=SPOUSE_EDUCATION_PROOF_CHOICES,
        prompt="Is your partner's credential Canadian, or does it have an Educational Credential Assessment (ECA)?",
    ),
    Question(
        id="spouse_test",
        hint=(
            "The official test you took: IELTS General Training, CELPIP-General or PTE Core (English); "
            "TEF Canada or TCF Canada (French). If you have not taken one, tap No test (yet)."
        ),
        label="Partner's language test",
        kind="choice",
        when="partner_counts",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        choices=(*ENGLISH_TESTS, *FRENCH_TESTS, NO_TEST),
        prompt="Which language test did your partner take?",
    ),
    Question(
        id="spouse_date",
        hint=(
            "The date you sat the test, printed on your results: the Test Report Form (IELTS), the "
            "official score report (CELPIP, PTE Core) or the attestation (TEF, TCF). Results count for "
            "2 years from that date; a month and year is enough (e.g. March 2025)."
        ),
        label="Partner's test date",
        kind="date",
        when="partner_has_test",
        depends_on=("spouse_test",),
        prompt="On what date did your partner take it? (YYYY-MM-DD)",
    ),
    Question(
        id="spouse_scores",
        hint=(
            "The four ability scores on your results (not the overall score): listening, reading, "
            "writing, speaking; for TEF/TCF, CO, CE, EE, EO."
        ),
        label="Partner's scores",
        kind="scores",
        when="partner_has_test",
        depends_on=("spouse_test", "spouse_date"),
        prompt="What were your partner's scores?",
    ),
    Question(
        id="spouse_tef_scale",
        hint=(
            "Since 2023-12-11 a TEF Canada certificate shows each score twice: out of 699, and in a column "
            "called 'Équivalence ancien score' (the old scale). IRCC's tables convert each column differently."
        ),
        label="Partner's test: TEF column",
        kind="choice",
        when="spouse_tef_unclear",
        depends_on=("spouse_test", "spouse_date", "spouse_scores"),
        choices=TEF_COLUMNS,
        prompt="Your partner's four numbers fit both columns of a TEF Canada certificate. Which column did you read?",
    ),
    Question(
        id="spouse_work",
        hint=("Years of paid, full-time work in Canada in a TEER 0-3 job by your partner, in the last 10 years."),
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
        hint=("Full-time study at a Canadian school, in Canada, for at least two academic years."),
        label="Partner's study in Canada",
        kind="yesno",
        choices=(YES, NO),
        when="spouse_study_can_matter",
        depends_on=("marital", "spouse_citizen", "spouse_coming"),
        prompt="Has your partner studied full-time in Canada for at least 2 academic years?",
    ),
    # the dates of the documents a Profile does not hold: asked once the person asks for their dates (/dates)
    Question(
        id="ee_profile",
        hint=(
            "The day you submitted your Express Entry profile in your IRCC account (it stays in the pool for up "
            "to 12 months). If you have not submitted one, tap Not yet."
        ),
        label="Express Entry profile created",
        kind="date",
        when="dates_wanted",
        choices=(
            Choice(
                id="not_yet",
                label="Not yet",
                synonyms=("no", "not yet", "nope", "never", "no i have not", "havent", "skip"),
            ),
        ),
        prompt="Have you created your Express Entry profile? If so, on what date? (so I can tell you when it expires)",
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
FRENCH_TEST_IDS = frozenset(c.id for c in FRENCH_TESTS)


def partner_scored(answers: dict[str, object]) -> bool:
    """A spouse or partner who counts in the score: not a Canadian citizen or PR, and coming with the person."""
    partnered = answers.get("marital") in PARTNERED
    return partnered and answers.get("spouse_citizen") == "no" and answers.get("spouse_coming") == "yes"


def partner_left_out(answers: dict[str, object]) -> bool:
    """A spouse or partner who is not scored: a Canadian citizen or PR, or not coming with the person."""
    return answers.get("marital") in PARTNERED and not partner_scored(answers)


def prompt_for(question: Question, answers: dict[str, object]) -> str:
    """The question as this person is asked it (its ``alone_prompt`` when their partner is not scored)."""
    return question.alone_prompt if question.alone_prompt and partner_left_out(answers) else question.prompt


def hint_for(question: Question, answers: dict[str, object]) -> str:
    return question.alone_hint if question.alone_hint and partner_left_out(answers) else question.hint


def choices_for(question: Question, answers: dict[str, object]) -> tuple[Choice, ...]:
    """The choices to offer: a second test must be in the other official language; a TEF column shows what
    each reading gives."""
    if question.id.endswith("_tef_scale"):
        return _tef_columns(question.id.removesuffix("_tef_scale"), answers)
    if question.id == "lang2_test":
        first_is_french = answers.get("lang1_test") in FRENCH_TEST_IDS
        return (*(ENGLISH_TESTS if first_is_french else FRENCH_TESTS), NO_TEST)
    return question.choices


def _tef_columns(prefix: str, answers: dict[str, object]) -> tuple[Choice, ...]:
    scores, day = answers.get(f"{prefix}_scores"), answers.get(f"{prefix}_date")
    if not isinstance(scores, dict):
        return TEF_COLUMNS
    readings = tef_readings(default_language_tables(), scores, date.fromisoformat(str(day)) if day else None)

    def levels(variant: str) -> str:
        found = readings.get(variant)
        return "" if found is None else " → NCLC " + ", ".join(str(v) if v >= 4 else "below 4" for v in found)

    return tuple(c.model_copy(update={"label": c.label + levels(c.id)}) for c in TEF_COLUMNS)


JOB_LOOP = tuple(q.id for q in QUESTIONS if q.in_job_loop)
DONE = "done"

# The questionnaire's sections, for the "Step 3 of 6 · Language" line on every question: each question in
# exactly one section, the sections in table order (a test checks both).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("About you", ("dob", "marital", "spouse_citizen", "spouse_coming")),
    ("Education", ("education", "education_proof", "eca_date", "canadian_study")),
    (
        "Language",
        (
            "lang1_test",
            "lang1_date",
            "lang1_scores",
            "lang1_tef_scale",
            "lang2_test",
            "lang2_date",
            "lang2_scores",
            "lang2_tef_scale",
        ),
    ),
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
        (
            "spouse_education",
            "spouse_education_proof",
            "spouse_test",
            "spouse_date",
            "spouse_scores",
            "spouse_tef_scale",
            "spouse_work",
            "spouse_study",
        ),
    ),
    ("Your dates", ("ee_profile",)),
)
SECTION_OF: dict[str, str] = {qid: name for name, ids in SECTIONS for qid in ids}
# sections asked after the questionnaire, on a command (/dates): shown by name, not counted as a step
LATER_SECTIONS = frozenset({"Your dates"})
