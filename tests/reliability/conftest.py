"""The reliability suite runs in the normal ``pytest`` run; ``-m reliability`` selects it alone."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: the real maple process under crashes and faults")
