"""Forwarding one agent request to the provider: retries, then relay (streamed as it arrives).

The agent's credential (the trial token) is swapped for the provider's key in the same header
the agent used (`x-api-key` for Anthropic clients, `Authorization: Bearer` otherwise). Throttling
(429), 5xx answers, timeouts and dropped connections are retried with backoff, within the
trial's deadline, before a byte reaches the agent; when retries run out the agent gets the last
error with `x-abcbench-gateway: upstream-unavailable` and the session records an outage.
Streamed replies are relayed chunk by chunk while a meter reads their usage blocks.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

from abcbench.gateway.logprobs import record_tokens
from abcbench.gateway.routes import Target
from abcbench.gateway.session import (
    Exchange,
    TrialSession,
    now_iso,
    remaining,
    request_json,
)
from abcbench.gateway.usage import StreamMeter, usage_of_body
from abcbench.llm.client import RETRYABLE_STATUS, AttemptRecord, parse_retry_after

UNAVAILABLE_HEADER = "x-abcbench-gateway"
UNAVAILABLE_VALUE = "upstream-unavailable"
DROP_REQUEST_HEADERS = frozenset({
    "host", "content-length", "authorization", "x-api-key", "connection", "keep-alive",
    "transfer-encoding", "accept-encoding", "te", "upgrade", "proxy-authorization",
    "proxy-connection", "expect", "cookie", "forwarded", "x-forwarded-for",
    "x-forwarded-host", "openai-organization", "openai-project"})
"""Hop-by-hop headers, credentials (the key is set by the gateway), and headers that would
pick another organisation or project of the user's account."""
KEEP_RESPONSE_PREFIXES = ("content-type", "retry-after", "request-id", "x-request-id",
                          "anthropic-", "openai-", "x-ratelimit-")


def error_payload(wire: str, status: int, message: str, kind: str) -> dict[str, Any]:
    """An error in the shape the agent's client library parses."""
    if wire == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "code": status}}


def send_json(handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> bytes:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)
    return data


def upstream_headers(handler: BaseHTTPRequestHandler, key: str | None) -> dict[str, str]:
    """The request's headers for the provider: hop-by-hop ones dropped, no compression (the
    meter reads the stream as it passes), and `key` in whichever header the client used."""
    headers = {k: v for k, v in handler.headers.items() if k.lower() not in DROP_REQUEST_HEADERS}
    headers["Accept-Encoding"] = "identity"
    if key:
        if handler.headers.get("x-api-key") is not None:
            headers["x-api-key"] = key
        else:
            headers["Authorization"] = f"Bearer {key}"
    return headers


def _prepare_body(raw: bytes, wire: str) -> tuple[bytes, Any, bool]:
    """(body to send, parsed request, streamed?). Streamed chat completions are asked for
    their usage chunk, without which no tokens could be counted."""
    data = request_json(raw)
    stream = isinstance(data, dict) and data.get("stream") is True
    if stream and wire == "chat" and isinstance(data, dict):
        options = data.get("stream_options") or {}
        if not options.get("include_usage"):
            data = {**data, "stream_options": {**options, "include_usage": True}}
            raw = json.dumps(data).encode()
    return raw, data, stream


def forward(handler: BaseHTTPRequestHandler, session: TrialSession, client: httpx.Client,
            target: Target, raw: bytes) -> None:
    """Send an allowed request (`target` is its canonical form) and relay the answer; caps
    are checked first, for every request."""
    started, t0 = now_iso(), time.monotonic()
    route = target.route
    wire = route.wire
    body, request, stream = _prepare_body(raw, wire)
    model = request.get("model") if isinstance(request, dict) else None
    replying = False
    exchange = Exchange(n=0, started_at=started, duration_sec=0.0, method=route.method,
                        path=target.canonical, wire=wire, stream=stream,
                        model=model if isinstance(model, str) else None, status=0,
                        request=request)
    try:
        refusal = session.refusal()
        if refusal is not None:
            exchange.refused = refusal
            exchange.status = 403
            send_json(handler, 403, error_payload(
                wire, 403, f"abcbench gateway: {refusal}; no further model requests are "
                "allowed in this trial", "permission_error" if wire == "anthropic"
                else "budget_exceeded"), {UNAVAILABLE_HEADER: "cap-reached"})
            return
        response = _send_with_retries(handler, session, client, target, body, exchange)
        if response is None:
            return
        session.begin_reply()  # closing the trial now waits for this reply's record
        replying = True
        try:
            _relay(handler, session, response, exchange, route.metered)
        finally:
            response.close()
    finally:
        exchange.duration_sec = round(time.monotonic() - t0, 3)
        try:
            record_tokens(session, exchange)  # rollouts: per-completion token records
            session.record(exchange)
        finally:
            if replying:
                session.end_reply()


