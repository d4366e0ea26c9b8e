"""A harness killed mid-build: `cleanup --run` still finds every layer and container."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import chaos_tasks
from tests.conftest import NATIVE_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.chaos]

BUILDER = """
import sys
from pathlib import Path
from abcbench.grading.deploy import build_service_image
from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.tasks.registry import TaskRegistry
run_id, context, log = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
task = TaskRegistry.from_dir(Path(sys.argv[4])).get("fx-quotes-env")
labels = L.managed(run=run_id, trial="killed", kind=L.KIND_TRIAL_IMAGE)
build_service_image(task, context, f"abcbench-trial/{run_id}:latest", labels, log,
                    ImageManager())
"""


@pytest.mark.sweep
def test_layers_of_a_killed_build_are_found_by_run(tmp_path: Path, run_id: str) -> None:
    context = tmp_path / "context"
    context.mkdir()
    (context / "Dockerfile").write_text(
        "FROM abcbench/tester\nRUN echo one > /one\nRUN echo two > /two\nRUN sleep 120\n")
    log = tmp_path / "build.log"
    proc = subprocess.Popen([sys.executable, "-c", BUILDER, run_id, str(context), str(log),
                             str(NATIVE_FIXTURES)])
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "sleep 120" not in _text(log):
            time.sleep(0.5)
        time.sleep(2)
        assert "sleep 120" in _text(log), _text(log)[-2000:]
        proc.send_signal(signal.SIGKILL)  # no finally, no cleanup: like a kill -9
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    committed = re.findall(r"^ ---> ([0-9a-f]{12})$", _text(log), re.MULTILINE)[1:]
    assert len(committed) >= 2, _text(log)  # echo one, echo two (and our LABEL)
    time.sleep(3)  # the engine notices the closed stream and ends the step
    out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
    assert out.exit_code == 0, out.output
    api = docker_client().api
    still = [i for i in committed if _exists(api, i)]
    assert still == [], f"layers the killed build committed are still there: {still}"
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    running = api.containers(all=True, filters={"ancestor": committed[-1]})
    assert running == [], "the step container is gone"


def _text(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _exists(api: object, image_id: str) -> bool:
    from docker.errors import ImageNotFound

    try:
        api.inspect_image(image_id)  # type: ignore[attr-defined]
        return True
    except ImageNotFound:
        return False


def test_a_killed_reference_build_leaves_nothing_cleanup_cannot_find(tmp_path: Path,
                                                                     run_id: str) -> None:
    """Killed while building the task's reference layers (the first build of a task on an
    engine): the reference build's jail and step container belong to no trial, yet `cleanup`
    must find them through the run that started the build. Before, the jail carried only the
    cache's labels and ran `sleep infinity` until someone removed it by hand."""
    tasks = chaos_tasks(tmp_path, {})
    dockerfile = tasks / "_repos" / "quotes" / "Dockerfile"
    text = dockerfile.read_text()
    first, rest = text.split("\n", 1)
    dockerfile.write_text(f"{first}\nRUN echo {run_id}-ref-slow && sleep 120\n{rest}")
    context = tmp_path / "context"
    shutil.copytree(tasks / "_repos" / "quotes", context)
    log = tmp_path / "build.log"
    proc = subprocess.Popen([sys.executable, "-c", BUILDER, run_id, str(context), str(log),
                             str(tasks)])
    api = docker_client().api
    jail_filter = {"label": [f"{L.KIND}=build-cache", f"{L.ROLE}=build-jail",
                             "abcbench.task=fx-quotes-env"]}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _step_running(api, run_id):
            assert proc.poll() is None, f"the build ended first: {_text(log)[-2000:]}"
            time.sleep(0.5)
        assert _step_running(api, run_id), "the reference build's slow step never ran"
        jails = [c["Id"] for c in api.containers(all=True, filters=jail_filter)]
        assert jails, "the reference build runs under a jail"
        proc.send_signal(signal.SIGKILL)  # no finally, no cleanup: like a kill -9
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(3)  # the engine notices the closed stream and ends the step
    out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
    assert out.exit_code == 0, out.output
    left = [c["Id"] for c in api.containers(all=True) if c["Id"] in jails]
    assert left == [], f"the killed reference build's jail is still there: {out.output}"
    assert not _step_running(api, run_id), "the step container is gone"


def _step_running(api: object, run_id: str) -> bool:
    found = api.containers(all=True)  # type: ignore[attr-defined]
    return any(f"{run_id}-ref-slow" in (c.get("Command") or "") for c in found)
