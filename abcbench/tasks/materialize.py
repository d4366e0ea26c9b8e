"""Lays out a native task's trees on the host: the masked starting state and the reference.

The starting state is the reference repository with the task's overlay laid over it and its
removed paths deleted; the oracle's solution is the reference itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from abcbench.hashing import IGNORED_NAMES
from abcbench.tasks.model import Task


def _ignore(_dir: str, names: list[str]) -> set[str]:
    return {n for n in names if n in IGNORED_NAMES or n.endswith(".pyc")}


def copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, ignore=_ignore, dirs_exist_ok=True, symlinks=True)


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
        target = dest / removed
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    return dest


def restore_environment_files(task: Task, repo: Path) -> list[str]:
    """For logic tasks: put the task's own environment files back, whatever the agent did."""
    restored: list[str] = []
    for rel in task.spec.service.environment_files:
        src = task.reference_repo / rel
        if src.is_file():
            target = repo / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            restored.append(rel)
    return restored
