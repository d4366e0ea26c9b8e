"""The set of tasks in a directory, with the filters the CLI offers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from abcbench.errors import UserError
from abcbench.tasks.loader import TaskLoadError, is_task_dir, load_task
from abcbench.tasks.model import Task
from abcbench.tasks.spec import glob_to_regex


@dataclass(frozen=True)
class TaskFilter:
    ids: Sequence[str] = ()
    languages: Sequence[str] = ()
    frameworks: Sequence[str] = ()
    task_type: str | None = None

    def matches(self, task: Task) -> bool:
        if self.ids and not any(glob_to_regex(p).match(task.id) for p in self.ids):
            return False
        if self.languages and task.language not in {x.lower() for x in self.languages}:
            return False
        if self.frameworks and task.framework.lower() not in {x.lower() for x in self.frameworks}:
            return False
        return self.task_type is None or task.task_type == self.task_type


class TaskRegistry:
    def __init__(self, root: Path, tasks: Iterable[Task],
                 errors: dict[str, str] | None = None) -> None:
        self.root = root
        self._tasks = {t.id: t for t in sorted(tasks, key=lambda t: t.id)}
        #: Task folders that failed to load, by folder name: reported when selected.
        self.errors = dict(errors or {})

    @classmethod
    def from_dir(cls, root: Path) -> TaskRegistry:
        """Every task directly under `root` (folders starting with `_` or `.` are not tasks).

        A downloaded dataset may keep its tasks one level down, under `tasks/`.
        """
        root = root.resolve()
        if not root.is_dir():
            raise UserError(f"tasks directory {root} does not exist; pass --tasks-dir DIR")
        if not any(is_task_dir(p) for p in root.iterdir()) and (root / "tasks").is_dir():
            root = root / "tasks"
        tasks: list[Task] = []
        errors: dict[str, str] = {}
        for child in sorted(root.iterdir()):
            if child.name.startswith(("_", ".")) or not child.is_dir():
                continue
            if is_task_dir(child):
                try:
                    tasks.append(load_task(child))
                except TaskLoadError as exc:
                    errors[child.name] = str(exc)
                except (OSError, ValueError, RuntimeError) as exc:  # this folder only
                    first = str(exc).splitlines()[0] if str(exc) else ""
                    errors[child.name] = (f"{child}: cannot be loaded: "
                                          f"{exc.__class__.__name__}: {first}")
        if not tasks and not errors:
            raise UserError(f"no tasks in {root}: each task is a folder with a task.yaml")
        return cls(root, tasks, errors)

    def __len__(self) -> int:
        return len(self._tasks)

    def all(self) -> list[Task]:
        return list(self._tasks.values())

    def get(self, task_id: str) -> Task:
        if task_id in self.errors:
            raise TaskLoadError(self.errors[task_id])
        try:
            return self._tasks[task_id]
        except KeyError:
            close = [t for t in self._tasks if task_id in t or t in task_id][:3]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UserError(
                f"unknown task id {task_id!r} in {self.root}{hint} (`abcbench tasks list`)"
            ) from None

    def broken(self, flt: TaskFilter) -> dict[str, str]:
        """Load errors of the folders the filter's ids would select (all, without ids)."""
        if not flt.ids:
            return dict(self.errors)
        return {name: msg for name, msg in self.errors.items()
                if any(glob_to_regex(p).match(name) for p in flt.ids)}

    def select(self, flt: TaskFilter, *, allow_broken: bool = False) -> list[Task]:
        """Tasks matching `flt`; a broken task folder among them is an error unless allowed."""
        broken = self.broken(flt)
        if broken and not allow_broken:
            first = next(iter(broken.values()))
            more = f" (and {len(broken) - 1} more broken task(s))" if len(broken) > 1 else ""
            raise TaskLoadError(first + more)
        chosen = [t for t in self._tasks.values() if flt.matches(t)]
        for pattern in flt.ids:
            if not any(glob_to_regex(pattern).match(t)
                       for t in [*self._tasks, *self.errors]):
                raise UserError(
                    f"--task {pattern!r} matches no task in {self.root} (`abcbench tasks list`)"
                )
        return chosen


__all__ = ["TaskFilter", "TaskLoadError", "TaskRegistry"]
