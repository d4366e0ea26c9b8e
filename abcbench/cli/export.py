"""`abcbench tasks export`: native tasks in the Terminal-Bench or Harbor layout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from abcbench.cli.common import (
    DatasetOption,
    FrameworkOption,
    LanguageOption,
    TaskOption,
    TasksDirOption,
    TypeOption,
    console,
    friendly_errors,
    load_registry,
)
from abcbench.tasks.export import HARBOR, TERMINAL_BENCH, export_task
from abcbench.tasks.registry import TaskFilter


class ExportFormat(StrEnum):
    terminal_bench = TERMINAL_BENCH
    harbor = HARBOR


@friendly_errors
def export(
    output: Path = typer.Argument(..., help="Folder to write the task folders into."),
    fmt: ExportFormat = typer.Option(ExportFormat.terminal_bench, "--format"),
    task: list[str] = TaskOption,
    language: list[str] = LanguageOption,
    framework: list[str] = FrameworkOption,
    task_type: str | None = TypeOption,
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
) -> None:
    """Write the selected native tasks as Terminal-Bench (`tb run --dataset-path DIR`) or
    Harbor (`harbor run --path DIR`) tasks."""
    tasks = load_registry(tasks_dir, dataset).select(
        TaskFilter(task, language, framework, task_type))
    output.mkdir(parents=True, exist_ok=True)
    for t in tasks:
        path = export_task(t, output.resolve(), fmt.value)
        console.print(f"exported {t.id} -> {path}", highlight=False)
    console.print(f"{len(tasks)} task(s) in {fmt.value} layout in {output.resolve()}; their "
                  "images build FROM abcbench/<language>:latest (`abcbench images build`)")
