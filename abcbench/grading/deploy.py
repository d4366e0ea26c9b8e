"""Deploy a submission: build its service image, start it on an internal network, wait for it.

For a logic task the environment files are the task's own (restored before the build), so the
verdict judges the agent's code alone; for an environment task they are the agent's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from docker.errors import ImageNotFound

from abcbench.grading.dockerfile_refs import DockerfileRefused, check_references, instructions
from abcbench.images.manager import ImageManager
from abcbench.paths import harness_dir
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import BuildLimits, build_image
from abcbench.sandbox.lifecycle import Limits, remove_container, safe_name, start_build_jail
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
    """Build the submission under the task's limits: no network unless the task opts in
    (`service.build_network`), its cpu and memory on every step, its pids cap through a build
    jail, `FROM`/`COPY --from` limited to earlier stages and the project's images."""
    service = task.spec.service
    dockerfile = staging / service.dockerfile
    context = staging / service.build_context
    log_path.parent.mkdir(parents=True, exist_ok=True)
    text = _read_dockerfile(dockerfile, staging)
    if text is None:
        message = (f"no Dockerfile at {task.spec.repository.project}/{service.dockerfile}: "
                   "nothing to build")
        log_path.write_text(message + "\n", encoding="utf-8")
        raise BuildInputError(message)
    network = service.build_network
    images.ensure_for_dockerfile(  # recipe names (and layers); before the check needs them
        dockerfile, service.extra_packages, task.recipe_name)
    try:
        check_references(text, project_images_only(network), network=network)
        _check_labels(text)
    except DockerfileRefused as exc:
        message = f"the Dockerfile was refused before building: {exc}"
        log_path.write_text(message + "\n", encoding="utf-8")
        raise BuildInputError(message) from None
    labelled = with_label_instruction(dockerfile, labels)
    res = task.spec.resources
    limits = Limits(res.cpus, res.memory_mb, res.pids)
    jail, cgroup_parent = start_build_jail(
        images.ensure("base"), safe_name(tag.replace("/", "-").replace(":", "-"), "build-jail"),
        labels, limits)
    try:
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
            network=network,
            limits=BuildLimits(res.cpus, res.memory_mb, cgroup_parent),
        )
    finally:
        remove_container(jail.id)


def _read_dockerfile(dockerfile: Path, staging: Path) -> str | None:
    """The Dockerfile's text, if it is a file inside the staging tree (never through a link
    that leaves it)."""
    if not dockerfile.is_file():
        return None
    if not dockerfile.resolve().is_relative_to(staging.resolve()):
        return None
    return dockerfile.read_text(encoding="utf-8", errors="replace")


def project_images_only(build_network: bool) -> Callable[[str], str | None]:
    """The images a submission may build from: the project's recipes. An image the engine does
    not have would be pulled from a registry, which needs the task's build network."""
    api = docker_client().api

    def allowed(ref: str) -> str | None:
        try:
            found = api.inspect_image(ref)
        except ImageNotFound:
            return None if build_network else (
                "is not on this engine, and the build has no network to pull it")
        # Labels are inherited by every image built FROM a project image, so they prove
        # nothing: the image must be the one its recipe's content-addressed tag names.
        image_labels = (found.get("Config") or {}).get("Labels") or {}
        recipe, digest = image_labels.get(L.RECIPE), image_labels.get(L.RECIPE_HASH)
        if recipe and digest and f"abcbench/{recipe}:{digest}" in (found.get("RepoTags") or []):
            return None
        return ("is an image on this engine that is not one of the project's (abcbench/<recipe>);"
                " a build may use only those and its own earlier stages")

    return allowed


def _check_labels(text: str) -> None:
    """The harness's labels find and remove a trial's layers; a submission may not set them."""
    for ins in instructions(text):
        if ins.keyword == "LABEL" and ("abcbench" in ins.args.lower() or "$" in ins.args):
            raise DockerfileRefused(f"line {ins.line}: LABEL may not set abcbench.* labels "
                                    "or use variables")


def with_label_instruction(dockerfile: Path, labels: dict[str, str]) -> Path:
    """A copy of the Dockerfile (beside it, in the staging tree) with one LABEL line after every
    FROM and one at the end.

    Labelling each stage right after its FROM puts the run and trial on every step container
    and every layer the build commits, so they are found and removed even when the build is
    stopped half-way (or the harness is killed). The builder's `labels` option adds one step
    per label and only at the end; one instruction labels in one step. The submission itself is
    not touched.
    """
    text = dockerfile.read_text(encoding="utf-8", errors="replace").rstrip()
    while text.endswith("\\"):  # a dangling line continuation would swallow our line
        text = text[:-1].rstrip()
    pairs = " ".join(f'"{k}"="{v}"' for k, v in sorted(labels.items()))
    lines = text.splitlines()
    for ins in reversed(instructions(text)):
        if ins.keyword == "FROM":
            lines.insert(ins.end, f"LABEL {pairs}")
    labelled = dockerfile.with_name(dockerfile.name + ".abcbench")
    labelled.unlink(missing_ok=True)  # the submission may have planted a link by that name
    labelled.write_text("\n".join(lines) + f"\n\nLABEL {pairs}\n", encoding="utf-8")
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

