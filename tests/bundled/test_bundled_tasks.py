"""The bundled suite: its shape (the issue's promises) and each task's check.

Which tasks get the Docker check (all three legs of `tasks check`, repeat 1) is set by
ABCBENCH_BUNDLED:
- `per-language` (default): the first environment task of each language;
- `check-per-language`: one logic and one environment task of each language (16 tasks);
  `check-per-language:go,python,...` limits it to those languages;
- `sample`: one Python environment task and one Go logic task; `all`; `none`.
The selected tasks are checked together, ABCBENCH_BUNDLED_CONCURRENCY trials at a time (default
2). The full suite is checked by hand with `abcbench tasks check --repeat 3`;
`bench/task_check_bench.py` measures what a check costs per task.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter

import pytest

from abcbench.paths import bundled_tasks_dir
from abcbench.run.task_check import TaskCheck, check_tasks
from abcbench.tasks.lint import lint_task
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry

REGISTRY = TaskRegistry.from_dir(bundled_tasks_dir())
TASKS = REGISTRY.all()
LANGUAGES = ("csharp", "javascript", "java", "ruby", "php", "go", "python", "rust")


def one_of_each_type(tasks: list[Task], languages: tuple[str, ...] = LANGUAGES) -> list[Task]:
    """The first (by id) logic and environment task of each language: both kinds of check
    (two legs and three legs) over every language's toolchain."""
    first: dict[tuple[str, str], Task] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        if task.language in languages:
            first.setdefault((task.language, task.task_type), task)
    return sorted(first.values(), key=lambda t: t.id)


def selected(mode: str | None = None) -> list[Task]:
    mode = mode or os.environ.get("ABCBENCH_BUNDLED", "per-language")
    if mode == "all":
        return TASKS
    if mode == "none":
        return []
    if mode == "check-per-language" or mode.startswith("check-per-language:"):
        _, _, listed = mode.partition(":")
        languages = tuple(x.strip() for x in listed.split(",") if x.strip()) or LANGUAGES
        unknown = sorted(set(languages) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"ABCBENCH_BUNDLED={mode}: unknown language(s) {unknown}")
        return one_of_each_type(TASKS, languages)
    if mode == "sample":  # CI: one environment and one logic task (three legs, two languages)
        env = next(t for t in TASKS if t.language == "python" and t.task_type == "environment")
        logic = next(t for t in TASKS if t.language == "go" and t.task_type == "logic")
        return [env, logic]
    if mode != "per-language":
        raise ValueError(f"ABCBENCH_BUNDLED={mode!r}: use per-language, check-per-language[:"
                         "LANG,...], sample, all or none")
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


def test_check_per_language_has_both_types_of_every_language() -> None:
    chosen = selected("check-per-language")
    assert sorted((t.language, t.task_type) for t in chosen) == sorted(
        (lang, kind) for lang in LANGUAGES for kind in ("environment", "logic"))
    assert {t.language for t in selected("check-per-language:go,rust")} == {"go", "rust"}
    with pytest.raises(ValueError, match="unknown language"):
        selected("check-per-language:cobol")
    with pytest.raises(ValueError, match="use per-language"):
        selected("every")


CHECKED = selected()


@pytest.fixture(scope="module")
def bundled_checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TaskCheck]:
    """Every selected task checked in one go (each leg one run over all of them), so that
    trials of different tasks share the machine's cores."""
    from tests.conftest import _SESSION_RUN_IDS, TEST_RUN_PREFIX

    prefix = f"{TEST_RUN_PREFIX}{uuid.uuid4().hex[:12]}"
    _SESSION_RUN_IDS.add(prefix)  # the session's leak check covers the legs' runs
    concurrency = int(os.environ.get("ABCBENCH_BUNDLED_CONCURRENCY", "2"))
    checks = check_tasks(CHECKED, REGISTRY.root, tmp_path_factory.mktemp("bundled-checks"),
                         repeat=1, n_concurrent=concurrency, run_prefix=prefix)
    return {c.task_id: c for c in checks}


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("task", CHECKED, ids=[t.id for t in CHECKED])
def test_oracle_resolves_and_nop_does_not(task: Task,
                                          bundled_checks: dict[str, TaskCheck]) -> None:
    check = bundled_checks[task.id]
    assert check.ok, check.problems
    expected_legs = 3 if task.task_type == "environment" else 2
    assert len(check.legs) == expected_legs and all(leg.runs == 1 for leg in check.legs)
