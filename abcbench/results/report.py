"""A run's report: scores overall and by language/framework/category/type, S1/S2, failures and
their causes, per-task detail, and the check that the results match their tasks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from abcbench.results.causes import classify
from abcbench.results.metrics import (
    EnvironmentScore,
    Score,
    breakdown,
    environment_score,
    score,
    summarize,
)
from abcbench.results.models import RunManifest, TrialResult, Usage
from abcbench.results.store import RunDir
from abcbench.tasks.registry import TaskRegistry

MISSING = "missing"
UNREADABLE = "unreadable"


class AttemptRow(BaseModel):
    attempt: int
    resolved: bool
    failure_class: str | None = None
    cause: str | None = None
    trial_dir: str | None = Field(default=None, description="Absent for a missing trial.")
    n_passed: int = 0
    n_tests: int = 0
    trial_name: str | None = None
    usage: Usage = Field(default_factory=Usage, description="The gateway's count for this "
                         "trial (zero for a missing one).")
    agent_exit_status: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)


class TaskRow(BaseModel):
    task_id: str
    language: str
    framework: str
    task_type: str
    category: str
    pass_rate: float
    attempts: list[AttemptRow]


class RunReport(BaseModel):
    run_id: str
    agent: str
    model: str | None
    status: str
    n_attempts: int
    overall: Score
    by_language: dict[str, Score]
    by_framework: dict[str, Score]
    by_category: dict[str, Score]
    by_task_type: dict[str, Score]
    environment: EnvironmentScore | None
    failures: dict[str, int]
    causes: dict[str, int]
    usage: Usage
    tasks: list[TaskRow]
    run_dir: str
    n_infrastructure: int = 0
    infra_rate: float = Field(default=0.0, description="Share of planned trials that ended "
                              "in an infrastructure failure.")
    unreadable: dict[str, str] = Field(default_factory=dict, description="Planned trials "
                                       "whose result file cannot be read, with why.")

    @property
    def label(self) -> str:
        return f"{self.agent} / {self.model}" if self.model else self.agent


def _placeholders(manifest: RunManifest, results: list[TrialResult],
                  unreadable: dict[str, str]) -> list[TrialResult]:
    """Planned trials without a readable result, as unresolved results: they stay in the
    denominator, under their task's language, framework and type."""
    have = {r.trial_name for r in results}
    refs = {t.id: t for t in manifest.tasks}
    by_task = {r.task_id: r for r in results}
    out = []
    for name in manifest.trials:
        if name in have:
            continue
        task_id, _, attempt = name.rpartition("__")
        ref, like = refs.get(task_id), by_task.get(task_id)
        meta = {f: str((getattr(ref, f) if ref is not None else None)
                       or (getattr(like, f) if like is not None else "unknown"))
                for f in ("language", "framework", "task_type", "category")}
        out.append(TrialResult.model_validate(dict(
            run_id=manifest.run_id, trial_name=name, task_id=task_id,
            task_hash=ref.hash if ref else "", attempt=int(attempt or 1),
            agent=manifest.agent, **meta,
            error=(f"unreadable result: {unreadable[name]}" if name in unreadable
                   else "no result: the trial never finished"),
        )))
    return out


