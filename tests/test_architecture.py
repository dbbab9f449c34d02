"""The design card's one-way dependencies: bot -> flows -> knowledge, and Telegram only in bot/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"knowledge": ("flows", "bot", "telegram"), "flows": ("bot", "telegram")}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_point_one_way(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported(path) & set(FORBIDDEN[package]))
        for path in (ROOT / package).rglob("*.py")
        if imported(path) & set(FORBIDDEN[package])
    }
    assert offenders == {}
