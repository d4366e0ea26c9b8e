"""The SkyRL-gym adapter, driven like SkyRL's generator drives an env, by a scripted policy
served over HTTP (the real OpenAI-compatible scripted server): text in, tool calls parsed,
observations back, the hidden tests' verdict as the final reward."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from abcbench.paths import bundled_tasks_dir
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step
from tests.agents.agent_helpers import TASK_ID

skyrl_gym = pytest.importorskip("skyrl_gym")

REFERENCE = bundled_tasks_dir() / "_repos" / "python-flask-bookshelf" / "bookshelf"


def call(name: str, **arguments: Any) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def policy_script() -> Script:
    write = [call("write_file", path=f"bookshelf/{n}/loans.py",
                  content=(REFERENCE / n / "loans.py").read_text()) for n in ("services",
                                                                              "routes")]
    return Script(steps=[
        Step.say("Let me look first.\n" + call("bash", command="ls bookshelf")),
        Step.say("I will think aloud but call nothing."),
        Step.say("<tool_call>{not json</tool_call>"),
        Step.say("\n".join(write)),
        Step.say(call("finish", summary="done")),
    ])


def roll_out(env: Any, server: ModelServer) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    prompt, info = env.init([])
    assert info["startup_sec"] > 0
    messages = list(prompt)
    for _turn in range(10):
        reply = httpx.post(f"{server.base_url}/chat/completions", timeout=30,
                           json={"model": "policy", "messages": messages}).json()
        text = reply["choices"][0]["message"]["content"]
        messages.append({"role": "assistant", "content": text})
        out = env.step(text)
        if out["done"]:
            return messages, out
        messages += out["observations"]
    raise AssertionError("the episode did not end")


@pytest.mark.docker
@pytest.mark.slow
def test_skyrl_env_rolls_out_a_scripted_policy_to_its_reward(tmp_path: Path,
                                                             run_id: str) -> None:
    from abcbench.rollouts.skyrl import AbcBenchEnv, register_env

    register_env()
    register_env()  # idempotent
    env = skyrl_gym.make("abcbench", env_config={"output_dir": str(tmp_path),
                                                 "run_id_prefix": run_id},
                         extras={"task_id": TASK_ID, "seed": 3, "max_turns": 8})
    assert isinstance(env, AbcBenchEnv)
    try:
        with ModelServer(policy_script(), host="127.0.0.1") as server:
            messages, last = roll_out(env, server)
    finally:
        env.close()
    assert last["reward"] == 1.0 and last["metadata"]["valid"] is True
    assert last["metadata"]["n_passed"] == last["metadata"]["n_tests"] > 0
    observations = [m["content"] for m in messages if m["role"] == "user"][1:]
    assert "<tool_response>" in observations[0] and "routes" in observations[0]
    assert "no <tool_call>" in observations[1]
    assert "not valid JSON" in observations[2]
    assert env.get_metrics()["resolved"] == 1.0
    record = env.record  # the episode API's record underneath
    assert record is not None and record.seed == 3 and record.valid
    assert record.report.tests and all(t.passed for t in record.report.tests)
    assert [m["role"] for m in record.messages[:3]] == ["user", "assistant", "tool"]
    assert leftovers(run=env.episode.run_id) == {"containers": [], "networks": [],
                                                 "trial_images": []}


def test_tool_calls_are_parsed_once_as_json() -> None:
    from abcbench.rollouts.skyrl import parse_tool_calls

    text = (call("bash", command="echo '</tool_call>'") + "prose" + "<tool_call>[1]</tool_call>"
            + '<tool_call>{"name": "finish"}</tool_call>')
    parsed = parse_tool_calls(text)
    assert parsed[0] == ("bash", {"command": "echo '</tool_call>'"})  # not cut at the tag
    assert isinstance(parsed[1], str) and "JSON object" in parsed[1]
    assert parsed[2] == ("finish", None)
    assert len(parsed) == 3
    broken = parse_tool_calls("<tool_call>{oops</tool_call> <tool_call>{\"name\": \"a\"}")
    assert isinstance(broken[0], str) and "not valid JSON" in broken[0]
    assert broken[1] == ("a", None)
    assert parse_tool_calls("no calls here") == []
