"""The changes that would raise a CRS score most: a short view of :mod:`knowledge.crs.whatif`'s moves.

The moves themselves (what changes, on a copy of the profile, re-scored by the real engines) live in
``whatif``; this module only keeps the compact (change, gain, new total) shape for callers that want it.
"""

from __future__ import annotations

from pydantic import BaseModel

from knowledge.crs.scoring import Scorer
from knowledge.crs.whatif import what_ifs
from knowledge.profile import Profile
from knowledge.programs.eligibility import EligibilityEngine


class Improvement(BaseModel):
    change: str
    gain: int
    new_total: int


def top_improvements(
    profile: Profile, limit: int = 3, scorer: Scorer | None = None, eligibility: EligibilityEngine | None = None
) -> list[Improvement]:
    """The best moves that add points now, ranked as :func:`knowledge.crs.whatif.rank_key` ranks them."""
    return [
        Improvement(change=w.label, gain=w.gain, new_total=w.after)
        for w in what_ifs(profile, scorer=scorer, eligibility=eligibility)
        if w.gain > 0
    ][:limit]
