"""Every agent's log converts to an ATIF trajectory that validates against the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from abcbench.agents.atif import save_atif
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.codex import CodexAgent
from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.results.models import Usage
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, ToolCallStep, UsageStep, tool
from tests.agents.agent_helpers import LocalSandbox, make_context
from tests.agents.atif_check import SCHEMA, validate_atif

FIXTURES = Path(__file__).parent / "fixtures"
USAGE = Usage(input_tokens=2000, output_tokens=100, cached_tokens=400, cost_usd=0.01,
              n_requests=2)
PER_REQUEST = [Usage(input_tokens=1000, output_tokens=50, cached_tokens=200, n_requests=1)] * 2


def test_claude_code_stream_json(tmp_path: Path) -> None:
    agent = ClaudeCodeAgent(model="anthropic/claude-sonnet-4-5")
    text = (FIXTURES / "claude-stream.jsonl").read_text()
    save_atif(tmp_path / "t.json", agent.to_atif(text).finish(USAGE, PER_REQUEST), [])
    data = validate_atif(tmp_path / "t.json")
    agent_steps = [s for s in data["steps"] if s["source"] == "agent"]
    assert len(agent_steps) == 2  # two model replies (one split over two stream events)
    first = agent_steps[0]
    assert first["message"] == "Writing." and first["tool_calls"][0]["function_name"] == "Bash"
    assert first["observation"]["results"][0]["content"] == "(Bash completed with no output)"
    # the gateway's per-request usage, paired with the replies one to one
    assert [s["metrics"]["prompt_tokens"] for s in agent_steps] == [1000, 1000]
    assert data["final_metrics"]["total_prompt_tokens"] == 2000
    assert data["agent"] == {"name": "claude-code", "version": "2.1.332",
                             "model_name": "claude-sonnet-4-5", "extra": data["agent"]["extra"]}


def test_codex_events(tmp_path: Path) -> None:
    agent = CodexAgent(model="openai/gpt-5")
    text = (FIXTURES / "codex-events.jsonl").read_text()
    save_atif(tmp_path / "t.json", agent.to_atif(text).finish(USAGE, PER_REQUEST), [])
    data = validate_atif(tmp_path / "t.json")
    command = next(s for s in data["steps"] if s.get("tool_calls"))
    assert command["tool_calls"][0]["function_name"] == "command_execution"
    assert "echo hi" in command["tool_calls"][0]["arguments"]["command"]
    assert data["steps"][-1]["message"] == "Done."


def test_mini_swe_agent_messages(tmp_path: Path) -> None:
    agent = MiniSweAgent(model="gpt-4o-mini")
    text = (FIXTURES / "mini-trajectory.json").read_text()
    save_atif(tmp_path / "t.json", agent.to_atif(text).finish(USAGE, []), [])
    data = validate_atif(tmp_path / "t.json")
    assert data["steps"][0]["source"] == "system"
    calls = [s for s in data["steps"] if s.get("tool_calls")]
    assert len(calls) == 5 and calls[0]["tool_calls"][0]["function_name"] == "bash"
    assert "env > env-dump.txt" in calls[0]["tool_calls"][0]["arguments"]["command"]
    # every command's output came back, except the submitting one's (mini stops there)
    assert all(s["observation"]["results"][0]["content"] for s in calls[:-1])


def test_the_built_in_agent_writes_atif(tmp_path: Path) -> None:
    sandbox = LocalSandbox(tmp_path / "root")
    ctx = make_context(sandbox, tmp_path / "agent")
    usage = UsageStep(prompt_tokens=100, completion_tokens=10)
    script = Script(steps=[
        Step(content="Looking.", tool_calls=[tool("bash", command="echo hi")], usage=usage),
        Step(tool_calls=[ToolCallStep(name="bash", raw_arguments="{broken")], usage=usage),
        Step(tool_calls=[tool("finish", summary="done")], usage=usage)])
    with ModelServer(script) as server:
        agent = ToolCallingAgent(model="gpt-4o-mini", base_url=server.base_url)
        agent.setup(ctx)
        result = agent.run(ctx)
    assert result.trajectory_file == "agent/trajectory.json"
    data = validate_atif(tmp_path / "agent" / "trajectory.json")
    assert [s["source"] for s in data["steps"]] == ["system", "user", "agent", "agent", "agent"]
    assert data["steps"][2]["observation"]["results"][0]["content"].startswith("hi")
    assert data["steps"][3]["tool_calls"][0]["arguments"] == {"_raw": "{broken"}
    assert [s["metrics"]["prompt_tokens"] for s in data["steps"][2:]] == [100, 100, 100]
    assert data["final_metrics"]["total_prompt_tokens"] == 300
    assert data["extra"]["exit_status"] == "finished"


def test_the_schema_rejects_what_atif_forbids() -> None:
    good = {"schema_version": "ATIF-v1.4", "session_id": "s", "agent": {"name": "a",
            "version": "1"}, "steps": [{"step_id": 1, "source": "agent", "message": "",
                                        "tool_calls": [{"tool_call_id": "c",
                                                        "function_name": "f",
                                                        "arguments": {}}]}]}
    jsonschema.validate(good, SCHEMA)
    bad_args = json.loads(json.dumps(good))
    bad_args["steps"][0]["tool_calls"][0]["arguments"] = "{}"
    user_metrics = json.loads(json.dumps(good))
    user_metrics["steps"][0]["source"] = "user"
    for bad in (bad_args, user_metrics, {**good, "schema_version": "v1"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


def test_codex_replies_group_a_message_with_its_commands(tmp_path: Path) -> None:
    """From a real run: three replies (message + command, message + command, message)."""
    agent = CodexAgent(model="openai/gpt-5")
    text = (FIXTURES / "codex-events-task.jsonl").read_text()
    per_request = [Usage(input_tokens=3000, output_tokens=120, cached_tokens=1000,
                         n_requests=1)] * 3
    save_atif(tmp_path / "t.json", agent.to_atif(text).finish(USAGE, per_request), [])
    data = validate_atif(tmp_path / "t.json")
    assert [s["source"] for s in data["steps"]] == ["system", "agent", "agent", "agent"]
    agent_steps = data["steps"][1:]
    assert [len(s.get("tool_calls", [])) for s in agent_steps] == [1, 1, 0]
    assert "env > env-dump.txt" in agent_steps[0]["tool_calls"][0]["arguments"]["command"]
    assert [s["metrics"]["prompt_tokens"] for s in agent_steps] == [3000] * 3
