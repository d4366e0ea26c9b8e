"""Ctrl-C and --resume end with one result per trial, none run twice; re-grading re-tests kept
submissions without the agent. Real processes, real signals, real engine."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from abcbench.results.store import RunDir
from abcbench.sandbox.lifecycle import leftovers
from tests.conftest import NATIVE_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.slow]

NOTHING = {"containers": [], "networks": [], "trial_images": []}
CLI = [sys.executable, "-m", "abcbench.cli"]


def abcbench(*args: str) -> subprocess.Popen[bytes]:
    # SIGINT must reach Python's handler even if this test runs with it ignored.
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_interrupt_then_resume(tmp_path: Path, run_id: str) -> None:
    args = ["run", "--agent", "oracle", "--tasks-dir", str(NATIVE_FIXTURES), "--n-attempts",
            "2", "--n-concurrent", "2", "--run-id", run_id, "--output", str(tmp_path)]
    proc = abcbench(*args)
    run_dir = RunDir(tmp_path / run_id)
    deadline = time.monotonic() + 300
    # Interrupt once the first trial has a result and others are still running.
    while time.monotonic() < deadline and not run_dir.results():
        time.sleep(0.5)
    assert run_dir.results(), "no trial finished in time"
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, out.decode()
    assert leftovers(run=run_id) == NOTHING
    manifest = json.loads(run_dir.run_file.read_text())
    assert manifest["status"] == "interrupted"
    before = {r.trial_name: r.started_at for r in run_dir.results()}
    assert 0 < len(before) < 4

    resumed = subprocess.run([*CLI, "run", "--resume", run_id, "--output", str(tmp_path)],
                             capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    after = {r.trial_name: r for r in run_dir.results()}
    assert sorted(after) == ["fx-quotes-env__1", "fx-quotes-env__2", "fx-quotes-logic__1",
                             "fx-quotes-logic__2"]
    for name, started in before.items():
        assert after[name].started_at == started, f"{name} ran twice"
    manifest = json.loads(run_dir.run_file.read_text())
    assert manifest["status"] == "completed"
    assert manifest["summary"]["n_trials"] == 4
    assert len(manifest["resumed_at"]) == 1
    assert leftovers(run=run_id) == NOTHING

    # Re-grade the finished run's submissions, without the agent; a trial whose submission
    # is gone stays in the denominator, unresolved, with the reason.
    assert after["fx-quotes-env__2"].resolved
    shutil.rmtree(run_dir.trial_dir("fx-quotes-env__2") / "submission")
    graded = subprocess.run([*CLI, "grade", str(run_dir.path), "--output", str(tmp_path)],
                            capture_output=True, text=True, timeout=900)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    [regrade_dir] = [p for p in tmp_path.iterdir() if p.name.startswith(f"{run_id}-regrade-")]
    regraded = json.loads((regrade_dir / "run.json").read_text())
    assert regraded["regraded_from"] == str(run_dir.path)
    assert regraded["summary"]["n_trials"] == 4
    assert regraded["summary"]["n_resolved"] == manifest["summary"]["n_resolved"] - 1
    lost = json.loads((regrade_dir / "trials" / "fx-quotes-env__2" / "result.json").read_text())
    assert not lost["resolved"] and "no submission" in lost["error"]
    assert "agent" not in json.loads(
        (regrade_dir / "trials" / "fx-quotes-logic__1" / "result.json").read_text())["timings"]
    rid = regraded["run_id"]
    assert leftovers(run=rid) == NOTHING


def test_resume_refuses_changed_agent(tmp_path: Path, run_id: str) -> None:
    ok = subprocess.run([*CLI, "run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                         "--task", "fx-quotes-env", "--run-id", run_id, "--output",
                         str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = subprocess.run([*CLI, "run", "--resume", run_id, "--agent", "oracle", "--output",
                              str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "it ran agent 'nop', not 'oracle'" in refused.stdout + refused.stderr


def test_a_live_run_refuses_a_second_process(tmp_path: Path, run_id: str) -> None:
    """The reproduced defect: `--resume R` while R runs planned the same trials again (same
    container names) and a correct oracle trial was recorded as failing."""
    owner = abcbench("run", "--agent", "oracle", "--tasks-dir", str(NATIVE_FIXTURES), "--task",
                     "fx-quotes-logic", "--run-id", run_id, "--output", str(tmp_path))
    run = tmp_path / run_id
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (run / "run.lock").is_file():
        time.sleep(0.2)
    assert (run / "run.lock").is_file(), "the run never took its lock"
    second = subprocess.run([*CLI, "run", "--resume", run_id, "--output", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    grade = subprocess.run([*CLI, "grade", str(run), "--output", str(tmp_path / "graded")],
                           capture_output=True, text=True, timeout=120)
    out, _ = owner.communicate(timeout=600)
    assert owner.returncode == 0, out.decode()
    for refused in (second, grade):
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"pid {owner.pid} on " in refused.stderr
    assert "Traceback" not in second.stderr + grade.stderr
    assert not (tmp_path / "graded").exists()
    [result] = RunDir(run).results()
    assert result.resolved, result.error
    assert not (run / "run.lock").exists(), "a finished run releases its folder"
    assert leftovers(run=run_id) == NOTHING


def test_resume_takes_over_the_lock_of_a_killed_run(tmp_path: Path, run_id: str) -> None:
    """kill -9 leaves the lock file behind; its flock died with the process, so the next
    `--resume` on this host takes it over and finishes the run."""
    owner = abcbench("run", "--agent", "oracle", "--tasks-dir", str(NATIVE_FIXTURES), "--task",
                     "fx-quotes-logic", "--run-id", run_id, "--output", str(tmp_path))
    run = tmp_path / run_id
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (run / "run.json").is_file():
        time.sleep(0.2)
    assert (run / "run.json").is_file(), "the run never started"
    owner.kill()
    owner.communicate(timeout=60)
    assert json.loads((run / "run.lock").read_text())["pid"] == owner.pid
    resumed = subprocess.run([*CLI, "run", "--resume", run_id, "--output", str(tmp_path)],
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"took over {run_id} from a stale lock: pid {owner.pid}" in resumed.stdout
    [result] = RunDir(run).results()
    assert result.resolved, result.error
    assert not (run / "run.lock").exists()
    assert leftovers(run=run_id) == NOTHING
