"""docs/architecture.md is the page the code's docstrings cite: its policy table is the table in
`abcbench/policy.py`, and every section a docstring names exists."""

from __future__ import annotations

import re
from pathlib import Path

from abcbench.policy import RULES

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "architecture.md"


def test_the_policy_table_is_the_one_in_policy_py() -> None:
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", DOC.read_text(), re.M)
    assert [r[0] for r in rows] == [rule.name for rule in RULES], "same rules, same order"
    for (name, failure, retried, counted), rule in zip(rows, RULES, strict=True):
        if rule.failure is not None and name != "verdict":
            assert failure.strip() == rule.failure.value, name
        assert counted.strip() == ("yes" if rule.counted else "no"), name
        if name != "verdict":
            assert retried.strip() == ("yes" if rule.retryable else "no"), name


def test_docstrings_cite_sections_that_exist() -> None:
    headings = set(re.findall(r"^## (.+)$", DOC.read_text(), re.M))
    cited: list[tuple[Path, str]] = []
    for path in (ROOT / "abcbench").rglob("*.py"):
        text = path.read_text()
        assert "ARCHITECTURE.md" not in text, f"{path} cites a file not in the repository"
        flat = " ".join(text.split())
        cited += [(path, s) for s in re.findall(r'docs/architecture\.md, "([^"]+)"', flat)]
    assert cited, "the trial, executor and relay docstrings cite the page"
    missing = [(str(p.relative_to(ROOT)), s) for p, s in cited if s not in headings]
    assert not missing, f"sections cited but not in docs/architecture.md: {missing}"
