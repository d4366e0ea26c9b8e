"""Grouped rollouts with `--executor ray` on a real 2-node local Ray cluster: each episode
keeps its seed, and the token records made by a node's gateway come back with the trial."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.agents.verify import solving_route
from abcbench.rollouts.output import read_jsonl
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Route, Script, Step, scripted_tokens
from tests.conftest import NATIVE_FIXTURES
from tests.ray.local_cluster import local_cluster

pytest.importorskip("ray")

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.ray, pytest.mark.sweep]

TASK = "fx-quotes-logic"
KEY_VAR = "OPENAI_API_KEY"
SECRET = "sk-rollouts-ray-NEVER-ON-A-NODE-0a9b8c"


def test_a_group_on_ray_keeps_seeds_rewards_and_token_records(tmp_path: Path,
                                                              run_id: str) -> None:
    task = TaskRegistry.from_dir(NATIVE_FIXTURES).get(TASK)
    solve = [*solving_route(task, ToolCallingAgent).steps[:-1], Step.call("finish", summary="ok")]
    fail = [Step.call("bash", command="ls"), Step.call("finish", summary="no")]
    script = Script(routes=[Route(seed=7, steps=solve), Route(seed=8, steps=fail)])
    with local_cluster(2, drop_env=(KEY_VAR,)) as (cluster, _scratch), \
            ModelServer(script, host="127.0.0.1") as server:
        proc = subprocess.run(
            [sys.executable, "-m", "abcbench.cli", "rollouts", "--task", TASK,
             "--tasks-dir", str(NATIVE_FIXTURES), "--group-size", "2", "--seed", "7",
             "--model", "policy", "--agent-kwarg", f"base_url={server.base_url}",
             "--agent-kwarg", 'extra_body={"return_token_ids": true}',
             "--agent-env", KEY_VAR, "--executor", "ray", "--ray-address", cluster.address,
             "--run-id", run_id, "--output", str(tmp_path)],
            env={**os.environ, KEY_VAR: SECRET}, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    records = read_jsonl(tmp_path / run_id / "rollouts.jsonl")
    assert [(r.seed, r.reward) for r in records] == [(7, 1.0), (8, 0.0)]
    for record, steps in zip(records, (solve, fail), strict=True):
        assert [c.choices[0].token_ids for c in record.completions] == [
            [t.token_id for t in scripted_tokens(s)] for s in steps]
    assert json.loads((tmp_path / run_id / "rollout-groups.json").read_text())[0]["mean"] == 0.5
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    for path in (tmp_path / run_id).rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
