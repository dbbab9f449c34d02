"""Which trades' certificates of qualification earn CRS points (IRCC's list of 2023-09-08)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from knowledge.programs.noc import french_titles
from knowledge.provenance import DATA_DIR, Source
from knowledge.wording import Occupation, Phrase, Text

COQ_FILE = DATA_DIR / "programs" / "coq-trades-2023-09-08.json"


class Trade(BaseModel):
    model_config = ConfigDict(frozen=True)
    noc: str
    title: str


class RemovedTrade(Trade):
    removed_on: date


class CoqVerdict(BaseModel):
    noc: str
    title: str | None
    earns_points: bool
    reason: Text


class CoqList(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    effective_from: date
    checked: date
    sources: list[Source]
    notes: list[str]
    trades: list[Trade]
    removed: list[RemovedTrade]

    def check(self, noc: str, day: date) -> CoqVerdict:
        for trade in self.removed:
            if trade.noc == noc and day >= trade.removed_on:
                return CoqVerdict(
                    noc=noc,
                    title=trade.title,
                    earns_points=False,
                    reason=Phrase(
                        "{trade} ({noc}) was removed from the list on {day}",
                        trade=Occupation(noc, trade.title, french_titles().get(noc, "")),
                        noc=noc,
                        day=trade.removed_on,
                    ),
                )
        for trade in [*self.trades, *self.removed]:
            if trade.noc == noc:
                return CoqVerdict(
                    noc=noc,
                    title=trade.title,
                    earns_points=True,
                    reason=Phrase(
                        "{trade} ({noc}) is on IRCC's list of trades whose certificate earns CRS points; no work "
                        "experience in the trade is needed",
                        trade=Occupation(noc, trade.title, french_titles().get(noc, "")),
                        noc=noc,
                    ),
                )
        return CoqVerdict(
            noc=noc,
            title=None,
            earns_points=False,
            reason=Phrase("NOC {noc} is not on IRCC's list of trades whose certificate earns CRS points", noc=noc),
        )


@lru_cache(maxsize=1)
def default_coq_list() -> CoqList:
    return CoqList.model_validate_json(COQ_FILE.read_text(encoding="utf-8"))
