"""Lays out a native task's trees on the host: the masked starting state and the reference.

The starting state is the reference repository with the task's overlay laid over it and its
removed paths deleted; the oracle's solution is the reference itself. Every copy, write and
delete goes through `safepaths`, so no symlink in a reference, an overlay or a submission makes
the harness touch a file outside the tree it is laying out.
"""

from __future__ import annotations

from pathlib import Path

from abcbench.tasks.model import Task
from abcbench.tasks.safepaths import PathEscapeError, copy_tree, inside, remove, write_file

__all__ = ["copy_tree", "restore_environment_files", "write_reference", "write_starting_state"]


def write_reference(task: Task, dest: Path) -> Path:
    copy_tree(task.reference_repo, dest)
    return dest


def write_starting_state(task: Task, dest: Path) -> Path:
    """The repository exactly as the agent first sees it."""
    spec = task.spec
    copy_tree(task.reference_repo, dest)
    if spec.repository.mask.overlay is not None:
        copy_tree(task.directory / spec.repository.mask.overlay, dest)
    for removed in spec.repository.mask.remove:
        remove(dest, removed, f"task {task.id}: repository.mask.remove {removed!r}")
    return dest


def restore_environment_files(task: Task, repo: Path) -> list[str]:
    """For logic tasks: put the task's own environment files back, whatever the agent did.

    `repo` is the agent's submission, so links it holds are replaced, never written through.
    """
    restored: list[str] = []
    for rel in task.spec.service.environment_files:
        src = inside(task.reference_repo, rel)
        if src is None:
            raise PathEscapeError(
                f"task {task.id}: service.environment_files {rel!r} resolves outside the "
                f"reference repository {task.reference_repo}")
        if src.is_file():
            write_file(repo, rel, src)
            restored.append(rel)
    return restored
