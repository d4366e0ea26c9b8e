"""What every trial shares: its spec, the result written in `finally`, phase timings, the
agent run under its budget, and the verdict on the tests (docs/architecture.md, "The trial").

The kinds of trial (native, Terminal-Bench, re-grade) subclass `Trial` in this package. What a
fault means (failure class, retry) is decided by the error policy (`abcbench.policy`), never here.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from abcbench import policy
from abcbench.agents.base import Agent
from abcbench.agents.registry import is_privileged
from abcbench.egress.settings import EgressMode
from abcbench.grading.verdict import all_passed, count_passed
from abcbench.hashing import hash_parts
from abcbench.images.manager import RUN_STOP, ImageManager
from abcbench.policy import AgentEnd, Decision, FaultFacts, TrialCancelled, classify
from abcbench.policy import TrialFailed as TrialFailed
from abcbench.redact import (
    add_secrets,
    redact,
    redact_model,
    redact_tree,
    secrets_in_kwargs,
)
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Fault,
    Stage,
    TestResult,
    TrialResult,
    utcnow,
)
from abcbench.results.store import RunDir
from abcbench.sandbox import labels as L
from abcbench.sandbox.base import HarnessSandbox
from abcbench.sandbox.lifecycle import release, safe_name
from abcbench.tasks.model import Task
from abcbench.trial.agent_phase import AgentPhase

PhaseCallback = Callable[[str, str], None]
"""Receives (trial name, phase) as a trial moves on; the live view uses it."""
AGENT_WORK = ("submission", "submission.diff")
"""What the agent produced, kept verbatim (the graded work a re-grade rebuilds): the sandbox
never receives a harness secret, so a secret there was written by the agent's code."""
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
    egress: EgressMode | None = None
    """The run's `--egress`: replaces the task's `sandbox.egress` (None: the task's own)."""
    egress_allow: tuple[str, ...] = ()
    """The run's `--egress-allow`: added to every archive sandbox's allow-list."""
    keep_containers: bool = False
    """`run --no-cleanup`: stop the trial's containers at its end instead of removing them, and
    keep its networks and images, for debugging (`abcbench cleanup --run RUN` removes them)."""

    @property
    def name(self) -> str:
        return trial_name(self.task.id, self.attempt)


def trial_name(task_id: str, attempt: int) -> str:
    return f"{task_id}__{attempt}"


class _FaultRecorded(Exception):
    """Ends the trial after its fault was recorded (an outage met by the agent's code)."""


