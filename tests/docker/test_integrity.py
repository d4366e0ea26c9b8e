"""Verdicts that cannot be gamed or corrupted, against the real engine (issue 8, items 1-3).

Each agent here is hostile in one way: it peeks for the answers, kills its sandbox, deletes its
repository, overruns its budget, or blocks in a long exec while the run is stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.results.models import AgentInfo, FailureClass, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES
from tests.unit.reachability import answers_reachable

pytestmark = [pytest.mark.docker, pytest.mark.slow]

NOTHING = {"containers": [], "networks": [], "trial_images": []}
TASK = "fx-quotes-logic"
REFERENCE_SERVER = NATIVE_FIXTURES / "_repos" / "quotes" / "server.py"
MASKED_SERVER = NATIVE_FIXTURES / TASK / "masked" / "server.py"
SERVER_IN_SANDBOX = "/app/quotes/server.py"
ROOT = Path(__file__).resolve().parents[2]


def run_one(tmp_path: Path, run_id: str, agent_cls: type[Agent], **settings: float) -> TrialResult:
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    request = RunRequest(
        tasks=[registry.get(TASK)], agent_cls=agent_cls,
        agent_info=AgentInfo(name=agent_cls.name), output_dir=tmp_path,
        tasks_dir=NATIVE_FIXTURES, run_id=run_id, **settings,  # type: ignore[arg-type]
    )
    Runner(request).execute()
    assert leftovers(run=run_id) == NOTHING
    [result] = RunDir(tmp_path / run_id).results()
    return result


class Peeker(Agent):
    """Looks for the reference and the hidden tests through everything it was handed, and in
    the sandbox; copies whatever it finds into the repository."""

    name = "peeker"
    found: ClassVar[list[str]] = []

    def run(self, ctx: AgentContext) -> AgentResult:
        task = getattr(ctx, "task", None)
        if task is not None:  # today's context hands over the whole task
            Peeker.found.append("ctx.task")
            ctx.sandbox.copy_in(task.reference_repo, ctx.repo_dir)
        registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
        Peeker.found += answers_reachable(ctx, registry.get(TASK))
        marker = "fixture-default"  # a string only the hidden tests contain
        grep = ctx.sandbox.exec(
            f"grep -rlsF {marker} / --exclude-dir=proc --exclude-dir=sys "
            "--exclude-dir=dev 2>/dev/null | head -5", timeout=120)
        Peeker.found += [f"in the sandbox: {line}" for line in grep.stdout.split()]
        return AgentResult()


def test_peeking_agent_finds_no_answers(tmp_path: Path, run_id: str) -> None:
    Peeker.found = []
    result = run_one(tmp_path, run_id, Peeker)
    assert Peeker.found == []
    assert not result.resolved


class KillsPid1(Agent):
    """Kills every process it can see: the container's main process dies, so does PID 1."""

    name = "kills-pid-1"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec("kill -KILL -1", timeout=30)
        return AgentResult()


class DeletesRepository(Agent):
    name = "deletes-repo"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec(f"rm -rf {ctx.repo_dir}", timeout=30)
        return AgentResult()


@pytest.mark.parametrize("agent_cls", [KillsPid1, DeletesRepository])
def test_sandbox_sabotage_is_the_agents_failure(tmp_path: Path, run_id: str,
                                                agent_cls: type[Agent]) -> None:
    result = run_one(tmp_path, run_id, agent_cls, max_retries=1)
    assert result.failure_class is FailureClass.agent_error, result.error
    assert result.retries == 0 and not result.retryable
    assert not result.resolved


class FixesTooLate(Agent):
    """Ignores the stop: sleeps past its budget, then writes the correct fix and returns."""

    name = "fixes-too-late"

    def run(self, ctx: AgentContext) -> AgentResult:
        time.sleep(ctx.time_budget_sec + 2)
        ctx.sandbox.write_file(SERVER_IN_SANDBOX, REFERENCE_SERVER.read_bytes())
        return AgentResult()


