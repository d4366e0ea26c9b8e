"""What runs on a Ray node (a Docker host): one attempt at a trial, image preparation, and
cleanup by label. Imported only by the Ray executor, on the driver and in the node's workers.

A node gets a task's files from the driver once (a tar in Ray's object store, kept in the
node's cache under the task's content hash and verified by reloading the task), ensures the
task's recipe images with the same content-addressed tags and build-once lock as a local run,
runs the trial into a node-local run folder, and returns the result and the trial folder as a
bounded tar. See docs/ray.md.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ray

from abcbench import __version__
from abcbench.errors import HarnessError
from abcbench.gateway.relay import RelayRoute, relayed
from abcbench.images.manager import ImageManager
from abcbench.results.models import Fault, Stage
from abcbench.run import orphans
from abcbench.run.executors import transfer
from abcbench.run.executors.attempt import NodeRunDir, fault_result, run_attempt
from abcbench.run.executors.base import recipe_names
from abcbench.run.executors.ray_scratch import AttemptFolder, scratch_root
from abcbench.sandbox import images as docker_images
from abcbench.sandbox.client import server_version
from abcbench.sandbox.lifecycle import cleanup, remove_trial_images
from abcbench.tasks.loader import load_task
from abcbench.tasks.model import Task
from abcbench.trial import TrialSpec

SLOT = "abcbench_slots"
"""The custom resource a Ray node offers once per trial it may run at a time."""

_images: ImageManager | None = None
_ensured: set[str] = set()
_ensure_lock = threading.Lock()


@dataclass(frozen=True)
class NodeOutcome:
    node: str
    result_json: str
    archive: bytes
    """The trial folder (result.json included), bounded by `transfer.MAX_ARCHIVE_BYTES`."""


def node_name() -> str:
    return f"ray:{ray.get_runtime_context().get_node_id()}"


def _image_manager() -> ImageManager:
    global _images
    if _images is None:
        _images = ImageManager()
    return _images


def ensure_images(names: Sequence[str]) -> dict[str, str]:
    """The recipe images on this node (built once per worker process; `ensure` itself is
    content-addressed and holds a file lock, so two workers never build the same recipe)."""
    images = _image_manager()
    refs = {}
    for name in names:
        with _ensure_lock:
            ref = images.ensure(name) if name not in _ensured else images.book.get(name).ref
            _ensured.add(name)
        refs[name] = f"{ref}@{docker_images.image_id(ref)}"
    return refs


def task_archive(task: Task) -> tuple[bytes, str]:
    """(tar of the task's files, the task folder's path in it): the task folder and, for a
    native task, its reference repository (which may sit beside it in the tasks root)."""
    base = task.directory.parent
    members = [task.directory]
    if task.native is not None and not task.reference_repo.is_relative_to(task.directory):
        members.append(task.reference_repo)
    return transfer.pack(base, members=members), task.directory.name


def local_task(task: Task, archive: bytes, rel: str) -> Task:
    """This node's copy of `task`, unpacked once per content hash and reloaded: a copy whose
    hash differs from the driver's is refused, never run."""
    home = scratch_root() / "tasks" / task.content_hash
    if not home.is_dir():
        home.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=home.parent))
        transfer.unpack(archive, staging)
        try:
            os.rename(staging, home)
        except OSError:  # another worker unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    copy = load_task(home / rel)
    if copy.content_hash != task.content_hash:
        raise HarnessError(f"task {task.id} arrived on {node_name()} with another content "
                           f"hash ({copy.content_hash[:12]} != {task.content_hash[:12]})")
    return copy


@ray.remote(num_cpus=0)
class PhaseRelay:
    """Collects (trial, phase) from the nodes for the driver's live view."""

    def __init__(self) -> None:
        self._events: list[tuple[str, str]] = []

    def push(self, trial: str, phase: str) -> None:
        self._events.append((trial, phase))

    def drain(self) -> list[tuple[str, str]]:
        events, self._events = self._events, []
        return events


@ray.remote(num_cpus=0, max_retries=0)
def attempt_on_node(spec: TrialSpec, archive: bytes, rel: str, retry: int,
                    causes: list[Fault], relay: object,
                    route: RelayRoute | None = None) -> NodeOutcome:
    """One attempt at `spec` on this node: the same trial code as a local run. An LLM
    agent's spec holds the run token of `route` (the driver's model relay), not the key."""
    node = node_name()
    # Owned by this worker while it runs: if the worker, its node or the driver is killed, the
    # next sweep on this host removes it (`ray_scratch.sweep_dead`).
    owned = AttemptFolder(_run_scratch(spec.run_id), f"{spec.name}-")
    run_dir = NodeRunDir(owned.path, node)
    try:
        try:
            task = local_task(spec.task, archive, rel)
            ensure_images(recipe_names([task], _image_manager()))
        except Exception as exc:  # the node cannot run it: the error policy says what it is
            lost = fault_result(spec, exc, Stage.setup, retry=retry, causes=causes, node=node)
            assert lost is not None
            run_dir.write_result(lost)
            result = lost
        else:
            def on_phase(trial: str, phase: str) -> None:
                relay.push.remote(trial, phase)  # type: ignore[attr-defined]

            with relayed(route):
                result = run_attempt(dataclasses.replace(spec, task=task), run_dir,
                                     _image_manager(), retry, causes, on_phase,
                                     threading.Event())
        archive_out = transfer.pack(run_dir.trial_dir(spec.name))
        return NodeOutcome(node=node, result_json=result.model_dump_json(), archive=archive_out)
    finally:
        owned.release()


def _run_scratch(run_id: str) -> Path:
    return scratch_root() / ray.get_runtime_context().get_node_id() / run_id


@dataclass(frozen=True)
class NodeReady:
    node: str
    harness_version: str
    docker_server: str | None
    images: dict[str, str]
    """name -> ref@id of the recipe images on this node."""


@ray.remote(num_cpus=0, max_retries=0)
def images_on_node(names: list[str]) -> NodeReady:
    """What this node runs, after ensuring the recipe images `names` here."""
    return NodeReady(node_name(), __version__, server_version(), ensure_images(names))


@ray.remote(num_cpus=0, max_retries=0)
def cleanup_on_node(run_id: str) -> tuple[str, dict[str, int]]:
    """Remove the run's containers and networks on this node's engine, by label, and what
    killed workers left on this host (of this run or any other, under any node id): attempt
    folders no live process owns, stray layers, dead processes' temporary folders."""
    removed = cleanup(run=run_id)
    removed["trial_images"] += remove_trial_images(run=run_id)  # a killed worker's builds
    removed["stray_layers"], removed["scratch_folders"] = orphans.remove_dead_process_leftovers()
    return node_name(), removed
