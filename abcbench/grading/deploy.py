"""Deploy a submission: build its service image, start it on an internal network, wait for it.

For a logic task the environment files are the task's own (restored before the build), so the
verdict judges the agent's code alone; for an environment task they are the agent's.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from abcbench.images.manager import ImageManager
from abcbench.paths import harness_dir
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import build_image
from abcbench.tasks.materialize import copy_tree, restore_environment_files
from abcbench.tasks.model import Task
from abcbench.tasks.spec import TaskType

PROBE_INTERVAL_SEC = 0.5


class DeployError(Exception):
    """The submission could not be deployed, for a reason that is the submission's."""


class BuildInputError(DeployError):
    """Nothing to build: no Dockerfile where the task says it goes."""


class ServiceDidNotStart(DeployError):
    pass


def stage_build_context(task: Task, submission: Path, staging: Path) -> list[str]:
    """Copy the submission to `staging`; restore environment files for logic tasks."""
    copy_tree(submission, staging)
    if task.spec.task_type is TaskType.logic:
        return restore_environment_files(task, staging)
    return []


def build_service_image(
    task: Task,
    staging: Path,
    tag: str,
    labels: dict[str, str],
    log_path: Path,
    images: ImageManager,
    cancel: threading.Event | None = None,
) -> None:
    service = task.spec.service
    dockerfile = staging / service.dockerfile
    context = staging / service.build_context
    if not dockerfile.is_file():
        log_path.parent.mkdir(parents=True, exist_ok=True)
        message = (f"no Dockerfile at {task.spec.repository.project}/{service.dockerfile}: "
                   "nothing to build")
        log_path.write_text(message + "\n", encoding="utf-8")
        raise BuildInputError(message)
    images.ensure_for_dockerfile(dockerfile, task.spec.service.extra_packages)
    labelled = with_label_instruction(dockerfile, labels)
    build_image(
        context,
        tag,
        dockerfile=os.path.relpath(labelled, context),
        log_path=log_path,
        timeout_sec=service.build_timeout_sec,
        cancel=cancel,
        # Each submission is built from scratch: no layer is shared with a concurrent trial
        # whose cleanup could delete it mid-build.
        nocache=True,
    )


def with_label_instruction(dockerfile: Path, labels: dict[str, str]) -> Path:
    """A copy of the Dockerfile (beside it, in the staging tree) ending in one LABEL line.

    The builder's `labels` option adds one step, hence one container, per label; a single
    instruction labels the final stage in one step. The submission itself is not touched.
    """
    text = dockerfile.read_text(encoding="utf-8", errors="replace").rstrip()
    while text.endswith("\\"):  # a dangling line continuation would swallow our line
        text = text[:-1].rstrip()
    pairs = " ".join(f'"{k}"="{v}"' for k, v in sorted(labels.items()))
    labelled = dockerfile.with_name(dockerfile.name + ".abcbench")
    labelled.write_text(f"{text}\n\nLABEL {pairs}\n", encoding="utf-8")
    return labelled


def install_probe(tester: DockerContainer) -> None:
    tester.copy_in(harness_dir() / "tester", "/harness")


def wait_until_ready(
    task: Task, service: DockerContainer, tester: DockerContainer, base_url: str
) -> float:
    """Seconds until the service answered; raise ServiceDidNotStart on exit or timeout."""
    spec = task.spec.service
    url = base_url + (spec.health_path or "/")
    args = ["python3", "/harness/probe.py", url] + (["--health"] if spec.health_path else [])
    started = time.monotonic()
    deadline = started + spec.startup_timeout_sec
    last = ""
    while time.monotonic() < deadline:
        state, code = service.status()
        if state in ("exited", "dead", "removed"):
            raise ServiceDidNotStart(f"the service container {state} (exit code {code}) before "
                                     f"answering on port {spec.port}")
        probe = tester.exec(args, timeout=10)
        if probe.ok:
            return time.monotonic() - started
        lines = (probe.stdout + probe.stderr).strip().splitlines()
        last = lines[-1] if lines else last
        time.sleep(PROBE_INTERVAL_SEC)
    raise ServiceDidNotStart(
        f"the service did not answer on port {spec.port} within {spec.startup_timeout_sec:.0f}s"
        + (f" ({last})" if last else "")
    )

