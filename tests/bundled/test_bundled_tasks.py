"""The bundled suite: its shape (the issue's promises) and each task's check.

Which tasks get the Docker check (all three legs of `tasks check`) is set by ABCBENCH_BUNDLED:
`per-language` (default: the first environment task of each language), `sample` (CI: one
Python environment task and one Go logic task), `all`, or `none`. The full suite is checked
by hand with `abcbench tasks check --repeat 3`.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from abcbench.paths import bundled_tasks_dir
from abcbench.run.task_check import check_tasks
from abcbench.tasks.lint import lint_task
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry

REGISTRY = TaskRegistry.from_dir(bundled_tasks_dir())
TASKS = REGISTRY.all()
LANGUAGES = ("csharp", "javascript", "java", "ruby", "php", "go", "python", "rust")


def selected() -> list[Task]:
    mode = os.environ.get("ABCBENCH_BUNDLED", "per-language")
    if mode == "all":
        return TASKS
    if mode == "none":
        return []
    if mode == "sample":  # CI: one environment and one logic task (three legs, two languages)
        env = next(t for t in TASKS if t.language == "python" and t.task_type == "environment")
        logic = next(t for t in TASKS if t.language == "go" and t.task_type == "logic")
        return [env, logic]
    first: dict[str, Task] = {}
    for task in sorted(TASKS, key=lambda t: (t.task_type != "environment", t.id)):
        first.setdefault(task.language, task)
    return sorted(first.values(), key=lambda t: t.id)


def test_no_broken_task_folders() -> None:
    assert REGISTRY.errors == {}


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_static_checks(task: Task) -> None:
    assert lint_task(task) == []


def test_suite_shape() -> None:
    by_language = Counter(t.language for t in TASKS)
    assert len(TASKS) >= 32
    assert {lang: by_language[lang] for lang in LANGUAGES if by_language[lang] < 3} == {}
    n_env = sum(t.task_type == "environment" for t in TASKS)
    assert n_env / len(TASKS) >= 0.4


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("task", selected(), ids=[t.id for t in selected()])
def test_oracle_resolves_and_nop_does_not(task: Task, tmp_path: Path) -> None:
    [check] = check_tasks([task], REGISTRY.root, tmp_path, repeat=1, n_concurrent=1)
    assert check.ok, check.problems
