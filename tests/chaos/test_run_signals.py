"""SIGINT, SIGTERM and SIGKILL to a real `abcbench run` in the middle of its trials, then
`cleanup` and `--resume`, end to end against the engine.

The run's agent holds a key (`--agent-env`, from the environment). The first time it meets a
task it stalls where the signal should land: in the logic task it blocks in a sandbox exec
(the agent phase); in the environment task it writes a Dockerfile whose `RUN` sleeps (the
build). On `--resume` it writes the fix and returns, so every trial resolves.

Each probe asserts: exit 130 for SIGINT/SIGTERM, within a bound; nothing of the run left in
Docker (containers, networks, labelled layers, new dangling images of the run) once the
process is gone (SIGINT/SIGTERM) or once `abcbench cleanup` ran (SIGKILL: the owner dies
without cleaning, and `cleanup` without `--run` must find the run dead because nobody holds
its lock); no temporary folder of the run left (the run's TMPDIR is the test's own); after
`--resume`, a result for every planned trial, all resolved; no secret in the run folder; the
wall time bounded.

tests/docker/test_integrity.py (a stop during a blocked exec ends within 2 s) and
tests/docker/test_resume_regrade.py (Ctrl-C after a first result, then resume; a kill -9 then
resume) cover parts of this; these are the end-to-end versions with builds, layers, cleanup
and secrets.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.cli.main import app
from abcbench.run import orphans
from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import NOTHING, _dangling, _layers, apply_reference, chaos_tasks

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

ROOT = Path(__file__).resolve().parents[2]
LOGIC, ENV = "fx-quotes-logic", "fx-quotes-env"
KEY = "sk-signal-3Qq4Ww5Ee6Rr"
REFERENCE_DOCKERFILE = (
    'FROM abcbench/tester\nWORKDIR /srv/quotes\nCOPY . .\nEXPOSE 8000\n'
    'CMD ["python3", "server.py"]\n')
SLOW_STEP = "RUN echo chaos-slow-step && sleep 300"


class StallsOnce(Agent):
    """First visit of a task: stall where the probe signals (module docstring); later: fix."""

    name = "chaos-stalls-once"

    def run(self, ctx: AgentContext) -> AgentResult:
        markers = Path(self.kwargs["markers"])
        env_task = "Dockerfile" in ctx.instruction.split("\n", 1)[0]
        first = markers / ("env.first" if env_task else "logic.first")
        again = first.exists()
        first.write_text("seen")
        (ctx.logs_dir / "key.log").write_text(f"using {self.env['CHAOS_SIGNAL_KEY']}\n")
        apply_reference(ctx)
        if env_task:
            slow = "" if again else SLOW_STEP + "\n"
            ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile",
                                   REFERENCE_DOCKERFILE.replace("COPY", slow + "COPY", 1))
        elif not again:
            (markers / "logic.blocked").write_text("")
            ctx.sandbox.exec("sleep 600", timeout=600)
        return AgentResult()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "abcbench.cli", *args]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "CHAOS_SIGNAL_KEY": KEY,
            "TMPDIR": str(_tmpdir(tmp_path))}


def _tmpdir(tmp_path: Path) -> Path:
    """The run's own TMPDIR (also its run-id lock folder), so what it leaves there is seen."""
    path = tmp_path / "tmp"
    path.mkdir(exist_ok=True)
    return path


def _temporary_files_left(tmp_path: Path) -> list[str]:
    """Everything in the run's TMPDIR but the (empty) shared folders and the run-id locks."""
    tmp = _tmpdir(tmp_path)
    return sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*")
                  if not (p.is_dir() and p.parent == tmp)
                  and not (p.parent.name == "abcbench-live-runs" and p.suffix == ".lock"))


def _start(tmp_path: Path, run_id: str, tasks: list[str]) -> subprocess.Popen[bytes]:
    markers = tmp_path / "markers"
    markers.mkdir()
    tasks_dir = chaos_tasks(tmp_path, {t: {"service": {"build_timeout_sec": 600}}
                                       for t in tasks})
    selection = [arg for t in tasks for arg in ("--task", t)]
    return subprocess.Popen(
        _cli("run", "--agent-import-path", f"{__name__}:StallsOnce",
             "--agent-kwarg", f"markers={markers}", "--agent-env", "CHAOS_SIGNAL_KEY",
             "--tasks-dir", str(tasks_dir), *selection, "--n-concurrent", str(len(tasks)),
             "--max-retries", "0", "--run-id", run_id, "--output", str(tmp_path / "runs")),
        cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        # SIGINT must reach Python's handler even if this test runs with it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait(proc: subprocess.Popen[bytes], ready: Callable[[], bool], what: str,
          limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not ready():
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise AssertionError(f"the run ended before {what}:\n{out[-3000:]}")
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.2)


