"""--exclude-task, --n-tasks and --timeout-multiplier on a selected task list."""

from __future__ import annotations

import pytest

from abcbench.cli.run_options import adapt
from abcbench.errors import UserError
from abcbench.paths import bundled_tasks_dir
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskFilter, TaskRegistry


@pytest.fixture(scope="module")
def python_tasks() -> list[Task]:
    return TaskRegistry.from_dir(bundled_tasks_dir()).select(TaskFilter(languages=["python"]))


def test_exclude_then_first_n_by_id(python_tasks: list[Task]) -> None:
    tasks, _, _ = adapt(python_tasks, ["*-projects"], None, 1.0, None, None)
    assert "python-fastapi-taskboard-projects" not in {t.id for t in tasks}
    assert len(tasks) == len(python_tasks) - 1
    first, _, _ = adapt(python_tasks, [], 2, 1.0, None, None)
    assert [t.id for t in first] == sorted(t.id for t in python_tasks)[:2]


def test_timeout_multiplier_scales_task_and_override_timeouts(
        python_tasks: list[Task]) -> None:
    tasks, agent, test = adapt(python_tasks, [], 1, 2.5, 100.0, None)
    original = sorted(python_tasks, key=lambda t: t.id)[0]
    assert tasks[0].agent_timeout_sec == original.agent_timeout_sec * 2.5
    assert tasks[0].test_timeout_sec == original.test_timeout_sec * 2.5
    assert (agent, test) == (250.0, None)
    assert tasks[0].content_hash == original.content_hash  # same task, resumable


def test_bad_narrowing_is_one_line(python_tasks: list[Task]) -> None:
    with pytest.raises(UserError, match="--exclude-task 'go-\\*' matches no selected task"):
        adapt(python_tasks, ["go-*"], None, 1.0, None, None)
    with pytest.raises(UserError, match="left no task"):
        adapt(python_tasks, ["python-*"], None, 1.0, None, None)
    with pytest.raises(UserError, match="above 0"):
        adapt(python_tasks, [], None, 0.0, None, None)
