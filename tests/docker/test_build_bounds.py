"""Bounds on what a build step and a container can write, and on what a stopped build leaves.

Against the real engine: a build step gets the task's disk budget as its largest file
(RLIMIT_FSIZE on every step container) and as what its writable layer may hold (watched); every
container's log on the engine is capped (json-file, two files of 8 MiB), even for a root process
writing to /proc/1/fd/1; a container's log is read as a stream, keeping only its tail; a build
stopped at its timeout waits for the engine to let go of its step and removes every layer
carrying its labels, also one the engine committed after the stop.
"""

from __future__ import annotations

import glob
import os
import time
from pathlib import Path

import pytest

from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.images import BuildLimits, ImageBuildError, build_image
from abcbench.sandbox.lifecycle import ContainerRequest, remove_container, start_container

pytestmark = pytest.mark.docker


def _labels(run_id: str) -> dict[str, str]:
    return L.managed(run=run_id, trial=f"{run_id}-t", kind=L.KIND_TRIAL_IMAGE)


def _dockerfile(tester_image: str, run_id: str, steps: str) -> str:
    pairs = " ".join(f'"{k}"="{v}"' for k, v in sorted(_labels(run_id).items()))
    return f"FROM {tester_image}\nLABEL {pairs}\n{steps}"


def _images(run_id: str) -> list[str]:
    api = docker_client().api
    return [i["Id"] for i in api.images(all=True, filters={"label": [f"{L.RUN}={run_id}"]})]


def _build(tmp_path: Path, run_id: str, text: str, *, disk_mb: int | None = None,
           timeout: float = 60) -> None:
    tag = f"abcbench-trial/{run_id}:latest"
    try:
        build_image(tmp_path / "ctx", tag, dockerfile=".abcbench-dockerfile",
                    dockerfile_text=text, log_path=tmp_path / "build.log", timeout_sec=timeout,
                    nocache=True, network=False, limits=BuildLimits(1.0, 512, disk_mb=disk_mb),
                    step_labels=_labels(run_id))
    finally:
        for image in _images(run_id):
            docker_client().api.remove_image(image, force=True)


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "ctx").mkdir()
    return tmp_path / "ctx"


def test_a_build_step_cannot_write_a_file_past_the_disk_budget(
        tmp_path: Path, context: Path, run_id: str, tester_image: str) -> None:
    text = _dockerfile(tester_image, run_id,
                       "RUN head -c 100000000 /dev/zero > /big && echo WROTE-$((6 * 7))\n")
    with pytest.raises(ImageBuildError):
        _build(tmp_path, run_id, text, disk_mb=64)
    assert "WROTE-42" not in (tmp_path / "build.log").read_text()
    assert _images(run_id) == []


def test_a_build_step_cannot_fill_its_layer_past_the_disk_budget(
        tmp_path: Path, context: Path, run_id: str, tester_image: str) -> None:
    """Many files, each under the file limit: the watcher stops the step (it polls the step
    container's writable layer, which the engine takes seconds to measure on a busy host)."""
    text = _dockerfile(tester_image, run_id,
                       "RUN for i in 1 2 3 4; do head -c 40000000 /dev/zero > /f$i; done; "
                       "sleep 120; echo SURVIVED-$((6 * 7))\n")
    started = time.monotonic()
    with pytest.raises(ImageBuildError, match="over the task's disk budget of 64 MiB"):
        _build(tmp_path, run_id, text, disk_mb=64)
    assert time.monotonic() - started < 90
    assert "SURVIVED-42" not in (tmp_path / "build.log").read_text()
    assert _images(run_id) == []


def test_a_stopped_build_leaves_no_layer_committed_after_the_stop(
        tmp_path: Path, context: Path, run_id: str, tester_image: str) -> None:
    """The timeout fires while the context is still on its way (no stream to shut yet): the
    build must not go on to commit layers after the trial has been cleaned up."""
    with (context / "blob").open("wb") as handle:
        handle.truncate(0)
        handle.write(os.urandom(1 << 20) * 48)
    text = _dockerfile(tester_image, run_id,
                       "COPY blob /blob\nRUN sleep 4\nRUN echo late > /late\n")
    with pytest.raises(ImageBuildError, match="exceeded"):
        _build(tmp_path, run_id, text, timeout=0.05)
    time.sleep(6)  # past the step that would have committed late
    assert _images(run_id) == []


def test_a_flooding_container_leaves_a_capped_log_and_is_read_by_its_tail(
        run_id: str, tester_image: str) -> None:
    """A root process writes 60 MB to /proc/1/fd/1 (the init's stdout, not its own)."""
    container = start_container(ContainerRequest(
        image=tester_image, name=f"{run_id}-flood", labels=L.managed(run=run_id),
        command=["sh", "-c", "head -c 60000000 /dev/zero | tr '\\0' x > /proc/1/fd/1; "
                 "echo; echo THE-END > /proc/1/fd/1; sleep 60"]))
    try:
        api = docker_client().api
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "THE-END" not in container.logs(64):
            time.sleep(1)
        info = api.inspect_container(container.id)
        # the cap is the harness's, not whatever the engine's daemon.json happens to say
        assert info["HostConfig"]["LogConfig"]["Config"].get("max-size") == "8m"
        log_path = info["LogPath"]
        on_disk = sum(os.path.getsize(p) for p in glob.glob(log_path + "*"))
        assert on_disk < 2 * 9 * 1024 * 1024, on_disk
        tail = container.logs(limit_bytes=1 << 20)
        assert len(tail.encode()) <= 1 << 20
        assert tail.rstrip().endswith("THE-END")
    finally:
        remove_container(container.id)
