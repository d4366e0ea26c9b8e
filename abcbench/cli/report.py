"""`abcbench report`, `abcbench leaderboard` and `abcbench grade`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from abcbench.cli.common import console, err_console, friendly_errors
from abcbench.cli.output import styled
from abcbench.cli.run import execute_and_report
from abcbench.results import render
from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.metrics import DEFAULT_MAX_INFRA_RATE
from abcbench.results.report import load_reports, verify_run
from abcbench.results.store import RunDir
from abcbench.run.options import check_numbers
from abcbench.run.regrade import regrade_request
from abcbench.tasks.registry import TaskRegistry


class Format(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    html = "html"


@friendly_errors
def report(
    run_dirs: list[Path] = typer.Argument(..., help="Run folders (runs/<run-id>)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
    verify: bool = typer.Option(False, "--verify", help="Check results match their tasks: no "
                                "edited task, no missing or foreign trial. Exit 1 if not."),
    tasks_dir: Path | None = typer.Option(None, "--tasks-dir",
                                          help="Tasks to verify against (default: the run's)."),
    detail: bool = typer.Option(True, "--detail/--no-detail", help="Per-task rows (table)."),
) -> None:
    """Scores by language (± standard error), pass@k, S1/S2, failures and causes."""
    reports = load_reports(run_dirs)
    if fmt is Format.table:
        render.to_table(reports, console, detail)
    else:
        text = {Format.md: render.to_markdown, Format.json: render.to_json,
                Format.csv: render.to_csv, Format.html: render.to_html}[fmt](reports)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if verify:
        failed = False
        for path in run_dirs:
            run_dir = RunDir(path.resolve())
            manifest = run_dir.read_manifest()
            registry = TaskRegistry.from_dir(tasks_dir or Path(manifest.settings.tasks_dir))
            problems = verify_run(run_dir, registry)
            for problem in problems:
                err_console.print(styled((f"verify {manifest.run_id}:", "red"), f" {problem}"),
                                  highlight=False)
            if not problems:
                err_console.print(f"verify {manifest.run_id}: ok", style="green")
            failed |= bool(problems)
        if failed:
            raise typer.Exit(1)


@friendly_errors
def leaderboard(
    run_dirs: list[Path] = typer.Argument(..., help="Run folders, one entry each."),
    output: Path = typer.Option(Path("leaderboard"), "--output", "-o"),
) -> None:
    """Write a static HTML leaderboard (index.html: scores, charts, cost), its data
    (leaderboard.json) and a trajectory page per trial (trials/*.html)."""
    page = write_leaderboard(load_reports(run_dirs), output.resolve())
    console.print(f"wrote {page}, {page.parent / 'leaderboard.json'} and a trajectory page "
                  f"per trial in {page.parent / 'trials'}", highlight=False)


@friendly_errors
def grade(
    run_dir: Path = typer.Argument(..., help="A finished run folder."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Parent of the new run (default: beside it)."),
    tasks_dir: Path | None = typer.Option(None, "--tasks-dir"),
    allow_changed_tasks: bool = typer.Option(False, "--allow-changed-tasks"),
    n_concurrent: int = typer.Option(1, "--n-concurrent", "-n"),
    max_infra_rate: float = typer.Option(DEFAULT_MAX_INFRA_RATE, "--max-infra-rate",
                                         help="Exit 1 above this share of infrastructure "
                                         "failures."),
) -> None:
    """Re-deploy and re-test a run's kept submissions, without the agent, as a new run with
    the same planned trials (one with no submission counts as unresolved)."""
    check_numbers(n_concurrent=n_concurrent, max_infra_rate=max_infra_rate)
    execute_and_report(regrade_request(run_dir, output, tasks_dir, allow_changed_tasks,
                                       n_concurrent, max_infra_rate))
