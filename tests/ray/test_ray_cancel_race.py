"""A Ray attempt whose trial notices the run's stop before the executor's `stop` does is still
ended on its node (issue 18, item 10). Was: the trial dropped its task from the in-flight list
on the way out, so `stop` never cancelled it and it kept running on its node.

Real Ray (a local one-node instance); the attempt is a Ray task that beats a heartbeat file."""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from abcbench.agents.nop import NopAgent
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.executors import ray_cluster
from abcbench.tasks.loader import load_task
from abcbench.trial import TrialSpec
from tests.conftest import NATIVE_FIXTURES

ray = pytest.importorskip("ray")

pytestmark = [pytest.mark.ray]

SLOT = "abcbench_slots"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    ray.init(num_cpus=1, resources={SLOT: 1}, include_dashboard=False, log_to_driver=False,
             namespace="abcbench-race-test")
    try:
        yield ray
    finally:
        ray.shutdown()


def _beating(path: Path) -> bool:
    before = path.stat().st_mtime_ns if path.exists() else 0
    time.sleep(1.0)
    return path.exists() and path.stat().st_mtime_ns != before


class _Feed:
    relay = None

    def watch(self, *_args: Any) -> None: ...
    def unwatch(self, *_args: Any) -> None: ...
    def phase(self, _trial: str) -> None:
        return None


def test_a_trial_that_notices_the_stop_first_is_still_ended_on_its_node(
        local_ray: Any, tmp_path: Path) -> None:
    heartbeat = tmp_path / "beat"

    @local_ray.remote(num_cpus=0, max_retries=0)
    def attempt(*_args: Any) -> None:
        for _ in range(600):
            heartbeat.write_text(str(time.time()))
            time.sleep(0.1)

    executor = ray_cluster.RayExecutor()
    executor.ray = local_ray
    executor.node = types.SimpleNamespace(attempt_on_node=attempt, SLOT=SLOT)
    executor._feed = _Feed()  # type: ignore[assignment]
    executor._relays = types.SimpleNamespace(  # type: ignore[assignment]
        node_spec=lambda spec: (spec, None))
    executor._task_ref = lambda _task: (None, "")  # type: ignore[method-assign]
    spec = TrialSpec(run_id="race", task=load_task(NATIVE_FIXTURES / "fx-quotes-logic"),
                     attempt=1, agent_cls=NopAgent, agent_info=AgentInfo(name="nop"))
    cancelled = threading.Event()
    returned: list[object] = []
    worker = threading.Thread(target=lambda: returned.append(executor.run_attempt(
        spec, RunDir(tmp_path / "run"), 0, [], lambda *_a: None, cancelled)))
    worker.start()
    deadline = time.monotonic() + 60
    while not heartbeat.exists():
        assert time.monotonic() < deadline, "the attempt never started"
        time.sleep(0.1)
    cancelled.set()  # the trial's own poll sees the stop before the runner calls stop()
    worker.join(10)
    assert returned == [None]
    executor.stop()  # what the runner does next
    time.sleep(1.0)
    assert not _beating(heartbeat), "the attempt still runs on its node after the stop"
