"""A loaded task: its spec plus where its files are and a hash of their contents.

Both layouts (native YAML and Terminal-Bench) load into `Task`, so the registry, the run
scheduler and the reports treat them alike; the trial dispatches on `format`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from abcbench.tasks.spec import TaskSpec
from abcbench.tasks.terminal_bench import TerminalBenchSpec


class TaskFormat(str, Enum):
    native = "native"
    terminal_bench = "terminal-bench"


@dataclass(frozen=True)
class Task:
    id: str
    directory: Path
    format: TaskFormat
    language: str
    framework: str
    category: str
    task_type: str
    difficulty: str
    title: str
    instruction: str
    agent_timeout_sec: float
    test_timeout_sec: float
    content_hash: str
    estimated_duration_sec: float | None = None
    native: TaskSpec | None = None
    terminal_bench: TerminalBenchSpec | None = None

    @property
    def spec(self) -> TaskSpec:
        """The native spec; only for native tasks."""
        if self.native is None:
            raise TypeError(f"task {self.id} is in the Terminal-Bench layout, not native")
        return self.native

    @property
    def reference_repo(self) -> Path:
        """The solved repository of a native task."""
        return (self.directory / self.spec.repository.source).resolve()

    @property
    def recipe_name(self) -> str | None:
        """The image name of the task's own recipe (`recipe:`), if it has one."""
        if self.native is None or self.native.recipe is None:
            return None
        from abcbench.images.recipe import task_recipe_name

        return task_recipe_name(self.id, (self.directory / self.native.recipe).resolve())

    @property
    def sandbox_image(self) -> str:
        """The recipe of the agent's sandbox: the task's own recipe if it has one."""
        spec = self.spec
        if self.recipe_name is None:
            return spec.sandbox_image
        from abcbench.images.recipe import layer_name

        return layer_name(self.recipe_name, spec.sandbox.extra_packages)

    @property
    def tests_dir(self) -> Path:
        if self.native is not None:
            return (self.directory / self.native.tests.directory).resolve()
        return self.directory / "tests"

    def summary(self) -> dict[str, str]:
        return {
            "id": self.id,
            "language": self.language,
            "framework": self.framework,
            "type": self.task_type,
            "category": self.category,
            "difficulty": self.difficulty,
            "format": self.format.value,
        }
