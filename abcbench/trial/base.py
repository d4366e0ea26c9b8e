"""What every trial shares: its spec, the result written in `finally`, phase timings, the
agent run under its budget, and the verdict on the tests (ARCHITECTURE.md section 2).

The kinds of trial (native, Terminal-Bench, re-grade) subclass `Trial` in this package.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.grading.verdict import all_passed, count_passed
from abcbench.hashing import hash_parts
from abcbench.images.manager import ImageManager
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Stage,
    TestResult,
    TrialResult,
    utcnow,
)
from abcbench.results.store import RunDir
from abcbench.sandbox import labels as L
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.lifecycle import (
    cleanup,
    safe_name,
)
from abcbench.tasks.model import Task

AGENT_GRACE_SEC = 30

PhaseCallback = Callable[[str, str], None]
"""Receives (trial name, phase) as a trial moves on; the live view uses it."""
GIT_IDENTITY = ["-c", "user.name=abcbench", "-c", "user.email=abcbench@localhost"]


@dataclass(frozen=True)
class TrialSpec:
    run_id: str
    task: Task
    attempt: int
    agent_cls: type[Agent]
    agent_info: AgentInfo
    agent_env: dict[str, str] = field(default_factory=dict, repr=False)
    agent_timeout_sec: float | None = None
    test_timeout_sec: float | None = None
    regrade_from: Path | None = None
    """A finished trial's folder: deploy and test its submission again, without the agent."""

    @property
    def name(self) -> str:
        return trial_name(self.task.id, self.attempt)


def trial_name(task_id: str, attempt: int) -> str:
    return f"{task_id}__{attempt}"


class TrialFailed(Exception):
    """Ends the trial early with a failure class; not an error of the harness."""

    def __init__(self, failure: FailureClass, message: str) -> None:
        super().__init__(message)
        self.failure = failure


