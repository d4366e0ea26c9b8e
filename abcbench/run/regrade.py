"""`abcbench grade RUN_DIR`: a new run that re-deploys and re-tests another run's submissions.

It plans every trial of the source run, so its denominator is the source's: a trial that left
no submission (or a Terminal-Bench trial, which keeps none) is recorded as unresolved with the
reason (`abcbench.run.ungradable`), never dropped. Resuming it (`run --resume`) re-grades.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from abcbench.agents.registry import recorded_agent_class
from abcbench.errors import UserError
from abcbench.results.metrics import DEFAULT_MAX_INFRA_RATE
from abcbench.results.store import RunDir
from abcbench.run.lock import live_owner
from abcbench.run.runner import RunRequest
from abcbench.tasks.registry import TaskRegistry


def regrade_request(source: Path, output: Path | None, tasks_dir: Path | None,
                    allow_changed_tasks: bool, n_concurrent: int,
                    max_infra_rate: float = DEFAULT_MAX_INFRA_RATE) -> RunRequest:
    run_dir = RunDir(source.resolve())
    manifest = run_dir.read_manifest()
    owner = live_owner(run_dir.path)
    if owner is not None:
        raise UserError(f"run {manifest.run_id} is still being written by {owner.describe()}; "
                        "grade it once that process has finished")
    registry = TaskRegistry.from_dir(tasks_dir or Path(manifest.settings.tasks_dir))
    tasks, changed = [], []
    for ref in manifest.tasks:
        task = registry.get(ref.id)
        if task.content_hash != ref.hash:
            changed.append(ref.id)
        tasks.append(task)
    if changed and not allow_changed_tasks:
        raise UserError(f"tasks changed since run {manifest.run_id}: {', '.join(changed[:5])}; "
                        "pass --allow-changed-tasks to grade against the current tasks")
    if not tasks:
        raise UserError(f"run {manifest.run_id} has no task to re-grade")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    recorded = manifest.agent
    return RunRequest(
        tasks=tasks,
        agent_cls=recorded_agent_class(recorded),
        agent_info=recorded,
        output_dir=(output or run_dir.path.parent).resolve(),
        tasks_dir=registry.root,
        run_id=f"{manifest.run_id}-regrade-{stamp}",
        n_attempts=manifest.settings.n_attempts,
        n_concurrent=n_concurrent,
        test_timeout_sec=manifest.settings.test_timeout_sec,
        regrade_from=run_dir,
        max_infra_rate=max_infra_rate,
    )
