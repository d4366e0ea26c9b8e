"""`abcbench cleanup` removes what a killed run left behind, found by label."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.run import orphans
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import (
    TRIAL_IMAGE_PREFIX,
    ContainerRequest,
    create_internal_network,
    leftovers,
    start_container,
)

pytestmark = pytest.mark.docker


def test_cleanup_after_a_crash(tester_image: str, run_id: str) -> None:
    labels = L.managed(run=run_id, trial="ghost")
    network = create_internal_network(f"abcbench-{run_id}-net", labels)
    start_container(ContainerRequest(image=tester_image, name=f"abcbench-{run_id}-ghost",
                                     labels=labels, command=["sleep", "infinity"],
                                     network=network.name))
    assert leftovers(run=run_id)["containers"] == [f"abcbench-{run_id}-ghost"]
    out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
    assert out.exit_code == 0, out.output
    assert "1 container(s), 1 network(s), 0 trial image(s) and build layer(s) removed" in out.output
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def test_cleanup_counts_the_trial_images_it_removes(tester_image: str, run_id: str) -> None:
    """Two trial images of a killed run: one a container was made from (removed with the
    containers), one only labelled (a build whose container never started). Both count."""
    labels = {**L.managed(run=run_id, trial="ghost"), L.KIND: L.KIND_TRIAL_IMAGE}
    tags = [f"{TRIAL_IMAGE_PREFIX}{run_id}-{n}:latest" for n in ("used", "unused")]
    for tag in tags:
        docker_client().images.build(fileobj=io.BytesIO(f"FROM {tester_image}\n".encode()),
                                     tag=tag, labels={**labels, "n": tag}, rm=True,
                                     network_mode="none")
    start_container(ContainerRequest(image=tags[0], name=f"abcbench-{run_id}-ghost",
                                     labels=L.managed(run=run_id, trial="ghost"),
                                     command=["sleep", "infinity"]))
    assert len(leftovers(run=run_id)["trial_images"]) == 2
    # The two images and the build's labelled intermediate layers.
    layers = docker_client().api.images(all=True, filters={"label": f"{L.RUN}={run_id}"})
    assert len(layers) >= 2
    out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
    assert out.exit_code == 0, out.output
    assert (f"1 container(s), 0 network(s), {len(layers)} trial image(s) and build layer(s) "
            "removed") in out.output
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


HOLDER = """
import sys, time
from pathlib import Path
from abcbench.run.lock import RunLock
RunLock(Path(sys.argv[1]), sys.argv[2], "test holder").acquire()
print("locked", flush=True)
time.sleep(300)
"""


def test_cleanup_without_run_spares_live_runs(tester_image: str, run_id: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Two killed-looking runs in Docker; one still has a live owner process. Scoped to this
    test's run ids so that other runs on the engine are never touched."""
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))
    live, dead = f"{run_id}-live", f"{run_id}-dead"
    for rid in (live, dead):
        start_container(ContainerRequest(image=tester_image, name=f"abcbench-{rid}-ghost",
                                         labels=L.managed(run=rid, trial="ghost"),
                                         command=["sleep", "infinity"]))
    real = orphans.runs_in_docker
    monkeypatch.setattr(orphans, "runs_in_docker",
                        lambda: {r for r in real() if r.startswith(run_id)})
    owner = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / live), live],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "locked"
        assert orphans.runs_in_docker() == {live, dead}
        out = CliRunner().invoke(app, ["cleanup"])
        assert out.exit_code == 0, out.output
        assert f"skipping run {live}: owned by live pid {owner.pid}" in out.output
        assert leftovers(run=dead)["containers"] == []
        assert leftovers(run=live)["containers"] == [f"abcbench-{live}-ghost"]
        refused = CliRunner().invoke(app, ["cleanup", "--run", live])
        assert refused.exit_code == 2 and f"pid {owner.pid}" in refused.output
    finally:
        owner.kill()
        owner.wait()
    out = CliRunner().invoke(app, ["cleanup"])
    assert out.exit_code == 0, out.output
    assert leftovers(run=live) == {"containers": [], "networks": [], "trial_images": []}


def _labelled_image(tester_image: str, tag: str, labels: dict[str, str], tmp: Path) -> None:
    from abcbench.sandbox import images as docker_images

    (tmp / "Dockerfile").write_text(f"FROM {tester_image}\n")
    docker_images.build_image(tmp, tag, labels=labels, log_path=tmp / "build.log",
                              timeout_sec=120)


def test_cleanup_names_the_caches_it_keeps_and_prune_caches_removes_them(
        tester_image: str, run_id: str, tmp_path: Path) -> None:
    """An authoring session leaves reference layers and task images that outlive its runs:
    `cleanup --run` says so, and `images prune --caches` removes them, never a harness recipe."""
    from abcbench.grading import build_cache
    from abcbench.run.lock import live_runs
    from abcbench.sandbox import images as docker_images

    cache_tag = f"abcbench-cache/{run_id}:step"
    layer_tag = f"abcbench/{run_id}-layer:x"
    _labelled_image(tester_image, cache_tag, build_cache.cache_labels(run_id), tmp_path)
    _labelled_image(tester_image, layer_tag, L.managed(
        kind=L.KIND_RECIPE_IMAGE, recipe=f"tester[{run_id}]", recipe_hash="0" * 16), tmp_path)
    try:
        out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
        assert out.exit_code == 0, out.output
        assert "images prune --caches" in " ".join(out.output.split())
        pruned = CliRunner().invoke(app, ["images", "prune", "--caches"])
        if live_runs():  # another run on this engine may build from them: refused, nothing gone
            assert pruned.exit_code == 2 and "live" in pruned.output, pruned.output
            assert docker_images.image_exists(cache_tag)
            return
        assert pruned.exit_code == 0, pruned.output
        assert not docker_images.image_exists(cache_tag)
        assert not docker_images.image_exists(layer_tag)
        assert docker_images.image_exists(tester_image)
    finally:
        for tag in (cache_tag, layer_tag):
            docker_images.remove_image(tag)
