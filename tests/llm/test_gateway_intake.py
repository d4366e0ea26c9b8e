"""The gateway forwards only the wire protocols' own paths, in canonical form, and reads a body
only once the token and the target are allowed, within a size and a time bound. Real HTTP:
raw requests (targets byte for byte) -> the real gateway -> a real upstream that records
every request line (issue 18, item 5)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.gateway.body import BodyLimits
from abcbench.gateway.relay import UpstreamRelay
from abcbench.gateway.server import Gateway
from abcbench.gateway.session import Caps, TrialSession
from abcbench.llm.client import RetryPolicy
from abcbench.llm.pricing import load_price_table
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep
from tests.llm.raw_http import CatchAll, open_request, raw_request, read_reply

KEY = "sk-real-provider-key-intake-0123456789"
CHAT = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).encode()

ESCAPES = [
    ("GET", "/v1/files"),
    ("GET", "/v1/organization/api_keys"),
    ("POST", "/v1/organization/api_keys"),
    ("GET", "/v1/../admin"),
    ("POST", "/v1/../admin"),
    ("POST", "/v1/%2e%2e/x"),
    ("POST", "/v1/%2E%2E/admin"),
    ("POST", "/v1//x"),
    ("POST", "/v1//chat/completions"),
    ("POST", "//v1/chat/completions"),
    ("POST", "/v1/./chat/completions"),
    ("POST", "/v1/chat/completions/../../admin"),
    ("POST", "/v1/chat%2fcompletions"),
    ("POST", "/v1/chat/completions%00"),
    ("POST", "/v1/chat/completions;x=1"),
    ("POST", "/v1/chat/completions/"),
    ("POST", "/v1/chat/completions#frag"),
    ("POST", "/v1/chat/completions?api-version=1"),
    ("POST", "/v1/messages?beta=true&beta=false"),
    ("POST", "/v1/messages?beta=%2e%2e"),
    ("POST", "http://127.0.0.1:1/v1/chat/completions"),
    ("POST", "127.0.0.1:1"),
    ("POST", "*"),
    ("GET", "/v1/chat/completions"),
    ("DELETE", "/v1/responses"),
    ("PUT", "/v1/messages"),
    ("POST", "/v1/models"),
    ("POST", "/admin"),
    ("POST", "/v1/responses/compact"),
    ("POST", "/v1/messages/batches"),
]


@pytest.fixture
def upstream() -> Iterator[CatchAll]:
    with CatchAll() as server:
        yield server


def open_session(gateway: Gateway, upstream: str, logs: Path | None, **kw: Any) -> TrialSession:
    session = TrialSession(upstream=Endpoint(base_url=upstream, api_key=KEY), model="gpt-4o-mini",
                           prices=load_price_table(None), logs_dir=logs, secrets=[KEY],
                           retry=RetryPolicy(2, 0.05, 0.1), **kw)
    return gateway.open(session)


def records(logs: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (logs / "gateway.jsonl").read_text().splitlines()]


@pytest.mark.parametrize(("method", "target"), ESCAPES)
def test_escape_paths_are_refused_recorded_and_never_reach_upstream(
        method: str, target: str, upstream: CatchAll, tmp_path: Path) -> None:
    gateway = Gateway()
    session = open_session(gateway, upstream.base_url, tmp_path)
    try:
        body = CHAT if method == "POST" else b""
        reply = raw_request(session.base_url, method, target,
                            {"Authorization": f"Bearer {session.token}"}, body)
    finally:
        gateway.close(session)
    assert reply.status in (400, 404, 405), (target, reply.status, reply.body)
    assert upstream.seen == [], f"{method} {target} reached the provider"
    assert "abcbench gateway" in reply.json()["error"]["message"]
    [record] = records(tmp_path)
    assert record["refused"] and record["status"] == reply.status
    text = (tmp_path / "gateway.jsonl").read_text()
    assert KEY not in text and session.token not in text


def test_allowed_paths_are_forwarded_in_canonical_form(upstream: CatchAll, tmp_path: Path
                                                       ) -> None:
    gateway = Gateway()
    session = open_session(gateway, upstream.base_url, tmp_path)
    try:
        anthropic = {"x-api-key": session.token, "anthropic-version": "2023-06-01",
                     "anthropic-beta": "x", "OpenAI-Organization": "org-other"}
        count = raw_request(session.base_url, "POST", "/v1/messages/count_tokens?beta=true",
                            anthropic, CHAT)
        messages = raw_request(session.base_url, "POST", "/v1/messages?beta=true", anthropic,
                               CHAT)
        models = raw_request(session.base_url, "GET", "/v1/models?limit=1000", anthropic)
        openai_models = raw_request(session.base_url, "GET", "/v1/models",
                                    {"Authorization": f"Bearer {session.token}"})
    finally:
        gateway.close(session)
    assert count.status == messages.status == models.status == openai_models.status == 200
    assert [(m, t) for m, t, _ in upstream.seen] == [
        ("POST", "/v1/messages/count_tokens?beta=true"), ("POST", "/v1/messages?beta=true")]
    headers = upstream.seen[0][2]
    assert headers["x-api-key"] == KEY and headers["anthropic-beta"] == "x"
    assert "openai-organization" not in headers
    # the model list is the gateway's own answer: the trial's model, in the client's shape
    assert models.json()["data"][0] == {"id": "gpt-4o-mini", "type": "model",
                                        "display_name": "gpt-4o-mini",
                                        "created_at": "1970-01-01T00:00:00Z"}
    assert openai_models.json()["data"][0]["id"] == "gpt-4o-mini"
    # (this upstream's replies carry no usage block: the completion is unmetered, the token
    # count is not a completion and is not flagged)
    assert session.write_summary().n_unmetered == 1
    got = records(tmp_path)
    assert [(r["path"], r["usage_missing"]) for r in got] == [
        ("/v1/messages/count_tokens?beta=true", False), ("/v1/messages?beta=true", True),
        ("/v1/models?limit=1000", False), ("/v1/models", False)]


def test_every_wire_protocol_still_works_streamed_and_not(tmp_path: Path) -> None:
    usage = UsageStep(prompt_tokens=100, completion_tokens=20)
    with ModelServer(Script(steps=[Step.say("x", usage=usage)] * 6)) as provider:
        gateway = Gateway()
        session = open_session(gateway, provider.base_url, tmp_path)
        bearer = {"Authorization": f"Bearer {session.token}"}
        base = session.base_url + "/v1"
        out = []
        for stream in (False, True):
            out.append(httpx.post(base + "/chat/completions", headers=bearer, json={
                "model": "m", "stream": stream, "logprobs": True, "top_logprobs": 2,
                "messages": [{"role": "user", "content": f"c{stream}"}]}))
            out.append(httpx.post(base + "/responses", headers=bearer,
                                  json={"model": "m", "input": f"r{stream}", "stream": stream}))
            out.append(httpx.post(base + "/messages?beta=true", json={
                "model": "m", "max_tokens": 5, "stream": stream,
                "messages": [{"role": "user", "content": f"a{stream}"}]},
                headers={"x-api-key": session.token, "anthropic-version": "2023-06-01"}))
        seen = provider.requests
        gateway.close(session)
    assert [r.status_code for r in out] == [200] * 6
    assert all(r.headers["content-type"].startswith("text/event-stream") for r in out[3:])
    assert session.write_summary().usage.n_requests == 6
    # request body fields are passed through untouched (logprobs for rollouts)
    assert seen[0].body["logprobs"] is True and seen[0].body["top_logprobs"] == 2
    assert seen[2].path == "/v1/messages?beta=true"


def test_caps_are_checked_on_every_forwarded_request(upstream: CatchAll, tmp_path: Path
                                                     ) -> None:
    usage = UsageStep(prompt_tokens=1000, completion_tokens=200)
    with ModelServer(Script(steps=[Step.say("a", usage=usage)])) as provider:
        gateway = Gateway()
        session = open_session(gateway, provider.base_url, tmp_path, caps=Caps(max_tokens=10))
        headers = {"x-api-key": session.token, "anthropic-version": "2023-06-01"}
        first = raw_request(session.base_url, "POST", "/v1/messages", headers, CHAT)
        count = raw_request(session.base_url, "POST", "/v1/messages/count_tokens", headers,
                            CHAT)
        n_upstream = len(provider.requests)
        gateway.close(session)
    assert first.status == 200 and count.status == 403 and n_upstream == 1
    assert count.headers["x-abcbench-gateway"] == "cap-reached"


def test_a_body_without_a_valid_token_is_never_read(upstream: CatchAll) -> None:
    gateway = Gateway()
    session = open_session(gateway, upstream.base_url, None)
    try:
        for auth in ("", "Authorization: Bearer wrong\r\n"):
            head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth +
                    f"Content-Length: {400 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n")
            t0 = time.monotonic()
            with open_request(session.base_url, head) as sock:
                reply = read_reply(sock, timeout=5)  # sent no body byte at all
            assert reply.status == 401 and reply.closed, reply
            assert time.monotonic() - t0 < 3
    finally:
        gateway.close(session)
    assert upstream.seen == []


@pytest.mark.parametrize(("headers", "status"), [
    ({"Content-Length": str(400 * 1024 * 1024)}, 413),
    ({"Content-Length": "-1"}, 400),
    ({"Content-Length": "+5"}, 400),
    ({"Content-Length": "0x10"}, 400),
    ({"Content-Length": "5, 5"}, 400),
    ({"Content-Length": "5", "Transfer-Encoding": "chunked"}, 400),
    ({"Transfer-Encoding": "gzip, chunked"}, 501),
    ({}, 411),
])
def test_bad_or_oversized_framing_is_refused_before_reading(
        headers: dict[str, str], status: int, upstream: CatchAll, tmp_path: Path) -> None:
    gateway = Gateway()
    session = open_session(gateway, upstream.base_url, tmp_path)
    head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {session.token}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")
    try:
        with open_request(session.base_url, head) as sock:
            reply = read_reply(sock, timeout=5)
    finally:
        gateway.close(session)
    assert reply.status == status and reply.closed
    assert upstream.seen == []
    assert records(tmp_path)[0]["status"] == status


def test_a_chunked_body_over_the_limit_is_cut_off(upstream: CatchAll, tmp_path: Path) -> None:
    gateway = Gateway(BodyLimits(max_bytes=1000, read_sec=5))
    session = open_session(gateway, upstream.base_url, tmp_path)
    head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {session.token}\r\nTransfer-Encoding: chunked\r\n\r\n")
    try:
        with open_request(session.base_url, head) as sock:
            for _ in range(3):
                sock.sendall(b"190\r\n" + b"x" * 400 + b"\r\n")
            reply = read_reply(sock, timeout=5)
        ok = raw_request(session.base_url, "POST", "/v1/chat/completions",
                         {"Authorization": f"Bearer {session.token}",
                          "Transfer-Encoding": "chunked"},
                         b"%x\r\n%s\r\n0\r\n\r\n" % (len(CHAT), CHAT))
    finally:
        gateway.close(session)
    assert reply.status == 413 and ok.status == 200
    assert len(upstream.seen) == 1


def test_a_slow_body_times_out(upstream: CatchAll, tmp_path: Path) -> None:
    gateway = Gateway(BodyLimits(read_sec=1.0))
    session = open_session(gateway, upstream.base_url, tmp_path)
    head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {session.token}\r\nContent-Length: 100\r\n\r\n")
    try:
        t0 = time.monotonic()
        with open_request(session.base_url, head) as sock:
            sock.settimeout(0.2)
            reply = None
            for _ in range(40):  # a byte every 0.2 s: never idle long, never done
                try:
                    sock.sendall(b"x")
                    reply = read_reply(sock, timeout=0.2)
                    break
                except (TimeoutError, OSError):
                    continue
        took = time.monotonic() - t0
        with open_request(session.base_url, head) as silent:  # and one that sends nothing
            silent_reply = read_reply(silent, timeout=5)
    finally:
        gateway.close(session)
    assert reply is not None and reply.status == 408 and took < 3
    assert silent_reply.status == 408
    assert upstream.seen == []
    assert [r["status"] for r in records(tmp_path)] == [408, 408]


@pytest.mark.parametrize(("method", "target"), [*ESCAPES[:12], ("GET", "/v1/models")])
def test_the_ray_relay_takes_requests_through_the_same_allow_list(
        method: str, target: str, upstream: CatchAll) -> None:
    relay = UpstreamRelay(Endpoint(base_url=upstream.base_url, api_key=KEY), "127.0.0.1")
    try:
        bearer = {"Authorization": f"Bearer {relay.token}"}
        refused = raw_request(relay.url, method, target, bearer,
                              CHAT if method == "POST" else b"")
        no_token = raw_request(relay.url, "POST", "/v1/chat/completions",
                               {"Content-Length": str(400 * 1024 * 1024)})
        ok = raw_request(relay.url, "POST", "/v1/messages?beta=true", bearer, CHAT)
    finally:
        relay.close()
    assert refused.status in (400, 404, 405) and "abcbench relay" in refused.body.decode()
    assert no_token.status == 401 and no_token.closed
    assert ok.status == 200
    assert [(m, t) for m, t, _ in upstream.seen] == [("POST", "/v1/messages?beta=true")]