def build_report(run_dir: RunDir) -> RunReport:
    """Exactly the run's planned trials: a result the run never planned is left out (and
    `verify_run` names it), so the report agrees with the run's summary."""
    manifest = run_dir.read_manifest()
    planned = set(manifest.trials)
    found, unreadable_all = run_dir.scan()
    found = [r for r in found if r.trial_name in planned]
    unreadable = {k: v for k, v in unreadable_all.items() if k in planned}
    results = found + _placeholders(manifest, found, unreadable)
    n = manifest.settings.n_attempts
    causes: Counter[str] = Counter()
    rows: dict[str, TaskRow] = {}
    found_names = {r.trial_name for r in found}
    for r in sorted(results, key=lambda r: (r.task_id, r.attempt)):
        present = r.trial_name in found_names
        cause = classify(r, run_dir.trial_dir(r.trial_name)) if present else None
        if cause is not None:
            causes[cause.value] += 1
        row = rows.setdefault(r.task_id, TaskRow(
            task_id=r.task_id, language=r.language, framework=r.framework,
            task_type=r.task_type, category=r.category, pass_rate=0.0, attempts=[]))
        absent = UNREADABLE if r.trial_name in unreadable else MISSING
        row.attempts.append(AttemptRow(
            attempt=r.attempt, resolved=r.resolved,
            failure_class=r.failure_class.value if r.failure_class else
            (None if present else absent),
            cause=cause.value if cause else None,
            trial_dir=str(run_dir.trial_dir(r.trial_name)) if present else None,
            n_passed=r.n_passed, n_tests=r.n_tests, trial_name=r.trial_name,
            usage=r.usage, agent_exit_status=r.agent_exit_status, timings=r.timings,
        ))
    for row in rows.values():
        row.pass_rate = sum(a.resolved for a in row.attempts) / max(len(row.attempts), 1)
    failures = Counter(a.failure_class for row in rows.values() for a in row.attempts
                       if a.failure_class)
    summary = summarize(found, planned=planned, unreadable=unreadable)
    return RunReport(
        run_id=manifest.run_id,
        agent=manifest.agent.name,
        model=manifest.agent.model,
        status=manifest.status.value,
        n_attempts=n,
        overall=score(results, n),
        by_language=breakdown(results, lambda r: r.language, n),
        by_framework=breakdown(results, lambda r: r.framework, n),
        by_category=breakdown(results, lambda r: r.category, n),
        by_task_type=breakdown(results, lambda r: r.task_type, n),
        environment=environment_score(results),
        failures=dict(sorted(failures.items())),
        causes=dict(sorted(causes.items())),
        usage=summary.usage,
        tasks=list(rows.values()),
        run_dir=str(run_dir.path),
        n_infrastructure=summary.n_infrastructure_errors,
        infra_rate=summary.infrastructure_rate,
        unreadable=unreadable,
    )


def verify_run(run_dir: RunDir, registry: TaskRegistry | None = None) -> list[str]:
    """Problems that make a run's numbers untrustworthy; empty when it checks out."""
    manifest = run_dir.read_manifest()
    problems: list[str] = []
    if manifest.status.value != "completed":
        problems.append(f"the run is {manifest.status.value}, not completed")
    found, unreadable = run_dir.scan()
    results = {r.trial_name: r for r in found}
    for name, why in sorted(unreadable.items()):
        problems.append(f"{name}: unreadable result ({why})")
    missing = [t for t in manifest.trials if t not in results and t not in unreadable]
    if missing:
        problems.append(f"{len(missing)} planned trial(s) have no result: "
                        f"{', '.join(missing[:5])}")
    expected = summarize(found, planned=set(manifest.trials), unreadable=unreadable)
    said = manifest.summary
    if manifest.status.value == "completed" and (said.n_trials, said.n_resolved) != (
            expected.n_trials, expected.n_resolved):
        problems.append(f"run.json's summary says {said.n_resolved}/{said.n_trials} "
                        f"resolved, the results say {expected.n_resolved}/{expected.n_trials}")
    hashes = {t.id: t.hash for t in manifest.tasks}
    for name, r in sorted(results.items()):
        if name not in manifest.trials:
            problems.append(f"{name}: a result the run never planned")
        if r.run_id != manifest.run_id:
            problems.append(f"{name}: result belongs to run {r.run_id}")
        if hashes.get(r.task_id) != r.task_hash:
            problems.append(f"{name}: graded against task contents the run did not record")
    if registry is not None:
        current = {t.id: t.content_hash for t in registry.all()}
        for task_id, recorded in sorted(hashes.items()):
            if task_id not in current:
                problems.append(f"{task_id}: not in {registry.root}")
            elif current[task_id] != recorded:
                problems.append(f"{task_id}: edited since the run (content hash differs)")
    return problems


def load_reports(paths: list[Path]) -> list[RunReport]:
    return [build_report(RunDir(p.resolve())) for p in paths]
