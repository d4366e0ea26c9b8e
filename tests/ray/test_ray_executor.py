"""`abcbench run --executor ray` on a real 3-node local Ray cluster (one slot per node, all
nodes on this host's engine): one result per planned trial, trials on several nodes, a node
killed mid-trial loses nothing, Ctrl-C leaves nothing in Docker, and --resume finishes the run.
Real processes, real signals, real engine; every wait is bounded."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from abcbench.results.store import RunDir
from abcbench.sandbox.lifecycle import leftovers
from tests.conftest import NATIVE_FIXTURES
from tests.ray.local_cluster import local_cluster

ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.ray, pytest.mark.sweep]

NOTHING = {"containers": [], "networks": [], "trial_images": []}
CLI = [sys.executable, "-m", "abcbench.cli"]
RUN_SEC = 240  # one trial takes 20 s on an idle machine, 60-100 s on a loaded one


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Cluster, Path]]:
    with local_cluster(3) as found:
        yield found


def start(*args: str) -> subprocess.Popen[bytes]:
    # SIGINT must reach Python's handler even if this test runs with it ignored.
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_until(what: str, check: Any, proc: subprocess.Popen[bytes], limit: float) -> Any:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    out = proc.communicate(timeout=30)[0].decode(errors="replace")
    pytest.fail(f"{what} did not happen within {limit:.0f}s:\n{out[-3000:]}")


def busy_workers(cluster: Cluster, scratch: Path, run_id: str) -> list[Any]:
    """Non-head nodes that hold a trial in progress (its node-local folder)."""
    return [node for node in cluster.worker_nodes
            if any((scratch / node.node_id / run_id).glob("*__*"))]


def results(run_dir: RunDir) -> dict[str, dict[str, Any]]:
    return {p.parent.name: json.loads(p.read_text())
            for p in run_dir.trials_dir.glob("*/result.json")}


def test_node_killed_mid_trial_loses_nothing(cluster: tuple[Cluster, Path], tmp_path: Path,
                                             run_id: str) -> None:
    ray_cluster, scratch = cluster
    proc = start("run", "--agent", "oracle", "--tasks-dir", str(NATIVE_FIXTURES),
                 "--executor", "ray", "--ray-address", ray_cluster.address,
                 "--run-id", run_id, "--output", str(tmp_path))
    [victim, *_] = wait_until("a trial on a worker node",
                              lambda: busy_workers(ray_cluster, scratch, run_id), proc, RUN_SEC)
    ray_cluster.remove_node(victim, allow_graceful=False)
    out = proc.communicate(timeout=RUN_SEC * 2)[0].decode(errors="replace")
    assert proc.returncode == 0, out[-3000:]

    run_dir = RunDir(tmp_path / run_id)
    found = results(run_dir)
    assert sorted(found) == ["fx-quotes-env__1", "fx-quotes-logic__1"]  # one per planned trial
    assert all(r["resolved"] for r in found.values()), out[-3000:]
    dead = f"ray:{victim.node_id}"
    [retried] = [r for r in found.values() if r["retries"]]
    assert [c["rule"] for c in retried["retry_causes"]] == ["node_lost"]
    assert retried["retry_causes"][0]["failure_class"] == "infrastructure"
    nodes = {r["node"] for r in found.values()}
    assert dead not in nodes and len(nodes) == 2, nodes  # ran on two distinct live nodes
    manifest = json.loads(run_dir.run_file.read_text())
    assert manifest["status"] == "completed" and manifest["summary"]["n_trials"] == 2
    assert leftovers(run=run_id) == NOTHING


def test_interrupt_leaves_nothing_and_resume_completes(cluster: tuple[Cluster, Path],
                                                       tmp_path: Path, run_id: str) -> None:
    ray_cluster, _scratch = cluster
    address = ray_cluster.address
    run_dir = RunDir(tmp_path / run_id)
    # nop: the environment task has no Dockerfile and fails at once; the logic task builds.
    proc = start("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES), "--executor",
                 "ray", "--ray-address", address, "--run-id", run_id, "--output", str(tmp_path))
    wait_until("a first result", lambda: results(run_dir), proc, RUN_SEC)
    proc.send_signal(signal.SIGINT)
    out = proc.communicate(timeout=120)[0].decode(errors="replace")
    assert proc.returncode == 130, out[-3000:]
    assert leftovers(run=run_id) == NOTHING
    manifest = json.loads(run_dir.run_file.read_text())
    before = results(run_dir)
    assert manifest["status"] == "interrupted" and len(before) == 1, out[-3000:]

    resumed = subprocess.run([*CLI, "run", "--resume", run_id, "--output", str(tmp_path),
                              "--executor", "ray", "--ray-address", address],
                             capture_output=True, text=True, timeout=RUN_SEC * 2)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    after = results(run_dir)
    assert sorted(after) == ["fx-quotes-env__1", "fx-quotes-logic__1"]
    for name, result in before.items():
        assert after[name]["started_at"] == result["started_at"], f"{name} ran twice"
    assert all(r["node"].startswith("ray:") for r in after.values())
    manifest = json.loads(run_dir.run_file.read_text())
    assert manifest["status"] == "completed" and manifest["summary"]["n_trials"] == 2
    assert len(manifest["resumed_at"]) == 1
    assert leftovers(run=run_id) == NOTHING


def test_connecting_keeps_the_runs_sigterm_handler(cluster: tuple[Cluster, Path]) -> None:
    """`ray.init` installs its own SIGTERM handler (sys.exit); a run stopped by SIGTERM must
    still stop like Ctrl-C (status interrupted, exit 130), so the run's handler stays."""
    from abcbench.run.executors.ray_cluster import RayExecutor

    def ours(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, ours)
    executor = RayExecutor(cluster[0].address)
    try:
        executor.open()
        assert executor.slots >= 1
        assert signal.getsignal(signal.SIGTERM) is ours
    finally:
        executor.close()
        signal.signal(signal.SIGTERM, previous)
