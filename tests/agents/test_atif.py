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
    # named by the function the model called, not by Codex's event type
    assert command["tool_calls"][0]["function_name"] == "exec_command"
    call_id = command["tool_calls"][0]["tool_call_id"]
    assert command["extra"][call_id]["item_type"] == "command_execution"
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


def test_codex_names_every_tool_by_the_function_called() -> None:
    from abcbench.agents.atif_convert import codex_function
    assert codex_function({"type": "command_execution"}) == CodexAgent.shell_tool[0]
    assert codex_function({"type": "file_change"}) == "apply_patch"
    assert codex_function({"type": "mcp_tool_call", "server": "docs", "tool": "search"}) == \
        "docs__search"
    assert codex_function({"type": "web_search"}) == "web_search"


def mini_reply(content: str, calls: list[dict[str, object]] | None, n: int) -> dict[str, object]:
    """A model response as mini-swe-agent 2.4.6 stores it (`response.model_dump()`)."""
    message = {"role": "assistant", "content": content, "tool_calls": calls}
    return {"id": f"r{n}", "object": "chat.completion", "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "tool_calls" if calls else "stop",
                         "message": message}],
            "usage": {"prompt_tokens": 100 + n, "completion_tokens": 10, "total_tokens": 110}}


def mini_log_with_unparsed_replies() -> dict[str, object]:
    """Three bash steps, then three text-only replies: mini 2.4.6 raises FormatError for
    each (no assistant message is logged), keeps the reply in the error message's
    `extra.response`, and stops with RepeatedFormatError after the third."""
    error = ("Tool call error:\n\n<error>\nNo tool calls found in the response. Every "
             "response MUST include at least one tool call.\n</error>")
    messages: list[dict[str, object]] = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Please solve this issue: fix it"}]
    for n in range(3):
        call = {"id": f"call_{n}", "type": "function",
                "function": {"name": "bash", "arguments": json.dumps({"command": f"ls {n}"})}}
        reply = mini_reply("", [call], n)
        messages.append({**reply["choices"][0]["message"],  # type: ignore[index]
                         "extra": {"actions": [{"command": f"ls {n}", "tool_call_id": f"call_{n}"}],
                                   "response": reply, "cost": 0.0}})
        messages.append({"role": "tool", "tool_call_id": f"call_{n}",
                         "content": json.dumps({"returncode": 0, "output": f"out {n}"})})
    for n in range(3, 6):
        messages.append({"role": "user", "content": error,
                         "extra": {"interrupt_type": "FormatError", "cost": 0.0,
                                   "response": mini_reply(f"All done ({n}).", None, n)}})
    messages.append({"role": "exit", "content": "RepeatedFormatError",
                     "extra": {"exit_status": "RepeatedFormatError", "submission": ""}})
    return {"trajectory_format": "mini-swe-agent-1.1", "messages": messages,
            "info": {"exit_status": "RepeatedFormatError", "submission": "",
                     "mini_version": "2.4.6", "model_stats": {"api_calls": 6}}}


def test_mini_text_only_replies_are_steps_with_their_own_metrics(tmp_path: Path) -> None:
    """6 requests: 3 tool calls and 3 text-only replies that mini could not parse."""
    agent = MiniSweAgent(model="gpt-4o-mini", env={"OPENAI_API_KEY": "k"})
    agent.validate()
    per_request = [Usage(input_tokens=100 + n, output_tokens=10, n_requests=1)
                   for n in range(6)]
    total = Usage(input_tokens=sum(u.input_tokens for u in per_request), output_tokens=60,
                  n_requests=6)
    text = json.dumps(mini_log_with_unparsed_replies())
    save_atif(tmp_path / "t.json", agent.to_atif(text).finish(total, per_request), [])
    data = validate_atif(tmp_path / "t.json")
    agent_steps = [s for s in data["steps"] if s["source"] == "agent"]
    assert len(agent_steps) == 6
    assert [s["metrics"]["prompt_tokens"] for s in agent_steps] == [100, 101, 102, 103, 104, 105]
    assert [s["message"] for s in agent_steps[3:]] == [f"All done ({n})." for n in (3, 4, 5)]
    assert all("tool_calls" not in s for s in agent_steps[3:])
    assert [s["source"] for s in data["steps"][-2:]] == ["agent", "user"]  # reply, then error
    assert agent.read_back(text).exit_status == "malformed_output"


def test_harbors_published_models_accept_every_agents_trajectory(tmp_path: Path) -> None:
    """Harbor's own `Trajectory` model (PyPI harbor 0.26.0), not only the local schema: every
    converter's output passes it, and it refuses what ATIF forbids, as the local copy does."""
    import pydantic

    from tests.agents.harbor_atif import harbor_trajectory_model
    model = harbor_trajectory_model()  # fails here, not silently, when it cannot be fetched
    cases = [(ClaudeCodeAgent(model="anthropic/claude-sonnet-4-5"), "claude-stream.jsonl"),
             (CodexAgent(model="openai/gpt-5"), "codex-events.jsonl"),
             (CodexAgent(model="openai/gpt-5"), "codex-events-task.jsonl"),
             (MiniSweAgent(model="gpt-4o-mini"), "mini-trajectory.json")]
    for agent, fixture in cases:
        atif = agent.to_atif((FIXTURES / fixture).read_text()).finish(USAGE, PER_REQUEST)
        model.model_validate(json.loads(atif.model_dump_json(exclude_none=True)))
    mini = MiniSweAgent(model="gpt-4o-mini").to_atif(json.dumps(mini_log_with_unparsed_replies()))
    model.model_validate(json.loads(mini.finish(USAGE, []).model_dump_json(exclude_none=True)))
    good = {"schema_version": "ATIF-v1.4", "session_id": "s",
            "agent": {"name": "a", "version": "1"},
            "steps": [{"step_id": 1, "source": "agent", "message": "",
                       "tool_calls": [{"tool_call_id": "c", "function_name": "f",
                                       "arguments": {}}]}]}
    model.model_validate(good)
    for path, value in ((("steps", 0, "step_id"), 2), (("steps", 0, "source"), "robot"),
                        (("steps", 0, "tool_calls", 0, "arguments"), "{}")):
        bad = json.loads(json.dumps(good))
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(pydantic.ValidationError):
            model.model_validate(bad)


def test_the_local_schema_agrees_with_harbors_on_the_shape() -> None:
    """The local copy (written from the RFC) against Harbor's published models: the same
    step sources, and every field the copy requires is one Harbor's models know."""
    from tests.agents.harbor_atif import harbor_trajectory_model
    schema = harbor_trajectory_model().model_json_schema()
    defs = schema["$defs"]
    published, step = defs["Trajectory"], defs["Step"]
    assert set(SCHEMA["$defs"]["step"]["properties"]["source"]["enum"]) == \
        set(step["properties"]["source"]["enum"])
    # the copy is stricter: it also requires schema_version and session_id (optional since
    # ATIF-v1.7), which every trajectory here carries
    assert set(published["required"]) <= set(SCHEMA["required"])
    assert set(SCHEMA["properties"]) <= set(published["properties"])
    assert set(SCHEMA["$defs"]["step"]["properties"]) <= set(step["properties"])
    assert set(SCHEMA["$defs"]["step"]["required"]) == set(step["required"])
