"""A task's mask selection: stored in task.yaml, turned into its overlay, checked for drift.

The overlay of a task with a selection is exactly what the selection generates from the
current reference: `abcbench tasks mask TASK` rewrites it (after a change to the reference, with
no new selection), and `tasks check` refuses an overlay that differs. An author who corrects
the generated overlay by hand runs `tasks mask TASK --keep-edits`: task.yaml then records the
hash of the generation the edits were made on (`mask.edited_from`), and the check refuses only
a change of that generation (the reference or the selection moved under the edits).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from collections.abc import Callable
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
    if mask.edited_from is not None:
        if generation_hash(expected) == mask.edited_from:
            return []
        return [f"the reference or the mask selection changed since the overlay was corrected "
                f"by hand: run `abcbench tasks mask {task.id}` (it regenerates the overlay and "
                "drops the edits), apply the corrections again, then `abcbench tasks mask "
                f"{task.id} --keep-edits`"]
    actual = _overlay_files(task.directory / (mask.overlay or DEFAULT_OVERLAY))
    changed = sorted((set(actual) ^ set(expected))
                     | {k for k in set(actual) & set(expected) if actual[k] != expected[k]})
    if changed:
        return [f"the overlay differs from a fresh regeneration of the mask selection "
                f"({', '.join(changed)}): run `abcbench tasks mask {task.id}`"]
    return []


def generation_hash(files: dict[str, bytes]) -> str:
    """The sha256 of a generated overlay (paths and contents), for `mask.edited_from`."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return digest.hexdigest()


def keep_edits(task: Task) -> str:
    """Accept the overlay as corrected by hand: record the generation it was corrected on."""
    mask = task.spec.repository.mask
    if not (mask.functions or mask.routes):
        raise UserError(f"{task.id} stores no mask selection: --keep-edits records hand edits "
                        "of a generated overlay")
    overlay = task.directory / (mask.overlay or DEFAULT_OVERLAY)
    if not _overlay_files(overlay):
        raise UserError(f"{overlay} is empty: generate it first with `abcbench tasks mask "
                        f"{task.id}`")
    digest = generation_hash(mask_task_files(task))
    _update_mask(task, lambda m: m.__setitem__("edited_from", digest))
    return digest


def _update_mask(task: Task, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    task_file = task.directory / "task.yaml"
    data: dict[str, Any] = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    change(data.setdefault("repository", {}).setdefault("mask", {}))
    TaskSpec.model_validate(data)
    task_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
    return data


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
    mask.pop("edited_from", None)  # a fresh generation carries no hand edits
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
