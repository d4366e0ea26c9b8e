"""The model gateway over real HTTP: an agent-side client -> gateway -> scripted provider."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.errors import HarnessError
from abcbench.gateway.server import Gateway
from abcbench.gateway.session import Caps, TrialSession
from abcbench.llm.client import RetryPolicy
from abcbench.llm.pricing import load_price_table
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep, tool

KEY = "sk-real-provider-key-0123456789abcdef"
USAGE = UsageStep(prompt_tokens=1000, completion_tokens=200, cached_tokens=400)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    yield Gateway()


def open_session(gateway: Gateway, upstream: str, logs: Path | None, **kw: Any) -> TrialSession:
    session = TrialSession(upstream=Endpoint(base_url=upstream, api_key=KEY), model="gpt-4o-mini",
                           prices=load_price_table(None), logs_dir=logs, secrets=[KEY],
                           retry=kw.pop("retry", RetryPolicy(3, 0.05, 0.1)), **kw)
    return gateway.open(session)


def chat(n: int, **extra: Any) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [{"role": "user", "content": f"my key is {KEY}"}]
    for i in range(n):
        messages += [{"role": "assistant", "content": f"t{i}"}, {"role": "user", "content": "go"}]
    return {"model": "gpt-4o-mini", "messages": messages, **extra}


def sse_data(text: str) -> list[dict[str, Any]]:
    return [json.loads(line[5:]) for line in text.splitlines()
            if line.startswith("data:") and line[5:].strip() != "[DONE]"]


def test_three_protocols_streamed_and_not_are_forwarded_and_metered(
        gateway: Gateway, tmp_path: Path) -> None:
    script = Script(steps=[Step(content="a", tool_calls=[tool("bash", command="ls")], usage=USAGE),
                           Step.say("b", usage=USAGE)])
    with ModelServer(script) as provider:
        session = open_session(gateway, provider.base_url, tmp_path)
        bearer = {"Authorization": f"Bearer {session.token}"}
        base = session.base_url + "/v1"
        plain = httpx.post(base + "/chat/completions", json=chat(0), headers=bearer)
        streamed = httpx.post(base + "/chat/completions", json=chat(1, stream=True),
                              headers=bearer)
        responses = httpx.post(base + "/responses", headers=bearer, json={
            "model": "gpt-4o-mini", "input": "hello", "stream": True})
        anthropic = httpx.post(base + "/messages", json={
            "model": "claude-sonnet-4-5", "max_tokens": 10, "stream": True,
            "messages": [{"role": "user", "content": "hi"}]},
            headers={"x-api-key": session.token, "anthropic-version": "2023-06-01"})
        seen = provider.requests
        total = provider.usage_total
    other = open_session(gateway, "http://127.0.0.1:1/v1", None)  # keeps the listener up
    gateway.close(session)
    assert plain.status_code == 200 and plain.json()["choices"][0]["message"]["tool_calls"]
    assert streamed.headers["content-type"] == "text/event-stream"
    assert sse_data(streamed.text)[-1]["usage"]["prompt_tokens"] == 1000
    # the gateway asked for the usage chunk a streamed chat completion needs to be metered
    assert seen[1].body["stream_options"] == {"include_usage": True}
    assert sse_data(responses.text)[-1]["type"] == "response.completed"
    assert [d["type"] for d in sse_data(anthropic.text)][-1] == "message_stop"
    # the provider got the real key, in the header the client used; never the trial token
    assert [r.headers.get("authorization") for r in seen[:3]] == [f"Bearer {KEY}"] * 3
    assert seen[3].headers["x-api-key"] == KEY and "authorization" not in seen[3].headers
    assert seen[3].headers["anthropic-version"] == "2023-06-01"
    summary = session.write_summary()
    assert summary.usage.n_requests == 4
    assert (summary.usage.input_tokens, summary.usage.output_tokens,
            summary.usage.cached_tokens) == (total.prompt_tokens, total.completion_tokens,
                                             total.cached_tokens) == (4000, 800, 1600)
    assert summary.usage.cost_usd > 0 and summary.n_unmetered == 0
    records = [json.loads(line) for line in (tmp_path / "gateway.jsonl").read_text().splitlines()]
    assert [r["wire"] for r in records] == ["chat", "chat", "responses", "anthropic"]
    assert [r["stream"] for r in records] == [False, True, True, True]
    assert all(r["usage"]["input_tokens"] == 1000 for r in records)
    assert "response.completed" in records[2]["response"]
    for path in tmp_path.iterdir():
        assert KEY not in path.read_text() and session.token not in path.read_text()
    # once closed, the token is worthless
    assert httpx.post(base + "/chat/completions", json=chat(0), headers=bearer).status_code == 401
    gateway.close(other)


def test_unknown_token_and_bad_path(gateway: Gateway) -> None:
    with ModelServer(Script(steps=[Step.say("x")])) as provider:
        session = open_session(gateway, provider.base_url, None)
        base = session.base_url
        wrong = httpx.post(base + "/v1/chat/completions", json=chat(0),
                           headers={"Authorization": "Bearer nope"})
        anthropic = httpx.post(base + "/v1/messages", json={}, headers={"x-api-key": "nope"})
        bad = httpx.post(base + "/chat/completions", json=chat(0),
                         headers={"Authorization": f"Bearer {session.token}"})
        assert provider.requests == []
    gateway.close(session)
    assert wrong.status_code == 401 and "token" in wrong.json()["error"]["message"]
    assert anthropic.json()["type"] == "error"
    assert bad.status_code == 404


def test_retries_then_outage_marked_and_cleared(gateway: Gateway, tmp_path: Path) -> None:
    script = Script(steps=[Step.fail(503), Step.fail(429, retry_after="0"), Step.say("ok"),
                           Step.fail(500), Step.fail(502), Step.fail(503), Step.say("late")])
    with ModelServer(script) as provider:
        session = open_session(gateway, provider.base_url, tmp_path)
        headers = {"Authorization": f"Bearer {session.token}"}
        url = session.base_url + "/v1/chat/completions"
        first = httpx.post(url, json=chat(0), headers=headers)
        assert first.status_code == 200 and session.outage is None
        second = httpx.post(url, json=chat(1), headers=headers)
        assert second.status_code == 503
        assert second.headers["x-abcbench-gateway"] == "upstream-unavailable"
        assert "unavailable after 3 attempt(s)" in second.json()["error"]["message"]
        assert session.outage is not None
        third = httpx.post(url, json=chat(1), headers=headers)  # the provider is back
        assert third.status_code == 200 and session.outage is None
    gateway.close(session)
    records = [json.loads(line) for line in (tmp_path / "gateway.jsonl").read_text().splitlines()]
    assert [[a["status"] for a in r["attempts"]] for r in records] == [
        [503, 429, 200], [500, 502, 503], [200]]
    assert records[1]["upstream_unavailable"] is True


def test_unreachable_provider_is_an_outage(gateway: Gateway) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    session = open_session(gateway, f"http://127.0.0.1:{port}/v1", None)
    response = httpx.post(session.base_url + "/v1/messages", json={"messages": []},
                          headers={"x-api-key": session.token})
    gateway.close(session)
    assert response.status_code == 502 and response.json()["error"]["type"] == "api_error"
    assert session.outage and "could not be reached" in session.outage


def test_retries_stop_at_the_deadline(gateway: Gateway) -> None:
    with ModelServer(Script(steps=[Step.fail(503)] * 20)) as provider:
        session = open_session(gateway, provider.base_url, None,
                               retry=RetryPolicy(20, 0.3, 0.3),
                               deadline=time.monotonic() + 1.0)
        t0 = time.monotonic()
        response = httpx.post(session.base_url + "/v1/chat/completions", json=chat(0),
                              headers={"Authorization": f"Bearer {session.token}"})
        took = time.monotonic() - t0
    gateway.close(session)
    assert response.status_code == 503 and took < 2.0
    assert len(provider.requests) < 6


def test_caps_refuse_with_a_clear_message(gateway: Gateway, tmp_path: Path) -> None:
    script = Script(steps=[Step.say("a", usage=USAGE), Step.say("b", usage=USAGE)])
    with ModelServer(script) as provider:
        session = open_session(gateway, provider.base_url, tmp_path, caps=Caps(max_tokens=1000))
        headers = {"Authorization": f"Bearer {session.token}"}
        url = session.base_url + "/v1/chat/completions"
        assert httpx.post(url, json=chat(0), headers=headers).status_code == 200
        refused = httpx.post(url, json=chat(1), headers=headers)
        assert len(provider.requests) == 1
    gateway.close(session)
    assert refused.status_code == 403
    assert "token cap of 1000 is spent (1200 used)" in refused.json()["error"]["message"]
    assert session.cap_reached and "1000" in session.cap_reached
    assert json.loads((tmp_path / "gateway.jsonl").read_text().splitlines()[1])["refused"]


def test_cost_cap(gateway: Gateway) -> None:
    script = Script(steps=[Step.say("a", usage=USAGE), Step.say("b", usage=USAGE)])
    with ModelServer(script) as provider:
        session = open_session(gateway, provider.base_url, None, caps=Caps(max_cost_usd=1e-6))
        headers = {"x-api-key": session.token}
        url = session.base_url + "/v1/messages"
        body = {"model": "gpt-4o-mini", "max_tokens": 5, "messages": [
            {"role": "user", "content": "hi"}]}
        assert httpx.post(url, json=body, headers=headers).status_code == 200
        refused = httpx.post(url, json=body, headers=headers)
    gateway.close(session)
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "permission_error"
    assert "cost cap of $1e-06 is spent" in refused.json()["error"]["message"]


def test_reply_without_usage_is_flagged_not_zero(gateway: Gateway, tmp_path: Path) -> None:
    script = Script(steps=[Step(content="a", omit_usage=True), Step(content="b", omit_usage=True)])
    with ModelServer(script) as provider:
        session = open_session(gateway, provider.base_url, tmp_path)
        headers = {"Authorization": f"Bearer {session.token}"}
        url = session.base_url + "/v1/responses"
        httpx.post(url, json={"model": "m", "input": "x"}, headers=headers)
        httpx.post(url, json={"model": "m", "input": "x", "stream": True}, headers=headers)
    gateway.close(session)
    summary = session.write_summary()
    assert summary.n_unmetered == 2 and summary.usage.n_requests == 0
    assert summary.usage.n_unmetered == 2, "result.json's usage says its counts are a lower bound"
    records = [json.loads(line) for line in (tmp_path / "gateway.jsonl").read_text().splitlines()]
    assert [r["usage_missing"] for r in records] == [True, True]


def test_an_address_not_on_this_machine_is_refused(gateway: Gateway) -> None:
    session = TrialSession(upstream=Endpoint(base_url="http://127.0.0.1:1/v1"), model="m",
                           prices=load_price_table(None), logs_dir=None, secrets=[])
    with pytest.raises(HarnessError, match=r"cannot listen on 192\.0\.2\.1"):
        gateway.open(session, "192.0.2.1")


def test_listener_stops_when_its_last_trial_closes(gateway: Gateway) -> None:
    a = open_session(gateway, "http://127.0.0.1:1/v1", None)
    b = open_session(gateway, "http://127.0.0.1:1/v1", None)
    assert a.base_url == b.base_url and gateway.listening_on() == ["127.0.0.1"]
    gateway.close(a)
    assert gateway.listening_on() == ["127.0.0.1"]
    gateway.close(b)
    gateway.close(b)  # twice is harmless
    assert gateway.listening_on() == []
