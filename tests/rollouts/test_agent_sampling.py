"""The built-in agent's sampling kwargs reach the endpoint (through the gateway) as sent, and
the gateway's token records follow the agent's requests one to one."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.errors import UserError
from abcbench.gateway.logprobs import COMPLETIONS_FILE, CompletionTokens
from abcbench.testing.script import Route, Script, Step, scripted_tokens
from tests.agents.test_tool_agent_loop import run_agent


def test_seed_logprobs_and_extra_body_are_sent_and_recorded(tmp_path: Path) -> None:
    steps = [Step.call("bash", command="echo hi"), Step.call("finish", summary="ok")]
    server, _sandbox, _result, trial_dir = run_agent(
        tmp_path, Script(routes=[Route(seed=42, steps=steps)]), seed="42", logprobs="true",
        top_logprobs="1", extra_body='{"return_token_ids": true, "top_k": 5}')
    sent = [r.body for r in server.completions if r.body.get("seed") == 42]
    assert len(sent) == 2
    assert all(b["logprobs"] is True and b["top_logprobs"] == 1 and b["top_k"] == 5
               and b["return_token_ids"] is True for b in sent)
    lines = (trial_dir / "agent" / COMPLETIONS_FILE).read_text().splitlines()
    records = [CompletionTokens.model_validate_json(line) for line in lines]
    assert [r.choices[0].token_ids for r in records] == [
        [t.token_id for t in scripted_tokens(s)] for s in steps]
    assert [r.n_request_messages for r in records] == [2, 4]


@pytest.mark.parametrize("value, message", [
    ('{"model": "other"}', "may not set model"),
    ('{"messages": []}', "may not set messages"),
    ("[1]", "extra_body"),
    ("not json", "extra_body"),
])
def test_extra_body_cannot_replace_what_the_agent_sends(value: str, message: str) -> None:
    agent = ToolCallingAgent(model="m", base_url="http://127.0.0.1:9/v1", extra_body=value)
    with pytest.raises(UserError, match=message):
        agent.validate()
