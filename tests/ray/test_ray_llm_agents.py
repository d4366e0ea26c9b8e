"""LLM agents under `--executor ray` on a real 3-node local Ray cluster, against the scripted
model server on the driver's loopback: the provider key stays on the driver.

The cluster's processes are started without the key in their environment (as on real hosts),
and the run gets it only as `--agent-env OPENAI_API_KEY` (value from the driver's environment).
Each node's gateway forwards to the driver's relay with the run's token, so: the trials resolve,
on at least two nodes; the tokens in result.json are what the server reported; every request
the server saw carries the key (which only the driver holds); the key is in no file of the run
folder and in no sandbox's environment; nothing is left in Docker. Real processes, real engine,
real HTTP; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from abcbench.agents.base import Agent
from abcbench.agents.installed.codex import CodexAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.agents.verify import ENV_DUMP, SCRIPTED_MODEL, solving_route
from abcbench.results.store import RunDir
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script
from tests.agents.agent_helpers import agent_requests, agent_usage
from tests.conftest import NATIVE_FIXTURES
from tests.ray.local_cluster import local_cluster

ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.ray, pytest.mark.sweep]

SECRET = "sk-ray-driver-only-NEVER-ON-A-NODE-7e6d5c4b"
KEY_VAR = "OPENAI_API_KEY"
NOTHING = {"containers": [], "networks": [], "trial_images": []}
CLI = [sys.executable, "-m", "abcbench.cli"]
RUN_SEC = 1200  # two trials at once, with service builds, on a loaded 2-core machine
TASKS = ("fx-quotes-env", "fx-quotes-logic")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Three slot nodes started without the key in their environment."""
    with local_cluster(3, drop_env=(KEY_VAR,)) as (ray_cluster, _scratch):
        yield ray_cluster


def run_llm_agent(cluster: Cluster, out: Path, run_id: str, agent: type[Agent], model: str,
                  key_flag: bool = True) -> tuple[RunDir, ModelServer, str]:
    """The run on the cluster; the key in the driver's environment, named with `--agent-env`
    unless `key_flag` is false (then the driver reads it from its environment itself)."""
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    script = Script(routes=[solving_route(registry.get(t), agent) for t in TASKS])
    with ModelServer(script, host="127.0.0.1") as server:  # the driver's loopback only
        proc = subprocess.run(
            [*CLI, "run", "--agent", agent.name, "--model", model, "--tasks-dir",
             str(NATIVE_FIXTURES), "--executor", "ray", "--ray-address", cluster.address,
             "--agent-kwarg", f"base_url={server.base_url}",
             *(["--agent-env", KEY_VAR] if key_flag else []),
             "--run-id", run_id, "--output", str(out)],
            env={**os.environ, KEY_VAR: SECRET, "PYTHONFAULTHANDLER": "1"},
            capture_output=True, text=True,
            timeout=RUN_SEC)
    output = proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, output
    return RunDir(out / run_id), server, output


def check_run(run_dir: RunDir, server: ModelServer, output: str, run_id: str) -> None:
    results = {r.task_id: r for r in run_dir.results()}
    assert sorted(results) == sorted(TASKS), output
    for result in results.values():
        assert result.resolved, (result.task_id, result.failure_class, result.error, output)
    nodes = {r.node for r in results.values()}
    assert len(nodes) == 2 and all(n and n.startswith("ray:") for n in nodes), nodes

    # the tokens in result.json are the server's, every request through the relay's key
    served = agent_usage(server)
    assert served.prompt_tokens > 0
    assert sum(r.usage.input_tokens for r in results.values()) == served.prompt_tokens
    assert sum(r.usage.output_tokens for r in results.values()) == served.completion_tokens
    requests = agent_requests(server)
    assert len(requests) >= 2 * 3
    assert {r.headers.get("authorization") for r in requests} == {f"Bearer {SECRET}"}

    # the key (and the run's relay token) in no file of the run and in no sandbox's env
    for path in run_dir.path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, f"API key written to {path}"
            assert b"abcbench-run-" not in data, f"the relay token written to {path}"
    for result in results.values():
        dump = (run_dir.trial_dir(result.trial_name) / "submission" / ENV_DUMP).read_text()
        assert dump.strip() and SECRET not in dump and "abcbench-run-" not in dump
    assert leftovers(run=run_id) == NOTHING


@pytest.mark.parametrize("key_flag", [True, False], ids=["agent-env", "driver-env"])
def test_abc_agent_on_ray_keeps_the_key_on_the_driver(cluster: Cluster, tmp_path: Path,
                                                      run_id: str, key_flag: bool) -> None:
    """driver-env: a key the driver takes from its own environment is used too (before the
    relay, each node looked in its own environment, where there is none)."""
    assert KEY_VAR not in os.environ  # the nodes were started without it
    run_dir, server, output = run_llm_agent(cluster, tmp_path, run_id, ToolCallingAgent,
                                            SCRIPTED_MODEL, key_flag)
    check_run(run_dir, server, output, run_id)
    for result in run_dir.results():
        agent_dir = run_dir.trial_dir(result.trial_name) / "agent"
        trajectory = json.loads((agent_dir / "abc-trajectory.json").read_text())
        assert trajectory["base_url"] == server.base_url  # the provider, not the relay
        gateway = json.loads((agent_dir / "gateway.json").read_text())
        assert gateway["upstream"] == server.base_url


def test_installed_codex_on_ray_reaches_its_nodes_gateway(cluster: Cluster, tmp_path: Path,
                                                          run_id: str) -> None:
    """An agent inside the sandbox reaches the gateway of the node its trial runs on."""
    run_dir, server, output = run_llm_agent(cluster, tmp_path, run_id, CodexAgent,
                                            "openai/gpt-5")
    check_run(run_dir, server, output, run_id)
    for trial in ("fx-quotes-env__1", "fx-quotes-logic__1"):
        dump = (run_dir.trial_dir(trial) / "submission" / ENV_DUMP).read_text()
        assert f"{KEY_VAR}=abcbench-" in dump  # the trial's own gateway token, nothing more
