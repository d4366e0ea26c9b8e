"""Filter: the three-leg check repeated N times, then one leg per masked handler.

The three legs (`abcbench tasks check`) prove the task solvable (reference N/N) and meaningful
(untouched and masked + environment fail N/N). On top, read from the legs' typed results:
- a failing leg must fail on the tests: a build failure or a service that does not start with
  the stubs is a rejection, not a pass;
- the same tests must fail in every repeat (deterministic);
- each masked handler alone must make some test fail: a variant task masking only that handler
  runs the untouched leg once; if it resolves, no test exercises the handler.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from docker.errors import APIError, ImageNotFound
from pydantic import BaseModel, Field

from abcbench.agents.base import Agent
from abcbench.agents.nop import NopAgent
from abcbench.errors import UserError
from abcbench.grading import build_cache
from abcbench.results.models import FailureClass, TestOutcome, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.check_agents import ReferenceEnvironmentAgent
from abcbench.run.runner import RunEvents
from abcbench.run.task_check import TaskCheck, check_tasks, run_leg
from abcbench.sandbox.client import docker_client
from abcbench.synthesis.candidate import Handler
from abcbench.synthesis.reasons import Reason, Rejected, Rejection
from abcbench.tasks.loader import load_task
from abcbench.tasks.mask_task import apply_selection
from abcbench.tasks.model import Task
from abcbench.tasks.spec import TaskType

INCONCLUSIVE = frozenset({FailureClass.agent_error, FailureClass.agent_timeout,
                          FailureClass.infrastructure})


class HandlerLeg(BaseModel):
    """Masking one handler alone: did some test fail?"""

    handler: str
    variant: str | None = Field(default=None, description="The transient task that masked it.")
    resolved: bool
    failure_class: str | None = None
    failing_tests: list[str] = Field(default_factory=list)


class FilterResult(BaseModel):
    check: TaskCheck
    handlers: list[HandlerLeg] = Field(default_factory=list)
    rejections: list[Rejection] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections


def _failing(result: TrialResult) -> list[str]:
    return sorted(t.name for t in result.tests if t.outcome is not TestOutcome.passed)


def _leg_results(run_dir: str | None, task_id: str) -> list[TrialResult]:
    if run_dir is None or not Path(run_dir).is_dir():
        return []
    return [r for r in RunDir(Path(run_dir)).results() if r.task_id == task_id]


def judge_check(check: TaskCheck) -> list[Rejection]:
    """Rejections from a three-leg check, decided from its legs' counts and failure classes."""
    if check.static_problems:
        return [Rejection(reason=Reason.static_check, detail=p) for p in check.static_problems]
    out: list[Rejection] = []
    for leg in check.legs:
        results = _leg_results(leg.run_dir, check.task_id)
        if leg.must_resolve:
            if leg.resolved < check.repeat:
                out.append(Rejection(reason=Reason.reference_fails, detail="; ".join(
                    f.describe() for f in leg.failures[:2]) + f" (run folder {leg.run_dir})"))
            continue
        classes = {f.failure_class for f in leg.failures}
        if leg.resolved:
            out.append(Rejection(reason=Reason.tests_do_not_fail, detail=(
                f"the {leg.name} leg resolved {leg.resolved}/{check.repeat} times (run folder "
                f"{leg.run_dir})")))
        elif classes & {c.value for c in INCONCLUSIVE}:
            out.append(Rejection(reason=Reason.inconclusive, detail=leg.failures[0].describe()))
        elif FailureClass.build_failed.value in classes:
            out.append(Rejection(reason=Reason.masked_does_not_build,
                                 detail=leg.failures[0].describe()))
        elif FailureClass.service_did_not_start.value in classes:
            out.append(Rejection(reason=Reason.mask_breaks_startup, detail=(
                f"the {leg.name} leg fails because the service does not start, not on the "
                f"tests: {leg.failures[0].describe()}")))
        elif len({tuple(_failing(r)) for r in results}) > 1:
            out.append(Rejection(reason=Reason.nondeterministic, detail=(
                f"the {leg.name} leg failed different tests across its {len(results)} runs: "
                + " | ".join(",".join(_failing(r)) for r in results))))
    return out


