"""Where the rule data lives, and how every data file names its sources."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

DATA_DIR = Path(__file__).parent / "data"


class Source(BaseModel):
    """Where a rule comes from, and how it was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    page_modified: str | None = None
    read_via: str | None = None
    status: str
