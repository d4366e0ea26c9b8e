"""Build: a candidate becomes a task through the authoring tools, never from agent free text.

`tasks new --from` copies the pristine source (not the agent's working tree) into the staging
tasks folder, the candidate's Dockerfile becomes the environment file, `tasks mask` stubs the
chosen handlers, `tasks record` records the candidate's scenario against the reference running
in the harness's own containers. The agent's words reach the task only as the instruction (a
file) and as parsed, validated choices.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from abcbench.errors import HarnessError, UserError
from abcbench.synthesis.candidate import SCENARIO, Candidate
from abcbench.synthesis.instruction import SERVICE_PORT
from abcbench.synthesis.reasons import Reason, Rejected
from abcbench.tasks.loader import load_task
from abcbench.tasks.mask_task import apply_selection
from abcbench.tasks.model import Task
from abcbench.tasks.record import record
from abcbench.tasks.scaffold import scaffold_task


def free_task_id(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`, ... when a task of that id exists already."""
    task_id, n = base, 2
    while taken(task_id):
        task_id, n = f"{base}-{n}", n + 1
    return task_id


def _edit_spec(task_dir: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = task_dir / "task.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def build_task(candidate: Candidate, staging: Path, task_id: str, language: str, source: Path,
               project: str, notify: Callable[[str], None] = lambda _m: None) -> Task:
    """The task folder `staging/<task_id>` (repository under `staging/_repos/<task_id>`)."""
    spec = candidate.spec
    try:
        task_dir = scaffold_task(staging, task_id, language, spec.framework,
                                 spec.task_type.value, task_id, SERVICE_PORT,
                                 source=str(source), project=project)
    except UserError as exc:
        raise Rejected(Reason.build_refused, f"tasks new: {exc}") from None
    repo = staging / "_repos" / task_id
    (repo / "Dockerfile").write_text(candidate.dockerfile, encoding="utf-8")
    (task_dir / "instruction.md").write_text(candidate.instruction, encoding="utf-8")
    (task_dir / SCENARIO).write_text(candidate.scenario_text, encoding="utf-8")

    def retitle(data: dict[str, Any]) -> None:
        data["title"] = spec.title
        data["notes"] = "Synthesized by `abcbench tasks synthesize`: see synthesis.json."

    _edit_spec(task_dir, retitle)
    try:
        task = load_task(task_dir)
        apply_selection(task, spec.mask.functions, spec.mask.routes)
    except UserError as exc:
        raise Rejected(Reason.build_refused, f"tasks mask: {exc}") from None
    task = load_task(task_dir)
    try:
        recording = record(task, task_dir / SCENARIO, force=True, notify=notify)
    except (UserError, HarnessError) as exc:  # HarnessError: the recording client failed
        raise Rejected(Reason.recording_failed, f"tasks record: {exc}"[:2000]) from None
    if recording.unanswered:
        raise Rejected(Reason.recording_failed, "the reference gave no answer in test(s) "
                       f"{', '.join(recording.unanswered)}")
    return load_task(task_dir)