class Trial:
    """What every trial shares: the result, phase timings, the agent run, record-and-clean."""

    #: Kill every process the agent left in its sandbox when its phase ends, so the export is
    #: a snapshot (a layout whose tests need what the agent started running turns it off).
    stop_agent_processes: ClassVar[bool] = True
    #: Failure classes after which the submission is still judged (`policy.replaces`).
    provisional: ClassVar[frozenset[FailureClass]] = policy.PROVISIONAL
    #: Whether the agent's setup spends its budget (Terminal-Bench's `tb run` does); natively
    #: setup has its own limit and is timed as `timings["agent_setup"]`.
    agent_setup_in_budget: ClassVar[bool] = False

    def __init__(self, spec: TrialSpec, run_dir: RunDir, images: ImageManager,
                 on_phase: PhaseCallback | None = None,
                 cancelled: threading.Event | None = None) -> None:
        self.spec = spec
        add_secrets(spec.agent_env.values())  # also in an executor that did not parse the CLI
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
        #: The agent's sandbox once it exists, and whether the agent has started: the facts
        #: the error policy needs to say whose a fault is.
        self._sandbox: HarnessSandbox | None = None
        self._agent_started = False
        self._violation: str | None = None
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
        if self.cancelled.is_set():  # a stopping run starts no further phase
            raise TrialCancelled(f"the run was stopped before the {stage.value} phase")
        self.result.stage_reached = stage
        self.on_phase(self.spec.name, stage.value)
        started = time.monotonic()
        try:
            yield
        finally:
            self.result.timings[stage.value] = round(time.monotonic() - started, 3)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.dir).as_posix()

    def _fail_first(self, failure: FailureClass, message: str, retryable: bool = False,
                    rule: str | None = None) -> None:
        """Record a failure if the error policy says it replaces the current one
        (`policy.replaces`: the first cause wins; a provisional class gives way to a later
        infrastructure fault, which is retried)."""
        if policy.replaces(self.result.failure_class, failure,
                           verdict_reached=self.result.stage_reached is Stage.done,
                           provisional=self.provisional):
            self.result.failure_class = failure
            self.result.error = message
            self.result.retryable = retryable
            self.result.failure_rule = rule

    def _decide(self, decision: Decision) -> None:
        """Record a decision of the error policy (`_fail_first` with its class and rule)."""
        assert decision.failure is not None
        self._fail_first(decision.failure, decision.message, decision.retryable, decision.rule)

    # -- the protocol ----------------------------------------------------------------------

    def run(self, retries: int = 0, retry_causes: Sequence[Fault] = ()) -> TrialResult:
        """Every phase, then the result file (unless the run is being stopped)."""
        self.result.retries = retries
        self.result.retry_causes = list(retry_causes)
        self.result.previous_errors = [cause.error for cause in retry_causes]
        if self.dir.exists():
            shutil.rmtree(self.dir)  # a half trial from an interrupted run starts over
        self.logs.mkdir(parents=True)
        started = time.monotonic()
        stop_token = RUN_STOP.set(self.cancelled)  # build-lock waits in this thread give up
        try:
            self._execute()
        except _FaultRecorded:
            pass
        except Exception as exc:  # every fault is recorded as the policy says, never lost
            self._fault(exc, self.result.stage_reached)
        finally:
            try:
                self._collect_and_clean()
            except Exception as exc:  # e.g. a full disk while saving the service log
                self._fault(exc, Stage.cleanup)
            finally:
                self._redact_records()
                self._finish(started)
                RUN_STOP.reset(stop_token)
        return self.result

    def _redact_records(self) -> None:
        """Every file of the trial folder passes `redact` (logs the agent's code printed into,
        the agent's own log folder), except the agent's work, kept as it wrote it."""
        with contextlib.suppress(OSError):
            redact_tree(self.dir, self._secrets(), keep=AGENT_WORK)

    def _secrets(self) -> list[str]:
        return [*self.spec.agent_env.values(),
                *secrets_in_kwargs(self.spec.agent_info.kwargs)]  # a Ray node's too

    def _fault(self, exc: BaseException, stage: Stage, from_agent: bool = False) -> Decision:
        """Classify a fault by the error policy and record it; a fault in cleanup, or after
        the verdict, is recorded beside the verdict and changes nothing."""
        state = None if isinstance(exc, TrialCancelled) else self._sandbox_state()
        facts = FaultFacts(exc, stage, agent_started=self._agent_started, sandbox_state=state,
                           from_agent=from_agent)
        decision = classify(facts)
        if decision.rule in ("harness_fault", "engine_error"):
            with contextlib.suppress(OSError), \
                    (self.logs / "harness-error.log").open("a", encoding="utf-8") as log:
                log.write(redact("".join(traceback.format_exception(exc)),
                                 self.spec.agent_env.values()))
        if decision.failure is None:  # the run is stopping: no verdict
            return decision
        if decision.rule != "verdict" or decision.retryable:
            self.result.faults.append(Fault(stage=stage, error=decision.message,
                                            rule=decision.rule,
                                            failure_class=decision.failure,
                                            retryable=decision.retryable))
        if stage is Stage.cleanup:
            self.result.cleanup_error = self.result.cleanup_error or decision.message
        else:
            self._fail_first(decision.failure, decision.message, decision.retryable,
                             decision.rule)
        return decision

    def _sandbox_state(self) -> str | None:
        """The agent's sandbox's state while it is in use (None before and after)."""
        if self._sandbox is None:
            return None
        try:
            return self._sandbox.status()[0]
        except Exception:  # the engine did not answer
            return "unknown"

    def _verdict(self) -> bool:
        """Whether the trial resolved. The submission is judged, not the agent's exit: an agent
        error after a correct fix still resolves. Overrunning the budget or breaking a sandbox
        limit never does."""
        return (
            all_passed(self.result.tests)
            and not self.result.agent_timed_out
            and self._violation is None
            and self.result.failure_class in (None, FailureClass.agent_error)
        )

    def _finish(self, started: float) -> None:
        self.result.resolved = self._verdict()
        if self.result.resolved:
            self.result.failure_class = None
            self.result.failure_rule = None
            self.result.retryable = False
        self.result.timings["total"] = round(time.monotonic() - started, 3)
        self.result.finished_at = utcnow()
        # What the run shows (its live view, its summary) is this object, not the file.
        self.result = redact_model(self.result, self._secrets())
        if not self.cancelled.is_set():  # an interrupted trial has no verdict: resume reruns it
            self.run_dir.write_result(self.result)

    def _execute(self) -> None:
        """The phases of this kind of trial; raise TrialFailed to stop with a verdict."""
        raise NotImplementedError

    def _collect_and_clean(self) -> None:
        """Save the logs still held by containers, then remove everything of the trial."""
        self._release()

    def _release(self, **role: str) -> None:
        """Remove the trial's containers and networks (those of one `role`), or only stop them
        when the run keeps them (`TrialSpec.keep_containers`)."""
        release(keep=self.spec.keep_containers, run=self.spec.run_id, trial=self.key, **role)

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


    def _run_agent(self, sandbox: HarnessSandbox, repo_dir: str) -> None:
        """The agent phase under its hard budget (`abcbench.trial.agent_phase`), then what its
        outcome means for the result."""
        budget = self.spec.agent_timeout_sec or self.task.agent_timeout_sec
        agent_logs = self.dir / "agent"
        self.result.logs.agent = self._rel(agent_logs)
        agent = self.spec.agent_cls(model=self.spec.agent_info.model, env=self.spec.agent_env,
                                    **self.spec.agent_info.kwargs)
        self._sandbox = sandbox
        self._agent_started = True
        outcome = AgentPhase(
            agent=agent, sandbox=sandbox, instruction=self.task.instruction, repo_dir=repo_dir,
            budget_sec=budget, logs_dir=agent_logs, cancelled=self.cancelled,
            task=self.task if is_privileged(self.spec.agent_cls) else None,
            stop_processes=self.stop_agent_processes,
            setup_in_budget=self.agent_setup_in_budget,
        ).run()
        if outcome.setup_sec is not None:
            self.result.timings["agent_setup"] = round(outcome.setup_sec, 3)
        if outcome.cancelled:
            raise TrialCancelled("the run was stopped during the agent phase")
        if outcome.setup_error is not None:  # the policy says whose: the agent's own code,
            outcome.error = outcome.setup_error  # the harness's bundle or the engine
        result = outcome.result
        if result is not None:
            self.result.usage = result.usage
            self.result.agent_exit_status = result.exit_status
            if result.trajectory_file:
                self.result.logs.trajectory = result.trajectory_file
        violation = getattr(sandbox, "violation", None)
        if violation:
            self._violation = str(violation)
        end = AgentEnd(budget_sec=budget, timed_out=outcome.timed_out, violation=self._violation,
                       sandbox_state=self._sandbox_state(),
                       exit_status=result.exit_status if result is not None else None,
                       message=result.message if result is not None else None)
        self._record_agent_end(end)
        if result is None and outcome.error is not None:
            decision = self._fault(outcome.error, Stage.agent, from_agent=True)
            if decision.retryable:  # an outage met by the agent's code: nothing to judge
                raise _FaultRecorded(decision.message)

    def _record_agent_end(self, end: AgentEnd) -> None:
        for decision in policy.agent_end(end):
            if decision.failure is FailureClass.agent_timeout:
                self.result.agent_timed_out = True
            self._decide(decision)
