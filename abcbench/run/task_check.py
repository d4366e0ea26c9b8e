"""`abcbench tasks check`: proves a task solvable and meaningful, in up to three legs.

1. **reference**: the oracle's solution passes, N times in a row (solvable, not flaky);
2. **untouched**: the starting state the agent gets fails, N times (something to do);
3. **masked_with_environment** (environment tasks only): the masked code with the reference's
   environment files fails, N times. The untouched repository of an environment task has no
   Dockerfile and always fails at the build, so only this leg shows that the tests exercise the
   masked code (for logic tasks leg 2 already runs with the environment restored).

Static checks come first (`lint_task` plus the authoring checks below); a task that fails them
runs no leg. Each leg is one ordinary run through `Runner`, so its folder has the usual
`run.json` and trial results.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from abcbench.agents.base import Agent
from abcbench.agents.nop import NopAgent
from abcbench.agents.oracle import OracleAgent
from abcbench.images.recipe import DEBIAN_PACKAGE
from abcbench.results.models import AgentInfo, TestOutcome, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.check_agents import ReferenceEnvironmentAgent
from abcbench.run.runner import RunEvents, Runner, RunRequest, new_run_id
from abcbench.tasks.lint import lint_task
from abcbench.tasks.model import Task, TaskFormat
from abcbench.tasks.scaffold import instruction_is_template
from abcbench.tasks.spec import TaskType


@dataclass(frozen=True)
class LegPlan:
    name: str
    agent_cls: type[Agent]
    must_resolve: bool
    what: str
    applies: Callable[[Task], bool]


def _is_native_environment(task: Task) -> bool:
    return task.format is TaskFormat.native and task.spec.task_type is TaskType.environment


LEGS: tuple[LegPlan, ...] = (
    LegPlan("reference", OracleAgent, True, "reference solution", lambda _t: True),
    LegPlan("untouched", NopAgent, False, "untouched repository", lambda _t: True),
    LegPlan("masked_with_environment", ReferenceEnvironmentAgent, False,
            "masked code with the reference environment files", _is_native_environment),
)


class LegFailure(BaseModel):
    attempt: int
    failure_class: str | None = None
    first_failing_test: str | None = None
    error: str | None = None

    def describe(self) -> str:
        parts = [f"attempt {self.attempt}: {self.failure_class or 'unresolved'}"]
        if self.first_failing_test:
            parts.append(f"first failing test {self.first_failing_test}")
        if self.error:
            parts.append(self.error.splitlines()[0][:200])
        return ", ".join(parts)


class LegResult(BaseModel):
    name: str
    agent: str
    must_resolve: bool
    run_dir: str | None = None
    runs: int = 0
    resolved: int = 0
    failures: list[LegFailure] = Field(default_factory=list)


class TaskCheck(BaseModel):
    task_id: str
    ok: bool = False
    static_problems: list[str] = Field(default_factory=list)
    repeat: int = 0
    oracle_resolved: int | None = Field(default=None, description="None: not run.")
    nop_resolved: int | None = Field(default=None, description="None: not run.")
    masked_env_resolved: int | None = Field(
        default=None, description="None: not run (static only, or not an environment task).")
    legs: list[LegResult] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


def authoring_problems(task: Task) -> list[str]:
    """Static faults of a native task that the loader and `lint_task` (shared with `abcbench
    run`: paths, environment_files, the Dockerfile) do not look for."""
    if task.format is not TaskFormat.native:
        return []
    spec = task.spec
    problems: list[str] = []
    for field, packages in (("sandbox", spec.sandbox.extra_packages),
                            ("service", spec.service.extra_packages)):
        problems += [f"{field}.extra_packages entry {p!r} is not a Debian package name"
                     for p in packages if not DEBIAN_PACKAGE.match(p)]
    if instruction_is_template(task.instruction):
        problems.append(f"{spec.instruction_file or 'the instruction'} is still the template "
                        "of `tasks new`: describe the service and each masked endpoint "
                        "(method, path, body, answers)")
    from abcbench.tasks.mask_task import mask_drift  # imports the tree-sitter grammars

    return problems + mask_drift(task)


def check_tasks(tasks: list[Task], tasks_dir: Path, output: Path, repeat: int,
                n_concurrent: int, events: RunEvents | None = None,
                static_only: bool = False, run_prefix: str | None = None) -> list[TaskCheck]:
    """Check each task; `run_prefix` names the legs' runs `<prefix>-<leg>` (default: dated)."""
    checks = {t.id: TaskCheck(task_id=t.id, repeat=repeat,
                              static_problems=lint_task(t) + authoring_problems(t))
              for t in tasks}
    runnable = [t for t in tasks if not checks[t.id].static_problems]
    if events is not None:  # the caller's progress total spans every leg: keep it
        events = dataclasses.replace(events, on_plan=lambda _total, _done: None)
    if runnable and not static_only:
        legs = [LegRun(plan, [t for t in runnable if plan.applies(t)],
                       f"{run_prefix}-{plan.name}" if run_prefix
                       else new_run_id(f"check-{plan.name}")) for plan in LEGS]
        legs = [leg for leg in legs if leg.tasks]
        results = run_legs(legs, tasks_dir, output, repeat, n_concurrent, events)
        for leg in legs:
            for task in leg.tasks:
                checks[task.id].legs.append(_leg_result(
                    leg.plan, output / leg.run_id,
                    [r for r in results[leg.run_id] if r.task_id == task.id]))
    for task in tasks:
        _judge(checks[task.id], static_only)
        checks[task.id].problems += _build_problems(task, checks[task.id])
        checks[task.id].ok = not checks[task.id].problems
    return [checks[t.id] for t in tasks]


