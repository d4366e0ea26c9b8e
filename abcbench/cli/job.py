"""`abcbench run -c job.yaml` and `abcbench schema job`: a job file's matrix of runs."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from abcbench.agents.registry import agent_class
from abcbench.cli.cleanup import print_kept
from abcbench.cli.common import console, err_console, load_registry
from abcbench.cli.output import (
    SummaryFormat,
    append_step_summary,
    print_run_summary,
    summary_data,
)
from abcbench.cli.progress import execute_live
from abcbench.cli.run_options import adapt
from abcbench.jobs import (
    JobCell,
    JobSpec,
    agent_env,
    expand,
    job_schema,
    load_job,
    record_job,
    resolve_path,
)
from abcbench.results.models import AgentInfo, RunManifest, RunStatus
from abcbench.results.store import RunDir
from abcbench.results.tb_compat import write_terminal_bench_results
from abcbench.run.options import RunOptions
from abcbench.run.resume import resume_request
from abcbench.run.runner import RunRequest
from abcbench.tasks.registry import TaskFilter

schema_app = typer.Typer(help="JSON Schemas of the project's input files.",
                         no_args_is_help=True)


@schema_app.command("job")
def schema_job() -> None:
    """The JSON Schema of a job file (`abcbench run -c job.yaml`)."""
    print(json.dumps(job_schema(), indent=2))


@dataclass
class _Done:
    cell: JobCell
    manifest: RunManifest
    run_dir: RunDir


def plan_job(path: Path, name: str | None = None,
             ) -> tuple[JobSpec, list[RunRequest | None], list[JobCell]]:
    """Every run of the job, validated before any of them starts.

    `name` (`--run-id`) replaces the job's name, so each CI pipeline gets runs of its own. A
    run of the job that already exists is resumed, or skipped (None) when it completed: a job
    cut off half-way is continued by running the same command again.
    """
    job = load_job(path)
    if name is not None:
        job = JobSpec.model_validate({**job.model_dump(), "name": name})
    tasks_dir = resolve_path(path, job.tasks_dir)
    dataset = resolve_path(path, job.dataset)
    if dataset is not None and not dataset.exists() and job.dataset is not None:
        dataset = Path(job.dataset)  # a registered NAME[@VERSION], not a folder
    registry = load_registry(tasks_dir, dataset)
    flt = TaskFilter(job.tasks, job.languages, job.frameworks, job.task_type)
    tasks, agent_timeout, test_timeout = adapt(
        registry.select(flt), job.exclude_tasks, job.n_tasks, job.timeout_multiplier,
        job.agent_timeout_sec, job.test_timeout_sec)
    output = (resolve_path(path, job.output) or Path("runs")).resolve()
    cells = expand(job)
    requests: list[RunRequest | None] = []
    for cell in cells:
        env = agent_env(cell.agent)
        existing = RunDir(output / cell.run_id)
        if existing.exists():
            done = existing.read_manifest().status is RunStatus.completed
            requests.append(None if done else resume_request(RunOptions(
                agent_env=env, n_concurrent=job.n_concurrent, output=output,
                resume=cell.run_id, egress=job.egress, egress_allow=list(job.egress_allow),
                no_cleanup=job.no_cleanup)))
            continue
        requests.append(RunRequest(
            tasks=tasks, agent_cls=agent_class(cell.agent.name, cell.agent.import_path),
            agent_info=AgentInfo(name=cell.agent.name or cell.agent.key, model=cell.model,
                                 import_path=cell.agent.import_path,
                                 kwargs=dict(cell.agent.kwargs), env_keys=sorted(env)),
            agent_env=env, output_dir=output, tasks_dir=registry.root, run_id=cell.run_id,
            n_attempts=job.n_attempts, n_concurrent=job.n_concurrent,
            agent_timeout_sec=agent_timeout, test_timeout_sec=test_timeout,
            task_filters=list(flt.ids), max_retries=job.max_retries,
            timeout_multiplier=job.timeout_multiplier, egress=job.egress,
            egress_allow=list(job.egress_allow), no_cleanup=job.no_cleanup))
    return job, requests, cells


def job_markdown(job: JobSpec, done: list[_Done]) -> str:
    lines = [f"### abcbench job `{job.name}`", "",
             "| run | agent | model | resolved | pass@1 |", "|---|---|---|---|---|"]
    for d in done:
        s = d.manifest.summary
        lines.append(f"| {d.cell.run_id} | {d.cell.agent.key} | {d.cell.model or ''} | "
                     f"{s.n_resolved}/{s.n_trials} | {100 * s.accuracy:.1f}% |")
    return "\n".join(lines) + "\n"


def run_job(path: Path, fmt: SummaryFormat, name: str | None = None,
            out: Console | None = None) -> None:
    """Run each cell of the job in turn; a summary per run, then one for the job."""
    job, requests, cells = plan_job(path, name)
    progress = None if fmt is SummaryFormat.table else err_console
    output = (resolve_path(path, job.output) or Path("runs")).resolve()
    done: list[_Done] = []
    for request, cell in zip(requests, cells, strict=True):
        run_dir = RunDir(output / cell.run_id)
        if request is None:
            err_console.print(f"job {job.name}: {cell.run_id} already completed",
                              highlight=False)
            done.append(_Done(cell, run_dir.read_manifest(), run_dir))
            continue
        err_console.print(f"job {job.name}: run {cell.run_id}", highlight=False)
        manifest = execute_live(request, progress)
        record_job(run_dir.run_file, path.resolve(), job, cell)
        if request.no_cleanup:
            print_kept(cell.run_id)
        write_terminal_bench_results(run_dir)
        if fmt is SummaryFormat.table:
            print_run_summary(manifest, run_dir, out or console, fmt, step_summary=False)
        done.append(_Done(cell, manifest, run_dir))
    markdown = job_markdown(job, done)
    if fmt is SummaryFormat.json:
        sys.stdout.write(json.dumps({"job": job.name, "runs": [
            summary_data(d.manifest, sorted(d.run_dir.results(), key=lambda r: r.trial_name),
                         d.run_dir.path) for d in done]}, indent=2) + "\n")
    elif fmt is SummaryFormat.md:
        sys.stdout.write(markdown)
    else:
        (out or console).print(markdown, markup=False, highlight=False)
    append_step_summary(markdown)
