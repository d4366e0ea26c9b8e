"""The chat client against the scripted server over real HTTP: retries, Retry-After, deadlines,
usage parsing and pricing."""

from __future__ import annotations

import contextlib
import email.utils
import socket
import time

import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.errors import ModelEndpointUnavailable
from abcbench.gateway.server import Gateway
from abcbench.gateway.session import Caps, TrialSession
from abcbench.llm.client import (
    CapReached,
    ChatClient,
    DeadlineReached,
    LLMError,
    LLMHTTPError,
    RetryPolicy,
    parse_retry_after,
    parse_usage,
)
from abcbench.llm.pricing import load_price_table
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep

FAST = RetryPolicy(max_attempts=4, base_delay_sec=0.05, max_delay_sec=0.2, jitter=0.0)
MESSAGES = [{"role": "user", "content": "hi"}]


def client(server: ModelServer, **kw: object) -> ChatClient:
    return ChatClient(base_url=server.base_url, model="gpt-4o", api_key="k-123",
                      prices=load_price_table(), **kw)  # type: ignore[arg-type]


def test_completion_with_usage_and_cost() -> None:
    usage = UsageStep(prompt_tokens=1000, completion_tokens=200, cached_tokens=400)
    with ModelServer(Script(steps=[Step.say("hello", usage=usage)])) as server:
        result = client(server).complete(MESSAGES)
    assert result.message["content"] == "hello"
    assert (result.usage.input_tokens, result.usage.output_tokens,
            result.usage.cached_tokens, result.usage.n_requests) == (1000, 200, 400, 1)
    # gpt-4o: 2.50 in, 10.00 out, 1.25 cached (USD per Mtok)
    assert result.usage.cost_usd == pytest.approx((600 * 2.5 + 400 * 1.25 + 200 * 10) / 1e6)
    assert result.priced
    assert server.requests[0].body["model"] == "gpt-4o"
    assert server.requests[0].headers["authorization"] == "Bearer k-123"


def test_retries_429_honouring_retry_after_then_500() -> None:
    script = Script(steps=[Step.fail(429, retry_after="1"), Step.fail(500), Step.say("ok")])
    with ModelServer(script) as server:
        started = time.monotonic()
        result = client(server, retry=FAST).complete(MESSAGES)
        elapsed = time.monotonic() - started
    assert result.message["content"] == "ok"
    assert [a.status for a in result.attempts] == [429, 500, 200]
    assert result.attempts[0].waited_sec >= 1.0 and elapsed >= 1.0
    assert result.attempts[1].waited_sec == pytest.approx(0.1)  # exponential: 0.05 * 2


def test_retries_used_up_are_an_endpoint_outage_with_the_attempts_kept() -> None:
    with ModelServer(Script(steps=[Step.fail(503)] * 4)) as server:
        with pytest.raises(ModelEndpointUnavailable, match="failed 4 times") as info:
            client(server, retry=FAST).complete(MESSAGES)
        assert len(server.requests) == 4
    assert not isinstance(info.value, LLMError)  # never the agent's error
    assert [a.status for a in info.value.attempts] == [503] * 4  # type: ignore[attr-defined]


def test_connection_refused_is_an_endpoint_outage() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = ChatClient(base_url=f"http://127.0.0.1:{port}/v1", model="m", retry=FAST)
    with pytest.raises(ModelEndpointUnavailable) as info:
        dead.complete(MESSAGES)
    assert len(info.value.attempts) == 4  # type: ignore[attr-defined]
    assert all("ConnectError" in (a.error or "") for a in info.value.attempts)  # type: ignore


def test_a_malformed_body_is_retried_like_a_5xx() -> None:
    with ModelServer(Script(steps=[Step(fault="malformed"), Step.say("fine")])) as server:
        result = client(server, retry=FAST).complete(MESSAGES)
    assert result.message["content"] == "fine"
    assert "malformed" in (result.attempts[0].error or "")


def test_the_gateway_verdicts_end_retries_at_once() -> None:
    with ModelServer(Script(steps=[Step.fail(401, error_message="bad key")])) as server, \
            pytest.raises(LLMHTTPError) as refused:
        client(server, retry=FAST).complete(MESSAGES)
    assert refused.value.status == 401 and len(refused.value.attempts) == 1
    gateway = Gateway()
    with ModelServer(Script(steps=[Step.fail(503)] * 9 + [Step.say("x")] * 2)) as provider:
        session = gateway.open(TrialSession(
            upstream=Endpoint(provider.base_url), model="gpt-4o", prices=load_price_table(),
            logs_dir=None, secrets=[], retry=RetryPolicy(2, 0.01, 0.01),
            caps=Caps(max_tokens=1)))
        via = ChatClient(base_url=session.base_url + "/v1", model="gpt-4o",
                         api_key=session.token, retry=FAST)
        with pytest.raises(ModelEndpointUnavailable):
            via.complete(MESSAGES)
        assert len(provider.requests) == 2  # the gateway's 2 attempts, no client retries
        for _ in range(4):  # the remaining faults, then a reply that spends the cap
            with contextlib.suppress(ModelEndpointUnavailable):
                via.complete(MESSAGES)
        with pytest.raises(CapReached, match="token cap of 1"):
            via.complete(MESSAGES)
    gateway.close(session)


def test_missing_usage_is_flagged() -> None:
    with ModelServer(Script(steps=[Step(content="x", omit_usage=True)])) as server:
        result = client(server).complete(MESSAGES)
    assert result.usage_missing and result.usage.input_tokens == 0


def test_client_errors_are_not_retried() -> None:
    with ModelServer(Script(steps=[Step.fail(400, error_message="bad request")])) as server:
        with pytest.raises(LLMHTTPError, match=r"HTTP 400.*bad request") as info:
            client(server, retry=FAST).complete(MESSAGES)
        assert info.value.status == 400 and len(server.requests) == 1


def test_deadline_stops_a_wait_it_cannot_cover() -> None:
    script = Script(steps=[Step.fail(429, retry_after="30"), Step.say("late")])
    with ModelServer(script) as server:
        started = time.monotonic()
        with pytest.raises(DeadlineReached):
            client(server, retry=FAST).complete(MESSAGES, deadline=time.monotonic() + 3)
        assert time.monotonic() - started < 1.0  # no pointless sleep


def test_deadline_cuts_a_slow_response() -> None:
    with ModelServer(Script(steps=[Step.say("slow", delay_sec=5)])) as server:
        started = time.monotonic()
        with pytest.raises(DeadlineReached):
            client(server, retry=FAST).complete(MESSAGES, deadline=time.monotonic() + 1)
        assert time.monotonic() - started < 3


def test_parse_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 20, usegmt=True)
    assert 17 < (parse_retry_after(future) or 0) <= 20


def test_parse_usage_openai_and_anthropic_shapes() -> None:
    u = parse_usage({"prompt_tokens": 10, "completion_tokens": 5,
                     "prompt_tokens_details": {"cached_tokens": 4}})
    assert (u.input_tokens, u.output_tokens, u.cached_tokens, u.n_requests) == (10, 5, 4, 1)
    a = parse_usage({"input_tokens": 10, "output_tokens": 3, "cache_read_input_tokens": 6})
    assert (a.input_tokens, a.output_tokens, a.cached_tokens) == (16, 3, 6)
    assert parse_usage(None).n_requests == 1
