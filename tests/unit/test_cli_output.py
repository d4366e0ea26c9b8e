"""Output off a terminal (CI logs, `| cat`, `| tee`): long task ids and messages stay whole,
the run summary comes as Markdown or JSON, and lands in `$GITHUB_STEP_SUMMARY` when set.

The CLI runs as a subprocess with stdout on a pipe, exactly as `abcbench ... | cat` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.cli.output import SummaryFormat, print_run_summary
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Provenance,
    RunManifest,
    RunSettings,
    RunStatus,
    RunSummary,
    TrialResult,
)
from abcbench.results.store import RunDir
from tests.conftest import TB_FIXTURES

CHECKOUT = Path(__file__).resolve().parents[2]
LONG_ID = ("tb-word-stats-with-a-deliberately-long-task-identifier-as-ci-logs-show-them"
           "-and-then-some-more")


def cli(*args: str, cwd: Path, extra_env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), **(extra_env or {})}
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "abcbench.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def long_tasks_dir(tmp_path: Path) -> Path:
    tasks = tmp_path / "tasks"
    shutil.copytree(TB_FIXTURES / "tb-word-stats", tasks / LONG_ID)
    return tasks


def make_run(root: Path, run_id: str = "r-output") -> RunDir:
    run_dir = RunDir(root / run_id)
    agent = AgentInfo(name="oracle")
    run_dir.write_manifest(RunManifest(
        run_id=run_id, status=RunStatus.completed, agent=agent,
        settings=RunSettings(tasks_dir="/nowhere"), trials=[f"{LONG_ID}__1", "short__1"],
        provenance=Provenance(harness_version="0", python="3"),
        summary=RunSummary(n_trials=2, n_resolved=1, accuracy=0.5),
    ))
    for task_id, resolved in ((LONG_ID, True), ("short", False)):
        run_dir.trial_dir(f"{task_id}__1").mkdir(parents=True)
        run_dir.write_result(TrialResult(
            run_id=run_id, trial_name=f"{task_id}__1", task_id=task_id, task_hash="h",
            attempt=1, agent=agent, language="python", framework="stdlib", task_type="logic",
            category="backend", resolved=resolved, n_tests=3, n_passed=3 if resolved else 1,
            failure_class=None if resolved else FailureClass.tests_failed,
            timings={"total": 12.0}))
    return run_dir


def test_tasks_list_piped_prints_long_ids_whole(tmp_path: Path) -> None:
    proc = cli("tasks", "list", "--tasks-dir", str(long_tasks_dir(tmp_path)), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert LONG_ID in proc.stdout
    assert "\x1b[" not in proc.stdout


def test_report_piped_prints_long_ids_and_columns_whole(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path)
    proc = cli("report", str(run_dir.path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert LONG_ID in proc.stdout
    assert "agent / model" in proc.stdout and "…" not in proc.stdout


def test_error_messages_are_not_hard_wrapped(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 4)
    tasks = long_tasks_dir(deep)
    (tasks / "broken-task").mkdir()
    (tasks / "broken-task" / "task.yaml").write_text("instruction: [unclosed\n")
    proc = cli("tasks", "list", "--tasks-dir", str(tasks), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "skipped broken task" in lines[0], lines
    assert str(tasks / "broken-task") in lines[0]
    proc = cli("tasks", "list", "--tasks-dir", str(deep / "missing"), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and str(deep / "missing") in proc.stderr


@pytest.mark.parametrize("fmt", list(SummaryFormat))
def test_run_summary_formats_and_step_summary(fmt: SummaryFormat, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from abcbench.cli.output import make_console

    step = tmp_path / "step-summary.md"
    step.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    run_dir = make_run(tmp_path)
    print_run_summary(run_dir.read_manifest(), run_dir, make_console(), fmt)
    out = capsys.readouterr().out
    assert LONG_ID in out
    if fmt is SummaryFormat.json:
        data = json.loads(out)
        assert data["summary"]["n_resolved"] == 1
        assert [t["trial"] for t in data["trials"]] == ["short__1", f"{LONG_ID}__1"]
        assert data["trials"][0]["failure_class"] == "tests_failed"
    if fmt is SummaryFormat.md:
        assert f"| {LONG_ID}__1 | python | logic | yes |  | 3/3 | 12s |" in out
    summary = step.read_text()
    assert summary.startswith("earlier step\n")
    assert "**resolved 1/2 (50.0%)**" in summary and f"| {LONG_ID}__1 |" in summary


def test_no_step_summary_without_the_variable(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from abcbench.cli.output import make_console

    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    run_dir = make_run(tmp_path)
    print_run_summary(run_dir.read_manifest(), run_dir, make_console(), SummaryFormat.md)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-output"]


def test_runs_list_newest_first_with_state(tmp_path: Path) -> None:
    older = make_run(tmp_path / "runs", "r-older")
    manifest = older.read_manifest()
    older.write_manifest(manifest.model_copy(update={
        "created_at": manifest.created_at.replace(year=2020)}))
    make_run(tmp_path / "runs", "r-newer")
    (tmp_path / "runs" / "not-a-run").mkdir()
    (tmp_path / "runs" / "broken").mkdir()
    (tmp_path / "runs" / "broken" / "run.json").write_text("{")
    proc = cli("runs", "list", "-o", str(tmp_path / "runs"), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["run_id"] for r in rows] == ["r-newer", "r-older"]
    assert rows[0]["n_done"] == 2 and rows[0]["n_resolved"] == 1
    assert rows[0]["status"] == "completed" and rows[0]["accuracy"] == 0.5
    assert "skipped:" in proc.stderr and "broken" in proc.stderr
    table = cli("runs", "list", "-o", str(tmp_path / "runs"), cwd=tmp_path)
    assert "r-newer" in table.stdout and "2/2" in table.stdout and "1 (50.0%)" in table.stdout
    missing = cli("runs", "list", "-o", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
