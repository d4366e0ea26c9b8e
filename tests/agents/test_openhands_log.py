"""OpenHands' event log (recorded from a real run of openhands-ai 1.6.0 in a sandbox against
the scripted server: a shell command, a file created with the editor, finish) converts to a
valid ATIF trajectory and gives the exit status."""

from __future__ import annotations

import json
from pathlib import Path

from abcbench.agents.atif import save_atif
from abcbench.agents.installed.openhands import OpenHandsAgent
from abcbench.results.models import Usage
from tests.agents.atif_check import validate_atif

FIXTURE = Path(__file__).parent / "fixtures" / "openhands-events.jsonl"
PER_REQUEST = [Usage(input_tokens=3000, output_tokens=120, cached_tokens=1000, n_requests=1)] * 3
TOTAL = Usage(input_tokens=9000, output_tokens=360, cached_tokens=3000, n_requests=3)


def test_events_convert_to_one_agent_step_per_model_reply(tmp_path: Path) -> None:
    agent = OpenHandsAgent(model="scripted-model")
    save_atif(tmp_path / "t.json", agent.to_atif(FIXTURE.read_text()).finish(TOTAL, PER_REQUEST),
              [])
    data = validate_atif(tmp_path / "t.json")
    assert [s["source"] for s in data["steps"]] == ["system", "user", "agent", "agent", "agent"]
    assert "Create a file" in data["steps"][1]["message"]
    run, edit, finish = data["steps"][2:]
    assert run["message"] == "Look."
    assert run["tool_calls"][0]["function_name"] == "execute_bash"
    assert "echo hi > hello.txt" in run["tool_calls"][0]["arguments"]["command"]
    assert run["observation"]["results"][0]["source_call_id"] == \
        run["tool_calls"][0]["tool_call_id"]
    assert edit["tool_calls"][0]["function_name"] == "str_replace_editor"
    assert "File created successfully" in edit["observation"]["results"][0]["content"]
    assert finish["tool_calls"][0]["function_name"] == "finish"
    # the gateway's usage pairs with the three model replies
    assert [s["metrics"]["prompt_tokens"] for s in (run, edit, finish)] == [3000] * 3
    assert data["agent"]["name"] == "openhands" and data["agent"]["version"] == "1.6.0"


def test_exit_status_from_the_final_state() -> None:
    agent = OpenHandsAgent(model="scripted-model")
    text = FIXTURE.read_text()
    back = agent.read_back(text)
    assert (back.exit_status, back.n_steps) == ("finished", 3)
    head = text.rsplit("\n", 2)[0]  # without the runner's status line: it was killed

    def ended(**status: object) -> str:
        return agent.read_back(head + "\n" + json.dumps({"abcbench_status": status})).exit_status

    assert agent.read_back(head).exit_status == "error"
    assert ended(agent_state="AgentState.STOPPED", stopped_at_wall_time=True) == "budget"
    assert ended(agent_state="AgentState.ERROR",
                 last_error="RuntimeError: Agent reached maximum iteration. Current "
                            "iteration: 100, max iteration: 100") == "turn_limit"
    assert ended(agent_state="AgentState.ERROR",
                 last_error="AgentStuckInLoopError: Agent got stuck in a loop") == "gave_up"
    assert ended(agent_state="AgentState.ERROR", last_error="litellm.BadRequestError") == \
        "error"


def test_model_names_follow_litellm() -> None:
    assert OpenHandsAgent(model="gpt-4o").litellm_model() == "openai/gpt-4o"
    assert OpenHandsAgent(model="openai/gpt-4o").litellm_model() == "openai/gpt-4o"
    assert OpenHandsAgent(model="anthropic/claude-sonnet-4-5").litellm_model() == \
        "anthropic/claude-sonnet-4-5"
