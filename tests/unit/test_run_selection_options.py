"""`run --exclude-task / --n-tasks / --timeout-multiplier`: what a run plans, what it records,
and that a resume keeps (never changes) them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.tasks.loader import load_task
from tests.conftest import NATIVE_FIXTURES
from tests.unit.fake_run import fake_engine

cli = CliRunner()


@pytest.fixture(autouse=True)
def private_lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = cli.invoke(app, ["run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                           "--task", "fx-quotes-*", "--output", str(tmp_path / "runs"), *args])
    return out.exit_code, out.output


def test_exclude_task_and_n_tasks_narrow_the_plan(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = run(tmp_path, "--run-id", "x", "--exclude-task", "fx-quotes-env")
    assert code == 0, output
    assert [s.task.id for s in engine.ran] == ["fx-quotes-logic"]
    engine.ran.clear()
    code, output = run(tmp_path, "--run-id", "n", "--n-tasks", "1")
    assert code == 0, output
    assert len(engine.ran) == 1
    code, output = run(tmp_path, "--run-id", "none", "--exclude-task", "fx-*")
    assert code == 2 and "no task" in output, output


def test_timeout_multiplier_scales_and_is_kept_on_resume(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = run(tmp_path, "--run-id", "r", "--timeout-multiplier", "2")
    assert code == 0, output
    base = {s.task.id: load_task(NATIVE_FIXTURES / s.task.id).agent_timeout_sec
            for s in engine.ran}
    for spec in engine.ran:
        assert spec.task.agent_timeout_sec == 2 * base[spec.task.id]
    manifest = json.loads((tmp_path / "runs" / "r" / "run.json").read_text())
    assert manifest["settings"]["timeout_multiplier"] == 2
    (tmp_path / "runs" / "r" / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    engine.ran.clear()
    out = cli.invoke(app, ["run", "--resume", "r", "--output", str(tmp_path / "runs"),
                           "--timeout-multiplier", "3"])
    assert out.exit_code == 2 and "--timeout-multiplier" in out.output, out.output
    out = cli.invoke(app, ["run", "--resume", "r", "--output", str(tmp_path / "runs")])
    assert out.exit_code == 0, out.output
    [resumed] = engine.ran
    assert resumed.task.agent_timeout_sec == 2 * base["fx-quotes-env"]
