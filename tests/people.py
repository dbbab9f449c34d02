"""Varied people for the end-to-end test: their facts, the maple-crs profile those facts make, and how each
person answers the bot's questions (typing as people type, or tapping a button).

A person is a plain dict of FACTS (JSON-able). ``to_profile`` turns it into the profile JSON of the README's
"The profile JSON" section; it is written from that format, not from ``flows.profile_builder``, so comparing the
bot's result with ``maple-crs score`` of the facts is not circular.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flows.questions import JOB_LOOP, QUESTIONS

Facts = dict[str, Any]

MONTHS = [calendar.month_name[m] for m in range(1, 13)]
ABILITIES = ("listening", "reading", "writing", "speaking")

# (NOC 2021 code, a title a person types whose search offers that code, is a trade with a certificate)
JOBS: tuple[tuple[str, str], ...] = (
    ("21232", "software developer"),
    ("31301", "registered nurse"),
    ("11100", "accountant"),
    ("21300", "civil engineer"),
    ("41220", "teacher"),
    ("11101", "financial analyst"),
    ("21234", "web developer"),
    ("13110", "administrative assistant"),
    ("52120", "graphic designer"),
    ("70010", "construction manager"),
    ("64100", "retail salesperson"),  # TEER 4: earns no CRS work points
    ("65100", "cashier"),  # TEER 5
)
TRADES: tuple[tuple[str, str], ...] = (
    ("72200", "electrician"),
    ("72106", "welder"),
    ("72300", "plumber"),
    ("72310", "carpenter"),
    ("63200", "cook"),
    ("72401", "heavy equipment mechanic"),
)

# ---- how people type a choice (each one checked to be read as that choice) -----------------------------
TYPED: dict[str, dict[str, tuple[str, ...]]] = {
    "marital": {
        "never_married": ("single", "Single", "never married"),
        "married": ("married", "Married", "wife"),
        "common_law": ("common law", "common-law", "living together"),
        "divorced_separated": ("divorced",),
        "widowed": ("widowed", "widow"),
    },
    "education": {
        "less_than_secondary": ("less than high school",),
        "secondary": ("high school", "grade 12"),
        "one_year": ("one year certificate", "1 year diploma"),
        "two_year": ("2 year diploma", "college diploma"),
        "bachelors": ("bachelors", "BSc", "btech", "bachelors degree"),
        "two_or_more": ("two degrees", "bachelor and diploma"),
        "masters": ("masters", "MBA", "msc", "masters degree"),
        "doctoral": ("phd", "doctorate"),
    },
    "education_proof": {
        "canadian": ("canadian", "canadian degree"),
        "eca": ("i have WES", "eca", "WES", "yes i have"),
        "none": ("no eca yet", "not yet", "no"),
    },
    "canadian_study": {
        "none": ("no", "none"),
        "one_or_two_years": ("1-2", "one or two"),
        "three_plus_years": ("3+", "three"),
    },
    "test": {
        "ielts": ("ielts", "IELTS General"),
        "celpip": ("celpip", "CELPIP"),
        "pte_core": ("pte core", "PTE"),
        "tef_canada": ("tef canada", "TEF"),
        "tcf_canada": ("tcf", "TCF Canada"),
        "none": ("no", "none", "only one"),
    },
    "yesno": {"yes": ("yes", "yeah", "yep", "Yes"), "no": ("no", "nope", "No")},
    "sibling": {"yes": ("yes my sister", "yes my brother"), "no": ("no", "nope")},
    "job_add": {"yes": ("yes", "add a job", "add another"), "no": ("no", "no more jobs", "done")},
    "job_where": {"canada": ("in canada", "canada"), "abroad": ("outside canada", "back home", "abroad")},
    "job_kind": {
        "employee": ("employee", "salaried"),
        "self_employed": ("self-employed", "freelance"),
        "student": ("while studying",),
    },
    "tef_scale": {"699_scale": ("out of 699", "699"), "old_scale": ("ancien score", "old scale")},
}
QUESTION_GROUP = {
    "marital": "marital",
    "education": "education",
    "spouse_education": "education",
    "education_proof": "education_proof",
    "spouse_education_proof": "education_proof",
    "canadian_study": "canadian_study",
    "lang1_test": "test",
    "lang2_test": "test",
    "spouse_test": "test",
    "sibling": "sibling",
    "job_add": "job_add",
    "job_where": "job_where",
    "job_kind": "job_kind",
    "lang1_tef_scale": "tef_scale",
    "lang2_tef_scale": "tef_scale",
    "spouse_tef_scale": "tef_scale",
}
ONGOING_TYPED = ("still working", "I still work there", "till now")

# questions a person asks mid-way: (where, what), and the same question must come back
FAQ_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("education_proof", "what is an ECA?"),
    ("nomination", "what is a PNP?"),
    ("lang1_test", "is my IELTS still valid?"),
    ("job_add", "does part-time work count?"),
)
BACK_AFTER = ("marital", "education", "lang1_test", "job_where", "family_size", "job_kind", "lang1_scores")
EDITS = ("job_hours", "job_end", "job_where")  # the detail of job 1 that some people change through /edit


# ---- the facts ------------------------------------------------------------------------------------------
def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _last_day(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _scores(rng: random.Random, test: str, strong: bool) -> dict[str, float]:
    if test == "ielts":
        bands = [x / 2 for x in range(13 if strong else 10, 19)]  # 6.5-9 or 5-9
        return {a: rng.choice(bands) for a in ABILITIES}
    if test == "celpip":
        return {a: float(rng.randint(7 if strong else 5, 12)) for a in ABILITIES}
    if test == "pte_core":
        return {a: float(rng.randint(60 if strong else 45, 89)) for a in ABILITIES}
    if test == "tef_canada":
        low = 430 if strong else 370  # listening above 360: only the 699 column reads it
        return {a: float(rng.randint(low, 640)) for a in ABILITIES}
    if test == "tcf_canada":
        return {
            "listening": float(rng.randint(460 if strong else 400, 650)),
            "reading": float(rng.randint(460 if strong else 400, 650)),
            "writing": float(rng.randint(10 if strong else 6, 18)),
            "speaking": float(rng.randint(10 if strong else 6, 18)),
        }
    raise ValueError(test)


def _language(rng: random.Random, test: str, today: date, strong: bool = True, fits_both: bool = False) -> Facts:
    taken = _day(rng, today - timedelta(days=700), today - timedelta(days=20))
    typed_date = rng.choice(("iso", "words", "month"))
    if typed_date == "month":
        taken = taken.replace(day=1)
    scores = _scores(rng, test, strong)
    column = "699_scale"
    if fits_both and test == "tef_canada":  # numbers that fit both columns of a certificate: the bot asks which
        scores = {
            "listening": float(rng.randint(300, 355)),
            "reading": float(rng.randint(250, 298)),
            "writing": float(rng.randint(330, 440)),
            "speaking": float(rng.randint(330, 440)),
        }
        column = rng.choice(("699_scale", "old_scale"))  # the column the person read them from
    return {"test": test, "date": taken.isoformat(), "date_typed": typed_date, "scores": scores, "column": column}


def _job(rng: random.Random, today: date, trade: bool = False, in_canada: bool | None = None) -> Facts:
    noc, title = rng.choice(TRADES if trade else JOBS[:10] if rng.random() < 0.85 else JOBS)
    start = _day(rng, today - timedelta(days=365 * 9), today - timedelta(days=400))
    start_typed = rng.choice(("iso", "words", "month"))
    if start_typed == "month":  # the bot reads a month on the safe side: a start on its last day
        start = _last_day(start)
    end: date | None = None
    end_typed = "ongoing"
    if rng.random() < 0.55:
        end = _day(rng, start + timedelta(days=200), today - timedelta(days=40))
        end_typed = rng.choice(("iso", "month"))
        if end_typed == "month":  # and an end on its 1st
            end = end.replace(day=1)
    return {
        "noc": noc,
        "title": title if rng.random() < 0.7 else None,  # None: types the 5-digit code
        "in_canada": rng.random() < 0.4 if in_canada is None else in_canada,
        "start": start.isoformat(),
        "start_typed": start_typed,
        "end": end.isoformat() if end else None,
        "end_typed": end_typed,
        "hours": rng.choice((40, 40, 37.5, 30, 35, 20, 45)),
        "kind": rng.choice(("employee",) * 8 + ("self_employed",)),
    }


KINDS = (
    "single_english",
    "french_first",
    "english_then_french",
    "couple_partner_citizen",
    "couple_partner_not_coming",
    "couple_partner_coming",
    "canadian_study_and_work",
    "trades_with_certificate",
    "provincial_nomination",
    "sibling_in_canada",
    "couple_common_law_french",
    "no_language_test",
)


def make_person(index: int, rng: random.Random, today: date) -> Facts:
    kind = KINDS[index % len(KINDS)]
    age = rng.randint(20, 47)
    dob = _day(
        rng,
        today.replace(day=1, year=today.year - age - 1) + timedelta(days=35),
        today.replace(day=1, year=today.year - age),
    )
    p: Facts = {
        "name": f"person {index + 1} ({kind})",
        "kind": kind,
        "dob": dob.isoformat(),
        "dob_typed": rng.choice(("iso", "words", "us_words", "slashes")),
        "marital": rng.choice(("never_married",) * 4 + ("divorced_separated", "widowed")),
        "spouse": None,
        "education": rng.choice(
            (
                "bachelors",
                "masters",
                "bachelors",
                "masters",
                "two_year",
                "two_or_more",
                "secondary",
                "one_year",
                "doctoral",
            )
        ),
        "education_proof": "eca",
        "canadian_study": "none",
        "lang1": _language(rng, rng.choice(("ielts", "ielts", "celpip", "pte_core")), today, strong=rng.random() < 0.7),
        "lang2": None,
        "jobs": [],
        "coq": False,
        "coq_trade": None,
        "job_offer": None,
        "authorized": False,
        "nomination": False,
        "sibling": False,
        "relative": rng.random() < 0.2,
        "study_two_years": False,
        "family_size": 1,
        "funds": rng.choice((12000, 15500, 25000, 30000, 48000)),
        "funds_typed": rng.choice(("plain", "dollars", "k", "cad")),
        "script": {"back_after": None, "keep_on_back": rng.random() < 0.5, "faq": None, "edit_job": None},
        "seed": rng.randrange(1 << 30),
    }
    p["education_proof"] = rng.choice(("eca", "eca", "eca", "none"))
    for _ in range(rng.choice((0, 1, 1, 2))):
        p["jobs"].append(_job(rng, today))
    if kind == "french_first":
        french = "tef_canada" if index % 24 == 13 else rng.choice(("tef_canada", "tcf_canada"))
        p["lang1"] = _language(rng, french, today, fits_both=index % 24 == 13)
        if rng.random() < 0.6:
            p["lang2"] = _language(rng, rng.choice(("ielts", "celpip")), today, strong=rng.random() < 0.5)
    elif kind == "english_then_french":
        french = rng.choice(("tef_canada", "tef_canada", "tcf_canada"))
        p["lang2"] = _language(rng, french, today, fits_both=french == "tef_canada" and rng.random() < 0.5)
    elif kind.startswith("couple"):
        p["marital"] = "common_law" if kind == "couple_common_law_french" else rng.choice(("married", "common_law"))
        citizen = kind == "couple_partner_citizen"
        coming = kind not in ("couple_partner_not_coming",)
        spouse: Facts = {"citizen": citizen, "coming": coming}
        if not citizen and coming:
            education = rng.choice(("bachelors", "masters", "secondary", "two_year", "doctoral"))
            spouse.update(
                {
                    "education": education,
                    "education_proof": rng.choice(("eca", "eca", "none", "canadian")),  # secondary school too
                    "test": _language(
                        rng, rng.choice(("ielts", "celpip", "tef_canada", "tcf_canada")), today, fits_both=True
                    )
                    if rng.random() < 0.75
                    else None,
                    "work_years": rng.choice((0, 0, 1, 2, 1.5)),
                    "work_typed": rng.choice(("plain", "years", "words")),
                    "study_two_years": rng.random() < 0.2,
                }
            )
        p["spouse"] = spouse
        p["family_size"] = rng.choice((2, 2, 3, 4))
        if kind == "couple_common_law_french":
            p["lang1"] = _language(rng, "tef_canada", today)
            p["lang2"] = _language(rng, "ielts", today, strong=False)
    elif kind == "canadian_study_and_work":
        p["education"] = rng.choice(("bachelors", "masters", "two_year"))
        p["education_proof"] = "canadian"
        p["canadian_study"] = (
            "one_or_two_years" if p["education"] == "two_year" else rng.choice(("three_plus_years", "one_or_two_years"))
        )
        p["study_two_years"] = True
        job = _job(rng, today, in_canada=True)
        job.update({"end": None, "end_typed": "ongoing", "kind": "employee", "hours": 40})
        p["jobs"] = [job]
    elif kind == "trades_with_certificate":
        p["education"] = rng.choice(("secondary", "one_year", "two_year"))
        p["lang1"] = _language(rng, rng.choice(("ielts", "celpip")), today, strong=True)
        trade = _job(rng, today, trade=True)
        p["jobs"] = [trade]
        p["coq"] = True
        p["coq_trade"] = trade["noc"]
    elif kind == "provincial_nomination":
        p["nomination"] = True
    elif kind == "sibling_in_canada":
        p["sibling"] = True
        p["relative"] = False
    elif kind == "no_language_test":
        p["lang1"] = None
    if rng.random() < 0.12:
        offer_noc, offer_title = rng.choice(JOBS[:6])
        p["job_offer"] = {"noc": offer_noc, "title": offer_title}
        p["authorized"] = rng.random() < 0.5
    if p["spouse"] is None:
        p["family_size"] = rng.choice((1, 1, 1, 2))
    if not p["jobs"] or all(j["noc"][1] not in "0123" for j in p["jobs"]):
        p["relative"] = False  # not asked without skilled work (FSW impossible): the facts keep the default
        if kind != "canadian_study_and_work":
            p["study_two_years"] = False
    if p["sibling"]:
        p["relative"] = False
    if p["spouse"] and "study_two_years" in p["spouse"] and all(j["noc"][1] not in "0123" for j in p["jobs"]):
        p["spouse"]["study_two_years"] = False
    if index in (9, 20, 40):
        p["education"], p["canadian_study"] = "less_than_secondary", "none"
    if p["education"] == "less_than_secondary":
        p["education_proof"] = None
    return p


def make_people(count: int, seed: int, today: date) -> list[Facts]:
    rng = random.Random(seed)
    people = [make_person(i, rng, today) for i in range(count)]
    for i, p in enumerate(people):  # the corrections and questions, spread over the kinds
        if i % 4 == 1:
            p["script"]["back_after"] = BACK_AFTER[(i // 4) % len(BACK_AFTER)]
        if i % 5 == 2:
            p["script"]["faq"] = FAQ_QUESTIONS[(i // 5) % len(FAQ_QUESTIONS)]

    for k, p in enumerate([p for p in people if p["jobs"]][1::3]):
        p["script"]["edit_job"] = EDITS[k % len(EDITS)]
    return people


# ---- facts -> maple-crs profile (README, "The profile JSON") --------------------------------------------
def _result(lang: Facts) -> Facts:
    out: Facts = {"test": lang["test"], "test_date": lang["date"], **lang["scores"]}
    if lang["test"] == "tef_canada":
        out["tef_scale"] = lang["column"]  # the certificate's column the person read the numbers from
    return out


def to_profile(p: Facts, today: date) -> Facts:
    profile: Facts = {
        "profile_date": today.isoformat(),
        "date_of_birth": p["dob"],
        "marital_status": p["marital"],
        "education": p["education"],
        "canadian_study": p["canadian_study"],
        "certificate_of_qualification": p["coq"],
        "provincial_nomination": p["nomination"],
        "sibling_in_canada": p["sibling"],
        "relative_in_canada": p["relative"],
        "canadian_study_two_years": p["study_two_years"],
        "authorized_to_work_in_canada": p["authorized"],
        "family_size": p["family_size"],
    }
    if p["education_proof"] is not None:
        profile["education_proof"] = p["education_proof"]
    if p["spouse"] is not None:
        s = p["spouse"]
        spouse: Facts = {"canadian_citizen_or_pr": s["citizen"], "accompanying": s["coming"]}
        if "education" in s:
            spouse["education"] = s["education"]
            if s["education_proof"] is not None:
                spouse["education_proof"] = s["education_proof"]
            if s["test"] is not None:
                spouse["language"] = _result(s["test"])
            spouse["canadian_work_years"] = s["work_years"]
            spouse["canadian_study_two_years"] = s["study_two_years"]
        profile["spouse"] = spouse
    if p["lang1"] is not None:
        profile["first_language"] = _result(p["lang1"])
        if p["lang2"] is not None:
            profile["second_language"] = _result(p["lang2"])
    if p["jobs"]:
        profile["work_periods"] = [
            {
                "noc": j["noc"],
                "in_canada": j["in_canada"],
                "start": j["start"],
                "end": j["end"],
                "hours_per_week": j["hours"],
                "self_employed": j["kind"] == "self_employed",
                "full_time_student": j["kind"] == "student",
            }
            for j in p["jobs"]
        ]
    if p["coq_trade"]:
        profile["certificate_trade_noc"] = p["coq_trade"]
    if p["job_offer"]:
        profile["job_offer"] = {"noc": p["job_offer"]["noc"]}
    if not (p["job_offer"] and p["authorized"]):
        profile["settlement_funds"] = p["funds"]
    return profile


# ---- reading the bot's messages -------------------------------------------------------------------------
STEP_LINE = re.compile(r"^Step \d+ of \d+ · [^\n]+$", re.M)
PROMPTS: dict[str, list[str]] = {}
for _q in QUESTIONS:
    PROMPTS.setdefault(_q.prompt.split("\n")[0], []).append(_q.id)


def buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def asked(message: dict[str, Any]) -> list[str]:
    """The question ids the message may be asking: from its answer or Keep buttons, else its prompt line."""
    for data in buttons(message):
        if data.startswith(("a:", "k:")):
            return [data.split(":")[1]]
    found = list(STEP_LINE.finditer(message.get("text", "")))
    if not found:
        return []
    rest = message["text"][found[-1].end() :].lstrip("\n").split("\n")[0]
    rest = re.sub(r"^Job \d+: ", "", rest)
    return list(PROMPTS.get(rest, []))


# ---- typing as people type ------------------------------------------------------------------------------
def typed_date(day: str, style: str, rng: random.Random) -> str:
    d = date.fromisoformat(day)
    month = MONTHS[d.month - 1]
    if style == "month":
        return f"{month} {d.year}" if rng.random() < 0.6 else f"{month.lower()[:3]} {d.year}"
    if style == "words":
        return f"{d.day} {month.lower()} {d.year}"
    if style == "us_words":
        return f"{month} {d.day}, {d.year}"
    if style == "slashes":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return d.isoformat()


def typed_scores(lang: Facts, rng: random.Random) -> str:
    s = lang["scores"]
    french = lang["test"] in ("tef_canada", "tcf_canada")
    v = {a: f"{s[a]:g}" for a in ABILITIES}
    if french:
        forms = (
            f"CO {v['listening']} CE {v['reading']} EE {v['writing']} EO {v['speaking']}",
            f"CE {v['reading']}, CO {v['listening']}, EE {v['writing']}, EO {v['speaking']}",
            f"{v['listening']} {v['reading']} {v['writing']} {v['speaking']}",
        )
    else:
        forms = (
            f"L{v['listening']} R{v['reading']} W{v['writing']} S{v['speaking']}",
            f"{v['listening']} {v['reading']} {v['writing']} {v['speaking']}",
            f"listening {v['listening']}, reading {v['reading']}, writing {v['writing']}, speaking {v['speaking']}",
            f"R {v['reading']} L {v['listening']} S {v['speaking']} W {v['writing']}",
        )
    return rng.choice(forms)


def typed_funds(amount: int, style: str) -> str:
    if style == "dollars":
        return f"${amount:,}"
    if style == "k" and amount % 1000 == 0:
        return f"{amount // 1000}k"
    if style == "cad":
        return f"about {amount} CAD"
    return str(amount)


@dataclass
class Action:
    kind: str  # "tap" or "text"
    value: str


def _choice(qid: str, choice: str, offered: list[str], rng: random.Random, group: str | None = None) -> Action:
    data = f"a:{qid}:{choice}"
    forms = TYPED[group or QUESTION_GROUP.get(qid, "yesno")].get(choice, ())
    if data in offered and (rng.random() < 0.55 or not forms):
        return Action("tap", data)
    if not forms:
        raise AssertionError(f"{qid}: no button and no typed form for {choice!r}; offered {offered}")
    return Action("text", rng.choice(forms))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _noc(qid: str, code: str, title: str | None, offered: list[str], rng: random.Random) -> Action:
    """Type the title (or the code); when the bot offers occupations, tap the person's."""
    if any(b.startswith(f"a:{qid}:") for b in offered):
        data = f"a:{qid}:{code}"
        return Action("tap", data) if data in offered else Action("text", code)
    return Action("text", title or rng.choice((code, f"NOC {code}", f"noc {code}")))


