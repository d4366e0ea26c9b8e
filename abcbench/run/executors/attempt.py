"""One attempt at a trial, as every executor runs it, and the result of an attempt that
never reached the trial code (a lost node, a node that could not get the task's files)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from abcbench.images.manager import ImageManager
from abcbench.policy import FaultFacts, classify
from abcbench.results.models import Fault, Stage, TrialResult, utcnow
from abcbench.results.store import RunDir
from abcbench.trial import PhaseCallback, TrialSpec, make_trial


class NodeRunDir(RunDir):
    """A run folder whose results name the Docker host that produced them."""

    def __init__(self, path: Path, node: str) -> None:
        super().__init__(path)
        self.node = node

    def write_result(self, result: TrialResult) -> None:
        result.node = self.node
        super().write_result(result)


def run_attempt(spec: TrialSpec, run_dir: NodeRunDir, images: ImageManager, retry: int,
                causes: Sequence[Fault], on_phase: PhaseCallback | None,
                cancelled: threading.Event) -> TrialResult:
    """The trial code, unchanged: every phase, then `result.json` (unless cancelled)."""
    trial = make_trial(spec, run_dir, images, on_phase=on_phase, cancelled=cancelled)
    result = trial.run(retries=retry, retry_causes=causes)
    result.node = run_dir.node
    return result


def fault_result(spec: TrialSpec, exc: BaseException, stage: Stage, *, retry: int,
                 causes: Sequence[Fault], node: str | None) -> TrialResult | None:
    """The result of an attempt that ended outside the trial code, as the error policy
    classifies `exc`; None when the policy says the run is stopping (no result)."""
    decision = classify(FaultFacts(exc, stage))
    if decision.failure is None:
        return None
    task = spec.task
    fault = Fault(stage=stage, error=decision.message, rule=decision.rule,
                  failure_class=decision.failure, retryable=decision.retryable)
    return TrialResult(
        run_id=spec.run_id, trial_name=spec.name, task_id=task.id, task_hash=task.content_hash,
        attempt=spec.attempt, agent=spec.agent_info, language=task.language,
        framework=task.framework, task_type=task.task_type, category=task.category,
        failure_class=decision.failure, stage_reached=stage, error=decision.message,
        finished_at=utcnow(), retries=retry, previous_errors=[c.error for c in causes],
        retryable=decision.retryable, failure_rule=decision.rule, faults=[fault],
        retry_causes=list(causes), node=node,
    )
