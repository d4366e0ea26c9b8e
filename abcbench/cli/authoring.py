"""`abcbench tasks check|new|mask|record`: the task author's commands (parsing and printing)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from abcbench.cli.common import (
    DatasetOption,
    TasksDirOption,
    console,
    echo_json,
    friendly_errors,
    load_registry,
)
from abcbench.cli.output import cell, styled
from abcbench.errors import UserError
from abcbench.tasks.registry import TaskFilter

if TYPE_CHECKING:
    from abcbench.run.task_check import TaskCheck


@friendly_errors
def check(
    task: list[str] = typer.Argument(None, help="Task ids or globs (default: all)."),
    repeat: int = typer.Option(1, "--repeat", "-r", min=1,
                               help="Runs of each leg per task (flake detection)."),
    n_concurrent: int = typer.Option(
        1, "--n-concurrent", "-n", min=1,
        help="Trials at a time; with 2 or more the legs also run side by side, sharing it."),
    static_only: bool = typer.Option(False, "--static-only", help="Skip the Docker runs."),
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    output: Path = typer.Option(Path("runs/checks"), "--output", "-o",
                                help="Where the legs' run folders go."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Prove tasks solvable and meaningful: static checks, then up to three legs.

    The reference solution must pass N times; the untouched repository must fail N times; for
    environment tasks the masked code with the reference environment files must fail N times.
    Exit 0 when every task passes its check, 1 when some task does not.
    """
    from abcbench.cli.progress import LiveRunView
    from abcbench.run.task_check import TaskCheck, check_tasks, n_trials

    registry = load_registry(tasks_dir, dataset)
    flt = TaskFilter(ids=task or [])
    tasks = registry.select(flt, allow_broken=True)
    if static_only or as_json:
        checks = check_tasks(tasks, registry.root, output.resolve(), repeat, n_concurrent,
                             static_only=static_only)
    else:
        with LiveRunView(n_trials(tasks, repeat)) as view:
            checks = check_tasks(tasks, registry.root, output.resolve(), repeat, n_concurrent,
                                 view.events())
    checks += [TaskCheck(task_id=name, problems=[msg], static_problems=[msg])
               for name, msg in registry.broken(flt).items()]
    if as_json:
        echo_json([c.model_dump() for c in checks])
    else:
        _print_checks(checks, static_only)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def _count(value: int | None, repeat: int) -> str:
    return "-" if value is None else f"{value}/{repeat}"


def _print_checks(checks: list[TaskCheck], static_only: bool) -> None:
    table = Table("task", "verdict", "reference", "untouched", "masked+env", "problems")
    for c in checks:
        table.add_row(cell(c.task_id), cell("ok", "green") if c.ok else cell("FAIL", "red"),
                      _count(c.oracle_resolved, c.repeat), _count(c.nop_resolved, c.repeat),
                      _count(c.masked_env_resolved, c.repeat), cell("\n".join(c.problems)))
    console.print(table)
    for c in checks:
        for leg in c.legs:
            # Why a leg failed matters even when failing is expected: a stub that does not
            # compile makes the untouched repository fail for the wrong reason.
            why = f"; {leg.failures[0].describe()}" if leg.failures else ""
            console.print(styled(f"{c.task_id} ", (leg.name, "bold"),
                                 f": resolved {leg.resolved}/{leg.runs}, run {leg.run_dir}{why}"),
                          highlight=False, soft_wrap=True)
    if static_only:
        console.print("static checks only: no leg ran", style="dim")
    console.print(f"{sum(c.ok for c in checks)}/{len(checks)} task(s) pass their check")


@friendly_errors
def mask(
    task_id: str = typer.Argument(..., help="The task whose overlay to generate."),
    function: list[str] = typer.Option(
        [], "--function", "-F",
        help="FILE:NAME of a function or method to mask (NAME qualified as Class.method when "
        "ambiguous); repeatable."),
    route: list[str] = typer.Option(
        [], "--route", "-R",
        help="'METHOD /path' of a route whose handler to mask, the path as the code writes it; "
        "repeatable."),
    keep_edits: bool = typer.Option(
        False, "--keep-edits",
        help="Keep the overlay as corrected by hand: record the generation it was corrected "
        "on, so `tasks check` accepts it until the reference or the selection changes."),
    tasks_dir: Path | None = TasksDirOption,
) -> None:
    """Generate the task's overlay: the chosen bodies become 'not implemented' stubs.

    The selection is stored in task.yaml (repository.mask.functions / routes); without
    --function/--route the stored selection is applied again, e.g. after the reference changed.
    """
    from abcbench.tasks.mask_task import apply_selection
    from abcbench.tasks.mask_task import keep_edits as keep_hand_edits

    task = load_registry(tasks_dir, None).get(task_id)
    if task.native is None:
        raise UserError(f"{task_id} is a Terminal-Bench task; masking needs a native task")
    if keep_edits:
        if function or route:
            raise UserError("--keep-edits records the current overlay; it takes no "
                            "--function/--route")
        digest = keep_hand_edits(task)
        console.print(f"kept the hand-corrected overlay of {task_id} (generation "
                      f"{digest[:12]}); next: `abcbench tasks check {task_id}"
                      f"{_tasks_dir_flag(tasks_dir)}`", markup=False, highlight=False)
        return
    files = apply_selection(task, function, route)
    overlay = task.directory / (task.native.repository.mask.overlay or "masked")
    for rel in files:
        console.print(f"masked {rel}", highlight=False)
    console.print(f"wrote {len(files)} file(s) to {overlay}; next: "
                  f"`abcbench tasks check {task_id}{_tasks_dir_flag(tasks_dir)}`",
                  highlight=False, soft_wrap=True)


