"""Trials a grade run cannot re-test, recorded rather than dropped.

`abcbench grade` plans every trial of the source run: one that left nothing to deploy still
counts, as unresolved, with the reason. Its failure class is the source trial's own when it
recorded one (the agent's error, its timeout, an infrastructure fault: whatever kept it from
leaving a submission); otherwise `no_tests`, since no test could run (a Terminal-Bench trial,
whose work lived in containers removed with it, or a source trial without a readable result).
"""

from __future__ import annotations

from pydantic import ValidationError

from abcbench.policy import not_regradable
from abcbench.results.models import Stage, TrialResult, utcnow
from abcbench.results.store import RESULT_FILE
from abcbench.tasks.model import TaskFormat
from abcbench.trial.base import TrialSpec

NOT_GRADED = "not re-graded"


def ungradable_result(spec: TrialSpec) -> TrialResult | None:
    """The unresolved result of a re-grade spec that has nothing to re-test, or None when it
    can be re-graded."""
    source = spec.regrade_from
    assert source is not None
    original: TrialResult | None = None
    why_source = ""
    try:
        original = TrialResult.model_validate_json(
            (source / RESULT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        why_source = "the source trial has no result (it never finished)"
    except (OSError, UnicodeDecodeError, ValidationError):
        why_source = f"the source trial's {RESULT_FILE} cannot be read"
    if spec.task.format is TaskFormat.terminal_bench:
        decision, reason = not_regradable(None), (
            "Terminal-Bench trials keep no submission (the agent worked in the task's own "
            "containers, removed with the trial)")
    elif original is None:
        decision, reason = not_regradable(None), f"no submission: {why_source}"
    elif not (source / "submission").is_dir():
        decision = not_regradable(original.failure_class)
        ended = (f"it ended in {original.failure_class.value}: {original.error}"
                 if original.failure_class else "its submission folder is gone")
        reason = f"no submission: the source trial left none ({ended})"
    else:
        return None
    task = spec.task
    result = TrialResult(
        run_id=spec.run_id, trial_name=spec.name, task_id=task.id, task_hash=task.content_hash,
        attempt=spec.attempt, agent=spec.agent_info, language=task.language,
        framework=task.framework, task_type=task.task_type, category=task.category,
        failure_class=decision.failure, stage_reached=Stage.setup,
        error=f"{NOT_GRADED}: {reason}", finished_at=utcnow(), retryable=decision.retryable,
        failure_rule=decision.rule,
    )
    if original is not None:
        result.usage = original.usage
        result.agent_timed_out = original.agent_timed_out
    return result
