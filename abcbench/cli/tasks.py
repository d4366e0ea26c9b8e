"""`abcbench tasks`: list, show and describe tasks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from abcbench.cli.common import (
    DatasetOption,
    FrameworkOption,
    LanguageOption,
    TaskOption,
    TasksDirOption,
    TypeOption,
    console,
    echo_json,
    err_console,
    friendly_errors,
    load_registry,
)
from abcbench.paths import bundled_tasks_dir
from abcbench.tasks.registry import TaskFilter
from abcbench.tasks.scaffold import scaffold_task
from abcbench.tasks.spec import TaskSpec

app = typer.Typer(help="List, show and describe tasks.", no_args_is_help=True)


@app.command("list")
@friendly_errors
def list_(
    task: list[str] = TaskOption,
    language: list[str] = LanguageOption,
    framework: list[str] = FrameworkOption,
    task_type: str | None = TypeOption,
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Tasks with their language, framework and type, then counts per language and framework."""
    registry = load_registry(tasks_dir, dataset)
    flt = TaskFilter(task, language, framework, task_type)
    tasks = registry.select(flt, allow_broken=True)
    if as_json:
        echo_json([t.summary() for t in tasks])
        return
    for message in registry.broken(flt).values():
        err_console.print(f"[yellow]skipped broken task:[/] {message}", highlight=False,
                          soft_wrap=True)
    table = Table("id", "language", "framework", "type", "category", "difficulty", "format",
                  title=f"{len(tasks)} task(s) in {registry.root}")
    for t in tasks:
        s = t.summary()
        table.add_row(s["id"], s["language"], s["framework"], s["type"], s["category"],
                      s["difficulty"], s["format"])
    console.print(table)
    for label, key in (("language", "language"), ("framework", "framework"), ("type", "type")):
        counts = Counter(t.summary()[key] for t in tasks)
        console.print(f"[bold]by {label}:[/] " + ", ".join(
            f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


@app.command("show")
@friendly_errors
def show(
    task_id: str = typer.Argument(..., help="Task id."),
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One task's metadata and its instruction."""
    t = load_registry(tasks_dir, dataset).get(task_id)
    data = {**t.summary(), "title": t.title, "directory": str(t.directory),
            "content_hash": t.content_hash, "agent_timeout_sec": t.agent_timeout_sec,
            "test_timeout_sec": t.test_timeout_sec}
    if t.native is not None:
        data["spec"] = t.native.model_dump(mode="json", exclude_none=True)
    if as_json:
        echo_json({**data, "instruction": t.instruction})
        return
    for key, value in data.items():
        if key != "spec":
            console.print(f"[bold]{key}:[/] {value}", highlight=False)
    if t.native is not None:
        console.print(f"[bold]service:[/] port {t.native.service.port}, "
                      f"dockerfile {t.native.service.dockerfile}")
    console.rule("instruction")
    console.print(t.instruction, markup=False, highlight=False)


@app.command("schema")
def schema() -> None:
    """The JSON Schema of a native task.yaml."""
    print(json.dumps(TaskSpec.model_json_schema(), indent=2))


@app.command("check")
@friendly_errors
def check(
    task: list[str] = typer.Argument(None, help="Task ids or globs (default: all)."),
    repeat: int = typer.Option(1, "--repeat", "-r", min=1,
                               help="Oracle and nop runs per task (flake detection)."),
    n_concurrent: int = typer.Option(1, "--n-concurrent", "-n", min=1),
    static_only: bool = typer.Option(False, "--static-only", help="Skip the Docker runs."),
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    output: Path = typer.Option(Path("runs/checks"), "--output", "-o"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Prove tasks solvable (oracle passes N times) and meaningful (nop fails N times).

    Exit 0 when every task passes its check, 1 when some task does not.
    """
    from abcbench.cli.progress import LiveRunView
    from abcbench.run.task_check import TaskCheck, check_tasks

    registry = load_registry(tasks_dir, dataset)
    flt = TaskFilter(ids=task or [])
    tasks = registry.select(flt, allow_broken=True)
    if static_only or as_json:
        checks = check_tasks(tasks, registry.root, output.resolve(), repeat, n_concurrent,
                             static_only=static_only)
    else:
        with LiveRunView(2 * len(tasks) * repeat) as view:
            checks = check_tasks(tasks, registry.root, output.resolve(), repeat, n_concurrent,
                                 view.events())
    checks += [TaskCheck(task_id=name, problems=[msg], static_problems=[msg])
               for name, msg in registry.broken(flt).items()]
    if as_json:
        echo_json([c.model_dump() for c in checks])
    else:
        table = Table("task", "verdict", "oracle", "nop", "problems")
        for c in checks:
            table.add_row(c.task_id, "[green]ok[/]" if c.ok else "[red]FAIL[/]",
                          "-" if static_only else f"{c.oracle_resolved}/{c.repeat}",
                          "-" if static_only else f"{c.nop_resolved}/{c.repeat}",
                          "\n".join(c.problems))
        console.print(table)
        console.print(f"{sum(c.ok for c in checks)}/{len(checks)} task(s) pass their check")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@app.command("new")
@friendly_errors
def new(
    task_id: str = typer.Argument(..., help="e.g. python-flask-bookshelf-loans"),
    language: str = typer.Option(..., "--language", "-l"),
    framework: str = typer.Option(..., "--framework", "-f"),
    task_type: str = typer.Option("logic", "--type", help="logic or environment."),
    repo: str = typer.Option(..., "--repo", help="Folder under tasks/_repos/ (created if new)."),
    port: int = typer.Option(8080, "--port"),
    tasks_dir: Path | None = typer.Option(None, "--tasks-dir"),
) -> None:
    """Scaffold a task folder (and its repository folder if new) from the template."""
    path = scaffold_task(tasks_dir or bundled_tasks_dir(), task_id, language, framework,
                         task_type, repo, port)
    console.print(f"created {path}: fill in instruction.md, masked/ and tests/, then run "
                  f"`abcbench tasks check {task_id}`")
