"""`abcbench run --resume`: the same run, continued, measuring the same thing.

A flag that would change what the run measures (the agent and how it is built, the model, the
agent's kwargs and variables, the tasks, attempts, budgets, retries, the sandboxes' egress, the
run id) is refused with the reason unless it repeats the recorded value; task contents must
hash the same. Only how the run is executed may change: `--n-concurrent`, `--max-infra-rate`,
where the tasks are (`--tasks-dir`/`--dataset`, checked by hash), `--break-lock`. A resumed
grade run re-grades.
"""

from __future__ import annotations

from pathlib import Path

from abcbench.agents.registry import recorded_agent_class
from abcbench.egress.settings import egress_mode
from abcbench.errors import UserError
from abcbench.redact import redacted_kwargs
from abcbench.results.models import RunManifest
from abcbench.results.store import RunDir
from abcbench.run.options import RunOptions
from abcbench.run.runner import RunRequest
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry
from abcbench.tasks.selection import scale_timeouts


def _seconds(value: float | None) -> str:
    return "each task's own" if value is None else f"{value:g}"


def measurement_changes(opts: RunOptions, manifest: RunManifest,
                        registry: TaskRegistry) -> list[str]:
    """Every given flag whose value differs from what the run recorded, with the reason."""
    rec, settings, changes = manifest.agent, manifest.settings, []
    if opts.exclude_tasks or opts.n_tasks is not None:
        changes.append("--exclude-task/--n-tasks: the run's tasks were chosen when it started")
    if (opts.timeout_multiplier is not None
            and opts.timeout_multiplier != settings.timeout_multiplier):
        changes.append(f"--timeout-multiplier {opts.timeout_multiplier:g}: the run used "
                       f"{settings.timeout_multiplier:g}")
    if opts.egress is not None and opts.egress != settings.egress:
        used = settings.egress or "each task's own"
        changes.append(f"--egress {opts.egress}: the run used {used}")
    if opts.egress_allow and sorted(set(opts.egress_allow)) != sorted(set(settings.egress_allow)):
        changes.append(f"--egress-allow {', '.join(opts.egress_allow)}: the run allowed "
                       f"{', '.join(settings.egress_allow) or 'no extra host'}")
    if opts.run_id is not None and opts.run_id != manifest.run_id:
        changes.append(f"--run-id {opts.run_id!r} is not the resumed run")
    if opts.agent is not None and opts.agent != rec.name:
        changes.append(f"--agent: it ran agent {rec.name!r}, not {opts.agent!r}")
    if opts.agent_import_path is not None and opts.agent_import_path != rec.import_path:
        changes.append(f"--agent-import-path: it ran {rec.import_path or 'a built-in agent'!r}, "
                       f"not {opts.agent_import_path!r}")
    if opts.model is not None and opts.model != rec.model:
        changes.append(f"--model: it ran model {rec.model!r}, not {opts.model!r}")
    if opts.agent_kwargs and opts.agent_kwargs != rec.kwargs:
        keys = ", ".join(sorted(rec.kwargs)) or "none"  # values may hold credentials
        changes.append(f"--agent-kwarg differs from the run's (its keys: {keys})")
    extra_env = sorted(set(opts.agent_env) - set(rec.env_keys))
    if extra_env:
        changes.append(f"--agent-env {', '.join(extra_env)}: the run had no such variable")
    flt = opts.task_filter
    if flt.ids or flt.languages or flt.frameworks or flt.task_type:
        recorded = sorted(t.id for t in manifest.tasks)
        try:
            chosen = sorted(t.id for t in registry.select(flt, allow_broken=True))
        except UserError:
            chosen = []
        if chosen != recorded:
            changes.append(f"--task/--language/--framework/--type select {len(chosen)} task(s), "
                           f"not the run's {len(recorded)}")
    for flag, given, had in (("--n-attempts", opts.n_attempts, settings.n_attempts),
                             ("--max-retries", opts.max_retries, settings.max_retries)):
        if given is not None and given != had:
            changes.append(f"{flag} {given}: the run used {had}")
    for flag, sec, had_sec in (
            ("--agent-timeout", opts.agent_timeout_sec, settings.agent_timeout_sec),
            ("--test-timeout", opts.test_timeout_sec, settings.test_timeout_sec)):
        if sec is not None and sec != had_sec:
            changes.append(f"{flag} {sec:g}: the run used {_seconds(had_sec)}")
    return changes


def _recorded_tasks(run_id: str, manifest: RunManifest, registry: TaskRegistry) -> list[Task]:
    tasks, changed = [], []
    known = {t.id for t in registry.all()}
    for ref in manifest.tasks:
        if ref.id in registry.errors or ref.id not in known:
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
    return tasks


def resume_request(opts: RunOptions) -> RunRequest:
    assert opts.resume is not None
    run_id, output = opts.resume, opts.output.resolve()
    run_dir = RunDir(output / run_id)
    if not run_dir.exists():
        raise UserError(f"no run {run_id!r} in {output} (no {run_dir.run_file}); check --output")
    manifest = run_dir.read_manifest()
    if opts.tasks_dir is not None and opts.dataset is not None:
        raise UserError("give --tasks-dir or --dataset, not both")
    registry = TaskRegistry.from_dir(opts.tasks_dir or opts.dataset
                                     or Path(manifest.settings.tasks_dir))
    changes = measurement_changes(opts, manifest, registry)
    if changes:
        raise UserError(f"cannot resume {run_id}: {'; '.join(changes)} (a resumed run must "
                        "measure what it started measuring; start a new run instead)")
    recorded = manifest.agent
    lost = redacted_kwargs(recorded.kwargs)
    if lost:
        raise UserError(f"cannot resume {run_id}: --agent-kwarg {', '.join(lost)} held a "
                        "credential that run.json does not keep; start a new run and pass the "
                        "credential as --agent-env (e.g. --agent-env OPENAI_BASE_URL)")
    missing_env = sorted(set(recorded.env_keys) - set(opts.agent_env))
    if missing_env:
        raise UserError(f"cannot resume {run_id}: pass --agent-env for {', '.join(missing_env)} "
                        "again (values are never stored)")
    regrade_from = None
    if manifest.regraded_from is not None:  # a grade run: re-grade, never run the agent
        regrade_from = RunDir(Path(manifest.regraded_from))
        if not regrade_from.exists():
            raise UserError(f"cannot resume {run_id}: it grades {regrade_from.path}, which is "
                            "no longer a run folder")
    settings = manifest.settings
    return RunRequest(
        tasks=scale_timeouts(_recorded_tasks(run_id, manifest, registry),
                             settings.timeout_multiplier),
        timeout_multiplier=settings.timeout_multiplier,
        agent_cls=recorded_agent_class(recorded),
        agent_info=recorded,
        output_dir=output,
        tasks_dir=registry.root,
        run_id=run_id,
        n_attempts=settings.n_attempts,
        n_concurrent=opts.n_concurrent or settings.n_concurrent,
        agent_timeout_sec=settings.agent_timeout_sec,
        test_timeout_sec=settings.test_timeout_sec,
        task_filters=settings.task_filters,
        agent_env=opts.agent_env,
        max_retries=settings.max_retries,
        resume=True,
        regrade_from=regrade_from,
        max_infra_rate=(settings.max_infra_rate if opts.max_infra_rate is None
                        else opts.max_infra_rate),
        break_lock=opts.break_lock,
        egress=egress_mode(settings.egress),
        egress_allow=list(settings.egress_allow),
        no_cleanup=opts.no_cleanup,
    )
