"""`abcbench run -c job.yaml` with two agents: both run, each a run of its own with the job
in its run.json, and the Markdown summary (stdout and GitHub step summary) has both rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import TB_FIXTURES
from tests.unit.test_cli_output import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_job_with_two_agents_runs_both(tmp_path: Path, run_id: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(TB_FIXTURES, repo / "bench-tasks")
    (repo / "job.yaml").write_text("""
name: nightly
agents:
  - name: oracle
  - name: nop
tasks_dir: bench-tasks
tasks: [tb-word-stats]
n_attempts: 1
output: out
""")
    step = tmp_path / "step.md"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    command = ("run", "-c", str(repo / "job.yaml"), "--run-id", run_id, "--format", "md")
    proc = cli(*command, cwd=elsewhere, extra_env={"GITHUB_STEP_SUMMARY": str(step)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"| {run_id}--oracle | oracle |  | 1/1 | 100.0% |" in proc.stdout
    assert f"| {run_id}--nop | nop |  | 0/1 | 0.0% |" in proc.stdout
    assert step.read_text() == proc.stdout + "\n"
    for agent in ("oracle", "nop"):
        manifest = json.loads((repo / "out" / f"{run_id}--{agent}" / "run.json").read_text())
        assert manifest["agent"]["name"] == agent
        assert manifest["job"]["name"] == run_id and manifest["job"]["agent"] == agent
        assert manifest["job"]["spec"]["tasks"] == ["tb-word-stats"]
    # The same command again (a CI job re-tried): completed runs are kept, nothing re-runs.
    again = cli(*command, cwd=elsewhere)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("already completed") == 2
    assert again.stdout == proc.stdout
