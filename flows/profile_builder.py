"""From the stored answers of a chat to the knowledge engines' Profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from knowledge.profile import Profile

YES = "yes"


class NotEnoughAnswers(ValueError):
    """The answers so far cannot make a profile yet; the message says what is missing."""


def _language(answers: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    test = answers.get(f"{prefix}_test")
    scores = answers.get(f"{prefix}_scores")
    if not test or test == "none" or not scores:
        return None
    result = {"test": test, "test_date": answers.get(f"{prefix}_date"), **scores}
    if test == "tef_canada" and answers.get(f"{prefix}_tef_scale"):
        result["tef_scale"] = answers[f"{prefix}_tef_scale"]  # the certificate column the person read
    return result


def job_period(job: dict[str, Any]) -> dict[str, Any]:
    """A stored job's answers as a knowledge.work.WorkPeriod's fields."""
    kind = job.get("job_kind", "employee")
    end = job.get("job_end")
    return {
        "noc": job["job_noc"],
        "in_canada": job.get("job_where") == "canada",
        "start": job["job_start"],
        "end": None if end in (None, "ongoing") else end,
        "hours_per_week": job.get("job_hours", 30),
        "self_employed": kind == "self_employed",
        "full_time_student": kind == "student",
    }


def profile_data(answers: dict[str, Any], today: date) -> dict[str, Any]:
    """The Profile fields the answers give (unanswered questions are left out)."""
    if "dob" not in answers or "education" not in answers:
        raise NotEnoughAnswers("I need at least your date of birth and your education first.")
    data: dict[str, Any] = {
        "profile_date": today.isoformat(),
        "date_of_birth": answers["dob"],
        "education": answers["education"],
        "marital_status": answers.get("marital", "never_married"),
    }
    if data["marital_status"] in ("married", "common_law"):
        spouse: dict[str, Any] = {
            "canadian_citizen_or_pr": answers.get("spouse_citizen") == YES,
            "accompanying": answers.get("spouse_coming", YES) == YES,
        }
        if "spouse_education" in answers:
            spouse["education"] = answers["spouse_education"]
            if answers.get("spouse_education_proof"):
                spouse["education_proof"] = answers["spouse_education_proof"]
        if (language := _language(answers, "spouse")) is not None:
            spouse["language"] = language
        if "spouse_work" in answers:
            spouse["canadian_work_years"] = answers["spouse_work"]
        spouse["canadian_study_two_years"] = answers.get("spouse_study") == YES
        data["spouse"] = spouse
    if answers.get("education_proof"):
        data["education_proof"] = answers["education_proof"]
    if answers.get("canadian_study"):
        data["canadian_study"] = answers["canadian_study"]
    for field, prefix in (("first_language", "lang1"), ("second_language", "lang2")):
        if (language := _language(answers, prefix)) is not None:
            data[field] = language
    jobs = [job_period(j) for j in answers.get("jobs", []) if "job_noc" in j and "job_start" in j]
    if jobs:
        data["work_periods"] = jobs
    filed_all = len(jobs) == len(answers.get("jobs", []))  # a job missing its NOC or start is not counted as none
    if answers.get("job_add") == "no" and not answers.get("job_draft") and filed_all:
        data["work_history_complete"] = True  # "no (more) jobs" answered: the jobs listed are all (maybe none)
    if answers.get("coq") == YES:
        data["certificate_of_qualification"] = True
        if answers.get("coq_trade"):
            data["certificate_trade_noc"] = answers["coq_trade"]
    if answers.get("job_offer") == YES and answers.get("job_offer_noc"):
        data["job_offer"] = {"noc": answers["job_offer_noc"]}
    data["authorized_to_work_in_canada"] = answers.get("authorized") == YES
    data["provincial_nomination"] = answers.get("nomination") == YES
    data["sibling_in_canada"] = answers.get("sibling") == YES
    data["relative_in_canada"] = answers.get("relative") == YES
    data["canadian_study_two_years"] = answers.get("study_two_years") == YES
    if "family_size" in answers:
        data["family_size"] = answers["family_size"]
    if "funds" in answers:
        data["settlement_funds"] = int(answers["funds"])
    return data


def build_profile(answers: dict[str, Any], today: date) -> Profile:
    try:
        return Profile.model_validate(profile_data(answers, today))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise NotEnoughAnswers(
            f"Some answers do not fit together yet: {first['msg'].removeprefix('Value error, ')}"
        ) from None
