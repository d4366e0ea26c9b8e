"""`abcbench tasks shell TASK`: a shell in the task's starting state, removed on exit."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from abcbench.cli.common import (
    DatasetOption,
    TasksDirOption,
    err_console,
    friendly_errors,
    load_registry,
)
from abcbench.trial.shell import open_shell


@friendly_errors
def shell(
    task_id: str = typer.Argument(..., help="Task id."),
    command: str | None = typer.Option(None, "--command", "-c",
                                       help="Run this instead of an interactive shell."),
    session: str | None = typer.Option(None, "--id", help="Label for the sandbox's Docker "
                                       "objects (default: shell-<random>)."),
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
) -> None:
    """The sandbox an agent would get (image, limits, masked repository, baseline commit).

    No tests inside. Everything is removed when the shell exits; exits with the shell's code.
    """
    task = load_registry(tasks_dir, dataset).get(task_id)
    session = session or f"shell-{secrets.token_hex(4)}"
    err_console.print(f"starting {task.id} ({session}); it is removed when the shell exits",
                      highlight=False)
    code = open_shell(task, session, command)
    raise typer.Exit(code)
