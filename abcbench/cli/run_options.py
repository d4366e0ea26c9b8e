"""`abcbench run` options that narrow or adapt the selected tasks (wired in cli/run.py)."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from abcbench.tasks.model import Task
from abcbench.tasks.selection import narrow, scale, scale_timeouts

ExcludeTaskOption = typer.Option(
    [], "--exclude-task", "-x", help="Task id glob to leave out; repeatable.")
NTasksOption = typer.Option(
    None, "--n-tasks", min=1, help="Run only the first N selected tasks (by id).")
TimeoutMultiplierOption = typer.Option(
    None, "--timeout-multiplier", min=0.01,
    help="Multiply every agent and test timeout (the task's, or --agent/--test-timeout).")
NoCleanupOption = typer.Option(
    False, "--no-cleanup", help="Keep each trial's containers (stopped), networks and images "
    "to debug them; `abcbench cleanup --run RUN` removes them (docs/runs.md).")

EgressOption = typer.Option(
    None, "--egress", help="What every task's sandbox reaches, overriding its sandbox.egress: "
    "none, archive (package archives through the harness's allow-listing proxy) or full "
    "(docs/security.md).")
EgressAllowOption = typer.Option(
    [], "--egress-allow", help="HOST, HOST:PORT or *.DOMAIN an archive sandbox may reach "
    "besides the default archives; repeatable.")


def adapt(tasks: Sequence[Task], exclude: Sequence[str], n_tasks: int | None,
          multiplier: float, agent_timeout: float | None, test_timeout: float | None,
          ) -> tuple[list[Task], float | None, float | None]:
    """The tasks to run and the overriding timeouts, after the options above."""
    chosen = scale_timeouts(narrow(tasks, exclude, n_tasks), multiplier)
    return chosen, scale(agent_timeout, multiplier), scale(test_timeout, multiplier)
