"""The built-in agent's loop against the scripted model server over real HTTP, acting on a
host-process sandbox: stopping rules, retries, truncation, trajectory, usage and secrets."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.agents.trajectory import Trajectory
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep, tool
from tests.agents.agent_helpers import REPO, LocalSandbox, make_context

SECRET = "sk-test-THIS-MUST-NEVER-BE-WRITTEN-0123456789"


def run_agent(tmp_path: Path, script: Script, budget: float = 60.0, model: str = "gpt-4o-mini",
              **kwargs: str) -> tuple[ModelServer, LocalSandbox, object, Path]:
    sandbox = LocalSandbox(tmp_path / "root")
    trial_dir = tmp_path / "trial"
    ctx = make_context(sandbox, trial_dir / "agent", budget=budget)
    with ModelServer(script) as server:
        agent = ToolCallingAgent(model=model, env={"OPENAI_API_KEY": SECRET},
                                 base_url=server.base_url, retry_base_sec="0.05", **kwargs)
        agent.setup(ctx)
        result = agent.run(ctx)
    return server, sandbox, result, trial_dir


def load_trajectory(trial_dir: Path) -> Trajectory:
    return Trajectory.model_validate_json((trial_dir / "agent" / "abc-trajectory.json").read_text())


def assert_no_secret(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path


def test_writes_edits_runs_and_finishes(tmp_path: Path) -> None:
    script = Script(steps=[
        Step.call("write_file", path="app.py", content="print('hello')\n"),
        Step.call("str_replace", path="app.py", old="hello", new="world"),
        Step.call("bash", command="python3 app.py"),
        Step.call("read_file", path="app.py"),
        Step.call("finish", summary="printed world"),
    ])
    server, sandbox, result, trial_dir = run_agent(tmp_path, script)
    assert result.exit_status == "finished"
    assert (sandbox.host(REPO) / "app.py").read_text() == "print('world')\n"
    traj = load_trajectory(trial_dir)
    outputs = [s.tool_calls[0].output for s in traj.steps]
    assert "world" in outputs[2] and "[exit code 0]" in outputs[2]
    assert outputs[3].startswith("print('world')")
    assert result.trajectory_file == "agent/trajectory.json"
    assert result.n_steps == 5
    # The model saw each tool result, answering the right call id.
    last = server.completions[-1].body["messages"]
    tool_msgs = [m for m in last if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_msgs] == [f"call_{i}_0" for i in range(4)]
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert "60 seconds" in last[0]["content"] and "100 replies" in last[0]["content"]


def test_usage_and_cost_are_summed_from_every_request(tmp_path: Path) -> None:
    usage = UsageStep(prompt_tokens=1_000_000, completion_tokens=100_000, cached_tokens=400_000)
    script = Script(steps=[
        Step(tool_calls=[tool("bash", command="true")], usage=usage),
        Step(tool_calls=[tool("finish")], usage=usage),
    ])
    _server, _sb, result, trial_dir = run_agent(tmp_path, script, model="openai/gpt-4o-mini")
    assert result.usage.input_tokens == 2_000_000
    assert result.usage.output_tokens == 200_000
    assert result.usage.cached_tokens == 800_000
    assert result.usage.n_requests == 2
    # gpt-4o-mini: 0.15 in, 0.60 out, 0.075 cached (per Mtok): per request 0.09+0.03+0.06
    assert result.usage.cost_usd == pytest.approx(2 * (0.6 * 0.15 + 0.4 * 0.075 + 0.1 * 0.60))
    traj = load_trajectory(trial_dir)
    assert traj.usage == result.usage
    assert all(step.model_call.priced for step in traj.steps)


def test_price_table_file_overrides_defaults(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("my-local-model: {input: 1.0, output: 2.0}\n")
    script = Script(steps=[Step(tool_calls=[tool("finish")],
                                usage=UsageStep(prompt_tokens=500_000, completion_tokens=250_000))])
    _s, _sb, result, _t = run_agent(tmp_path, script, model="my-local-model",
                                    price_table=str(prices))
    assert result.usage.cost_usd == pytest.approx(0.5 + 0.5)


def test_survives_429_with_retry_after_and_500(tmp_path: Path) -> None:
    script = Script(steps=[
        Step.fail(429, retry_after="1"),
        Step.fail(500),
        Step.fail(503),
        Step.call("finish", summary="ok"),
    ])
    started = time.monotonic()
    server, _sb, result, trial_dir = run_agent(tmp_path, script)
    assert result.exit_status == "finished"
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert [r.status for r in server.requests] == [429, 500, 503, 200]
    # the gateway retried the provider, and recorded every attempt
    exchange = json.loads((trial_dir / "agent" / "gateway.jsonl").read_text().splitlines()[0])
    attempts = exchange["attempts"]
    assert [a["status"] for a in attempts] == [429, 500, 503, 200]
    assert attempts[0]["retry_after_sec"] == 1.0 and attempts[0]["waited_sec"] >= 1.0
    assert result.usage.n_requests == 1  # only the completion is billed


def test_non_retryable_error_stops_with_error(tmp_path: Path) -> None:
    script = Script(steps=[Step.fail(401, error_message="bad key")])
    server, _sb, result, _t = run_agent(tmp_path, script)
    assert result.exit_status == "error"
    assert "401" in (result.message or "") and "bad key" in (result.message or "")
    assert len(server.requests) == 1


def test_gives_up_after_replies_without_tool_calls(tmp_path: Path) -> None:
    script = Script(steps=[Step.say("I am not sure."), Step.say("I cannot do this.")])
    server, _sb, result, trial_dir = run_agent(tmp_path, script)
    assert result.exit_status == "gave_up"
    assert "I cannot do this." in (result.message or "")
    # the first idle reply was answered with a nudge
    second = server.completions[1].body["messages"]
    assert second[-1]["role"] == "user" and "tool call" in second[-1]["content"]
    assert load_trajectory(trial_dir).exit_status == "gave_up"


def test_turn_limit(tmp_path: Path) -> None:
    script = Script(steps=[Step.call("bash", command="true")], when_exhausted="repeat_last")
    server, _sb, result, _t = run_agent(tmp_path, script, max_turns="3")
    assert result.exit_status == "turn_limit"
    assert len(server.completions) == 3


def test_stops_at_the_time_budget_during_a_command(tmp_path: Path) -> None:
    script = Script(steps=[Step.call("bash", command="sleep 30", timeout_sec=600)],
                    when_exhausted="repeat_last")
    started = time.monotonic()
    _s, _sb, result, trial_dir = run_agent(tmp_path, script, budget=3.0)
    elapsed = time.monotonic() - started
    assert result.exit_status == "budget"
    assert elapsed < 10
    call = load_trajectory(trial_dir).steps[0].tool_calls[0]
    assert call.timed_out and "time budget" in call.output


def test_stops_at_the_time_budget_while_the_model_is_slow(tmp_path: Path) -> None:
    script = Script(steps=[Step(tool_calls=[tool("finish")], delay_sec=10)])
    started = time.monotonic()
    _s, _sb, result, _t = run_agent(tmp_path, script, budget=2.0)
    assert result.exit_status == "budget"
    assert time.monotonic() - started < 6


def test_long_output_is_truncated_head_and_tail(tmp_path: Path) -> None:
    script = Script(steps=[
        Step.call("bash", command="echo FIRST; seq 1 100000; echo LAST"),
        Step.call("finish"),
    ])
    server, _sb, _r, trial_dir = run_agent(tmp_path, script, max_output_chars="2000")
    call = load_trajectory(trial_dir).steps[0].tool_calls[0]
    assert call.truncated
    assert call.output.startswith("FIRST") and "LAST" in call.output[-200:]
    assert "characters omitted" in call.output
    assert len(call.output) < 2300
    sent = next(m for m in server.completions[1].body["messages"] if m["role"] == "tool")
    assert sent["content"] == call.output


def test_tool_errors_go_back_to_the_model(tmp_path: Path) -> None:
    script = Script(steps=[
        Step.call("read_file", path="missing.txt"),
        Step.call("write_file", path="a.txt", content="x x"),
        Step.call("str_replace", path="a.txt", old="x", new="y"),
        Step.call("no_such_tool"),
        Step.call("bash"),  # a missing argument is reported, not raised
        Step.call("finish"),
    ])
    _s, _sb, result, trial_dir = run_agent(tmp_path, script)
    assert result.exit_status == "finished"
    outs = [s.tool_calls[0] for s in load_trajectory(trial_dir).steps]
    assert not outs[0].ok and "does not exist" in outs[0].output
    assert not outs[2].ok and "occurs 2 times" in outs[2].output
    assert not outs[3].ok and "unknown tool" in outs[3].output
    assert not outs[4].ok and "bad arguments" in outs[4].output


def test_api_key_never_written(tmp_path: Path) -> None:
    script = Script(steps=[
        Step.call("bash", command=f"echo {SECRET}"),  # even when a tool prints it
        Step.fail(401, error_message=f"invalid key {SECRET}"),
    ])
    _s, _sb, result, trial_dir = run_agent(tmp_path, script)
    assert SECRET not in (result.message or "")
    assert SECRET not in result.model_dump_json()
    assert "***" in (trial_dir / "agent" / "abc-trajectory.json").read_text()
    assert_no_secret(trial_dir)


def test_trajectory_is_valid_json_with_timings(tmp_path: Path) -> None:
    script = Script(steps=[Step.call("bash", command="true"), Step.call("finish")])
    _s, _sb, _r, trial_dir = run_agent(tmp_path, script)
    data = json.loads((trial_dir / "agent" / "abc-trajectory.json").read_text())
    assert data["schema_version"] == 1 and data["exit_status"] == "finished"
    traj = Trajectory.model_validate(data)
    assert traj.base_url.startswith("http://127.0.0.1:")
    assert traj.steps[1].started_sec >= traj.steps[0].started_sec
    assert traj.steps[0].model_call.duration_sec >= 0
    assert traj.finished_at is not None
    assert (trial_dir / "agent" / "agent.log").read_text().count("turn ") == 2
