"""`abcbench run ... | cat`: a real run with stdout on a pipe prints the task ids whole, and
`--format md` puts only the Markdown summary on stdout (progress on stderr) and in the
GitHub step summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_cli_output import LONG_ID, cli, long_tasks_dir

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_piped_run_prints_task_ids_whole(tmp_path: Path, run_id: str) -> None:
    tasks = long_tasks_dir(tmp_path)
    proc = cli("run", "--agent", "nop", "--tasks-dir", str(tasks), "--run-id", run_id,
               "-o", str(tmp_path / "runs"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line for line in proc.stdout.splitlines()
            if f"{LONG_ID}__1" in line and "python" in line and "logic" in line]
    assert rows, proc.stdout  # the summary table's row, whole, on one line
    assert "resolved 0/1" in proc.stdout


def test_piped_run_markdown_summary(tmp_path: Path, run_id: str) -> None:
    tasks = long_tasks_dir(tmp_path)
    step = tmp_path / "step.md"
    proc = cli("run", "--agent", "oracle", "--tasks-dir", str(tasks), "--run-id", run_id,
               "-o", str(tmp_path / "runs"), "--format", "md", cwd=tmp_path,
               extra_env={"GITHUB_STEP_SUMMARY": str(step)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"### abcbench run `{run_id}` (oracle)")
    assert f"| {LONG_ID}__1 | python | logic | yes |" in proc.stdout
    assert "trials" in proc.stderr  # the progress went to stderr
    assert step.read_text() == proc.stdout + "\n"
    tb = json.loads((tmp_path / "runs" / run_id / "results.json").read_text())
    assert tb["n_resolved"] == 1 and tb["results"][0]["is_resolved"] is True
    assert tb["results"][0]["parser_results"] and tb["results"][0]["instruction"]
    assert set(tb["results"][0]["parser_results"].values()) == {"passed"}
