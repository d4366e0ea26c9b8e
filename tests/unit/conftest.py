"""Unit-test markers (the project's other markers are in pyproject.toml)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tb_parity: compares with Terminal-Bench itself, installed in a side venv "
        "(made on first use; select with -m tb_parity)")
