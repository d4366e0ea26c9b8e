"""Per-task metadata that a dataset keeps beside its tasks (`hf_dataset/train.jsonl`).

The published task folders do not all say their language, framework or task type in
`task.yaml`; the dataset's JSONL does. Rows are matched to task folders by id, and only the
fields a row actually has replace the loader's guesses. Field names vary between releases,
so each field accepts the few spellings seen in the wild.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from abcbench.errors import UserError
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry

METADATA_FILE = Path("hf_dataset") / "train.jsonl"
ID_KEYS = ("task_id", "id", "task_name", "instance_id", "name")
FIELD_KEYS = {
    "language": ("language", "lang", "programming_language"),
    "framework": ("framework", "web_framework"),
    "task_type": ("task_type", "type"),
}
#: Metadata spellings of a task type mapped to the harness's own two.
TYPE_WORDS = {"logic": "logic", "environment": "environment", "env": "environment",
              "environment_config": "environment", "code": "logic", "logic_only": "logic"}


def _first(row: dict[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Task id -> {language, framework, task_type} (only the fields present)."""
    out: dict[str, dict[str, str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read dataset metadata {path}: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or (task_id := _first(row, ID_KEYS)) is None:
            continue
        fields = {name: value for name, keys in FIELD_KEYS.items()
                  if (value := _first(row, keys)) is not None}
        if "language" in fields:
            fields["language"] = fields["language"].lower()
        if "task_type" in fields:
            fields["task_type"] = TYPE_WORDS.get(fields["task_type"].lower(),
                                                 fields["task_type"].lower())
        out[task_id] = fields
    return out


def find_metadata(tasks_root: Path) -> Path | None:
    """The dataset's JSONL in its task folder's parent (DIR/tasks/ + DIR/hf_dataset/), if any."""
    for base in (tasks_root, tasks_root.parent):
        if (base / METADATA_FILE).is_file():
            return base / METADATA_FILE
    return None


def with_metadata(registry: TaskRegistry, path: Path | None = None) -> TaskRegistry:
    """The registry's tasks with their dataset metadata applied (unchanged without any)."""
    path = path or find_metadata(registry.root)
    if path is None:
        return registry
    rows = read_metadata(path)
    tasks = [_apply(t, rows.get(t.id, {})) for t in registry.all()]
    return TaskRegistry(registry.root, tasks, registry.errors)


def _apply(task: Task, fields: dict[str, str]) -> Task:
    return dataclasses.replace(task, language=fields.get("language", task.language),
                               framework=fields.get("framework", task.framework),
                               task_type=fields.get("task_type", task.task_type))
