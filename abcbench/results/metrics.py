"""Numbers over trial results: the run summary (and, later, pass@k and breakdowns)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from abcbench.results.models import FailureClass, RunSummary, TrialResult, Usage


def summarize(results: Iterable[TrialResult], n_planned: int | None = None) -> RunSummary:
    """Accuracy = resolved / planned trials: a trial without a result counts as unresolved."""
    results = list(results)
    n_trials = max(n_planned or 0, len(results))
    n_resolved = sum(r.resolved for r in results)
    usage = Usage()
    for r in results:
        usage = usage + r.usage
    failures = Counter(r.failure_class.value for r in results if r.failure_class is not None)
    return RunSummary(
        n_trials=n_trials,
        n_resolved=n_resolved,
        accuracy=round(n_resolved / n_trials, 6) if n_trials else 0.0,
        n_infrastructure_errors=failures.get(FailureClass.infrastructure.value, 0),
        usage=usage,
        failure_classes=dict(sorted(failures.items())),
    )
