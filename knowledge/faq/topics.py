"""The /topics browser's list: which tags are topics, in which order, under which label."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from knowledge.provenance import DATA_DIR

TOPICS_FILE = DATA_DIR / "faq" / "topics.yaml"


class Topic(BaseModel):
    tag: str
    label: str


def load_topics(path: Path = TOPICS_FILE) -> list[Topic]:
    return [Topic.model_validate(t) for t in yaml.safe_load(path.read_text(encoding="utf-8"))]
