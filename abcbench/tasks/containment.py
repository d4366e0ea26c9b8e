"""Every path a native spec names stays inside its tree, symlinks resolved.

The spec model already refuses absolute paths and `..`; this resolves each path on disk, so a
symlink planted in a downloaded task folder cannot point the harness at a host file. The roots:
the task folder (instruction file, overlay, tests), the tasks folder (the repository, which
usually sits in the sibling `_repos/`), and the reference repository (the paths inside it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from abcbench.tasks.safepaths import LinkLoop, resolve
from abcbench.tasks.spec import TaskSpec

__all__ = ["LinkLoop", "ResolvedPaths", "path_problems", "resolve_paths"]


@dataclass(frozen=True)
class ResolvedPaths:
    repository: Path
    tests: Path


def _within(path: Path, base: Path) -> bool:
    return path == base or path.is_relative_to(base)


def _resolve(base: Path, rel: str, follow_last: bool) -> Path:
    joined = base / rel
    try:
        if follow_last or joined.name in ("", ".", ".."):
            return resolve(joined)
        return resolve(joined.parent) / joined.name  # a link itself may be removed
    except LinkLoop:
        raise LinkLoop(f"{rel!r} is a symlink loop") from None


def resolve_paths(spec: TaskSpec, directory: Path) -> ResolvedPaths:
    return ResolvedPaths(repository=_resolve(directory, spec.repository.source, True),
                         tests=_resolve(directory, spec.tests.directory, True))


def path_problems(spec: TaskSpec, directory: Path) -> list[str]:
    """One sentence per spec path that leaves its tree, naming the field; empty when all stay."""
    directory = directory.resolve()
    tasks_root = directory.parent
    try:
        repo = resolve_paths(spec, directory).repository
    except LinkLoop as exc:
        return [f"field 'repository.source' or 'tests.directory': {exc}; remove the link"]
    service, mask = spec.service, spec.repository.mask
    checks: list[tuple[str, str, Path, str, bool]] = [
        ("repository.source", spec.repository.source, directory, "the tasks folder", True),
    ]
    task_relative = [("instruction_file", spec.instruction_file), ("recipe", spec.recipe),
                     ("repository.mask.overlay", mask.overlay),
                     ("tests.directory", spec.tests.directory)]
    checks += [(field, value, directory, "the task folder", True)
               for field, value in task_relative if value is not None]
    checks += [("service.dockerfile", service.dockerfile, repo, "the repository", True),
               ("service.build_context", service.build_context, repo, "the repository", True)]
    checks += [("service.environment_files", v, repo, "the repository", True)
               for v in service.environment_files]
    checks += [("repository.mask.remove", v, repo, "the repository", False) for v in mask.remove]
    problems: list[str] = []
    for field, value, base, what, follow_last in checks:
        root = tasks_root if field == "repository.source" else base
        try:
            target = _resolve(base, value, follow_last)
        except LinkLoop as exc:
            problems.append(f"field '{field}': {exc}; remove the link")
            continue
        if not _within(target, root) or (field == "repository.source" and target == root):
            problems.append(
                f"field '{field}': {value!r} resolves to {target}, outside {what} {root}; "
                "paths must stay inside it (a symlink out of it counts)")
    return problems
