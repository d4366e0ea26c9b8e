"""Deploy a submission: build its service image, start it on an internal network, wait for it.

For a logic task the environment files are the task's own (restored before the build), so the
verdict judges the agent's code alone; for an environment task they are the agent's.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from docker.errors import APIError, ImageNotFound

from abcbench import scratch
from abcbench.grading import build_cache
from abcbench.grading.dockerfile_parse import (
    CANONICAL_DOCKERFILE,
    Dockerfile,
    DockerfileRefused,
    parse,
)
from abcbench.grading.dockerfile_refs import check_dockerfile
from abcbench.images.manager import ImageManager
from abcbench.images.manager import _file_lock as file_lock
from abcbench.paths import harness_dir
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import BuildLimits, ImageBuildError, build_image, remove_image
from abcbench.sandbox.lifecycle import Limits, remove_container, safe_name, start_build_jail
from abcbench.tasks.materialize import copy_tree, restore_environment_files, write_reference
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
    jail, `FROM`/`COPY --from` limited to earlier stages and the project's images.

    The engine's cache is never used. The leading steps whose content-addressed key matches a
    layer the harness built from the task's own reference start the build instead
    (`build_cache`): an unchanged prefix costs nothing, a changed step and all after it are
    built as usual."""
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
    try:
        parsed = parse(text)
        # recipe names (and layers) first: the check asks the engine about the images
        built = images.ensure_for_parsed(parsed, service.extra_packages, task.recipe_name)
        _check_dockerfile(parsed, network)
    except DockerfileRefused as exc:
        message = f"the Dockerfile was refused before building: {exc}"
        log_path.write_text(message + "\n", encoding="utf-8")
        raise BuildInputError(message) from None
    res = task.spec.resources
    root = build_cache.scope(task.id, network, res.cpus, res.memory_mb, res.pids)
    found = build_cache.stages(built, context, BUILT_DOCKERFILE, root,
                               build_cache.engine_image_id)
    # A reference build belongs to no trial, but its jail carries the run that started it, so
    # that `cleanup` finds it if this process is killed mid-build.
    owner = {L.RUN: labels[L.RUN]} if L.RUN in labels else {}
    reuse, note = reference_layers(task, images, root, found, cancel, owner)
    try:  # the canonical text of exactly what was checked (FROMs, cache layers, labels aside)
        final = build_cache.rewrite(built, found, reuse, task.id, labels).render()
    except DockerfileRefused as exc:
        message = f"the Dockerfile was refused before building: {exc}"
        log_path.write_text(message + "\n", encoding="utf-8")
        raise BuildInputError(message) from None
    _build_under_limits(task, context, final, tag, labels, log_path, images, cancel,
                        jail=build_cache.has_steps_that_run(built, found, reuse), preamble=note)


BUILT_DOCKERFILE = CANONICAL_DOCKERFILE


def _check_dockerfile(df: Dockerfile, network: bool) -> None:
    check_dockerfile(df, project_images_only(network))
    df.render()  # refuse now what could not be written back in canonical form


def _build_under_limits(task: Task, context: Path, text: str, tag: str, labels: dict[str, str],
                        log_path: Path, images: ImageManager, cancel: threading.Event | None,
                        *, jail: bool, preamble: str = "",
                        step_ids: list[str] | None = None,
                        jail_labels: dict[str, str] | None = None) -> None:
    """One build with the task's network, limits and timeout, under a build jail when a step
    runs a process (the jail holds the pids cap; metadata and COPY steps run nothing). The jail
    gets `jail_labels` (default: the image's)."""
    service, res = task.spec.service, task.spec.resources
    limits = Limits(res.cpus, res.memory_mb, res.pids)
    jail_container, cgroup_parent = None, None
    if jail:
        jail_container, cgroup_parent = start_build_jail(
            images.ensure("base"),
            safe_name(tag.replace("/", "-").replace(":", "-"), "build-jail"),
            labels if jail_labels is None else jail_labels, limits)
    try:
        build_image(
            context,
            tag,
            dockerfile=BUILT_DOCKERFILE,
            dockerfile_text=text,
            log_path=log_path,
            log_preamble=preamble,
            timeout_sec=service.build_timeout_sec,
            cancel=cancel,
            # No engine cache: a layer another build committed is never reused (reuse is only
            # of the harness's reference layers, named in `text`), and no layer of this build
            # is shared with a concurrent trial whose cleanup could delete it mid-build.
            nocache=True,
            network=service.build_network,
            limits=BuildLimits(res.cpus, res.memory_mb, cgroup_parent, disk_mb=res.disk_mb),
            step_ids=step_ids,
            # a trial's build only: reference layers belong to no trial (their strays are
            # swept by age, build_cache.remove_stray_layers)
            step_labels=labels if L.TRIAL in labels else None,
        )
    finally:
        if jail_container is not None:
            remove_container(jail_container.id)


