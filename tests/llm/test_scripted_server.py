"""The scripted model server itself, over real HTTP with httpx."""

from __future__ import annotations

from pathlib import Path

import httpx

from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def test_serves_steps_in_order_and_records_requests() -> None:
    script = Script(steps=[Step.fail(429, retry_after="2", error_message="slow down"),
                           Step.call("bash", command="ls"),
                           Step.say("done", usage=UsageStep(prompt_tokens=7, completion_tokens=3))])
    with ModelServer(script) as server:
        url = server.base_url + "/chat/completions"
        first = httpx.post(url, json=BODY, headers={"Authorization": "Bearer x"})
        second = httpx.post(url, json=BODY).json()
        third = httpx.post(url, json=BODY).json()
        assert httpx.get(server.base_url + "/models").json()["data"][0]["id"] == "scripted"
        requests = server.requests
    assert first.status_code == 429 and first.headers["retry-after"] == "2"
    assert first.json()["error"]["message"] == "slow down"
    call = second["choices"][0]["message"]["tool_calls"][0]
    assert call["function"] == {"name": "bash", "arguments": '{"command": "ls"}'}
    assert second["choices"][0]["finish_reason"] == "tool_calls"
    assert second["usage"]["prompt_tokens"] > 0  # estimated when the step gives none
    assert third["usage"]["prompt_tokens"] == 7 and third["choices"][0]["message"]["content"]
    assert [r.status for r in requests] == [429, 200, 200]
    assert requests[0].headers["authorization"] == "Bearer x"
    assert requests[1].body == BODY
    assert server.usage_total.completion_tokens == second["usage"]["completion_tokens"] + 3


def test_when_exhausted_modes() -> None:
    for mode, expect in (("say_done", 200), ("error", 500), ("repeat_last", 200)):
        script = Script(steps=[Step.say("only")], when_exhausted=mode)  # type: ignore[arg-type]
        with ModelServer(script) as server:
            url = server.base_url + "/chat/completions"
            httpx.post(url, json=BODY)
            again = httpx.post(url, json=BODY)
        assert again.status_code == expect
        if mode == "repeat_last":
            assert again.json()["choices"][0]["message"]["content"] == "only"


def test_script_loads_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "script.yaml"
    path.write_text("- status: 500\n- content: hi\n  delay_sec: 0.1\n"
                    "- tool_calls: [{name: finish, arguments: {summary: ok}}]\n")
    script = Script.load(path)
    assert [s.status for s in script.steps] == [500, 200, 200]
    assert script.steps[2].tool_calls[0].arguments == {"summary": "ok"}


def test_unknown_route_is_404() -> None:
    with ModelServer(Script(steps=[])) as server:
        assert httpx.post(server.base_url + "/completions", json=BODY).status_code == 404
