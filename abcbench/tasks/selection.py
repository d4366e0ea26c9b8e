"""Narrowing and adapting a selected task list for one run: `--exclude-task`, `--n-tasks`,
`--timeout-multiplier` (slower hosts, bigger models)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from abcbench.errors import UserError
from abcbench.tasks.model import Task
from abcbench.tasks.spec import glob_to_regex


def narrow(tasks: Sequence[Task], exclude: Sequence[str] = (),
           n_tasks: int | None = None) -> list[Task]:
    """Drop tasks whose id matches an `exclude` glob, then keep the first `n_tasks` by id."""
    for pattern in exclude:
        if not any(glob_to_regex(pattern).match(t.id) for t in tasks):
            raise UserError(f"--exclude-task {pattern!r} matches no selected task "
                            "(`abcbench tasks list`)")
    kept = sorted((t for t in tasks if not any(glob_to_regex(p).match(t.id) for p in exclude)),
                  key=lambda t: t.id)
    if n_tasks is not None:
        if n_tasks < 1:
            raise UserError(f"--n-tasks {n_tasks}: give at least 1")
        kept = kept[:n_tasks]
    if not kept:
        raise UserError("--exclude-task left no task to run")
    return kept


def scale(seconds: float | None, multiplier: float) -> float | None:
    return None if seconds is None else seconds * multiplier


def scale_timeouts(tasks: Sequence[Task], multiplier: float) -> list[Task]:
    """Each task's agent and test timeouts times `multiplier` (the budget the agent is told)."""
    if not multiplier > 0:
        raise UserError(f"--timeout-multiplier {multiplier}: give a number above 0")
    if multiplier == 1:
        return list(tasks)
    return [dataclasses.replace(t, agent_timeout_sec=t.agent_timeout_sec * multiplier,
                                test_timeout_sec=t.test_timeout_sec * multiplier)
            for t in tasks]