class Answerer:
    """One person's side of the dialogue: which job is being told, and the answer to each question."""

    def __init__(self, person: Facts) -> None:
        self.p = person
        self.rng = random.Random(person["seed"])
        self.job = 0  # the job being told (index into the facts' jobs)
        self.filed: set[int] = set()  # the jobs the bot has filed (indexes)
        self.last: str | None = None  # the question last answered
        self.last_test = "lang1"  # the test the last date/scores question is about

    def observe(self, qid: str, text: str) -> None:
        """A new question arrived: note the job it is about, and whether the last job was filed."""
        if self.last == "job_kind" and qid != "job_kind":
            self.filed.add(self.job)
        numbers = re.findall(r"^Job (\d+): ", text, re.M)
        if qid in JOB_LOOP and numbers:
            self.job = int(numbers[-1]) - 1
        self.last = qid

    def answer(self, qid: str, offered: list[str]) -> Action:
        p, rng = self.p, self.rng
        spouse = p["spouse"] or {}
        if qid.endswith("_test"):
            self.last_test = qid.removesuffix("_test")
        if qid == "dob":
            if any(b.startswith("a:dob:") for b in offered):  # "Is that 3 April or 4 March?"
                return Action("tap", f"a:dob:{p['dob']}")
            return Action("text", typed_date(p["dob"], p["dob_typed"], rng))
        if qid == "marital":
            return _choice(qid, p["marital"], offered, rng)
        if qid == "spouse_citizen":
            return _choice(qid, _yes(spouse["citizen"]), offered, rng)
        if qid == "spouse_coming":
            return _choice(qid, _yes(spouse["coming"]), offered, rng)
        if qid == "education":
            return _choice(qid, p["education"], offered, rng)
        if qid == "education_proof":
            return _choice(qid, p["education_proof"], offered, rng)
        if qid == "eca_date":  # issued within the last 5 years, typed, or not known (a button)
            if rng.random() < 0.2 and "a:eca_date:unknown" in offered:
                return Action("tap", "a:eca_date:unknown")
            return Action("text", rng.choice(("2023-05-10", "10 May 2023", "May 2023", "2024-11-02")))
        if qid == "canadian_study":
            return _choice(qid, p["canadian_study"], offered, rng)
        if qid in ("lang1_test", "lang2_test", "spouse_test"):
            lang = {"lang1_test": p["lang1"], "lang2_test": p["lang2"], "spouse_test": spouse.get("test")}[qid]
            return _choice(qid, lang["test"] if lang else "none", offered, rng)
        if qid in ("lang1_date", "lang2_date", "spouse_date", "lang1_scores", "lang2_scores", "spouse_scores"):
            prefix = qid.split("_")[0]
            lang = p[prefix] if prefix != "spouse" else spouse["test"]
            if qid.endswith("_date"):
                return Action("text", typed_date(lang["date"], lang["date_typed"], rng))
            return Action("text", typed_scores(lang, rng))
        if qid.endswith("_tef_scale"):
            lang = {"lang1": p["lang1"], "lang2": p["lang2"], "spouse": spouse.get("test")}[qid.split("_")[0]]
            return _choice(qid, lang["column"], offered, rng)
        if qid == "job_add":
            return _choice(qid, _yes(len(self.filed) < len(p["jobs"])), offered, rng)
        if qid.startswith("job_") and qid != "job_offer" and qid != "job_offer_noc":
            return self._job_answer(qid, offered)
        if qid == "coq":
            return _choice(qid, _yes(p["coq"]), offered, rng)
        if qid == "coq_trade":
            title = next(t for c, t in TRADES if c == p["coq_trade"])
            return _noc(qid, p["coq_trade"], title, offered, rng)
        if qid == "job_offer":
            return _choice(qid, _yes(p["job_offer"] is not None), offered, rng)
        if qid == "job_offer_noc":
            return _noc(qid, p["job_offer"]["noc"], p["job_offer"]["title"], offered, rng)
        if qid == "authorized":
            return _choice(qid, _yes(p["authorized"]), offered, rng)
        if qid == "nomination":
            return _choice(qid, _yes(p["nomination"]), offered, rng)
        if qid == "sibling":
            return _choice(qid, _yes(p["sibling"]), offered, rng)
        if qid == "relative":
            return _choice(qid, _yes(p["relative"]), offered, rng)
        if qid == "study_two_years":
            return _choice(qid, _yes(p["study_two_years"]), offered, rng)
        if qid == "family_size":
            n = p["family_size"]
            return Action("text", rng.choice((str(n), f"{n} people" if n > 1 else "1", str(n))))
        if qid == "funds":
            return Action("text", typed_funds(p["funds"], p["funds_typed"]))
        if qid == "spouse_education":
            return _choice(qid, spouse["education"], offered, rng)
        if qid == "spouse_education_proof":
            return _choice(qid, spouse["education_proof"], offered, rng)
        if qid == "spouse_work":
            years = spouse["work_years"]
            if spouse["work_typed"] == "years" and years:
                return Action("text", f"{years:g} years" if years != 1.5 else "18 months")
            if spouse["work_typed"] == "words" and not years:
                return Action("text", "none")
            return Action("text", f"{years:g}")
        if qid == "spouse_study":
            return _choice(qid, _yes(spouse["study_two_years"]), offered, rng)
        raise AssertionError(f"no answer for question {qid!r}")

    def _job_answer(self, qid: str, offered: list[str]) -> Action:
        job, rng = self.p["jobs"][self.job], self.rng
        if qid == "job_noc":
            return _noc(qid, job["noc"], job["title"], offered, rng)
        if qid == "job_where":
            return _choice(qid, "canada" if job["in_canada"] else "abroad", offered, rng)
        if qid == "job_start":
            return Action("text", typed_date(job["start"], job["start_typed"], rng))
        if qid == "job_end":
            if job["end"] is None:
                data = "a:job_end:ongoing"
                return (
                    Action("tap", data)
                    if data in offered and rng.random() < 0.5
                    else Action("text", rng.choice(ONGOING_TYPED))
                )
            return Action("text", typed_date(job["end"], job["end_typed"], rng))
        if qid == "job_hours":
            hours = job["hours"]
            return Action("text", rng.choice((f"{hours:g}", f"{hours:g} hours", f"{hours:g} hours a week")))
        if qid == "job_kind":
            return _choice(qid, job["kind"], offered, rng)
        raise AssertionError(qid)
