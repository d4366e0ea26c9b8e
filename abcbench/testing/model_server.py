"""A real OpenAI-compatible chat-completions server that answers from a script.

Tests and demos need the whole HTTP path (headers, status codes, Retry-After, timeouts) without a
provider, so this is a stdlib `ThreadingHTTPServer` on an ephemeral port, not a mock. It binds
0.0.0.0 so containers can reach it too (at the Docker bridge gateway); agents on the host use
127.0.0.1. Every request is recorded (in memory only: it holds the Authorization header).

    with ModelServer(Script(steps=[Step.call("finish", summary="done")])) as server:
        ...  # point an agent at server.base_url

`python -m abcbench.testing.model_server script.yaml --port 8000` serves a script file.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from abcbench.testing.script import Script, Step, UsageStep


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    """Names lower-cased: HTTP header names are case-insensitive and clients differ."""
    body: dict[str, Any]
    received_at: float
    step_index: int | None
    status: int = 200


@dataclass
class _State:
    script: Script
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_step: int = 0
    requests: list[RecordedRequest] = field(default_factory=list)
    usage_total: UsageStep = field(default_factory=UsageStep)


def _estimate_tokens(obj: Any) -> int:
    return max(1, len(json.dumps(obj, ensure_ascii=False)) // 4)


def completion_body(step: Step, request: dict[str, Any], index: int) -> dict[str, Any]:
    """The OpenAI chat.completion JSON for a scripted step."""
    message: dict[str, Any] = {"role": "assistant", "content": step.content}
    if step.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id or f"call_{index}_{n}",
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for n, call in enumerate(step.tool_calls)
        ]
    usage = step.usage or UsageStep(
        prompt_tokens=_estimate_tokens(request.get("messages", [])),
        completion_tokens=_estimate_tokens(message),
    )
    return {
        "id": f"chatcmpl-scripted-{index}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "scripted"),
        "choices": [{
            "index": 0,
            "message": message,
            "finish_reason": "tool_calls" if step.tool_calls else "stop",
        }],
        "usage": {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.prompt_tokens + usage.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": usage.cached_tokens},
        },
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line; requests are recorded instead."""

    def _send(self, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
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

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(400, {"error": {"message": "body is not JSON"}})
            return
        state = self.server.state
        with state.lock:
            index, step = self._take_step(state.script, state.next_step)
            state.next_step += 1
            record = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()},
                                     body, time.time(),
                                     index)
            state.requests.append(record)
        if step is None:
            record.status = 500
            self._send(500, {"error": {"message": "script exhausted"}})
            return
        if step.delay_sec:
            time.sleep(step.delay_sec)
        record.status = step.status
        if step.status != 200:
            headers = {"Retry-After": step.retry_after} if step.retry_after else {}
            self._send(step.status, {"error": {"message": step.error_message,
                                               "type": "injected"}}, headers)
            return
        payload = completion_body(step, body, index if index is not None else -1)
        with state.lock:
            usage = payload["usage"]
            state.usage_total = UsageStep(
                prompt_tokens=state.usage_total.prompt_tokens + usage["prompt_tokens"],
                completion_tokens=state.usage_total.completion_tokens
                + usage["completion_tokens"],
                cached_tokens=state.usage_total.cached_tokens
                + usage["prompt_tokens_details"]["cached_tokens"],
            )
        self._send(200, payload)

    @staticmethod
    def _take_step(script: Script, n: int) -> tuple[int | None, Step | None]:
        if n < len(script.steps):
            return n, script.steps[n]
        if script.when_exhausted == "repeat_last" and script.steps:
            return len(script.steps) - 1, script.steps[-1]
        if script.when_exhausted == "say_done":
            return None, Step(content="I have nothing more to add.")
        return None, None


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
        """Requests that got a completion (status 200)."""
        return [r for r in self.requests if r.status == 200]

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
    parser = argparse.ArgumentParser(description="Serve a scripted OpenAI-compatible model.")
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
