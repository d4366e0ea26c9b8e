"""A real model server that answers from a script, in the three wire protocols agents speak.

OpenAI chat completions, OpenAI Responses and Anthropic Messages (`abcbench.testing.wire`),
streamed or not, on one port. Tests and demos need the whole HTTP path (headers, status codes,
Retry-After, event streams, timeouts) without a provider, so this is a stdlib
`ThreadingHTTPServer` on an ephemeral port, not a mock. It binds
0.0.0.0 so containers can reach it too (at the Docker bridge gateway); agents on the host use
127.0.0.1. Every request is recorded (in memory only: it holds the Authorization header).

    with ModelServer(Script(steps=[Step.call("finish", summary="done")])) as server:
        ...  # point an agent at server.base_url

`python -m abcbench.testing.model_server script.yaml --port 8000` serves a script file.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from abcbench.testing.script import Script, Step, UsageStep
from abcbench.testing.wire import WIRES, Event, Wire, sse, wire_for


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    """Names lower-cased: HTTP header names are case-insensitive and clients differ."""
    body: dict[str, Any]
    received_at: float
    step_index: int | None
    """The assistant turn answered (None for a route no protocol serves)."""
    status: int = 200
    wire: str = ""
    stream: bool = False
    fault: str | None = None
    usage: UsageStep | None = None
    """The usage this reply reported (None: an error, a fault, or no usage block)."""


@dataclass
class _State:
    script: Script
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[tuple[str, int], int] = field(default_factory=dict)
    """Requests so far per (conversation, turn): the first ones get that turn's faults."""
    requests: list[RecordedRequest] = field(default_factory=list)
    usage_total: UsageStep = field(default_factory=UsageStep)

    def answer(self, wire: Wire, body: dict[str, Any]) -> tuple[int, Step | None]:
        """The turn a request is at, and the step that answers it (None: script exhausted)."""
        turn = wire.turn(body)
        route, script = self.script.for_conversation(wire.user_text(body), body.get("seed"))
        key = (f"{route}:{wire.conversation(body)}", turn)
        nth = self.seen.get(key, 0)
        self.seen[key] = nth + 1
        turns = script.turns()
        if turn < len(turns):
            faults, reply = turns[turn]
            return turn, faults[nth] if nth < len(faults) else reply
        return turn, script.exhausted_reply()


def completion_body(step: Step, request: dict[str, Any], index: int) -> dict[str, Any]:
    """The OpenAI chat.completion JSON for a scripted step."""
    wire = WIRES[0]
    return wire.render(step, request, index, wire.usage(step, request))


def _without_usage(data: Any) -> Any:
    """`data` with every `usage` block removed, at any depth."""
    if isinstance(data, dict):
        return {k: _without_usage(v) for k, v in data.items() if k != "usage"}
    if isinstance(data, list):
        return [_without_usage(v) for v in data]
    return data


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line; requests are recorded instead."""

    def _send(self, status: int, payload: dict[str, Any] | bytes,
              headers: dict[str, str] | None = None) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        try:
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a budget stop, a request timeout): nothing to answer

    def _stream(self, events: list[Event], cut: bool) -> None:
        """Server-sent events in HTTP/1.1 chunks; `cut` ends the stream early, inside an event."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        try:
            self.end_headers()
            for n, event in enumerate(events):
                data = sse(event)
                if cut and n == min(2, len(events) - 1):
                    data = data[: len(data) // 2] + b"\n\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                if cut and n == min(2, len(events) - 1):
                    break
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        wire = wire_for(self.path)
        if wire is None:
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(400, wire.error(400, "body is not JSON"))
            return
        state = self.server.state
        stream = body.get("stream") is True
        with state.lock:
            index, step = state.answer(wire, body)
            record = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()},
                                     body, time.time(), index, wire=wire.name, stream=stream)
            state.requests.append(record)
        if step is None:
            record.status = 500
            self._send(500, wire.error(500, "script exhausted"))
            return
        if step.delay_sec:
            time.sleep(step.delay_sec)
        record.status, record.fault = step.status, step.fault
        if step.fault == "disconnect":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if step.status != 200:
            headers = {"Retry-After": step.retry_after} if step.retry_after else {}
            self._send(step.status, wire.error(step.status, step.error_message), headers)
            return
        usage = wire.usage(step, body)
        if step.fault is None and not step.omit_usage:
            record.usage = usage
            with state.lock:
                total = state.usage_total
                state.usage_total = UsageStep(
                    prompt_tokens=total.prompt_tokens + usage.prompt_tokens,
                    completion_tokens=total.completion_tokens + usage.completion_tokens,
                    cached_tokens=total.cached_tokens + usage.cached_tokens)
        strip = _without_usage if step.omit_usage else (lambda x: x)
        if stream:
            self._stream([(name, strip(data)) for name, data in wire.events(
                step, body, index, usage)], cut=step.fault == "malformed")
        elif step.fault == "malformed":
            self._send(200, json.dumps(wire.render(step, body, index, usage)).encode()[:40])
        else:
            self._send(200, strip(wire.render(step, body, index, usage)))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: _State) -> None:
        super().__init__(address, _Handler)
        self.state = state


class ModelServer:
    """Start with `start()` or a `with` block; `stop()` shuts the socket down."""

    def __init__(self, script: Script, host: str = "0.0.0.0", port: int = 0) -> None:
        self._state = _State(script)
        self._server = _Server((host, port), self._state)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="scripted-model-server", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """For clients on this host."""
        return f"http://127.0.0.1:{self.port}/v1"

    def base_url_for(self, host: str) -> str:
        """For clients elsewhere, e.g. a container reaching the host at the bridge gateway."""
        return f"http://{host}:{self.port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def completions(self) -> list[RecordedRequest]:
        """Requests that got a whole completion (status 200, no injected fault)."""
        return [r for r in self.requests if r.status == 200 and r.fault is None]

    @property
    def usage_total(self) -> UsageStep:
        """Sum of the usage reported in every successful completion."""
        with self._state.lock:
            return self._state.usage_total

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Serve a scripted model (chat completions, Responses, Messages).")
    parser.add_argument("script", type=Path, help="YAML/JSON: a list of steps or {steps: [...]}")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = ModelServer(Script.load(args.script), args.host, args.port).start()
    print(f"serving {args.script} at http://{args.host}:{server.port}/v1", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
