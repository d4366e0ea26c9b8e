"""A stop lands within 2 s wherever the run is (README): during a build, and while a trial
waits for another process's reference build (a file lock). Real processes, real engine."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docker.errors import APIError

from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import NOTHING, chaos_tasks
from tests.chaos.test_run_signals import (
    ENV,
    ROOT,
    _dangling,
    _in_slow_build,
    _nothing_of_the_run,
    _start,
    _stop,
    _wait,
)

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

STOP_BOUND_SEC = 2.0


@pytest.mark.sweep
def test_sigterm_during_a_build_exits_within_2s(tmp_path: Path, run_id: str) -> None:
    """Was: 6.7 s. The build's step sleeps; SIGTERM; exit 130 within the bound, and nothing
    of the run left (the step container, its layers, the build jail)."""
    dangling_before = set(_dangling())
    proc = _start(tmp_path, run_id, [ENV])
    _wait(proc, _in_slow_build(tmp_path, run_id), "the slow build step")
    time.sleep(2)  # the step container runs and the build has committed layers
    stopped_in, out = _stop(proc, signal.SIGTERM)
    print(f"SIGTERM during a build: exited in {stopped_in:.2f}s")
    assert proc.returncode == 130, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    assert stopped_in < STOP_BOUND_SEC, f"stopping took {stopped_in:.1f}s"
    _nothing_of_the_run(run_id, dangling_before)


def _step_running(token: str) -> bool:
    api = docker_client().api
    return any(token in (c.get("Command") or "") for c in api.containers())


def _remove_probe_layers(token: str) -> None:
    """The reference layers the stopped builds committed carry the cache's labels, not a
    run's: remove those of this probe (its ENV names the token), nobody else's."""
    api = docker_client().api
    found = api.images(all=True, filters={"label": [f"{L.KIND}=build-cache"]})
    for image in sorted(found, key=lambda i: -int(i.get("Created", 0))):
        env = (api.inspect_image(image["Id"]).get("Config") or {}).get("Env") or []
        if f"LOCKPROBE={token}" in env:
            for ref in image.get("RepoTags") or [image["Id"]]:
                with contextlib.suppress(APIError):
                    api.remove_image(ref, force=True)


@pytest.mark.sweep
def test_sigterm_while_waiting_for_another_processs_reference_build(
        tmp_path: Path, run_id: str) -> None:
    """Was: a blocking flock; the run held SIGTERM until the other process's reference build
    ended (here 120 s). Run A builds the task's reference layers (a slow step); run B needs the
    same layers and waits for A's lock; SIGTERM to B must end it within the bound."""
    token = f"lockprobe-{run_id}"
    tasks = chaos_tasks(tmp_path, {ENV: {"service": {"build_timeout_sec": 600}}})
    reference = tasks / "_repos" / "quotes" / "Dockerfile"
    reference.write_text(reference.read_text().replace(
        "FROM abcbench/tester\n",
        f"FROM abcbench/tester\nENV LOCKPROBE={token}\nRUN echo {token} && sleep 120\n", 1))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(suffix: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "abcbench.cli", "run", "--agent", "oracle",
             "--tasks-dir", str(tasks), "--task", ENV, "--max-retries", "0",
             "--run-id", f"{run_id}-{suffix}", "--output", str(tmp_path / "runs")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    first = start("a")
    second = None
    try:
        _wait(first, lambda: _step_running(token), "run A's reference build step")
        second = start("b")
        exported = tmp_path / "runs" / f"{run_id}-b" / "trials" / f"{ENV}__1" / "submission"
        _wait(second, exported.exists, "run B's export")
        time.sleep(5)  # B computes its build and reaches the reference lock A holds
        assert _step_running(token), "A still holds the lock"
        stopped_in, out = _stop(second, signal.SIGTERM)
        print(f"SIGTERM while waiting for another process's build lock: {stopped_in:.2f}s")
        assert second.returncode == 130, out[-3000:]
        assert stopped_in < STOP_BOUND_SEC, f"stopping took {stopped_in:.1f}s"
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                _stop(proc, signal.SIGTERM)
        _remove_probe_layers(token)
        time.sleep(3)  # a layer the engine commits just after a stopped step (item 8)
        _remove_probe_layers(token)
    for suffix in ("a", "b"):
        assert leftovers(run=f"{run_id}-{suffix}") == NOTHING
