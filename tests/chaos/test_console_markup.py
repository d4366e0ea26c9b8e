"""Error text with console markup in it, through the real CLI and engine (issue 18, item 4).

A provider's error body quoting a prompt template (`[/INST]`) or any text with a closing tag
(`[/x]`) used to reach the live view as Rich markup: MarkupError in the trial thread, every
trial cancelled, exit 1. Here the agent's first attempt fails with a provider outage whose
message carries markup (an infrastructure fault: retried, and the retry announced on the
console), the second with its own error carrying markup (`agent_error`, shown on the trial's
line). The run must complete with exit 0 and print both texts as written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.errors import ModelEndpointUnavailable
from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import NOTHING, chaos_tasks

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

ROOT = Path(__file__).resolve().parents[2]
TASK = "fx-quotes-logic"
PROVIDER = "provider said: <s>[INST] hi [/INST] then [/x] and [bold red]"
AGENT = "agent gives up [/x] [/INST] [link=file:///etc/passwd]here[/link]"


class MarkupErrors(Agent):
    """Attempt 1: a provider outage quoting markup; attempt 2: its own error with markup."""

    name = "chaos-markup-errors"

    def run(self, ctx: AgentContext) -> AgentResult:
        marker = Path(self.kwargs["marker"])
        if not marker.exists():
            marker.write_text("1")
            raise ModelEndpointUnavailable(PROVIDER)
        raise RuntimeError(AGENT)


def test_error_text_with_markup_prints_literally_and_the_run_completes(
        tmp_path: Path, run_id: str) -> None:
    tasks = chaos_tasks(tmp_path, {})
    proc = subprocess.run(
        [sys.executable, "-m", "abcbench.cli", "run",
         "--agent-import-path", f"{__name__}:MarkupErrors",
         "--agent-kwarg", f"marker={tmp_path / 'attempted'}", "--tasks-dir", str(tasks),
         "--task", TASK, "--max-retries", "1", "--run-id", run_id,
         "--output", str(tmp_path / "runs")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "400"},
        capture_output=True, text=True, timeout=600)
    console = proc.stdout + proc.stderr
    assert proc.returncode == 0, console[-3000:]
    assert "MarkupError" not in console
    assert PROVIDER in console, "the retry line quotes the provider's error as written"
    assert AGENT in console, "the trial's line quotes the agent's error as written"
    result = json.loads((tmp_path / "runs" / run_id / "trials" / f"{TASK}__1" /
                         "result.json").read_text())
    assert result["failure_class"] == "agent_error" and AGENT in result["error"]
    assert leftovers(run=run_id) == NOTHING
