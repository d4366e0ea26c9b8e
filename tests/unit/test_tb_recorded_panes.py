"""`render_pane` against panes `tb run` itself recorded: for each, the bytes tb's tests pane
received (tmux `pipe-pane`, the trial's `sessions/tests.log`) and what tb parsed
(`panes/post-test.txt`, its `capture-pane -p -S -`), from `python bench/tb_parity.py --keep`
with Terminal-Bench 0.2.18 (tmux 3.5a in the task container) on tests/fixtures/terminal_bench.

Needs neither tmux nor Terminal-Bench: the reference is on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.grading.pytest_summary import parse_tb_pytest
from abcbench.grading.tb_pane import render_pane

PANES = Path(__file__).resolve().parent.parent / "fixtures" / "tb_panes"
NAMES = sorted(p.stem for p in PANES.glob("*.raw"))


def test_every_class_is_recorded() -> None:
    assert {"tb-scrollback", "tb-long-line", "tb-cr-progress", "tb-color-force",
            "tb-color-py", "tb-color-flag", "tb-env-path"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_render_is_the_pane_tb_parsed(name: str) -> None:
    raw = (PANES / f"{name}.raw").read_bytes()
    assert render_pane(raw) == (PANES / f"{name}.pane").read_text(encoding="utf-8")


def test_what_tb_read_from_those_panes() -> None:
    """tb's verdicts on them (oracle): a parse error where the header scrolled out or python was
    not found, a failure read from the second row of a wrapped line, plain words where pytest
    coloured them."""
    def parsed(name: str) -> list[tuple[str, bool]] | None:
        result = parse_tb_pytest(render_pane((PANES / f"{name}.raw").read_bytes()))
        return None if result is None else [(t.name, t.outcome.value == "passed")
                                            for t in result.tests]
    assert parsed("tb-scrollback") is None
    assert parsed("tb-env-path") is None
    assert parsed("tb-long-line") == [("test_double", True), ("test_zero", True),
                                      ("sync", False)]
    for name in ("tb-color-force", "tb-color-py", "tb-color-flag", "tb-cr-progress"):
        assert parsed(name) == [("test_double", True), ("test_zero", True)], name