def _send_with_retries(handler: BaseHTTPRequestHandler, session: TrialSession,
                       client: httpx.Client, target: Target, body: bytes,
                       exchange: Exchange) -> httpx.Response | None:
    method = target.route.method
    url = session.upstream_root + target.canonical
    headers = upstream_headers(handler, session.upstream.api_key)
    policy = session.retry
    last_status, last_error = 502, "no attempt was made"
    for attempt in range(1, policy.max_attempts + 1):
        left = remaining(session.deadline)
        if left is not None and left <= 0:
            break
        timeout = session.request_timeout_sec if left is None else min(
            session.request_timeout_sec, left)
        record = AttemptRecord()
        exchange.attempts.append(record)
        t0 = time.monotonic()
        retry_after: float | None = None
        try:
            request = client.build_request(method, url, content=body or None, headers=headers,
                                           timeout=httpx.Timeout(timeout, connect=min(timeout,
                                                                                       10.0)))
            response = client.send(request, stream=True)
        except httpx.HTTPError as exc:
            record.error = f"{exc.__class__.__name__}: {exc}"[:300]
            record.duration_sec = round(time.monotonic() - t0, 3)
            left = remaining(session.deadline)
            if isinstance(exc, httpx.TimeoutException) and left is not None and left < 1.0:
                _past_deadline(handler, exchange)
                return None
            what = "the driver's model relay" if session.via else "the provider"
            last_status, last_error = 502, f"{what} could not be reached ({record.error})"
        else:
            record.status = response.status_code
            if response.status_code not in RETRYABLE_STATUS:
                record.duration_sec = round(time.monotonic() - t0, 3)
                return response
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            record.retry_after_sec = retry_after
            response.read()
            response.close()
            record.error = response.text[:300]
            last_status = response.status_code
            last_error = f"the provider answered HTTP {response.status_code}: {record.error}"
        record.duration_sec = round(time.monotonic() - t0, 3)
        if attempt == policy.max_attempts:
            break
        wait = policy.backoff(attempt, retry_after)
        left = remaining(session.deadline)
        if left is not None and wait >= left:
            break
        record.waited_sec = round(wait, 3)
        time.sleep(wait)
    message = (f"abcbench gateway: the model provider is unavailable after "
               f"{len(exchange.attempts)} attempt(s); last: {last_error}")
    session.set_outage(message)
    exchange.status, exchange.upstream_unavailable = last_status, True
    wire = exchange.wire
    send_json(handler, last_status, error_payload(
        wire, last_status, message, "api_error" if wire == "anthropic" else "upstream_error"),
        {UNAVAILABLE_HEADER: UNAVAILABLE_VALUE})
    return None


def _past_deadline(handler: BaseHTTPRequestHandler, exchange: Exchange) -> None:
    """The trial's time ran out while the provider worked: the budget's verdict, no outage."""
    exchange.status = 504
    send_json(handler, 504, error_payload(
        exchange.wire, 504, "abcbench gateway: the trial's time budget ran out before the "
        "provider answered", "timeout_error" if exchange.wire == "anthropic" else "timeout"),
        {UNAVAILABLE_HEADER: "deadline"})


def _relay(handler: BaseHTTPRequestHandler, session: TrialSession, response: httpx.Response,
           exchange: Exchange, metered: bool) -> None:
    exchange.status = response.status_code
    session.set_outage(None)
    ok = response.status_code == 200
    handler.send_response(response.status_code)
    for key, value in response.headers.items():
        if key.lower().startswith(KEEP_RESPONSE_PREFIXES):
            handler.send_header(key, value)
    if "text/event-stream" in response.headers.get("content-type", ""):
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        meter = StreamMeter()
        kept: list[bytes] = []
        try:
            for chunk in response.iter_raw():
                meter.feed(chunk)
                kept.append(chunk)
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                handler.wfile.flush()
        except httpx.HTTPError as exc:
            exchange.attempts[-1].error = f"stream broke: {exc.__class__.__name__}: {exc}"[:300]
        handler.wfile.write(b"0\r\n\r\n")
        meter.close()
        usage = meter.usage()
        exchange.response = b"".join(kept).decode("utf-8", errors="replace")
    else:
        data = response.read()
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        usage = usage_of_body(data) if ok else None
        exchange.response = data.decode("utf-8", errors="replace")
    exchange.usage = session.account(exchange.model, usage, ok and metered)
    exchange.usage_missing = ok and usage is None and metered