def _variant(task: Task, handler: Handler, index: int) -> Task:
    """A copy of the task (same reference) whose overlay masks only `handler`."""
    # A name of its own (the build cache is keyed by task id), removed with its cache below.
    variant_dir = task.directory.parent / f"{task.id}--handler-{index}-{secrets.token_hex(3)}"
    shutil.rmtree(variant_dir, ignore_errors=True)
    shutil.copytree(task.directory, variant_dir, symlinks=True)
    spec_file = variant_dir / "task.yaml"
    data = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    data["id"] = variant_dir.name
    spec_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
    variant = load_task(variant_dir)
    apply_selection(variant, [handler.selector] if handler.kind == "function" else [],
                    [handler.selector] if handler.kind == "route" else [])
    return load_task(variant_dir)


def remove_task_cache(task_id: str) -> int:
    """Untag the reference layers (`abcbench-cache/...`) the builds of a transient task made:
    no later build can reuse them."""
    api = docker_client().api
    removed = 0
    for image in api.images(filters={"label": build_cache.selector(task_id)}):
        for ref in image.get("RepoTags") or []:
            with contextlib.suppress(ImageNotFound, APIError):
                api.remove_image(ref, force=False, noprune=False)
                removed += 1
    return removed


def handler_legs(task: Task, handlers: list[Handler], output: Path, run_id: str,
                 n_concurrent: int, events: RunEvents | None) -> list[HandlerLeg]:
    """One untouched-leg trial per handler, each with only that handler masked."""
    variants: list[Task] = []
    try:
        for i, handler in enumerate(handlers, 1):
            variants.append(_variant(task, handler, i))
    except UserError as exc:  # the whole selection applied, so one of its parts should too
        for v in variants:
            shutil.rmtree(v.directory, ignore_errors=True)
        raise Rejected(Reason.build_refused, f"masking one handler alone: {exc}") from None
    agent: type[Agent] = ReferenceEnvironmentAgent \
        if task.spec.task_type is TaskType.environment else NopAgent
    try:
        results = run_leg(agent, variants, task.directory.parent, output, run_id, 1,
                          n_concurrent, events)
    finally:
        for v in variants:
            shutil.rmtree(v.directory, ignore_errors=True)
            remove_task_cache(v.id)
    by_task = {r.task_id: r for r in results}
    legs = []
    for handler, variant in zip(handlers, variants, strict=True):
        r = by_task.get(variant.id)
        legs.append(HandlerLeg(
            handler=handler.selector, variant=variant.id, resolved=bool(r and r.resolved),
            failure_class=r.failure_class.value if r and r.failure_class else
            (None if r else FailureClass.infrastructure.value),
            failing_tests=_failing(r) if r else []))
    return legs


def judge_handlers(legs: list[HandlerLeg]) -> list[Rejection]:
    out = []
    for leg in legs:
        if leg.resolved:
            out.append(Rejection(reason=Reason.handler_not_exercised, detail=(
                f"with only {leg.handler} masked every test passes: no test exercises it")))
        elif leg.failure_class in {c.value for c in INCONCLUSIVE}:
            out.append(Rejection(reason=Reason.inconclusive,
                                 detail=f"{leg.handler}: {leg.failure_class}"))
        elif leg.failure_class == FailureClass.build_failed.value:
            out.append(Rejection(reason=Reason.masked_does_not_build,
                                 detail=f"with only {leg.handler} masked the code does not build"))
        elif leg.failure_class == FailureClass.service_did_not_start.value:
            out.append(Rejection(reason=Reason.mask_breaks_startup, detail=(
                f"with only {leg.handler} masked the service does not start")))
    return out


def filter_task(task: Task, handlers: list[Handler], output: Path, repeat: int,
                n_concurrent: int, run_prefix: str, events: RunEvents | None = None,
                notify: Callable[[str], None] = lambda _m: None) -> FilterResult:
    """The three-leg check, then (when more than one handler is masked) one leg per handler."""
    notify(f"three-leg check of {task.id} (x{repeat})")
    [check] = check_tasks([task], task.directory.parent, output, repeat, n_concurrent, events,
                          run_prefix=f"{run_prefix}-check")
    result = FilterResult(check=check, rejections=judge_check(check))
    if result.rejections or len(handlers) < 2:
        return result  # one handler: the untouched leg already masked exactly it
    notify(f"one leg per masked handler of {task.id} ({len(handlers)})")
    result.handlers = handler_legs(task, handlers, output, f"{run_prefix}-handlers", n_concurrent,
                                   events)
    result.rejections += judge_handlers(result.handlers)
    return result