def _agent_blocked(tmp_path: Path) -> Callable[[], bool]:
    return lambda: (tmp_path / "markers" / "logic.blocked").exists()


def _in_slow_build(tmp_path: Path, run_id: str) -> Callable[[], bool]:
    log = tmp_path / "runs" / run_id / "trials" / f"{ENV}__1" / "logs" / "build.log"
    return lambda: log.exists() and "chaos-slow-step" in log.read_text(errors="replace")


def _nothing_of_the_run(run_id: str, dangling_before: set[str]) -> None:
    assert leftovers(run=run_id) == NOTHING
    assert _layers(run_id) == [], "every layer the run's builds committed is gone"
    ours = [i for i, labels in _dangling().items()
            if i not in dangling_before and labels.get("abcbench.run") == run_id]
    assert ours == [], "no dangling layers of the run"


def _resume_and_check(tmp_path: Path, run_id: str, tasks: list[str],
                      dangling_before: set[str]) -> float:
    started = time.monotonic()
    resumed = subprocess.run(
        _cli("run", "--resume", run_id, "--agent-env", "CHAOS_SIGNAL_KEY", "--output",
             str(tmp_path / "runs")),
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=900)
    wall = time.monotonic() - started
    assert resumed.returncode == 0, (resumed.stdout + resumed.stderr)[-3000:]
    run_dir = tmp_path / "runs" / run_id
    manifest = json.loads((run_dir / "run.json").read_text())
    assert manifest["status"] == "completed"
    results = {p.parent.name: json.loads(p.read_text())
               for p in (run_dir / "trials").glob("*/result.json")}
    assert sorted(results) == sorted(f"{t}__1" for t in tasks), "a result per planned trial"
    for name, result in results.items():
        assert result["resolved"] and result["failure_class"] is None, (name, result["error"])
    _nothing_of_the_run(run_id, dangling_before)
    holders = [p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*")
               if p.is_file() and not p.is_symlink() and KEY.encode() in p.read_bytes()]
    assert holders == [], f"the key is on disk: {holders}"
    assert not (run_dir / "run.lock").exists()
    assert _temporary_files_left(tmp_path) == []
    assert list((_tmpdir(tmp_path) / "abcbench-live-runs").iterdir()) == []
    return wall


def _stop(proc: subprocess.Popen[bytes], signum: signal.Signals) -> tuple[float, str]:
    proc.send_signal(signum)
    sent = time.monotonic()
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return time.monotonic() - sent, out.decode(errors="replace")


def test_sigint_in_the_agent_phase_then_resume(tmp_path: Path, run_id: str) -> None:
    """The CI representative: one trial, Ctrl-C while the agent blocks in an exec."""
    dangling_before = set(_dangling())
    started = time.monotonic()
    proc = _start(tmp_path, run_id, [LOGIC])
    _wait(proc, _agent_blocked(tmp_path), "the agent blocking")
    stopped_in, out = _stop(proc, signal.SIGINT)
    assert proc.returncode == 130, out[-3000:]
    assert "Traceback" not in out
    assert stopped_in < 20, f"stopping took {stopped_in:.1f}s"
    _nothing_of_the_run(run_id, dangling_before)
    assert _temporary_files_left(tmp_path) == []
    run_dir = tmp_path / "runs" / run_id
    assert json.loads((run_dir / "run.json").read_text())["status"] == "interrupted"
    assert not list((run_dir / "trials").glob("*/result.json")), "no verdict for a stopped trial"
    resumed_in = _resume_and_check(tmp_path, run_id, [LOGIC], dangling_before)
    total = time.monotonic() - started
    print(f"SIGINT: stopped in {stopped_in:.1f}s, resume {resumed_in:.0f}s, total {total:.0f}s")
    assert total < 400, f"took {total:.0f}s"


