"""The scripted model server itself, over real HTTP with httpx, in its three protocols."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Route, Script, Step, UsageStep, tool

USER = {"role": "user", "content": "hi"}
BODY = {"model": "m", "messages": [USER]}


def chat_body(assistant_turns: int, first: str = "hi") -> dict[str, Any]:
    messages: list[dict[str, Any]] = [{"role": "user", "content": first}]
    for n in range(assistant_turns):
        messages += [{"role": "assistant", "content": f"turn {n}"},
                     {"role": "user", "content": "go on"}]
    return {"model": "m", "messages": messages}


def read_sse(response: httpx.Response) -> list[tuple[str | None, str]]:
    """(event name, data) pairs, parsed by the SSE rules: blank line ends an event."""
    events: list[tuple[str | None, str]] = []
    name: str | None = None
    data: list[str] = []
    for line in response.iter_lines():
        if not line:
            if data:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return events


def test_answers_by_turn_with_faults_first_and_records_requests() -> None:
    script = Script(steps=[Step.fail(429, retry_after="2", error_message="slow down"),
                           Step.call("bash", command="ls"),
                           Step.say("done", usage=UsageStep(prompt_tokens=7, completion_tokens=3))])
    with ModelServer(script) as server:
        url = server.base_url + "/chat/completions"
        first = httpx.post(url, json=chat_body(0), headers={"Authorization": "Bearer x"})
        second = httpx.post(url, json=chat_body(0)).json()  # the client's retry of turn 0
        third = httpx.post(url, json=chat_body(1)).json()
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
    assert [r.step_index for r in requests] == [0, 0, 1]
    assert requests[0].headers["authorization"] == "Bearer x"
    assert requests[1].body == chat_body(0)
    assert server.usage_total.completion_tokens == second["usage"]["completion_tokens"] + 3


def test_conversations_are_independent_and_replays_get_the_same_answer() -> None:
    script = Script(steps=[Step.call("bash", command="one"), Step.call("bash", command="two")])
    with ModelServer(script) as server:
        url = server.base_url + "/chat/completions"
        answers = [httpx.post(url, json=body).json()["choices"][0]["message"]["tool_calls"][0]
                   ["function"]["arguments"]
                   for body in (chat_body(0, "a"), chat_body(0, "b"), chat_body(1, "a"),
                                chat_body(0, "a"))]
    assert [json.loads(a)["command"] for a in answers] == ["one", "one", "two", "one"]


def test_when_exhausted_modes() -> None:
    for mode, expect in (("say_done", 200), ("error", 500), ("repeat_last", 200)):
        script = Script(steps=[Step.say("only")], when_exhausted=mode)  # type: ignore[arg-type]
        with ModelServer(script) as server:
            url = server.base_url + "/chat/completions"
            httpx.post(url, json=chat_body(0))
            again = httpx.post(url, json=chat_body(1))
        assert again.status_code == expect
        if mode == "repeat_last":
            assert again.json()["choices"][0]["message"]["content"] == "only"


def test_script_loads_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "script.yaml"
    path.write_text("- status: 500\n- content: hi\n  delay_sec: 0.1\n"
                    "- tool_calls: [{name: finish, arguments: {summary: ok}}]\n"
                    "- fault: malformed\n")
    script = Script.load(path)
    assert [s.status for s in script.steps] == [500, 200, 200, 200]
    assert script.steps[2].tool_calls[0].arguments == {"summary": "ok"}
    assert script.steps[3].fault == "malformed"


def test_unknown_route_is_404() -> None:
    with ModelServer(Script(steps=[])) as server:
        assert httpx.post(server.base_url + "/completions", json=BODY).status_code == 404


def test_chat_stream_with_usage_chunk() -> None:
    usage = UsageStep(prompt_tokens=50, completion_tokens=9, cached_tokens=10)
    script = Script(steps=[Step(content="ok", tool_calls=[tool("bash", command="ls -la")],
                                usage=usage)])
    body = {**BODY, "stream": True, "stream_options": {"include_usage": True}}
    with ModelServer(script) as server, httpx.stream(
            "POST", server.base_url + "/chat/completions", json=body) as response:
        assert response.headers["content-type"] == "text/event-stream"
        events = read_sse(response)
    assert all(name is None for name, _ in events) and events[-1][1] == "[DONE]"
    chunks = [json.loads(data) for _, data in events[:-1]]
    args = "".join(c["choices"][0]["delta"].get("tool_calls", [{}])[0]
                   .get("function", {}).get("arguments", "") for c in chunks if c["choices"])
    assert json.loads(args) == {"command": "ls -la"}
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["prompt_tokens"] == 50
    assert chunks[-1]["usage"]["prompt_tokens_details"]["cached_tokens"] == 10


def test_responses_streamed_and_not() -> None:
    usage = UsageStep(prompt_tokens=120, completion_tokens=30, cached_tokens=20)
    script = Script(steps=[Step(content="running it", tool_calls=[
        tool("exec_command", cmd="ls")], usage=usage), Step.say("done", usage=usage)])
    body = {"model": "m", "input": [{"type": "message", "role": "user",
                                     "content": [{"type": "input_text", "text": "hi"}]}],
            "stream": True}
    with ModelServer(script) as server:
        with httpx.stream("POST", server.base_url + "/responses", json=body) as response:
            events = read_sse(response)
        later = {**body, "stream": False, "input": body["input"] + [
            {"type": "function_call", "call_id": "c", "name": "exec_command", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c", "output": "x"}]}
        plain = httpx.post(server.base_url + "/responses", json=later).json()
    names = [n for n, _ in events]
    assert names[:2] == ["response.created", "response.in_progress"]
    assert "response.output_item.added" in names and "response.output_text.delta" in names
    assert "response.function_call_arguments.delta" in names and names[-1] == "response.completed"
    datas = [json.loads(d) for _, d in events]
    assert all(d["type"] == n for (n, _), d in zip(events, datas, strict=True))
    assert [d["sequence_number"] for d in datas] == list(range(len(datas)))
    done = datas[-1]["response"]
    assert done["usage"] == {"input_tokens": 120, "input_tokens_details": {"cached_tokens": 20},
                             "output_tokens": 30, "output_tokens_details": {"reasoning_tokens": 0},
                             "total_tokens": 150}
    call = next(i for i in done["output"] if i["type"] == "function_call")
    assert call["name"] == "exec_command" and json.loads(call["arguments"]) == {"cmd": "ls"}
    assert plain["status"] == "completed" and plain["output"][0]["content"][0]["text"] == "done"


def test_anthropic_messages_streamed_and_not() -> None:
    usage = UsageStep(prompt_tokens=300, completion_tokens=40, cached_tokens=100)
    script = Script(steps=[Step(content="let me look", tool_calls=[tool("Bash", command="ls")],
                                usage=usage), Step.say("done", usage=usage)])
    body = {"model": "m", "max_tokens": 100, "messages": [USER], "stream": True}
    with ModelServer(script) as server:
        with httpx.stream("POST", server.base_url + "/messages", json=body) as response:
            events = read_sse(response)
        later = {**body, "stream": False, "messages": [
            USER, {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "Bash",
                                                     "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t",
                                          "content": "x"}]}]}
        plain = httpx.post(server.base_url + "/messages", json=later).json()
        error = httpx.post(server.base_url + "/messages", json={**later, "messages": [
            USER, {"role": "assistant", "content": "a"}, USER, {"role": "assistant",
                                                                "content": "b"}, USER]})
    names = [n for n, _ in events]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    datas = [json.loads(d) for _, d in events]
    start = datas[0]["message"]["usage"]
    assert start["input_tokens"] == 200 and start["cache_read_input_tokens"] == 100
    assert datas[-2]["usage"]["output_tokens"] == 40
    assert datas[-2]["delta"]["stop_reason"] == "tool_use"
    tool_start = next(d for d in datas if d["type"] == "content_block_start"
                      and d["content_block"]["type"] == "tool_use")
    partial = "".join(d["delta"].get("partial_json", "") for d in datas
                      if d["type"] == "content_block_delta" and d["index"] == tool_start["index"])
    assert tool_start["content_block"]["name"] == "Bash" and json.loads(partial) == {
        "command": "ls"}
    assert plain["content"] == [{"type": "text", "text": "done"}]
    assert plain["stop_reason"] == "end_turn" and plain["usage"]["output_tokens"] == 40
    assert error.status_code == 200  # say_done past the script
    assert server.usage_total.prompt_tokens == 600 + error.json()["usage"]["input_tokens"]


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_and_disconnect_faults(stream: bool) -> None:
    script = Script(steps=[Step(fault="malformed"), Step(fault="disconnect"), Step.say("ok")])
    body = {"model": "m", "max_tokens": 10, "messages": [USER], "stream": stream}
    with ModelServer(script) as server:
        url = server.base_url + "/messages"
        if stream:
            with httpx.stream("POST", url, json=body) as response:
                events = read_sse(response)
            assert events and "message_stop" not in [n for n, _ in events]
            with pytest.raises(json.JSONDecodeError):
                [json.loads(d) for _, d in events]
        else:
            with pytest.raises(json.JSONDecodeError):
                json.loads(httpx.post(url, json=body).text)
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(url, json=body)
        assert httpx.post(url, json={**body, "stream": False}).json()["content"][0]["text"] == "ok"
        assert [r.fault for r in server.requests] == ["malformed", "disconnect", None]
        assert len(server.completions) == 1


def test_hang_outlasts_the_client_timeout() -> None:
    script = Script(steps=[Step.hang(3), Step.say("late but fine")])
    with ModelServer(script) as server:
        url = server.base_url + "/responses"
        body = {"model": "m", "input": "hi"}
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(url, json=body, timeout=0.5)
        done = threading.Event()
        threading.Timer(3, done.set).start()
        done.wait()
        assert httpx.post(url, json=body).json()["output"][0]["content"][0]["text"] == (
            "late but fine")


def test_routes_give_each_conversation_its_own_part() -> None:
    script = Script(routes=[Route(match="task A", steps=[Step.say("for A")]),
                            Route(match="task B", steps=[Step.say("for B")])],
                    steps=[Step.say("anyone else")])
    with ModelServer(script) as server:
        url = server.base_url + "/messages"
        answers = [httpx.post(url, json={"model": "m", "max_tokens": 5, "messages": [
            {"role": "user", "content": [{"type": "text", "text": f"Please do {who}."}]}]}
        ).json()["content"][0]["text"] for who in ("task B", "task A", "nothing")]
    assert answers == ["for B", "for A", "anyone else"]
