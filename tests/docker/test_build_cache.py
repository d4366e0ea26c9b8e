"""Build reuse against the real engine: what is reused, from whom, and what cleanup leaves.

The task is a copy of the quotes fixture whose reference Dockerfile has a step before the
repository is copied that writes 16 random bytes: a layer that was reused shows the same bytes,
a step that ran again shows new ones.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from abcbench.grading.deploy import build_service_image
from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.images import remove_image
from abcbench.sandbox.lifecycle import cleanup
from abcbench.tasks.materialize import write_reference
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES

pytestmark = [pytest.mark.docker]

PREPARE = "RUN head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /prepared"
REFERENCE = ("FROM abcbench/tester\nWORKDIR /srv/quotes\n" + PREPARE + "\nCOPY . .\n"
             "EXPOSE 8000\nCMD [\"python3\", \"server.py\"]\n")


@pytest.fixture
def task(tmp_path: Path, images: ImageManager) -> Iterator[Task]:
    """A task of its own (so its reference layers are built here), removed afterwards."""
    task_id = f"fx-cache-{uuid.uuid4().hex[:10]}"
    root = tmp_path / "tasks"
    shutil.copytree(NATIVE_FIXTURES / "_repos", root / "_repos")
    shutil.copytree(NATIVE_FIXTURES / "fx-quotes-env", root / task_id)
    spec = root / task_id / "task.yaml"
    spec.write_text(spec.read_text().replace("id: fx-quotes-env", f"id: {task_id}"))
    (root / "_repos" / "quotes" / "Dockerfile").write_text(REFERENCE)
    # A Dockerfile that differs only after the reused steps must not change what `COPY . .` copies.
    (root / "_repos" / "quotes" / ".dockerignore").write_text("Dockerfile\n.dockerignore\n")
    images.ensure("tester")
    yield TaskRegistry.from_dir(root).get(task_id)
    api = docker_client().api
    for image in api.images(filters={"label": f"abcbench.task={task_id}"}):
        for ref in image.get("RepoTags") or []:
            remove_image(ref, force=False)


@dataclass
class Built:
    tag: str
    log: str
    run_id: str
    trial: str

    def files(self, path: str) -> dict[str, bytes]:
        """The files under `path` in the image, read from a container that never starts."""
        api = docker_client().api
        container = api.create_container(self.tag, command=["true"], network_disabled=True)
        try:
            stream, _stat = api.get_archive(container["Id"], path)
            with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
                return {m.name: (tar.extractfile(m) or io.BytesIO()).read()
                        for m in tar.getmembers() if m.isfile()}
        finally:
            api.remove_container(container["Id"], force=True)

    def read(self, path: str) -> str:
        return next(iter(self.files(path).values())).decode()

    def layers(self) -> set[str]:
        """Every layer the image stands on."""
        return {str(h["Id"]) for h in docker_client().api.history(self.tag)
                if h["Id"] != "<missing>"}

    def own(self) -> set[str]:
        """The layers this build committed (labelled with its run)."""
        api = docker_client().api
        flt = {"label": f"{L.RUN}={self.run_id}"}
        return {str(i["Id"]) for i in api.images(all=True, filters=flt)}

    def end(self) -> None:
        """What the end of a trial does to Docker."""
        cleanup(run=self.run_id, trial=self.trial)
        remove_image(self.tag)


def stage(task: Task, tmp_path: Path, dockerfile: str | None = None,
          server_marker: str = "") -> Path:
    staging = tmp_path / f"ctx-{uuid.uuid4().hex[:8]}"
    write_reference(task, staging)
    if dockerfile is not None:
        (staging / "Dockerfile").write_text(dockerfile)
    if server_marker:
        with (staging / "server.py").open("a") as handle:
            handle.write(f"# {server_marker}\n")
    return staging


def build(task: Task, staging: Path, run_id: str, images: ImageManager) -> Built:
    trial = uuid.uuid4().hex[:8]
    tag = f"abcbench-trial/{run_id}-{trial}:latest"
    log = staging.parent / f"{trial}.log"
    labels = L.managed(run=run_id, trial=trial, kind=L.KIND_TRIAL_IMAGE)
    try:
        build_service_image(task, staging, tag, labels, log, images)
    except BaseException:
        Built(tag, "", run_id, trial).end()
        raise
    return Built(tag, log.read_text(), run_id, trial)


def ours(run_id: str) -> list[str]:
    """Every image (layers included) and dangling image carrying the run's label."""
    api = docker_client().api
    flt = {"label": [f"{L.RUN}={run_id}"]}
    return ([i["Id"] for i in api.images(all=True, filters=flt)]
            + [i["Id"] for i in api.images(filters={**flt, "dangling": True})])