def test_late_finish_is_a_timeout_and_changes_nothing(tmp_path: Path, run_id: str) -> None:
    started = time.monotonic()
    result = run_one(tmp_path, run_id, FixesTooLate, agent_timeout_sec=3)
    assert result.failure_class is FailureClass.agent_timeout and result.agent_timed_out
    assert not result.resolved
    submitted = tmp_path / run_id / "trials" / result.trial_name / "submission" / "server.py"
    assert submitted.read_bytes() == MASKED_SERVER.read_bytes(), "a write after the deadline"
    assert result.timings["agent"] < 3 + 5, "the trial waits a short grace, not 30 s"
    assert time.monotonic() - started < 120


class BlockedExec(Agent):
    """Signals that it started (a file named by --agent-kwarg marker=...), then blocks."""

    name = "blocked-exec"

    def run(self, ctx: AgentContext) -> AgentResult:
        Path(self.kwargs["marker"]).write_text("started")
        ctx.sandbox.exec("sleep 600", timeout=600)
        return AgentResult()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stop_during_a_blocked_exec_within_2s(tmp_path: Path, run_id: str,
                                              signum: signal.Signals) -> None:
    marker = tmp_path / "agent-started"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from abcbench.cli.main import app; app()", "run",
         "--agent-import-path",
         "tests.docker.test_integrity:BlockedExec", "--agent-kwarg", f"marker={marker}",
         "--tasks-dir", str(NATIVE_FIXTURES), "--task", TASK, "--run-id", run_id,
         "--output", str(tmp_path)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        # SIGINT must reach Python's handler even if this test runs with it ignored (a job a
        # non-interactive shell starts in the background inherits SIGINT ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "the agent never started"
            time.sleep(0.1)
        time.sleep(1.0)  # the agent is now blocked in its exec
        proc.send_signal(signum)
        sent = time.monotonic()
        proc.wait(timeout=30)
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = proc.stdout.read().decode() if proc.stdout else ""
    print(f"{signum.name}: stopped in {elapsed:.2f}s")
    assert elapsed < 2.0, f"stopping took {elapsed:.1f}s\n{output}"
    trial = tmp_path / run_id / "trials" / f"{TASK}__1"
    assert not (trial / "result.json").exists()
    assert not (trial / "submission").exists(), "a cancelled trial must not export"
    assert not (trial / "logs" / "build.log").exists(), "a cancelled trial must not build"
    assert not (trial / "logs" / "harness-error.log").exists(), "nor try to export"
    assert leftovers(run=run_id) == NOTHING


@pytest.mark.parametrize("command", [["sleep", "infinity"],
                                     ["sh", "-c", "sleep infinity & sleep infinity & wait"]])
def test_stop_processes_ends_execs_and_keeps_the_container(run_id: str,
                                                           command: list[str]) -> None:
    import threading

    from abcbench.sandbox.lifecycle import ContainerRequest, cleanup, start_container

    sandbox = start_container(ContainerRequest(
        image="abcbench/tester:latest", name=f"{run_id}-stop",
        labels={"abcbench.managed": "true", "abcbench.run": run_id}, command=command))
    try:
        sandbox.exec("nohup sh -c 'while :; do date >> /tmp/beat; sleep 0.1; done' "
                     ">/dev/null 2>&1 &", timeout=10)
        blocked: list[int] = []
        worker = threading.Thread(
            target=lambda: blocked.append(sandbox.exec("sleep 300", timeout=600).exit_code))
        worker.start()
        time.sleep(1.0)
        assert sandbox.stop_processes()
        worker.join(5)
        assert blocked == [137], "the running exec ends at once"
        assert sandbox.status()[0] == "running"
        beats = sandbox.exec("wc -l < /tmp/beat", timeout=10).stdout
        time.sleep(0.5)
        assert sandbox.exec("wc -l < /tmp/beat", timeout=10).stdout == beats
    finally:
        cleanup(run=run_id)
