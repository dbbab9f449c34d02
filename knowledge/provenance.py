"""Where the rule data lives, and how every data file names its sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

DATA_DIR = Path(__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10 times faster


def read_yaml(path: Path) -> Any:
    """A YAML data file, read safely (the labelled question sets are large: 3,300 questions)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


class Source(BaseModel):
    """Where a rule comes from, and how it was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    page_modified: str | None = None
    read_via: str | None = None
    status: str
