"""`abcbench run`: run an agent on tasks and write the run directory."""

from __future__ import annotations

from pathlib import Path

import typer

from abcbench.agents.registry import agent_class, parse_kv
from abcbench.cli.cleanup import print_kept
from abcbench.cli.common import (
    EXIT_HARNESS_ERROR,
    DatasetOption,
    FrameworkOption,
    LanguageOption,
    TaskOption,
    TasksDirOption,
    TypeOption,
    console,
    err_console,
    friendly_errors,
    load_registry,
    parse_agent_env,
)
from abcbench.cli.job import run_job
from abcbench.cli.output import SummaryFormat, print_run_summary, styled
from abcbench.cli.progress import execute_live
from abcbench.cli.run_options import (
    EgressAllowOption,
    EgressOption,
    ExcludeTaskOption,
    NoCleanupOption,
    NTasksOption,
    TimeoutMultiplierOption,
    adapt,
)
from abcbench.egress.settings import egress_mode
from abcbench.errors import UserError
from abcbench.results.metrics import DEFAULT_MAX_INFRA_RATE, infra_gate
from abcbench.results.models import AgentInfo, RunManifest
from abcbench.results.store import RunDir
from abcbench.results.tb_compat import write_terminal_bench_results
from abcbench.run.options import RunOptions
from abcbench.run.resume import resume_request as recorded_request
from abcbench.run.runner import DEFAULT_MAX_RETRIES, RunRequest
from abcbench.tasks.registry import TaskFilter


@friendly_errors
def run(
    agent: str | None = typer.Option(None, "--agent", "-a", help="oracle, nop, or another "
                                     "registered agent (`abcbench agents list`)."),
    model: str | None = typer.Option(None, "--model", "-m", help="Model name for LLM agents."),
    agent_import_path: str | None = typer.Option(None, "--agent-import-path",
                                                 help="A custom Agent class: module:Class."),
    agent_kwarg: list[str] = typer.Option([], "--agent-kwarg", help="KEY=VALUE for the agent."),
    agent_env: list[str] = typer.Option(
        [], "--agent-env", help="NAME (value taken from your environment) or NAME=VALUE, "
        "given to the agent (API keys); values are never written to disk."),
    task: list[str] = TaskOption,
    language: list[str] = LanguageOption,
    framework: list[str] = FrameworkOption,
    task_type: str | None = TypeOption,
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    n_attempts: int | None = typer.Option(None, "--n-attempts", "-k",
                                          help="Attempts per task (default 1)."),
    n_concurrent: int | None = typer.Option(None, "--n-concurrent", "-n",
                                            help="Trials at a time (default 1)."),
    agent_timeout: float | None = typer.Option(None, "--agent-timeout",
                                               help="Seconds; overrides each task's."),
    test_timeout: float | None = typer.Option(None, "--test-timeout",
                                              help="Seconds; overrides each task's."),
    exclude_task: list[str] = ExcludeTaskOption,
    n_tasks: int | None = NTasksOption,
    timeout_multiplier: float | None = TimeoutMultiplierOption,
    egress: str | None = EgressOption,
    egress_allow: list[str] = EgressAllowOption,
    no_cleanup: bool = NoCleanupOption,
    run_id: str | None = typer.Option(None, "--run-id"),
    output: Path = typer.Option(Path("runs"), "--output", "-o", help="Parent of run folders."),
    resume: str | None = typer.Option(
        None, "--resume", help="Continue run RUN_ID: only trials without a result run; a flag "
        "that would change what it measures is refused (docs/runs.md)."),
    max_retries: int | None = typer.Option(
        None, "--max-retries", help=f"Retries of a trial after an infrastructure fault "
        f"(default {DEFAULT_MAX_RETRIES})."),
    max_infra_rate: float | None = typer.Option(
        None, "--max-infra-rate", help="Exit 1 when a larger share of trials ends in an "
        f"infrastructure failure (default {DEFAULT_MAX_INFRA_RATE:g})."),
    break_lock: bool = typer.Option(
        False, "--break-lock", help="Resume a run locked from another host whose process is "
        "known to be gone."),
    executor: str = typer.Option(
        "local", "--executor", help="Where trials run: local (threads on this host) or ray "
        "(each Ray node with abcbench_slots is a Docker host; docs/ray.md)."),
    ray_address: str | None = typer.Option(
        None, "--ray-address", help="The Ray cluster to use with --executor ray (default: "
        "RAY_ADDRESS, else the cluster started on this host with `ray start`)."),
    fmt: SummaryFormat = typer.Option(SummaryFormat.table, "--format", help="Summary as a "
                                      "table, Markdown or JSON (md/json: progress on stderr)."),
    config: Path | None = typer.Option(None, "--config", "-c", help="A job file: agents x "
                                       "models, run options (`abcbench schema job`)."),
) -> None:
    """Run an agent on tasks: exit 0 when the run completed (whatever the score), 1 when too
    many trials failed for infrastructure reasons."""
    if config is not None:
        return run_job(config, fmt, run_id)
    opts = RunOptions(
        agent=agent, model=model, agent_import_path=agent_import_path,
        agent_kwargs=parse_kv(agent_kwarg, "--agent-kwarg"),
        agent_env=parse_agent_env(agent_env),
        task_filter=TaskFilter(task, language, framework, task_type),
        tasks_dir=tasks_dir, dataset=dataset, n_attempts=n_attempts, n_concurrent=n_concurrent,
        agent_timeout_sec=agent_timeout, test_timeout_sec=test_timeout, max_retries=max_retries,
        max_infra_rate=max_infra_rate, run_id=run_id, output=output, resume=resume,
        break_lock=break_lock, executor=executor, ray_address=ray_address,
        exclude_tasks=exclude_task, n_tasks=n_tasks, timeout_multiplier=timeout_multiplier,
        egress=egress, egress_allow=egress_allow,
        no_cleanup=no_cleanup,
    )
    execute_and_report(resume_request(opts) if resume is not None else new_request(opts),
                       fmt)


