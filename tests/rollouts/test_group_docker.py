"""Grouped rollouts through the real harness (sandboxes, gateway, build, deploy, hidden tests)
against the scripted OpenAI-compatible server serving log-probabilities and token ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo
from abcbench.rollouts.group import GroupRequest, run_groups
from abcbench.rollouts.output import read_jsonl
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Route, Script, Step, scripted_tokens
from tests.agents.agent_helpers import TASK_ID, bundled_task
from tests.agents.test_tool_agent_docker import solving_script

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SECRET = "sk-rollout-test-NEVER-ON-DISK-1a2b3c"
FAILING = [Step.call("bash", command="ls"), Step.call("finish", summary="nothing to do")]


def group_request(tmp_path: Path, run_id: str, server: ModelServer, size: int,
                  **kwargs: str) -> GroupRequest:
    return GroupRequest(
        tasks=[bundled_task(TASK_ID)], agent_cls=ToolCallingAgent,
        agent_info=AgentInfo(name="abc", model="policy-under-training",
                             kwargs={"base_url": server.base_url, "retry_base_sec": "0.2",
                                     "extra_body": '{"return_token_ids": true}', **kwargs},
                             env_keys=["OPENAI_API_KEY"]),
        agent_env={"OPENAI_API_KEY": SECRET}, output_dir=tmp_path / "runs",
        tasks_dir=bundled_tasks_dir(), group_size=size, seed=100, top_logprobs=2,
        run_id=run_id)


def test_group_of_four_rewards_and_tokens_exactly_as_served(tmp_path: Path,
                                                            run_id: str) -> None:
    solve = solving_script().steps
    script = Script(routes=[Route(seed=100, steps=solve), Route(seed=101, steps=solve),
                            Route(seed=102, steps=FAILING), Route(seed=103, steps=FAILING)])
    with ModelServer(script) as server:
        outcome = run_groups(group_request(tmp_path, run_id, server, 4))
        served = [r for r in server.completions if r.body.get("seed") is not None]
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    records = outcome.records
    assert [r.reward for r in records] == [1.0, 1.0, 0.0, 0.0]
    assert [r.seed for r in records] == [100, 101, 102, 103]
    assert all(r.valid for r in records)
    [stats] = outcome.stats
    assert stats.mean == 0.5 and stats.n_valid == 4
    assert stats.std == pytest.approx((1 / 3) ** 0.5)  # sample std of [1, 1, 0, 0]
    assert records[0].advantage == pytest.approx(0.5 / ((1 / 3) ** 0.5 + 1e-6))
    assert records[0].report.n_tests > 0
    assert records[0].report.n_passed == records[0].report.n_tests
    assert records[2].report.failure_class == "tests_failed"
    for record in records:
        steps = solve if record.seed in (100, 101) else FAILING
        assert len(record.completions) == len(steps)
        for step, completion in zip(steps, record.completions, strict=True):
            [choice] = completion.choices
            tokens = scripted_tokens(step)
            assert choice.token_ids == [t.token_id for t in tokens]
            assert choice.logprobs is not None
            assert [(t.token, t.logprob, t.token_id) for t in choice.logprobs] == [
                (t.token, t.logprob, None) for t in tokens]
            assert [len(t.top_logprobs) for t in choice.logprobs] == [2] * len(tokens)
            assert completion.requested == {"seed": record.seed, "logprobs": True,
                                            "top_logprobs": 2, "return_token_ids": True}
            assert completion.prompt_token_ids is not None
        assert record.messages[0]["role"] == "system"
        assert record.messages[-1]["tool_calls"][0]["function"]["name"] == "finish"
        assert {t["function"]["name"] for t in record.tools} >= {"bash", "finish"}
        assert record.usage.n_requests == len(steps)
    assert len(served) == sum(len(r.completions) for r in records)
    # The files: JSON Lines round-trips, Parquet loads with the `datasets` library.
    assert read_jsonl(outcome.run_dir.path / "rollouts.jsonl") == records
    datasets = pytest.importorskip("datasets")
    table = datasets.load_dataset("parquet", data_files=str(
        outcome.run_dir.path / "rollouts.parquet"), split="train")
    assert table["reward"] == [1.0, 1.0, 0.0, 0.0]
    assert table[0]["completions"][0]["token_ids"] == records[0].completions[0].choices[
        0].token_ids
    for path in outcome.run_dir.path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_episode_killed_by_an_outage_is_reported_as_infrastructure(tmp_path: Path,
                                                                   run_id: str) -> None:
    """The upstream fails every request of this episode: the error policy classes it by type
    (ModelEndpointUnavailable) as infrastructure, and the trainer is told to drop it."""
    script = Script(routes=[Route(seed=100, steps=[Step.fail(503)] * 50)])
    with ModelServer(script) as server:
        outcome = run_groups(group_request(tmp_path, run_id, server, 1, retry_attempts="1"))
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    [record] = outcome.records
    assert record.valid is False and record.reward is None and record.advantage is None
    assert record.report.infrastructure and record.report.failure_class == "infrastructure"
    assert record.report.failure_rule == "model_endpoint"
    assert json.loads((outcome.run_dir.path / "rollout-groups.json").read_text())[0][
        "n_valid"] == 0
