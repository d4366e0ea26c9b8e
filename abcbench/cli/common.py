"""Shared CLI plumbing: one-line errors with exit 2, the console, task directory options."""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, ParamSpec, TypeVar

import typer

from abcbench.cli.output import make_console, styled
from abcbench.datasets.cache import open_dataset
from abcbench.errors import HarnessError, UserError
from abcbench.paths import bundled_tasks_dir
from abcbench.redact import add_secrets
from abcbench.tasks.registry import TaskRegistry

console = make_console()
err_console = make_console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

EXIT_HARNESS_ERROR = 1
EXIT_USER_ERROR = 2


def stop_on_sigterm() -> None:
    """A command killed with SIGTERM (a cancelled CI job) stops like Ctrl-C: its containers
    removed, its results kept, exit 130."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn UserError into one red line and exit 2, HarnessError into exit 1: no traceback;
    SIGTERM and Ctrl-C into exit 130 after the command's own cleanup."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stop_on_sigterm()
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            err_console.print(styled(("error:", "bold red"), f" {exc}"), highlight=False,
                              soft_wrap=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except HarnessError as exc:
            err_console.print(styled(("harness error:", "bold red"), f" {exc}"), highlight=False,
                              soft_wrap=True)
            raise typer.Exit(EXIT_HARNESS_ERROR) from None
        except KeyboardInterrupt:
            err_console.print("interrupted", style="yellow")
            sys.exit(130)

    return wrapper


TasksDirOption = typer.Option(
    None, "--tasks-dir", help="Folder of task folders (default: the bundled tasks/)."
)
TaskOption = typer.Option([], "--task", "-t", help="Task id glob; repeatable.")
LanguageOption = typer.Option([], "--language", "-l", help="Repeatable.")
FrameworkOption = typer.Option([], "--framework", "-f", help="Repeatable.")
TypeOption = typer.Option(None, "--type", help="logic or environment.")
DatasetOption = typer.Option(
    None, "--dataset", help="A dataset folder (Terminal-Bench layout), or a registered "
    "NAME[@VERSION] such as abc-bench, pulled on first use (`abcbench datasets list`)."
)


def load_registry(tasks_dir: Path | None, dataset: Path | None) -> TaskRegistry:
    if tasks_dir is not None and dataset is not None:
        raise UserError("give --tasks-dir or --dataset, not both")
    if dataset is not None:
        return open_dataset(dataset, lambda m: err_console.print(m, highlight=False))
    return TaskRegistry.from_dir(tasks_dir or bundled_tasks_dir())


ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_agent_env(pairs: list[str]) -> dict[str, str]:
    """`--agent-env NAME` (value from this environment, so no key is on the command line where
    `ps` shows it) or `NAME=VALUE`. Every value becomes a run secret; no error quotes one: a
    mistyped `NAMEvalue` is the key itself, so errors name the flag's position instead."""
    env: dict[str, str] = {}
    for position, pair in enumerate(pairs, start=1):
        which = f"--agent-env #{position}"
        name, sep, value = pair.partition("=")
        if not ENV_NAME.match(name):
            raise UserError(f"{which}: expected NAME or NAME=VALUE, where NAME is a variable "
                            "name (the text is not shown, in case it holds a key)")
        if not sep:
            from_env = os.environ.get(name)
            if from_env is None:
                raise UserError(f"{which}: a name without '=' is read from your environment, "
                                "and it is not set in your environment (the text is not shown, "
                                "in case it is a key): export it, or give NAME=VALUE")
            value = from_env
        env[name] = value
    add_secrets(env.values())
    return env


def echo_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
