"""Everything about entering the pool, in one report: programs, categories, certificate, funds."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from knowledge.profile import Profile
from knowledge.programs.categories import CategoryReport, CategoryRules, default_category_rules
from knowledge.programs.coq import CoqList, CoqVerdict, default_coq_list
from knowledge.programs.federal import Check, FundsCheck, ProgramRules, ProgramVerdict, default_program_rules
from knowledge.wording import Phrase, Text


class EligibilityReport(BaseModel):
    profile_date: date
    programs: list[ProgramVerdict]
    eligible_programs: list[str]
    funds: FundsCheck
    categories: CategoryReport | None
    certificate: CoqVerdict | None
    caveats: list[Text]


class EligibilityEngine:
    """Programs, categories, certificate and funds, from injected rule sources."""

    def __init__(
        self, programs: ProgramRules | None = None, categories: CategoryRules | None = None, coq: CoqList | None = None
    ) -> None:
        self.programs = programs or default_program_rules()
        self.categories = categories or default_category_rules()
        self.coq = coq or default_coq_list()

    def assess(self, p: Profile) -> EligibilityReport:
        verdicts = [self.programs.fsw(p), self.programs.fst(p), self.programs.cec(p)]
        cec_ok = verdicts[2].eligible
        funds = self.programs.funds_check(p, cec_ok)
        for verdict in verdicts[:2]:  # FSW and FST need funds unless exempt
            verdict.checks.append(_funds_line(funds))
            if verdict.status == "eligible" and funds.enough is not True:
                verdict.status = "unknown" if funds.enough is None else "not_eligible"
            elif verdict.status == "unknown" and funds.enough is False:
                verdict.status = "not_eligible"
        certificate = None
        if p.certificate_trade_noc:
            certificate = self.coq.check(p.certificate_trade_noc, p.profile_date)
        categories = self.categories.assess(p)
        if categories is not None and not any(v.eligible for v in verdicts):
            for fit in categories.fits:
                if fit.fits:
                    fit.reason = Phrase(
                        "{reason}; you must also be eligible for FSW, CEC or FST to be invited", reason=fit.reason
                    )
        caveats: list[Text] = [
            Phrase(
                "Maple does not assess admissibility (health, security, criminality) or the plan to live outside "
                "Quebec, which every program also requires."
            )
        ]
        return EligibilityReport(
            profile_date=p.profile_date,
            programs=verdicts,
            eligible_programs=[v.program for v in verdicts if v.eligible],
            funds=funds,
            categories=categories,
            certificate=certificate,
            caveats=caveats,
        )


def _funds_line(funds: FundsCheck) -> Check:
    return Check(key="funds", ok=funds.enough, detail=funds.detail)


def assess(profile: Profile, engine: EligibilityEngine | None = None) -> EligibilityReport:
    return (engine or EligibilityEngine()).assess(profile)