def test_a_second_build_reuses_the_steps_before_the_submission(
        task: Task, tmp_path: Path, run_id: str, images: ImageManager) -> None:
    oracle = build(task, stage(task, tmp_path), run_id, images)
    edited = build(task, stage(task, tmp_path, server_marker="the agent's change"), run_id,
                   images)
    try:
        assert "5 step(s) start from the task's reference layers" in oracle.log, oracle.log
        assert "2 step(s) start from the task's reference layers" in edited.log, edited.log
        # The changed COPY and the steps after it ran; WORKDIR and RUN did not.
        assert edited.log.count("Step ") == 5 and "Step 3/5 : COPY . ." in edited.log, edited.log
        prepared = oracle.read("/prepared")
        assert len(prepared) == 32 and edited.read("/prepared") == prepared
        assert "the agent's change" in edited.read("/srv/quotes/server.py")
        listing = list(edited.files("/srv/quotes"))
        assert "quotes/server.py" in listing and not [n for n in listing if "abcbench" in n], \
            listing
    finally:
        oracle.end()
        edited.end()
    assert ours(run_id) == []
    assert docker_client().api.images(filters={"label": f"abcbench.task={task.id}"}), \
        "the reference layers stay for the next trial"


@pytest.mark.sweep
def test_a_trials_layers_are_never_reused_by_another(
        task: Task, tmp_path: Path, run_id: str, images: ImageManager) -> None:
    """A hostile trial's own steps are rebuilt for the next trial, and a trial that causes the
    reference build does not get its content into the reference layers."""
    hostile = ("FROM abcbench/tester\n" + PREPARE.replace("/prepared", "/planted")
               + "\nCOPY . /srv/quotes\nWORKDIR /srv/quotes\nCMD [\"python3\", \"server.py\"]\n")
    first = build(task, stage(task, tmp_path, hostile), f"{run_id}-a", images)
    second = build(task, stage(task, tmp_path, hostile), f"{run_id}-b", images)
    # Same Dockerfile and same files, so the engine's cache would have matched every step.
    poisoner = build(task, stage(task, tmp_path, server_marker="POISON"), f"{run_id}-c", images)
    honest = build(task, stage(task, tmp_path), f"{run_id}-d", images)
    try:
        assert "reference layers" not in first.log + second.log
        assert first.read("/planted") != second.read("/planted")
        assert first.own() and first.own().isdisjoint(second.layers())
        assert "POISON" in poisoner.read("/srv/quotes/server.py")
        assert "5 step(s)" in honest.log and "POISON" not in honest.read("/srv/quotes/server.py")
        assert poisoner.own() and poisoner.own().isdisjoint(honest.layers())
    finally:
        for built in (first, second, poisoner, honest):
            built.end()
    for suffix in "abcd":
        assert ours(f"{run_id}-{suffix}") == []


@pytest.mark.sweep
def test_ending_a_trial_leaves_nothing_and_spares_a_concurrent_build(
        task: Task, tmp_path: Path, run_id: str, images: ImageManager) -> None:
    build(task, stage(task, tmp_path), f"{run_id}-warm", images).end()  # reference layers made
    slow_file = REFERENCE + "RUN sleep 45\n"
    slow_staging = stage(task, tmp_path, slow_file)
    outcome: dict[str, Built | BaseException] = {}

    def slow() -> None:
        try:
            outcome["slow"] = build(task, slow_staging, f"{run_id}-slow", images)
        except BaseException as exc:  # reported by the assertion below
            outcome["slow"] = exc

    worker = threading.Thread(target=slow)
    worker.start()
    try:
        deadline = time.monotonic() + 300
        logs = slow_staging.parent
        while time.monotonic() < deadline and not any(
                "sleep 45" in p.read_text() for p in logs.glob("*.log")):
            time.sleep(0.2)
        quick = build(task, stage(task, tmp_path), f"{run_id}-quick", images)
        assert "5 step(s)" in quick.log
        quick.end()
        running = docker_client().api.containers(filters={"label": f"{L.RUN}={run_id}-slow"})
        assert running, "the slow build's step was still running on the same reference layer"
        assert ours(f"{run_id}-quick") == []
    finally:
        worker.join(300)
    slow_build = outcome["slow"]
    assert isinstance(slow_build, Built), slow_build
    try:
        assert "5 step(s)" in slow_build.log and "Successfully built" in slow_build.log
    finally:
        slow_build.end()
    assert ours(f"{run_id}-slow") == [] and ours(f"{run_id}-warm") == []


def test_a_stray_reference_layer_is_removed_by_the_runs_sweep(tmp_path: Path) -> None:
    """A reference build cancelled mid-step can leave a committed layer the engine wrote after
    the abort: untagged, no child, labelled only as build cache (no run), so no run's label
    sweep found it (seen in a CI dry run after the interrupt test). The sweep removes it."""
    from abcbench.grading import build_cache

    api = docker_client().api
    labels = build_cache.cache_labels(f"stray-{uuid.uuid4().hex[:8]}")
    label_line = " ".join(f'"{k}"="{v}"' for k, v in labels.items())
    (tmp_path / "Dockerfile").write_text(
        f"FROM abcbench/tester\nLABEL {label_line}\nRUN echo stray > /stray\n")
    image = ""
    for chunk in api.build(path=str(tmp_path), rm=True, decode=True, network_mode="none"):
        image = (chunk.get("aux") or {}).get("ID", image)  # no tag: what an aborted build leaves
    assert image in {i["Id"] for i in api.images(filters={"dangling": True})}
    try:
        build_cache.remove_stray_layers(min_age_sec=0)
        assert image not in {i["Id"] for i in api.images(all=True)}
    finally:
        with contextlib.suppress(Exception):
            api.remove_image(image, force=True)
