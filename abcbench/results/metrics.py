"""Numbers over trial results: the run summary, pass@k, standard errors, breakdowns.

Average pass@1 is the mean over all task x attempt trials, as the published tables report it.
Its standard error is clustered by task (the attempts of one task are not independent): the
standard deviation of the per-task pass rates over the square root of the number of tasks.
Planned trials without a result count as unresolved: nothing leaves the denominator.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable

from pydantic import BaseModel, Field

from abcbench.results.models import FailureClass, RunSummary, Stage, TrialResult, Usage


def summarize(results: Iterable[TrialResult], n_planned: int | None = None, *,
              planned: Collection[str] | None = None,
              unreadable: Collection[str] = ()) -> RunSummary:
    """Accuracy = resolved / planned trials: a trial without a (readable) result counts as
    unresolved. Given the `planned` trial names, exactly those count, as in the report."""
    results = list(results)
    if planned is not None:
        results = [r for r in results if r.trial_name in planned]
        unreadable = [name for name in unreadable if name in planned]
        n_planned = len(planned)
    n_trials = max(n_planned or 0, len(results))
    n_resolved = sum(r.resolved for r in results)
    usage = Usage()
    for r in results:
        usage = usage + r.usage
    failures = Counter(r.failure_class.value for r in results if r.failure_class is not None)
    n_infra = failures.get(FailureClass.infrastructure.value, 0)
    return RunSummary(
        n_trials=n_trials,
        n_resolved=n_resolved,
        accuracy=round(n_resolved / n_trials, 6) if n_trials else 0.0,
        n_infrastructure_errors=n_infra,
        usage=usage,
        failure_classes=dict(sorted(failures.items())),
        infrastructure_rate=round(n_infra / n_trials, 6) if n_trials else 0.0,
        n_unreadable=len(unreadable),
    )


DEFAULT_MAX_INFRA_RATE = 0.1


def infra_gate(summary: RunSummary, max_rate: float) -> str | None:
    """Why the run fails the infrastructure gate, or None: past `max_rate` failures of the
    harness, Docker or the model provider, the score measures them, not the agent."""
    if summary.infrastructure_rate <= max_rate:
        return None
    return (f"{summary.n_infrastructure_errors} of {summary.n_trials} trials "
            f"({100 * summary.infrastructure_rate:.1f}%) ended in an infrastructure failure, "
            f"over --max-infra-rate {max_rate:g}: the score is not the agent's; see their "
            "logs/harness-error.log, fix the cause and run again")


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k of one task with `c` of `n` attempts correct (Chen et al., 2021)."""
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} attempts, got {n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def clustered_se(per_task_rates: list[float]) -> float:
    """Standard error of the mean of per-task pass rates (0 with fewer than two tasks)."""
    m = len(per_task_rates)
    if m < 2:
        return 0.0
    mean = sum(per_task_rates) / m
    variance = sum((x - mean) ** 2 for x in per_task_rates) / (m - 1)
    return math.sqrt(variance / m)


class Score(BaseModel):
    n_tasks: int
    n_trials: int
    n_resolved: int
    pass_at_1: float
    se: float
    pass_at_k: dict[int, float] = Field(default_factory=dict)


class EnvironmentScore(BaseModel):
    """For environment tasks: S1 = build success rate, S2 = pass rate given a build."""

    n_trials: int
    n_built: int
    s1_build_rate: float
    s2_pass_given_build: float


def _by_task(results: list[TrialResult]) -> dict[str, list[bool]]:
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        outcomes[r.task_id].append(r.resolved)
    return outcomes


def score(results: list[TrialResult], n_attempts: int | None = None) -> Score:
    """pass@1 (mean over trials), its clustered SE, and unbiased pass@k for k <= attempts."""
    outcomes = _by_task(results)
    n = n_attempts or max((len(v) for v in outcomes.values()), default=0)
    # Missing attempts of a task count as failures.
    padded = {t: v + [False] * (n - len(v)) for t, v in outcomes.items()}
    n_trials = sum(len(v) for v in padded.values())
    n_resolved = sum(sum(v) for v in padded.values())
    rates = [sum(v) / len(v) for v in padded.values() if v]
    ks = {k: sum(pass_at_k(n, sum(v), k) for v in padded.values()) / len(padded)
          for k in range(1, n + 1)} if padded and n else {}
    return Score(
        n_tasks=len(padded),
        n_trials=n_trials,
        n_resolved=n_resolved,
        pass_at_1=n_resolved / n_trials if n_trials else 0.0,
        se=clustered_se(rates),
        pass_at_k=ks,
    )


def breakdown(results: list[TrialResult], key: Callable[[TrialResult], str],
              n_attempts: int | None = None) -> dict[str, Score]:
    groups: dict[str, list[TrialResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {name: score(group, n_attempts) for name, group in sorted(groups.items())}


BUILT_STAGES = {Stage.start, Stage.tests, Stage.done}


def environment_score(results: list[TrialResult]) -> EnvironmentScore | None:
    env = [r for r in results if r.task_type == "environment"]
    if not env:
        return None
    built = [r for r in env if r.stage_reached in BUILT_STAGES]
    return EnvironmentScore(
        n_trials=len(env),
        n_built=len(built),
        s1_build_rate=len(built) / len(env),
        s2_pass_given_build=sum(r.resolved for r in built) / len(built) if built else 0.0,
    )
