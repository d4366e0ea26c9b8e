"""A task's mask selection: stored in task.yaml, turned into its overlay, checked for drift.

The overlay of a task with a selection is exactly what the selection generates from the
current reference: `abcbench tasks mask TASK` rewrites it (after a change to the reference, with
no new selection), and `tasks check` refuses an overlay that differs.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from abcbench.errors import UserError
from abcbench.tasks.mask import Masker
from abcbench.tasks.model import Task
from abcbench.tasks.spec import TaskSpec

DEFAULT_OVERLAY = "masked"


def mask_task_files(task: Task, spec: TaskSpec | None = None) -> dict[str, bytes]:
    """The overlay files a task's stored selection generates from its current reference."""
    spec = spec or task.spec
    masker = Masker(task.reference_repo, spec.language.value)
    chosen = [masker.find_function(s) for s in spec.repository.mask.functions]
    chosen += [masker.find_route(r) for r in spec.repository.mask.routes]
    if not chosen:
        return {}
    return masker.mask(chosen)


def _overlay_files(overlay: Path) -> dict[str, bytes]:
    if not overlay.is_dir():
        return {}
    return {p.relative_to(overlay).as_posix(): p.read_bytes()
            for p in sorted(overlay.rglob("*")) if p.is_file()}


def mask_drift(task: Task) -> list[str]:
    """Problems when the overlay is not what the stored selection generates today."""
    mask = task.spec.repository.mask
    if not (mask.functions or mask.routes):
        return []
    try:
        expected = mask_task_files(task)
    except UserError as exc:
        return [f"the mask selection no longer applies to the reference: {exc}"]
    actual = _overlay_files(task.directory / (mask.overlay or DEFAULT_OVERLAY))
    changed = sorted((set(actual) ^ set(expected))
                     | {k for k in set(actual) & set(expected) if actual[k] != expected[k]})
    if changed:
        return [f"the overlay differs from a fresh regeneration of the mask selection "
                f"({', '.join(changed)}): run `abcbench tasks mask {task.id}`"]
    return []


def apply_selection(task: Task, functions: list[str], routes: list[str]) -> dict[str, bytes]:
    """Store the selection (or keep the stored one when none is given), write the overlay.

    Returns the overlay's files. task.yaml is rewritten by the YAML library, so comments in it
    are not kept.
    """
    task_file = task.directory / "task.yaml"
    data: dict[str, Any] = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    mask = data.setdefault("repository", {}).setdefault("mask", {})
    if functions or routes:
        mask["functions"], mask["routes"] = list(functions), list(routes)
        for key in ("functions", "routes"):
            if not mask[key]:
                del mask[key]
    elif not (mask.get("functions") or mask.get("routes")):
        raise UserError(f"{task.id} stores no mask selection: give --function FILE:NAME or "
                        "--route 'METHOD /path'")
    mask.setdefault("overlay", DEFAULT_OVERLAY)
    spec = TaskSpec.model_validate(data)
    files = mask_task_files(task, spec)  # refuses a bad selection before anything is written
    overlay = task.directory / mask["overlay"]
    if overlay.is_dir():
        shutil.rmtree(overlay)
    for rel, content in files.items():
        target = overlay / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    task_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
    return files
