"""A dead raylet does not print Ray's state dump on the driver's console: on a real 2-node local
cluster (no Docker), a driver that opened the Ray executor runs a task on the worker node, the
node is killed, and the driver's stdout and stderr hold one line about it, not Ray's report
(its last 20 raylet log lines, `[state-dump] ...`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ray.local_cluster import local_cluster

pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

DRIVER = """
import sys, time
import ray
from abcbench.run.executors.ray_cluster import RayExecutor

executor = RayExecutor(sys.argv[1], notify=lambda m: print("NOTIFY", m, flush=True))
executor.open()

@ray.remote(num_cpus=0, max_retries=0, resources={"abcbench_slots": 1})
def on_the_worker(head):
    import time
    if ray.get_runtime_context().get_node_id() == head:
        return "head"
    time.sleep(120)

head = ray.get_runtime_context().get_node_id()
refs = [on_the_worker.remote(head) for _ in range(2)]
print("SUBMITTED", flush=True)
for ref in refs:
    try:
        ray.get(ref, timeout=150)
    except Exception as exc:
        print("LOST", type(exc).__name__, flush=True)
time.sleep(15)  # Ray publishes its reports of the dead node meanwhile
executor.close()
print("CLOSED", flush=True)
"""


def test_a_dead_raylet_prints_one_line_on_the_driver(tmp_path: Path) -> None:
    with local_cluster(2) as (cluster, _scratch):
        [worker] = cluster.worker_nodes
        driver = subprocess.Popen([sys.executable, "-c", DRIVER, cluster.address],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(Path.cwd())})
        assert driver.stdout is not None
        try:
            assert driver.stdout.readline().strip() == "SUBMITTED"
            time.sleep(8)  # the task is running on the worker node
            cluster.remove_node(worker, allow_graceful=False)
            out, err = driver.communicate(timeout=240)
        finally:
            driver.kill()
    assert "CLOSED" in out, out + err
    assert "LOST" in out, out
    text = out + err
    assert "[state-dump]" not in text and "Raylet is terminated" not in text, text
    notices = [line for line in out.splitlines() if line.startswith("NOTIFY Ray reported")]
    assert len(notices) == 1, out
    assert len(text.splitlines()) <= 8, text
