"""What an executor is: the place where one attempt at a trial runs (docs/architecture.md,
"The run and its executors").

The runner owns the plan, the retry loop of the error policy, the run folder and the live view;
an executor only runs one attempt of a trial where it can (a local thread, a Ray node) and hands
back its result, with the trial's folder in the driver's run folder. Every executor runs the
same trial code (`abcbench.run.executors.attempt.run_attempt`) against its host's Docker engine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from abcbench.images.manager import ImageManager
from abcbench.results.models import Fault, TrialResult
from abcbench.results.store import RunDir
from abcbench.tasks.model import Task, TaskFormat
from abcbench.trial import PhaseCallback, TrialSpec

EXECUTORS = ("local", "ray")


class Executor(Protocol):
    name: str

    def open(self) -> None:
        """Connect (a cluster) or check what the executor needs; UserError if it cannot."""

    def capacity(self, requested: int) -> int:
        """How many trials the runner keeps in flight, given `--n-concurrent`."""

    def prepare_images(self, names: Sequence[str]) -> dict[str, str]:
        """Ensure the recipe images on every Docker host; `name -> ref@id` for provenance."""

    def engine_version(self) -> str | None:
        """The Docker server version the trials run against (the first host's)."""

    def run_attempt(self, spec: TrialSpec, run_dir: RunDir, retry: int,
                    causes: Sequence[Fault], on_phase: PhaseCallback,
                    cancelled: threading.Event) -> TrialResult | None:
        """One attempt, its folder in `run_dir` and its result written there; None when the
        run was stopped (nothing is written)."""

    def stop(self) -> None:
        """Ctrl-C: stop every attempt in flight now (the runner cleans up after)."""

    def cleanup(self, run_id: str) -> None:
        """Remove the run's containers and networks on every Docker host, by label."""

    def close(self) -> None:
        """Release what `open` took."""


def recipe_names(tasks: Sequence[Task], images: ImageManager) -> list[str]:
    """The recipe images a set of tasks needs (the tester, sandboxes, what Dockerfiles use)."""
    names = ["tester"]
    for task in tasks:
        if task.format is TaskFormat.native:
            names.append(task.sandbox_image)
            dockerfile = task.reference_repo / task.spec.service.dockerfile
        else:
            dockerfile = task.directory / "Dockerfile"
        if dockerfile.is_file():
            names += images.recipes_in_dockerfile(dockerfile.read_text("utf-8"))
    return list(dict.fromkeys(names))