@pytest.mark.sweep
def test_sigterm_during_a_build_and_an_agent_phase_then_resume(tmp_path: Path,
                                                                 run_id: str) -> None:
    """Two trials at once: one agent blocked in an exec, one build in a sleeping `RUN`."""
    dangling_before = set(_dangling())
    started = time.monotonic()
    proc = _start(tmp_path, run_id, [LOGIC, ENV])
    _wait(proc, _agent_blocked(tmp_path), "the agent blocking")
    _wait(proc, _in_slow_build(tmp_path, run_id), "the slow build step")
    time.sleep(2)  # the step container runs and the build has committed layers
    stopped_in, out = _stop(proc, signal.SIGTERM)
    assert proc.returncode == 130, out[-3000:]
    assert "Traceback" not in out
    assert stopped_in < 30, f"stopping took {stopped_in:.1f}s"
    _nothing_of_the_run(run_id, dangling_before)
    assert _temporary_files_left(tmp_path) == []
    resumed_in = _resume_and_check(tmp_path, run_id, [LOGIC, ENV], dangling_before)
    total = time.monotonic() - started
    print(f"SIGTERM: stopped in {stopped_in:.1f}s, resume {resumed_in:.0f}s, total {total:.0f}s")
    assert total < 600, f"took {total:.0f}s"


@pytest.mark.sweep
def test_sigkill_then_cleanup_finds_the_dead_run_then_resume(
        tmp_path: Path, run_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The owner dies without cleaning up: its sandbox, networks, build step, layers and
    temporary folders stay until `abcbench cleanup` (no --run) sees that nobody holds the
    run's lock."""
    dangling_before = set(_dangling())
    started = time.monotonic()
    proc = _start(tmp_path, run_id, [LOGIC, ENV])
    _wait(proc, _agent_blocked(tmp_path), "the agent blocking")
    _wait(proc, _in_slow_build(tmp_path, run_id), "the slow build step")
    time.sleep(2)
    _stop(proc, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    left = leftovers(run=run_id)
    assert left["containers"] and left["networks"], f"a kill -9 leaves the run's objects: {left}"
    # Scoped to this run: on a shared engine, `cleanup` would also clear other dead runs.
    real = orphans.runs_in_docker
    monkeypatch.setattr(orphans, "runs_in_docker",
                        lambda: {r for r in real() if r.startswith(run_id)})
    assert _temporary_files_left(tmp_path), "a kill -9 leaves temporary folders"
    monkeypatch.setenv("TMPDIR", str(_tmpdir(tmp_path)))
    monkeypatch.setattr(tempfile, "tempdir", str(_tmpdir(tmp_path)))
    # the engine ends the killed build's step once its stream is gone; cleanup leaves folders
    # younger than a minute to the process creating them
    time.sleep(max(3.0, started + 62 - time.monotonic()))
    cleaned = CliRunner().invoke(app, ["cleanup"])
    assert cleaned.exit_code == 0, cleaned.output
    assert f"run {run_id}: " in cleaned.output, cleaned.output
    assert "skipping" not in cleaned.output, "the killed owner holds no lock"
    _nothing_of_the_run(run_id, dangling_before)
    left_files = _temporary_files_left(tmp_path)
    assert [f for f in left_files if f.startswith("abcbench-scratch/")] == []
    assert left_files == [], f"only the dead run's lock may stay (resume takes it): {left_files}"
    resumed_in = _resume_and_check(tmp_path, run_id, [LOGIC, ENV], dangling_before)
    total = time.monotonic() - started
    print(f"SIGKILL: cleanup then resume {resumed_in:.0f}s, total {total:.0f}s; "
          f"left before cleanup: {left}")
    assert total < 600, f"took {total:.0f}s"


def test_sigterm_to_tasks_check_stops_like_ctrl_c(tmp_path: Path) -> None:
    """`tasks check` runs its legs as runs of their own; a CI job cancelled with SIGTERM in
    the middle must stop them like Ctrl-C does: exit 130, every leg's containers removed.
    Before, the default SIGTERM killed the process (exit 143) and left them running."""
    tasks_dir = chaos_tasks(tmp_path, {})
    checks = tmp_path / "checks"
    proc = subprocess.Popen(
        _cli("tasks", "check", LOGIC, "--tasks-dir", str(tasks_dir), "-n", "2", "-o",
             str(checks)),
        cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def legs() -> list[str]:
        return sorted(p.name for p in checks.iterdir()) if checks.is_dir() else []

    _wait(proc, lambda: any(leftovers(run=r)["containers"] for r in legs()),
          "a leg's container", limit=120)
    stopped_in, out = _stop(proc, signal.SIGTERM)
    assert proc.returncode == 130, out[-3000:]
    assert "Traceback" not in out
    assert stopped_in < 30, f"stopping took {stopped_in:.1f}s"
    assert legs(), "the legs' run folders are kept"
    for run in legs():
        assert leftovers(run=run) == NOTHING, run
        assert _layers(run) == [], run
    assert _temporary_files_left(tmp_path) == []
