"""`abcbench tasks check`: proves a task solvable (the oracle passes, N times in a row) and
meaningful (the untouched repository fails, N times), after the static checks."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from abcbench.agents.base import Agent
from abcbench.agents.nop import NopAgent
from abcbench.agents.oracle import OracleAgent
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import RunEvents, Runner, RunRequest, new_run_id
from abcbench.tasks.lint import lint_task
from abcbench.tasks.model import Task


class TaskCheck(BaseModel):
    task_id: str
    ok: bool = False
    static_problems: list[str] = Field(default_factory=list)
    oracle_resolved: int = 0
    nop_resolved: int = 0
    repeat: int = 0
    problems: list[str] = Field(default_factory=list)
    oracle_failures: list[str] = Field(default_factory=list)


def check_tasks(tasks: list[Task], tasks_dir: Path, output: Path, repeat: int,
                n_concurrent: int, events: RunEvents | None = None,
                static_only: bool = False) -> list[TaskCheck]:
    checks = {t.id: TaskCheck(task_id=t.id, static_problems=lint_task(t), repeat=repeat)
              for t in tasks}
    runnable = [t for t in tasks if not checks[t.id].static_problems]
    if runnable and not static_only:
        for agent_cls in (OracleAgent, NopAgent):
            for result in _run(agent_cls, runnable, tasks_dir, output, repeat, n_concurrent,
                               events):
                check = checks[result.task_id]
                if agent_cls is OracleAgent:
                    check.oracle_resolved += result.resolved
                    if not result.resolved:
                        check.oracle_failures.append(
                            f"attempt {result.attempt}: {result.failure_class} {result.error}")
                else:
                    check.nop_resolved += result.resolved
    for check in checks.values():
        check.problems = list(check.static_problems)
        if not static_only and not check.static_problems:
            if check.oracle_resolved < repeat:
                check.problems.append(
                    f"reference solution resolved {check.oracle_resolved}/{repeat} times "
                    "(unsolvable or flaky): " + "; ".join(check.oracle_failures[:2]))
            if check.nop_resolved:
                check.problems.append(
                    f"the untouched repository resolved {check.nop_resolved}/{repeat} times: "
                    "the tests do not test the masked code")
        check.ok = not check.problems
    return [checks[t.id] for t in tasks]


def _run(agent_cls: type[Agent], tasks: list[Task], tasks_dir: Path, output: Path,
         repeat: int, n_concurrent: int, events: RunEvents | None) -> list[TrialResult]:
    run_id = new_run_id(f"check-{agent_cls.name}")
    request = RunRequest(tasks=tasks, agent_cls=agent_cls,
                         agent_info=AgentInfo(name=agent_cls.name), output_dir=output,
                         tasks_dir=tasks_dir, run_id=run_id, n_attempts=repeat,
                         n_concurrent=n_concurrent)
    Runner(request, events).execute()
    return RunDir(output / run_id).results()