def reference_layers(task: Task, images: ImageManager, root: str,
                     found: list[build_cache.Stage], cancel: threading.Event | None,
                     owner: dict[str, str]) -> tuple[list[int], str]:
    """How many leading steps of each stage start from a reference layer, building the task's
    reference layers first when this engine lacks them; and lines for the build log.

    The reference is the task's own repository, checked and built exactly as a submission is,
    at most once per engine (a file lock); a failed reference build is not retried by this
    process (the trial then builds every step itself)."""
    none = [0] * len(found)
    with scratch.temporary_dir("abcbench-ref-") as tmp:
        staging = Path(tmp) / "context"
        write_reference(task, staging)
        service = task.spec.service
        dockerfile = staging / service.dockerfile
        context = staging / service.build_context
        text = _read_dockerfile(dockerfile, staging)
        if text is None:
            return none, ""
        try:
            parsed = parse(text)
            built = images.ensure_for_parsed(parsed, service.extra_packages, task.recipe_name)
        except DockerfileRefused:
            return none, ""
        reference = build_cache.stages(built, context, BUILT_DOCKERFILE, root,
                                       build_cache.engine_image_id)
        wanted = build_cache.reusable(found, reference)
        if not any(wanted):
            return none, ""
        have = build_cache.cached(task.id, found, wanted)
        first = ""
        if have != wanted:
            ref_key = build_cache.reference_key(reference)
            with file_lock(f"build-cache-{ref_key[:24]}", cancel):
                have = build_cache.cached(task.id, found, wanted)
                if have != wanted and ref_key not in _FAILED_REFERENCES:
                    started = time.monotonic()
                    problem = _build_reference(task, context, parsed, built, reference,
                                               ref_key, images, cancel, owner)
                    have = build_cache.cached(task.id, found, wanted)
                    log = build_cache.log_path(ref_key)
                    first = (f"[abcbench] built the task's reference layers first "
                             f"({time.monotonic() - started:.0f}s, log {log})"
                             + (f": {problem}" if problem else "") + "\n")
    reused = sum(have)
    note = (f"[abcbench] {reused} step(s) start from the task's reference layers "
            "(built by the harness from the task's own repository)\n" if reused else "")
    return have, first + note


_FAILED_REFERENCES: set[str] = set()


def _build_reference(task: Task, context: Path, parsed: Dockerfile, built: Dockerfile,
                     reference: list[build_cache.Stage], ref_key: str, images: ImageManager,
                     cancel: threading.Event | None, owner: dict[str, str]) -> str:
    """Build the reference's Dockerfile and tag the layer after each reusable step; return
    what went wrong ("" if nothing). A cancel is raised, as for the trial's own build. The
    layers carry only the cache's labels (they outlive the run); the jail also `owner`'s."""
    labels = build_cache.cache_labels(task.id)
    tag = build_cache.cache_ref(task.id, f"building-{uuid.uuid4().hex[:12]}")
    steps: list[str] = []
    try:
        _check_dockerfile(parsed, task.spec.service.build_network)
        _build_under_limits(task, context, build_cache.rewrite(
            built, reference, [0] * len(reference), task.id, labels).render(), tag, labels,
            build_cache.log_path(ref_key), images, cancel, jail=True, step_ids=steps,
            jail_labels={**labels, **owner})
        build_cache.tag_reference_steps(task.id, built, reference, steps)
        return ""
    except (DockerfileRefused, ImageBuildError, build_cache.StepsMismatch, APIError) as exc:
        if cancel is not None and cancel.is_set():
            raise
        _FAILED_REFERENCES.add(ref_key)
        return f"not reused ({exc.__class__.__name__}: {exc})"
    finally:
        with contextlib.suppress(APIError):
            remove_image(tag, force=False)  # the step tags keep the layers they need


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

