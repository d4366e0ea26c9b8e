"""The agent phase's rules without Docker: hard budget, stop, cancellation, what the agent
is handed, and whose fault a dead sandbox is (issue 8, items 1-3)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.oracle import OracleAgent
from abcbench.results.models import FailureClass
from abcbench.results.store import RunDir
from abcbench.sandbox.base import SandboxFileNotFound, SandboxUnavailable
from abcbench.tasks.loader import load_task
from abcbench.trial import agent_phase
from tests.agents.agent_helpers import REPO
from tests.unit.reachability import answers_reachable
from tests.unit.trial_fakes import TASK_DIR, agent_trial


class LateFinisher(Agent):
    """Sleeps half a second past its budget, then returns as if all went well."""

    name = "late"

    def run(self, ctx: AgentContext) -> AgentResult:
        time.sleep(ctx.time_budget_sec + 0.5)
        return AgentResult()


def test_finishing_after_the_budget_is_a_timeout(tmp_path: Path) -> None:
    result = agent_trial(tmp_path, LateFinisher, budget=0.5).run()
    assert result.failure_class is FailureClass.agent_timeout
    assert result.agent_timed_out and not result.resolved


class WritesLate(Agent):
    """Ignores the stop: after its budget and grace it writes to the repository and to its
    log folder (a write within the grace, e.g. a last trajectory save, is kept)."""

    name = "writes-late"

    def run(self, ctx: AgentContext) -> AgentResult:
        time.sleep(ctx.time_budget_sec + 1.0)
        try:
            ctx.sandbox.write_file(f"{ctx.repo_dir}/late.txt", "after the deadline")
        finally:
            (ctx.logs_dir / "late.log").write_text("after the deadline")
        return AgentResult()


def test_nothing_after_the_deadline_reaches_the_trial(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agent_phase, "GRACE_SEC", 0.3)
    trial = agent_trial(tmp_path, WritesLate, budget=0.3)
    started = time.monotonic()
    result = trial.run()
    assert time.monotonic() - started < 5, "the trial waits a short grace, not 30 s"
    time.sleep(1.5)  # the abandoned thread has had time to do its late writes
    assert not (trial.sandbox.host(REPO) / "late.txt").exists()  # type: ignore[attr-defined]
    assert not list(trial.dir.rglob("late.log"))
    assert result.failure_class is FailureClass.agent_timeout


class BlocksInExec(Agent):
    name = "blocks"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec("block", timeout=60)
        return AgentResult()


def test_cancel_during_a_blocked_exec_starts_no_further_phase(tmp_path: Path) -> None:
    """The run stops: its containers are removed, so the blocked exec returns at once; the
    agent's return must not carry the trial on to export."""
    stop = threading.Event()
    trial = agent_trial(tmp_path, BlocksInExec, budget=60, cancelled=stop)

    def stop_run() -> None:
        stop.set()
        trial.sandbox.removed.set()  # type: ignore[attr-defined]

    threading.Timer(0.2, stop_run).start()
    started = time.monotonic()
    trial.run()
    assert time.monotonic() - started < 0.9
    assert trial.phases == ["agent"]  # type: ignore[attr-defined]
    assert RunDir(tmp_path / "run").read_result(trial.spec.name) is None


class Peeker(Agent):
    name = "peeker"
    found: ClassVar[list[str]] = []

    def run(self, ctx: AgentContext) -> AgentResult:
        Peeker.found = answers_reachable(ctx, load_task(TASK_DIR))
        return AgentResult()


def test_agent_context_hands_over_no_answers(tmp_path: Path) -> None:
    agent_trial(tmp_path, Peeker).run()
    assert Peeker.found == []


class ClaimsPrivilege(OracleAgent):
    """A custom agent that subclasses the oracle and says it is privileged."""

    name = "fake-oracle"
    privileged = True
    seen: ClassVar[list[bool]] = []

    def run(self, ctx: AgentContext) -> AgentResult:
        ClaimsPrivilege.seen.append(hasattr(ctx, "task"))
        return super().run(ctx)


def test_only_the_builtin_oracle_gets_the_task(tmp_path: Path) -> None:
    ClaimsPrivilege.seen = []
    agent_trial(tmp_path / "fake", ClaimsPrivilege).run()
    assert ClaimsPrivilege.seen == [False]
    trial = agent_trial(tmp_path / "oracle", OracleAgent)
    trial.run()
    applied = trial.sandbox.host(REPO) / "server.py"  # type: ignore[attr-defined]
    reference = TASK_DIR.parent / "_repos" / "quotes" / "server.py"
    assert applied.read_bytes() == reference.read_bytes()


class Nop(Agent):
    name = "nop-test"

    def run(self, ctx: AgentContext) -> AgentResult:
        return AgentResult()


def test_repository_gone_at_export_is_the_agents_failure(tmp_path: Path) -> None:
    missing = SandboxFileNotFound(f"{REPO} does not exist in sandbox")
    result = agent_trial(tmp_path, Nop, export_error=missing).run()
    assert result.failure_class is FailureClass.agent_error and not result.retryable


def test_sandbox_stopped_by_the_agent_is_the_agents_failure(tmp_path: Path) -> None:
    trial = agent_trial(tmp_path, Nop, export_error=SandboxUnavailable("container is gone"))
    trial.sandbox.state = "exited"  # type: ignore[attr-defined]
    result = trial.run()
    assert result.failure_class is FailureClass.agent_error and not result.retryable


def test_disk_budget_violation_is_the_agents_failure(tmp_path: Path) -> None:
    trial = agent_trial(tmp_path, Nop)
    trial.sandbox.violation = "the sandbox wrote more than 2048 MB"  # type: ignore[attr-defined]
    result = trial.run()
    assert result.failure_class is FailureClass.agent_error and not result.resolved
    assert "2048 MB" in (result.error or "")


def test_guarded_sandbox_clips_execs_and_refuses_after_stop(tmp_path: Path) -> None:
    from abcbench.agents.guard import AgentStopped, GuardedSandbox
    from tests.unit.trial_fakes import FakeSandbox

    stop = threading.Event()
    guard = GuardedSandbox(FakeSandbox(tmp_path), stop, time.monotonic() + 0.5)
    assert not any(hasattr(guard, name) for name in ("status", "stop_processes", "container"))
    started = time.monotonic()
    assert guard.exec("sleep 5", timeout=60).timed_out
    assert time.monotonic() - started < 2
    stop.set()
    with pytest.raises(AgentStopped):
        guard.write_file("/app/repo/x", "late")