def _tasks_dir_flag(tasks_dir: Path | None) -> str:
    return f" --tasks-dir {tasks_dir}" if tasks_dir is not None else ""


@friendly_errors
def new(
    task_id: str = typer.Argument(..., help="Task id, e.g. python-flask-bookshelf-loans."),
    language: str = typer.Option(..., "--language", "-l",
                                 help="csharp, go, java, javascript, php, python, ruby or rust."),
    framework: str = typer.Option(..., "--framework", "-f",
                                  help="One lowercase word: flask, net-http, spring-mvc, ..."),
    task_type: str = typer.Option(
        "logic", "--type",
        help="logic (environment files given) or environment (the agent writes the Dockerfile)."),
    source: str | None = typer.Option(
        None, "--from", help="A working repository (folder or git URL) to copy into _repos/."),
    repo: str | None = typer.Option(
        None, "--repo",
        help="Folder name under <tasks-dir>/_repos/ (default with --from: the source's name)."),
    project: str | None = typer.Option(
        None, "--project", help="Folder under /app in the sandbox (default: the repo name)."),
    port: int = typer.Option(8080, "--port", min=1, max=65535,
                             help="Port the service listens on."),
    health_path: str | None = typer.Option(
        None, "--health-path",
        help="Path that answers 200 once the service is up (default: none; readiness is any "
        "HTTP answer; `tasks record` finds one by probing)."),
    tasks_dir: Path = typer.Option(
        Path("tasks"), "--tasks-dir", help="Folder of task folders to create the task in."),
) -> None:
    """Scaffold a task folder (and its repository under _repos/) from a template."""
    from abcbench.tasks.scaffold import repository_of, scaffold_task, upstream_dockerfile_warnings

    path = scaffold_task(tasks_dir, task_id, language, framework, task_type, repo, port,
                         source=source, project=project, health_path=health_path)
    if source is not None:
        repo_dir = repository_of(path)
        for warning in upstream_dockerfile_warnings(repo_dir, language):
            console.print(styled(("warning", "yellow"), f": {repo_dir / 'Dockerfile'} {warning}"),
                          highlight=False, soft_wrap=True)
    flag = f" --tasks-dir {path.parent}"
    console.print(f"created {path}; fill in instruction.md, then:", highlight=False,
                  soft_wrap=True)
    for step in (f"abcbench tasks mask {task_id} --function FILE:NAME | --route 'METHOD /path'",
                 f"abcbench tasks record {task_id} scenario.yaml",
                 f"abcbench tasks check {task_id}"):
        console.print(f"  {step}{flag}", highlight=False, soft_wrap=True, markup=False)


@friendly_errors
def record(
    task_id: str = typer.Argument(..., help="The task whose reference to record."),
    scenario: Path = typer.Argument(
        ..., help="YAML: `tests: [{name, steps: [{method, path, json?, headers?, save?}]}]` "
        "and/or `requests: [{name, method, path, ...}]`."),
    force: bool = typer.Option(False, "--force", help="Replace an existing test_functional.py."),
    tasks_dir: Path | None = TasksDirOption,
) -> None:
    """Run the reference service, send the scenario's requests from a tester container, and
    write a draft tests/test_functional.py (status and JSON assertions) to edit."""
    from abcbench.tasks.record import record as record_scenario

    task = load_registry(tasks_dir, None).get(task_id)
    if task.native is None:
        raise UserError(f"{task_id} is a Terminal-Bench task; recording needs a native task")
    done = record_scenario(task, scenario, force=force,
                           notify=lambda msg: console.print(msg, style="cyan", highlight=False))
    console.print(f"wrote {done.n_tests} draft test(s) to {done.tests_file}", highlight=False)
    if done.health_written:
        console.print(f"readiness: GET {done.health_path} answered 200; wrote service."
                      "health_path to task.yaml", highlight=False)
    elif done.health_path is None:
        console.print(styled(("no health path answered 200", "yellow"), " (probed /health, "
                             "/healthz, ...): readiness stays 'any HTTP answer'"))
    for name in done.unanswered:
        console.print(styled(("no answer", "yellow"),
                             f" in test {name!r}: see the comment in the draft"), highlight=False)
    for name in done.unstable:
        console.print(styled(("not repeatable", "yellow"), f": {name}: the status changed when "
                             "the scenario ran again; make the test create its own data"),
                      highlight=False)
    console.print(f"edit the draft, then: abcbench tasks check {task_id}"
                  f"{_tasks_dir_flag(tasks_dir)}", highlight=False, markup=False)
