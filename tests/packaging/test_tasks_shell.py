"""`abcbench tasks shell`: the starting state, a shell in it, nothing left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from tests.conftest import TB_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.sweep]
CHECKOUT = Path(__file__).resolve().parents[2]
NATIVE_TASK = "python-flask-bookshelf-loans"


def shell(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    return subprocess.run([sys.executable, "-m", "abcbench.cli", "tasks", "shell", *args],
                          cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True,
                          timeout=900)


def test_native_task_starting_state_then_removed(tmp_path: Path, run_id: str) -> None:
    proc = shell(tmp_path, NATIVE_TASK, "--id", run_id, "-c",
                 "git log --oneline && git status --short | wc -l && test ! -e /tests && pwd")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.split()
    assert "starting state" in proc.stdout and lines[-1].startswith("/app/")
    assert not any(leftovers(run=run_id).values())


def test_piped_shell_keeps_its_exit_code(tmp_path: Path, run_id: str) -> None:
    proc = shell(tmp_path, NATIVE_TASK, "--id", run_id,
                 stdin="echo hello-from-the-sandbox\nexit 3\n")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "hello-from-the-sandbox" in proc.stdout
    assert not any(leftovers(run=run_id).values())


def test_terminal_bench_task_shell_in_client(tmp_path: Path, run_id: str) -> None:
    proc = shell(tmp_path, "tb-word-stats", "--tasks-dir", str(TB_FIXTURES), "--id", run_id,
                 "-c", "ls && test ! -e /tests/test_outputs.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "server.py" in proc.stdout
    assert not any(leftovers(run=run_id).values())
    assert docker_client().images.list(name=f"abcbench-trial/{run_id}-client") == []
