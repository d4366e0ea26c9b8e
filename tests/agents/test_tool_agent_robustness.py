"""The built-in agent when the model or the provider misbehaves: arguments as JSON objects,
runs of malformed tool calls, missing usage, requests that fail for good, outages, caps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from abcbench.agents.base import AgentResult
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.errors import EngineUnreachable, ModelEndpointUnavailable
from abcbench.sandbox.base import SandboxUnavailable
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, ToolCallStep, UsageStep, tool
from tests.agents.agent_helpers import REPO, LocalSandbox, make_context

SECRET = "sk-robust-THIS-MUST-NEVER-BE-WRITTEN-42"


def run(tmp_path: Path, script: Script, **kwargs: str) -> tuple[ModelServer, LocalSandbox,
                                                               AgentResult, dict[str, Any]]:
    sandbox = LocalSandbox(tmp_path / "root")
    ctx = make_context(sandbox, tmp_path / "trial" / "agent", budget=60)
    with ModelServer(script) as server:
        agent = ToolCallingAgent(model="gpt-4o-mini", env={"OPENAI_API_KEY": SECRET},
                                 base_url=server.base_url, retry_base_sec="0.02",
                                 retry_max_sec="0.05", **kwargs)
        agent.setup(ctx)
        result = agent.run(ctx)
    traj = json.loads((tmp_path / "trial" / "agent" / "abc-trajectory.json").read_text())
    return server, sandbox, result, traj


def test_arguments_sent_as_a_json_object_are_accepted(tmp_path: Path) -> None:
    script = Script(steps=[
        Step(tool_calls=[ToolCallStep(name="write_file",
                                      raw_arguments={"path": "a.txt", "content": "x"})]),
        Step.call("finish")])
    _server, sandbox, result, traj = run(tmp_path, script)
    assert result.exit_status == "finished", result.message
    assert (sandbox.host(REPO) / "a.txt").read_text() == "x"
    assert json.loads(traj["steps"][0]["tool_calls"][0]["arguments"]) == {
        "path": "a.txt", "content": "x"}


def test_a_run_of_malformed_tool_calls_ends_with_malformed_output(tmp_path: Path) -> None:
    broken = [Step(tool_calls=[ToolCallStep(name="bash", raw_arguments='{"command": "ls')]),
              Step.call("no_such_tool", x=1),
              Step(tool_calls=[ToolCallStep(name="bash", raw_arguments="[1, 2]")])]
    script = Script(steps=[*broken[:2], Step.call("bash", command="true"), *broken],
                    when_exhausted="repeat_last")
    server, _sb, result, traj = run(tmp_path, script, max_malformed_replies="3")
    assert result.exit_status == "malformed_output"
    assert "3 replies in a row" in (result.message or "")
    # the good call in between reset the count: 2 + 1 + 3 turns, not 100
    assert len(server.completions) == 6 and result.n_steps == 6
    assert traj["exit_status"] == "malformed_output"


def test_missing_usage_is_flagged_not_zero(tmp_path: Path) -> None:
    script = Script(steps=[Step(tool_calls=[tool("bash", command="true")], omit_usage=True),
                           Step(tool_calls=[tool("finish")],
                                usage=UsageStep(prompt_tokens=10, completion_tokens=2))])
    _server, _sb, result, traj = run(tmp_path, script)
    assert result.exit_status == "finished"
    assert traj["steps"][0]["model_call"]["usage_missing"] is True
    assert traj["n_unmetered"] == 1
    assert "1 model reply carried no usage" in (result.message or "")
    assert result.usage.input_tokens == 10  # what was reported, and only that
    assert result.usage.n_unmetered == 1


def test_a_request_refused_for_good_keeps_its_attempts(tmp_path: Path) -> None:
    script = Script(steps=[Step.fail(500), Step.fail(400, error_message="context too long")])
    _server, _sb, result, traj = run(tmp_path, script)
    assert result.exit_status == "error" and "context too long" in (result.message or "")
    assert [a["status"] for a in traj["failed_call"]["attempts"]] == [400]
    # the gateway, which retried the 500, kept every upstream attempt
    last = json.loads((tmp_path / "trial" / "agent" / "gateway.jsonl").read_text()
                      .splitlines()[-1])
    assert [a["status"] for a in last["attempts"]] == [500, 400]


def test_an_outage_is_the_endpoints_fault_not_the_agents(tmp_path: Path) -> None:
    script = Script(steps=[Step.call("bash", command="true"), *[Step.fail(503)] * 40])
    with pytest.raises(ModelEndpointUnavailable):
        run(tmp_path, script, retry_attempts="3")
    traj = json.loads((tmp_path / "trial" / "agent" / "abc-trajectory.json").read_text())
    assert traj["exit_status"] == "endpoint_unavailable"
    assert len(traj["steps"]) == 1 and traj["failed_call"]["attempts"]
    summary = json.loads((tmp_path / "trial" / "agent" / "gateway.json").read_text())
    assert summary["outage"] and summary["usage"]["n_requests"] == 1


def test_the_key_goes_to_the_provider_only_through_the_gateway(tmp_path: Path) -> None:
    script = Script(steps=[Step.call("bash", command="echo $OPENAI_API_KEY > env.txt"),
                           Step.call("finish")])
    server, sandbox, result, _traj = run(tmp_path, script)
    assert result.exit_status == "finished"
    assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {SECRET}"}
    assert SECRET not in (sandbox.host(REPO) / "env.txt").read_text()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path
    records = (tmp_path / "trial" / "agent" / "gateway.jsonl").read_text().splitlines()
    assert len(records) == 2


def test_a_spent_token_cap_stops_the_agent(tmp_path: Path) -> None:
    usage = UsageStep(prompt_tokens=600, completion_tokens=100)
    script = Script(steps=[Step(tool_calls=[tool("bash", command="true")], usage=usage)] * 5)
    server, _sb, result, _traj = run(tmp_path, script, max_total_tokens="1000")
    assert result.exit_status == "cost_limit"
    assert "token cap of 1000" in (result.message or "")
    assert len(server.requests) == 2
    assert result.usage.input_tokens == 1200


BAD_INPUTS = [
    ("read_file", {"path": "a.txt", "start_line": "x"}, "start_line"),
    ("read_file", {"path": "a.txt", "end_line": [3]}, "end_line"),
    ("bash", {"command": "true", "timeout_sec": "soon"}, "timeout_sec"),
    ("bash", {"command": ["rm", "-rf", "/"]}, "command"),
    ("bash", {"command": 42}, "command"),
    ("write_file", {"path": "b.txt", "content": 123}, "content"),
    ("write_file", {"path": "b.txt", "content": {"text": "x"}}, "content"),
    ("write_file", {"path": ["a.txt"], "content": "x"}, "path"),
    ("str_replace", {"path": "a.txt", "old": 1, "new": "y"}, "old"),
    ("str_replace", {"path": "a.txt", "old": "x", "new": None}, "new"),
    ("str_replace", {"path": "a.txt", "old": "hello", "new": "bye", "replace_all": "maybe"},
     "replace_all"),
    ("finish", {"summary": {"done": True}}, "summary"),
]


@pytest.mark.parametrize(("name", "args", "field"), BAD_INPUTS,
                         ids=[f"{n}-{f}-{type(a[f]).__name__}" for n, a, f in BAD_INPUTS])
def test_arguments_of_the_wrong_type_come_back_as_tool_errors(
        tmp_path: Path, name: str, args: dict[str, Any], field: str) -> None:
    script = Script(steps=[Step.call("write_file", path="a.txt", content="hello\n"),
                           Step(tool_calls=[ToolCallStep(name=name, raw_arguments=args)]),
                           Step.call("finish", summary="ok")])
    _server, sandbox, result, traj = run(tmp_path, script)
    assert result.exit_status == "finished", result.message
    output = traj["steps"][1]["tool_calls"][0]["output"]
    assert output.startswith("error:") and field in output, output
    assert (sandbox.host(REPO) / "a.txt").read_text() == "hello\n"  # nothing acted on
    assert not (sandbox.host(REPO) / "b.txt").exists()


@pytest.mark.parametrize(("raw", "value"), [("12", 12), (3.0, 3), ("2.5", 2.5), ("true", True)])
def test_arguments_that_mean_the_right_value_are_taken(raw: object, value: object) -> None:
    from abcbench.agents.tools import coerce_arguments
    field = "start_line" if isinstance(value, int) and not isinstance(value, bool) \
        else "timeout_sec" if isinstance(value, float) else "replace_all"
    tool_name = {"start_line": "read_file", "timeout_sec": "bash",
                 "replace_all": "str_replace"}[field]
    assert coerce_arguments(tool_name, {field: raw})[field] == value


LATIN1_PHP = "<?php\n// café, naïve\necho 'prix: 5 €uro';\n".encode("latin-1", errors="replace")


def test_a_file_that_is_not_utf8_is_read_and_edited_byte_exact(tmp_path: Path) -> None:
    """A latin-1 PHP file: read_file shows it (undecodable bytes replaced), str_replace edits
    its ASCII parts and keeps every other byte as it was; nothing ends the episode."""
    script = Script(steps=[Step.call("read_file", path="index.php"),
                           Step.call("str_replace", path="index.php", old="echo", new="print"),
                           Step.call("str_replace", path="index.php", old="café", new="cafe"),
                           Step.call("finish")])
    sandbox = LocalSandbox(tmp_path / "root")
    (sandbox.host(REPO)).mkdir(parents=True, exist_ok=True)
    (sandbox.host(REPO) / "index.php").write_bytes(LATIN1_PHP)
    ctx = make_context(sandbox, tmp_path / "trial" / "agent", budget=60)
    with ModelServer(script) as server:
        agent = ToolCallingAgent(model="gpt-4o-mini", env={"OPENAI_API_KEY": SECRET},
                                 base_url=server.base_url)
        agent.setup(ctx)
        result = agent.run(ctx)
    assert result.exit_status == "finished", result.message
    traj = json.loads((tmp_path / "trial" / "agent" / "abc-trajectory.json").read_text())
    outputs = [s["tool_calls"][0]["output"] for s in traj["steps"]]
    assert "caf\ufffd" in outputs[0]
    assert outputs[1].startswith("replaced 1")
    assert outputs[2].startswith("error:") and "not found" in outputs[2]  # é is 0xE9 there
    assert (sandbox.host(REPO) / "index.php").read_bytes() == LATIN1_PHP.replace(
        b"echo", b"print")


@pytest.mark.parametrize("fault", [
    requests.ConnectionError("engine gone"),
    EngineUnreachable("the Docker engine stopped answering", operation="exec"),
    SandboxUnavailable("the sandbox is gone"),
], ids=["connection-error", "engine-unreachable", "sandbox-gone"])
def test_an_engine_or_sandbox_gone_ends_the_episode_not_a_tool_error(
        tmp_path: Path, fault: Exception) -> None:
    """A tool error is for what the model can act on; a dead engine or sandbox is raised, so
    the error policy says whose it was (infrastructure, or the agent's sandbox stopped)."""
    from abcbench.agents.tools import ToolExecutor

    sandbox = LocalSandbox(tmp_path / "root")

    def gone(*_a: object, **_k: object) -> None:
        raise fault

    sandbox.exec = gone  # type: ignore[method-assign]
    with pytest.raises(type(fault)):
        ToolExecutor(sandbox, REPO, lambda: 60.0).execute("bash", {"command": "ls"})
