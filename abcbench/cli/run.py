"""`abcbench run`: run an agent on tasks and write the run directory."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import typer

from abcbench.agents.registry import agent_class, parse_kv
from abcbench.cli.common import (
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
)
from abcbench.cli.job import run_job
from abcbench.cli.output import SummaryFormat, print_run_summary
from abcbench.cli.progress import execute_live
from abcbench.results.models import AgentInfo, RunManifest
from abcbench.results.store import RunDir
from abcbench.results.tb_compat import write_terminal_bench_results
from abcbench.run.resume import resume_request
from abcbench.run.runner import RunRequest
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
        [], "--agent-env", help="KEY=VALUE given to the agent (API keys); values are never "
        "written to disk."),
    task: list[str] = TaskOption,
    language: list[str] = LanguageOption,
    framework: list[str] = FrameworkOption,
    task_type: str | None = TypeOption,
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    n_attempts: int = typer.Option(1, "--n-attempts", "-k", min=1),
    n_concurrent: int | None = typer.Option(None, "--n-concurrent", "-n", min=1,
                                            help="Trials at a time (default 1)."),
    agent_timeout: float | None = typer.Option(None, "--agent-timeout",
                                               help="Seconds; overrides each task's."),
    test_timeout: float | None = typer.Option(None, "--test-timeout",
                                              help="Seconds; overrides each task's."),
    run_id: str | None = typer.Option(None, "--run-id"),
    output: Path = typer.Option(Path("runs"), "--output", "-o", help="Parent of run folders."),
    resume: str | None = typer.Option(
        None, "--resume", help="Continue run RUN_ID: only trials without a result run."),
    max_retries: int = typer.Option(2, "--max-retries", min=0,
                                    help="Retries of a trial after an infrastructure fault."),
    fmt: SummaryFormat = typer.Option(SummaryFormat.table, "--format", help="Summary as a "
                                      "table, Markdown or JSON (md/json: progress on stderr)."),
    config: Path | None = typer.Option(None, "--config", "-c", help="A job file: agents x "
                                       "models, run options (`abcbench schema job`)."),
) -> None:
    """Run an agent on tasks: exit 0 when the run completed (whatever the score)."""
    stop_on_sigterm()
    if config is not None:
        return run_job(config, fmt, run_id)
    env = parse_kv(agent_env, "--agent-env")
    if resume is not None:
        request = resume_request(output.resolve(), resume, agent=agent, model=model,
                                 agent_env=env, n_concurrent=n_concurrent,
                                 tasks_dir=tasks_dir or dataset)
    else:
        request = new_request(agent, model, agent_import_path, agent_kwarg, env,
                              TaskFilter(task, language, framework, task_type),
                              tasks_dir, dataset, n_attempts, n_concurrent or 1, agent_timeout,
                              test_timeout, run_id, output, max_retries)
    manifest = execute_live(request, None if fmt is SummaryFormat.table else err_console)
    print_summary(manifest, RunDir(request.output_dir / manifest.run_id), fmt)


def new_request(agent: str | None, model: str | None, agent_import_path: str | None,
                agent_kwarg: list[str], env: dict[str, str], flt: TaskFilter,
                tasks_dir: Path | None, dataset: Path | None, n_attempts: int,
                n_concurrent: int, agent_timeout: float | None, test_timeout: float | None,
                run_id: str | None, output: Path, max_retries: int) -> RunRequest:
    agent_cls = agent_class(agent, agent_import_path)
    registry = load_registry(tasks_dir, dataset)
    tasks = registry.select(flt)
    return RunRequest(
        tasks=tasks,
        agent_cls=agent_cls,
        agent_info=AgentInfo(name=agent or agent_cls.name, model=model,
                             import_path=agent_import_path,
                             kwargs=parse_kv(agent_kwarg, "--agent-kwarg"),
                             env_keys=sorted(env)),
        agent_env=env,
        output_dir=output.resolve(),
        tasks_dir=registry.root,
        run_id=run_id,
        n_attempts=n_attempts,
        n_concurrent=n_concurrent,
        agent_timeout_sec=agent_timeout,
        test_timeout_sec=test_timeout,
        task_filters=list(flt.ids),
        max_retries=max_retries,
    )


def stop_on_sigterm() -> None:
    """A CI job killed with SIGTERM stops like Ctrl-C: containers removed, results kept."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def print_summary(manifest: RunManifest, run_dir: RunDir,
                  fmt: SummaryFormat = SummaryFormat.table) -> None:
    write_terminal_bench_results(run_dir)
    print_run_summary(manifest, run_dir, console, fmt)