def _build_problems(task: Task, check: TaskCheck) -> list[str]:
    """The masked code must build and start, so that the failing legs fail on the tests (not
    on the compiler or at start-up), unless the task says `mask.must_build: false`."""
    if task.format is not TaskFormat.native or not task.spec.repository.mask.must_build:
        return []
    with_environment = "masked_with_environment" if _is_native_environment(task) \
        else "untouched"
    leg = next((leg for leg in check.legs if leg.name == with_environment), None)
    failures = leg.failures if leg else []
    broken = [f for f in failures if f.failure_class == "build_failed"]
    if broken:
        return [f"the masked repository does not build ({broken[0].describe()}), so the "
                f"{with_environment} leg fails on the build, not on the tests: make the stubs "
                "compile, or set repository.mask.must_build: false"]
    down = [f for f in failures if f.failure_class == "service_did_not_start"]
    if down:
        return [f"the masked service does not start ({down[0].describe()}), so the "
                f"{with_environment} leg fails before any test runs: a stub in start-up code "
                "(a handler factory, a constructor, route registration) must move into the "
                "handler it returns (`tasks mask` does this for factories it finds), or set "
                "repository.mask.must_build: false"]
    return []


def _leg_result(plan: LegPlan, run_dir: Path, results: list[TrialResult]) -> LegResult:
    return LegResult(
        name=plan.name, agent=plan.agent_cls.name, must_resolve=plan.must_resolve,
        run_dir=str(run_dir), runs=len(results), resolved=sum(r.resolved for r in results),
        failures=[_failure(r) for r in sorted(results, key=lambda r: r.attempt)
                  if not r.resolved])


def _failure(result: TrialResult) -> LegFailure:
    first = next((t.name for t in result.tests if t.outcome is not TestOutcome.passed), None)
    return LegFailure(attempt=result.attempt,
                      failure_class=result.failure_class.value if result.failure_class else None,
                      first_failing_test=first, error=result.error)