class Trial:
    """What every trial shares: the result, phase timings, the agent run, record-and-clean."""

    def __init__(self, spec: TrialSpec, run_dir: RunDir, images: ImageManager,
                 on_phase: PhaseCallback | None = None,
                 cancelled: threading.Event | None = None) -> None:
        self.spec = spec
        #: Set when the run is stopping: the trial winds down and writes no result.
        self.cancelled = cancelled or threading.Event()
        self.task = spec.task
        self.run_dir = run_dir
        self.images = images
        self.dir = run_dir.trial_dir(spec.name)
        self.logs = self.dir / "logs"
        self.key = hash_parts(spec.run_id, spec.name)[:10]
        self.labels = L.managed(run=spec.run_id, trial=self.key)
        self.on_phase = on_phase or (lambda _trial, _phase: None)
        self.result = TrialResult(
            run_id=spec.run_id,
            trial_name=spec.name,
            task_id=self.task.id,
            task_hash=self.task.content_hash,
            attempt=spec.attempt,
            agent=spec.agent_info,
            language=self.task.language,
            framework=self.task.framework,
            task_type=self.task.task_type,
            category=self.task.category,
        )

    # -- helpers ---------------------------------------------------------------------------

    def _name(self, role: str) -> str:
        return safe_name("abcbench", self.key, self.task.id[:40], role)

    @contextlib.contextmanager
    def _phase(self, stage: Stage) -> Iterator[None]:
        self.result.stage_reached = stage
        self.on_phase(self.spec.name, stage.value)
        started = time.monotonic()
        try:
            yield
        finally:
            self.result.timings[stage.value] = round(time.monotonic() - started, 3)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.dir).as_posix()

    def _fail_first(self, failure: FailureClass, message: str) -> None:
        """Record a failure unless an earlier stage already failed (the first cause wins)."""
        if self.result.failure_class is None:
            self.result.failure_class = failure
            self.result.error = message

    # -- the protocol ----------------------------------------------------------------------

    def run(self, retries: int = 0, previous_errors: list[str] | None = None) -> TrialResult:
        """Every phase, then the result file (unless the run is being stopped)."""
        self.result.retries = retries
        self.result.previous_errors = list(previous_errors or [])
        if self.dir.exists():
            shutil.rmtree(self.dir)  # a half trial from an interrupted run starts over
        self.logs.mkdir(parents=True)
        started = time.monotonic()
        try:
            self._execute()
        except TrialFailed as exc:
            self._fail_first(exc.failure, str(exc))
        except Exception as exc:  # any harness fault is recorded, never lost
            self._harness_fault(exc)
        finally:
            try:
                self._collect_and_clean()
            except Exception as exc:  # e.g. a full disk while saving the service log
                self._harness_fault(exc)
            finally:
                self._finish(started)
        return self.result

    def _harness_fault(self, exc: Exception) -> None:
        """An infrastructure failure (the run retries it), its traceback kept if the disk allows."""
        with contextlib.suppress(OSError), \
                (self.logs / "harness-error.log").open("a", encoding="utf-8") as log:
            log.write(traceback.format_exc())
        self.result.failure_class = FailureClass.infrastructure
        self.result.error = f"{exc.__class__.__name__}: {exc}"

    def _finish(self, started: float) -> None:
        # The submission is judged, not the agent's exit: an agent error after a correct
        # fix still resolves. Overrunning the budget never does.
        self.result.resolved = (
            all_passed(self.result.tests)
            and not self.result.agent_timed_out
            and self.result.failure_class in (None, FailureClass.agent_error)
        )
        if self.result.resolved:
            self.result.failure_class = None
        self.result.timings["total"] = round(time.monotonic() - started, 3)
        self.result.finished_at = utcnow()
        if not self.cancelled.is_set():  # an interrupted trial has no verdict: resume reruns it
            self.run_dir.write_result(self.result)

    def _execute(self) -> None:
        """The phases of this kind of trial; raise TrialFailed to stop with a verdict."""
        raise NotImplementedError

    def _collect_and_clean(self) -> None:
        """Save the logs still held by containers, then remove everything of the trial."""
        cleanup(run=self.spec.run_id, trial=self.key)

    def _record_tests(self, tests: list[TestResult]) -> None:
        self.result.tests = tests
        self.result.n_tests = len(tests)
        self.result.n_passed = count_passed(tests)

    def _judge_tests(self, tests: list[TestResult], timed_out: bool, timeout: float,
                     exit_code: int) -> None:
        self._record_tests(tests)
        if timed_out:
            raise TrialFailed(FailureClass.test_timeout,
                              f"the tests did not finish within {timeout:.0f}s")
        if not tests:
            raise TrialFailed(FailureClass.no_tests,
                              f"no test outcome could be read (test command exit {exit_code})")
        if not all_passed(tests):
            failed = self.result.n_tests - self.result.n_passed
            raise TrialFailed(FailureClass.tests_failed,
                              f"{failed} of {self.result.n_tests} test(s) did not pass")
        self.result.stage_reached = Stage.done


    def _run_agent(self, sandbox: DockerContainer, repo_dir: str) -> None:
        budget = self.spec.agent_timeout_sec or self.task.agent_timeout_sec
        agent_logs = self.dir / "agent"
        agent_logs.mkdir(parents=True, exist_ok=True)
        self.result.logs.agent = self._rel(agent_logs)
        agent = self.spec.agent_cls(model=self.spec.agent_info.model, env=self.spec.agent_env,
                                    **self.spec.agent_info.kwargs)
        ctx = AgentContext(
            instruction=self.task.instruction,
            sandbox=sandbox,
            repo_dir=repo_dir,
            time_budget_sec=budget,
            logs_dir=agent_logs,
            task=self.task,
        )
        outcome: dict[str, AgentResult | BaseException] = {}

        def work() -> None:
            try:
                agent.setup(ctx)
                outcome["result"] = agent.run(ctx)
            except BaseException as exc:
                outcome["error"] = exc
                (agent_logs / "agent-error.log").write_text(traceback.format_exc(),
                                                           encoding="utf-8")

        worker = threading.Thread(target=work, name=f"agent-{self.spec.name}", daemon=True)
        worker.start()
        deadline = time.monotonic() + budget + AGENT_GRACE_SEC
        while worker.is_alive() and time.monotonic() < deadline:
            if self.cancelled.is_set():
                raise TrialFailed(FailureClass.infrastructure, "the run was stopped")
            worker.join(min(1.0, max(deadline - time.monotonic(), 0.0)))
        if worker.is_alive() or ctx.remaining_sec() < -AGENT_GRACE_SEC:
            self.result.agent_timed_out = True
            self._fail_first(FailureClass.agent_timeout,
                             f"the agent did not finish within its {budget:.0f}s budget")
            return
        result = outcome.get("result")
        if isinstance(result, AgentResult):
            self.result.usage = result.usage
            if result.trajectory_file:
                self.result.logs.trajectory = result.trajectory_file
            if result.exit_status == "budget":
                self.result.agent_timed_out = True
                self._fail_first(FailureClass.agent_timeout,
                                 result.message or "the agent ran out of its time budget")
            elif result.exit_status == "error":
                self._fail_first(FailureClass.agent_error, result.message or "agent error")
        else:
            error = outcome.get("error")
            self._fail_first(FailureClass.agent_error,
                             f"the agent raised {error.__class__.__name__}: {error}")
