"""`abcbench tasks`: list, show and describe tasks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from abcbench.cli import authoring
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
from abcbench.cli.output import cell, styled
from abcbench.tasks.registry import TaskFilter
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
        err_console.print(styled(("skipped broken task:", "yellow"), f" {message}"),
                          highlight=False,
                          soft_wrap=True)
    table = Table("id", "language", "framework", "type", "category", "difficulty", "format",
                  title=Text(f"{len(tasks)} task(s) in {registry.root}"))
    for t in tasks:
        s = t.summary()
        table.add_row(*(cell(s[key] if s[key] is not None else "") for key in (
            "id", "language", "framework", "type", "category", "difficulty", "format")))
    console.print(table)
    for label, key in (("language", "language"), ("framework", "framework"), ("type", "type")):
        counts = Counter(t.summary()[key] for t in tasks)
        console.print(styled((f"by {label}:", "bold"), " " + ", ".join(
            f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))))


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
            console.print(styled((f"{key}:", "bold"), f" {value}"), highlight=False)
    if t.native is not None:
        console.print(styled(("service:", "bold"), f" port {t.native.service.port}, "
                             f"dockerfile {t.native.service.dockerfile}"))
    console.rule("instruction")
    console.print(t.instruction, markup=False, highlight=False)


@app.command("schema")
def schema() -> None:
    """The JSON Schema of a native task.yaml."""
    print(json.dumps(TaskSpec.model_json_schema(), indent=2))


# The task author's commands live in abcbench/cli/authoring.py.
app.command("check")(authoring.check)
app.command("mask")(authoring.mask)
app.command("new")(authoring.new)
app.command("record")(authoring.record)
app.command("synthesize")(__import__("abcbench.cli.synthesize", fromlist=["_"]).synthesize)
