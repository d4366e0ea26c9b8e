"""Fuzzed hostile task folders through the real CLI, one process per command.

The fast in-process part (tests/unit/test_fuzz_specs_fast.py) runs in CI; this one runs the
same generated folders (tests/unit/spec_fuzz.py) through `python -m abcbench.cli` as a user
would: `tasks list`, `tasks show`, `tasks check --static-only`, and, for a task the loader
refuses, `run` with it selected. Each command exits with its documented code (list 0; show 0
or 2; check 0 or 1; run 2), prints no traceback, says what is wrong in one `error:` line
naming the task, writes nothing (no run folder, nothing in Docker for the run id), reads no
file outside the tasks folder and finishes within a bound.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.chaos.conftest import NOTHING
from tests.unit.spec_fuzz import Case, build, cases, set_tripwire, snapshot, tripped

pytestmark = [pytest.mark.docker, pytest.mark.chaos, pytest.mark.sweep]

ROOT = Path(__file__).resolve().parents[2]
COMMAND_LIMIT_SEC = 60


def _cli(*args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "abcbench.cli", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=COMMAND_LIMIT_SEC)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


def judge_cli(case: Case, root: Path) -> float:
    tasks, host = build(case, root)
    out = root / "out"
    before = snapshot(root)
    task_dir = tasks / case.task_id
    refused = case.task_id in TaskRegistry.from_dir(tasks).errors
    set_tripwire(host)
    slowest = 0.0
    commands: list[tuple[list[str], tuple[int, ...]]] = [
        (["tasks", "list", "--tasks-dir", str(tasks)], (0,)),
        (["tasks", "show", case.task_id, "--tasks-dir", str(tasks)], (0, 2)),
        (["tasks", "check", "--static-only", "--tasks-dir", str(tasks), "--output",
          str(out / "checks")], (0, 1)),
    ]
    run_id = f"pytest-fuzz-{uuid.uuid4().hex[:8]}"
    if refused:
        commands.append((["run", "--agent", "nop", "--tasks-dir", str(tasks), "--task",
                          case.task_id, "--run-id", run_id, "--output", str(out / "runs")],
                         (2,)))
    for args, codes in commands:
        code, text, took = _cli(*args)
        slowest = max(slowest, took)
        where = f"{args[:2]} -> {code}\n{text[-2000:]}\n{case.describe()}"
        assert code in codes, where
        assert "Traceback" not in text, where
        errors = [line for line in text.splitlines() if line.startswith("error:")]
        if code == 2:
            named = str(task_dir) if (task_dir / "task.yaml").is_file() else str(tasks)
            assert len(errors) == 1 and named in errors[0], where
    if refused:
        assert not (out / "runs").exists(), "a refused run writes nothing"
        assert leftovers(run=run_id) == NOTHING
    assert tripped(host) == [], f"read a host file\n{case.describe()}"
    after = snapshot(root, skip=out)
    assert after == {k: v for k, v in before.items() if not k.startswith("out/")}, (
        case.describe())
    return slowest


SLOWEST: list[float] = []


@settings(max_examples=15, deadline=timedelta(seconds=4 * COMMAND_LIMIT_SEC),
          derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases())
def test_hostile_task_folders_through_the_cli(case: Case) -> None:
    with tempfile.TemporaryDirectory(prefix="abcbench-fuzz-cli-") as tmp:
        SLOWEST.append(judge_cli(case, Path(tmp)))
    print(f"slowest command so far: {max(SLOWEST):.1f}s")
