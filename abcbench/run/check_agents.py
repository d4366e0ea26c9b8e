"""Agents that only `tasks check` uses: privileged like the oracle (they read the reference),
never offered to `abcbench run` (they are not in the agent registry).

`ReferenceEnvironmentAgent` answers the question the untouched repository cannot answer for an
environment task: with the environment given, do the tests still fail on the masked code? The
untouched repository of an environment task has no Dockerfile, so it fails at the build whatever
its tests test; this agent puts the reference's environment files back and nothing else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from abcbench import scratch
from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.tasks.model import Task


def environment_paths(task: Task) -> list[str]:
    """The reference files that make up a task's environment and exist in the reference.

    That is the removed paths (an environment task lists its Dockerfile and deploy files
    there), the declared environment files and the Dockerfile itself; the overlay's masked
    code is left alone.
    """
    spec = task.spec
    wanted = [*spec.repository.mask.remove, *spec.service.environment_files,
              spec.service.dockerfile]
    reference = task.reference_repo
    return [rel for rel in dict.fromkeys(wanted) if (reference / rel).exists()]


def copy_environment(task: Task, dest: Path) -> list[str]:
    """Copy the environment paths of the reference into `dest` (a tree to lay over the repo)."""
    copied = environment_paths(task)
    for rel in copied:
        src, target = task.reference_repo / rel, dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target, follow_symlinks=False)
    return copied


class ReferenceEnvironmentAgent(Agent):
    name = "check-reference-environment"
    description = ("tasks check only: lays the reference's environment files over the masked "
                   "repository, so the tests must fail on the masked code alone")

    def run(self, ctx: AgentContext) -> AgentResult:
        # Privileged like the oracle: only a context that carries the task lets it read the
        # reference (the trial decides which agents get one, by class identity).
        task: Task | None = getattr(ctx, "task", None)
        if task is None:
            return AgentResult(exit_status="error", message="the check agent needs the "
                               "privileged context (the task); it got an ordinary one")
        with scratch.temporary_dir("abcbench-check-env-") as tmp:
            tree = Path(tmp) / "env"
            tree.mkdir()
            copied = copy_environment(task, tree)
            if copied:
                ctx.sandbox.copy_in(tree, ctx.repo_dir)
        (ctx.logs_dir / "check-agent.log").write_text(
            "restored from the reference: " + (", ".join(copied) or "nothing") + "\n",
            encoding="utf-8")
        return AgentResult(message=f"restored {len(copied)} environment path(s)")