def execute_and_report(request: RunRequest,
                       fmt: SummaryFormat = SummaryFormat.table) -> None:
    """Run with the live view, print the summary, and apply the infrastructure gate."""
    manifest = execute_live(request, None if fmt is SummaryFormat.table else err_console)
    print_summary(manifest, RunDir(request.output_dir / manifest.run_id), fmt)
    if request.no_cleanup:
        print_kept(manifest.run_id)
    failed = infra_gate(manifest.summary, request.max_infra_rate)
    if failed is not None:
        err_console.print(styled(("error:", "bold red"), f" {failed}"), highlight=False,
                          soft_wrap=True)
        raise typer.Exit(EXIT_HARNESS_ERROR)


def new_request(opts: RunOptions) -> RunRequest:
    opts.check()
    agent_cls = agent_class(opts.agent, opts.agent_import_path)
    registry = load_registry(opts.tasks_dir, opts.dataset)
    multiplier = 1.0 if opts.timeout_multiplier is None else opts.timeout_multiplier
    tasks, agent_timeout, test_timeout = adapt(
        registry.select(opts.task_filter), opts.exclude_tasks, opts.n_tasks, multiplier,
        opts.agent_timeout_sec, opts.test_timeout_sec)
    if not tasks:
        raise UserError("--exclude-task left no task to run")
    return RunRequest(
        tasks=tasks,
        agent_cls=agent_cls,
        agent_info=AgentInfo(name=opts.agent or agent_cls.name, model=opts.model,
                             import_path=opts.agent_import_path, kwargs=opts.agent_kwargs,
                             env_keys=sorted(opts.agent_env)),
        agent_env=opts.agent_env,
        output_dir=opts.output.resolve(),
        tasks_dir=registry.root,
        run_id=opts.run_id,
        n_attempts=opts.n_attempts or 1,
        n_concurrent=opts.n_concurrent or 1,
        agent_timeout_sec=agent_timeout,
        test_timeout_sec=test_timeout,
        task_filters=list(opts.task_filter.ids),
        max_retries=DEFAULT_MAX_RETRIES if opts.max_retries is None else opts.max_retries,
        max_infra_rate=(DEFAULT_MAX_INFRA_RATE if opts.max_infra_rate is None
                        else opts.max_infra_rate),
        break_lock=opts.break_lock,
        timeout_multiplier=multiplier,
        executor=opts.executor,
        ray_address=opts.ray_address,
        egress=egress_mode(opts.egress),
        egress_allow=list(opts.egress_allow),
        no_cleanup=opts.no_cleanup,
    )


def resume_request(opts: RunOptions) -> RunRequest:
    """The recorded run; the executor is today's choice (it does not change what is measured,
    so a run started on one executor resumes on the other)."""
    opts.check()
    request = recorded_request(opts)
    request.executor, request.ray_address = opts.executor, opts.ray_address
    return request


def print_summary(manifest: RunManifest, run_dir: RunDir,
                  fmt: SummaryFormat = SummaryFormat.table) -> None:
    write_terminal_bench_results(run_dir)
    print_run_summary(manifest, run_dir, console, fmt)