def _judge(check: TaskCheck, static_only: bool) -> None:
    check.problems = list(check.static_problems)
    legs = {leg.name: leg for leg in check.legs}
    for plan in LEGS:
        leg = legs.get(plan.name)
        if leg is None:
            continue
        setattr(check, _COUNTERS[plan.name], leg.resolved)
        if plan.must_resolve and leg.resolved < check.repeat:
            details = "; ".join(f.describe() for f in leg.failures[:2])
            check.problems.append(
                f"the {plan.what} resolved {leg.resolved}/{check.repeat} times (unsolvable or "
                f"flaky): {details} (run folder {leg.run_dir})")
        elif not plan.must_resolve and leg.resolved:
            check.problems.append(
                f"the {plan.what} resolved {leg.resolved}/{check.repeat} times: the tests do not "
                f"test the masked code (run folder {leg.run_dir})")
        elif not plan.must_resolve:
            # A failure of the agent or of the harness says nothing about the tests.
            void = [f for f in leg.failures if f.failure_class in _INCONCLUSIVE]
            if void:
                check.problems.append(
                    f"the {plan.what} could not be judged ({void[0].describe()}): see the trial's "
                    f"agent/ and logs/ (run folder {leg.run_dir})")
    if not static_only and not check.static_problems and not check.legs:
        check.problems.append("no leg ran")
    check.ok = not check.problems


_INCONCLUSIVE = frozenset({"agent_error", "agent_timeout", "infrastructure"})
_COUNTERS = {"reference": "oracle_resolved", "untouched": "nop_resolved",
             "masked_with_environment": "masked_env_resolved"}


@dataclass(frozen=True)
class LegRun:
    plan: LegPlan
    tasks: list[Task]
    run_id: str


def run_legs(legs: list[LegRun], tasks_dir: Path, output: Path, repeat: int,
             n_concurrent: int, events: RunEvents | None) -> dict[str, list[TrialResult]]:
    """The legs' results by run id. With `n_concurrent` of 2 or more the legs run side by
    side and share it (at most `n_concurrent` trials at once), so no leg waits for the slowest
    trial of the one before: a one-task check with `-n 3` takes about one trial's time."""
    workers = max(1, min(n_concurrent, len(legs)))
    if workers == 1:
        return {leg.run_id: run_leg(leg.plan.agent_cls, leg.tasks, tasks_dir, output,
                                    leg.run_id, repeat, n_concurrent, events) for leg in legs}
    share = max(1, n_concurrent // workers)
    cancelled = threading.Event()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="check-leg")
    futures = {pool.submit(run_leg, leg.plan.agent_cls, leg.tasks, tasks_dir, output,
                           leg.run_id, repeat, share, events, cancelled): leg.run_id
               for leg in legs}
    results: dict[str, list[TrialResult]] = {}
    pending = set(futures)
    try:
        while pending:  # wake up each second, so that Ctrl-C reaches this thread
            done, pending = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
            for future in done:
                results[futures[future]] = future.result()
    except BaseException:  # Ctrl-C or a failed leg: every leg stops, as one run's trials do
        cancelled.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return {leg.run_id: results[leg.run_id] for leg in legs}


def run_leg(agent_cls: type[Agent], tasks: list[Task], tasks_dir: Path, output: Path,
            run_id: str, repeat: int, n_concurrent: int, events: RunEvents | None,
            cancelled: threading.Event | None = None) -> list[TrialResult]:
    """One leg is one ordinary run of the normal runner (stopped with the others through
    `cancelled`)."""
    request = RunRequest(tasks=tasks, agent_cls=agent_cls,
                         agent_info=AgentInfo(name=agent_cls.name), output_dir=output,
                         tasks_dir=tasks_dir, run_id=run_id, n_attempts=repeat,
                         n_concurrent=n_concurrent)
    runner = Runner(request, events)
    if cancelled is not None:
        runner.cancelled = cancelled  # the trials watch it; the local executor needs no more
    runner.execute()
    return RunDir(output / run_id).results()


def n_trials(tasks: list[Task], repeat: int) -> int:
    """How many trials a check of `tasks` runs (for a progress bar)."""
    return sum(plan.applies(t) for plan in LEGS for t in tasks) * repeat
