"""`abcbench run --resume`: the same run, continued; refused when anything that shapes the
results differs (agent, model, agent settings, task contents)."""

from __future__ import annotations

from pathlib import Path

from abcbench.agents.registry import recorded_agent_class
from abcbench.errors import UserError
from abcbench.results.store import RunDir
from abcbench.run.runner import RunRequest
from abcbench.tasks.registry import TaskRegistry


def resume_request(output: Path, run_id: str, *, agent: str | None, model: str | None,
                   agent_env: dict[str, str], n_concurrent: int | None,
                   tasks_dir: Path | None) -> RunRequest:
    run_dir = RunDir(output / run_id)
    if not run_dir.exists():
        raise UserError(f"no run {run_id!r} in {output} (no {run_dir.run_file}); check --output")
    manifest = run_dir.read_manifest()
    recorded = manifest.agent
    if agent is not None and agent != recorded.name:
        raise UserError(f"cannot resume {run_id}: it ran agent {recorded.name!r}, not {agent!r}")
    if model is not None and model != recorded.model:
        raise UserError(f"cannot resume {run_id}: it ran model {recorded.model!r}, not {model!r}")
    missing_env = sorted(set(recorded.env_keys) - set(agent_env))
    if missing_env:
        raise UserError(f"cannot resume {run_id}: pass --agent-env for {', '.join(missing_env)} "
                        "again (values are never stored)")
    registry = TaskRegistry.from_dir(tasks_dir or Path(manifest.settings.tasks_dir))
    tasks, changed = [], []
    for ref in manifest.tasks:
        if ref.id in registry.errors or ref.id not in {t.id for t in registry.all()}:
            changed.append(f"{ref.id} (missing)")
            continue
        task = registry.get(ref.id)
        if task.content_hash != ref.hash:
            changed.append(f"{ref.id} (contents changed)")
        tasks.append(task)
    if changed:
        raise UserError(f"cannot resume {run_id}: tasks differ from the run's: "
                        f"{', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}; start "
                        "a new run instead")
    settings = manifest.settings
    return RunRequest(
        tasks=tasks,
        agent_cls=recorded_agent_class(recorded),
        agent_info=recorded,
        output_dir=output,
        tasks_dir=registry.root,
        run_id=run_id,
        n_attempts=settings.n_attempts,
        n_concurrent=n_concurrent or settings.n_concurrent,
        agent_timeout_sec=settings.agent_timeout_sec,
        test_timeout_sec=settings.test_timeout_sec,
        task_filters=settings.task_filters,
        agent_env=agent_env,
        max_retries=settings.max_retries,
        resume=True,
    )
