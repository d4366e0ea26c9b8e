"""The live view's last frame ends its line, so what is printed after it (the summary, or
"interrupted" after Ctrl-C) starts on a line of its own, piped or in a log file."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from abcbench.cli.progress import LiveRunView


@pytest.mark.parametrize("running", [[], ["task-a__1"], ["task-a__1", "task-b__2"]])
@pytest.mark.parametrize("interrupted", [False, True])
def test_what_follows_the_last_frame_starts_a_line(running: list[str],
                                                   interrupted: bool) -> None:
    buffer = io.StringIO()
    out = Console(file=buffer, force_terminal=False, width=100)
    view = LiveRunView(3, out)
    try:
        with view:
            for name in running:
                view._set_phase(name, "agent")
            if interrupted:
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    out.print("interrupted" if interrupted else "SUMMARY")
    lines = buffer.getvalue().splitlines()
    assert lines[-1] == ("interrupted" if interrupted else "SUMMARY"), lines
    assert all(line.strip() for line in lines), f"a blank line: {lines}"
    for name in running:
        assert any(line.startswith("running") and line.rstrip().endswith("agent")
                   and name in line for line in lines), lines
