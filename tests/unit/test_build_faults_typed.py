"""The build-reading thread keeps the exception's type (issue 18, item 3): a connection lost or
a 5xx answer mid-build is the engine's (typed, retried); an error line in the build stream, or
a 4xx answer to the build request, is the submission's (`build_failed`).

The engine here is a real HTTP server speaking the engine's wire protocol (ping, version,
`POST /build` with a chunked JSON stream) and failing on purpose; docker-py is the real client.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from abcbench.errors import EngineFault, EngineUnreachable
from abcbench.policy import FaultFacts, classify
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox.images import ImageBuildError, build_image

ENGINE_PHRASE = "write /var/lib/docker/tmp/x: no space left on device"


class _Engine(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "stream_error"

    def log_message(self, *_args: object) -> None:
        pass

    def _json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.endswith("/_ping"):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")
        elif self.path.endswith("/version"):
            self._json(200, {"ApiVersion": "1.43", "Version": "24.0.0",
                             "MinAPIVersion": "1.12"})
        else:
            self._json(404, {"message": "No such image"})

    def _read_body(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                self.rfile.read(size + 2)
                if size == 0:
                    return
        self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _chunk(self, body: object) -> None:
        data = (json.dumps(body) + "\r\n").encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def do_POST(self) -> None:
        self._read_body()
        if self.mode == "http_500":
            self._json(500, {"message": ENGINE_PHRASE})
            return
        if self.mode == "http_400":
            self._json(400, {"message": "dockerfile parse error line 2: unknown instruction: "
                                        "no space left on device"})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunk({"stream": "Step 1/2 : FROM abcbench/tester\n"})
        if self.mode == "reset":  # the engine's connection drops mid-build
            self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
            return
        self._chunk({"stream": f"Step 2/2 : RUN echo '{ENGINE_PHRASE}' && false\n"})
        self._chunk({"stream": f"{ENGINE_PHRASE}\n"})
        self._chunk({"errorDetail": {"code": 1, "message": ENGINE_PHRASE},
                     "error": ENGINE_PHRASE})
        self.wfile.write(b"0\r\n\r\n")


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Engine]]:
    handler = type("Engine", (_Engine,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{server.server_address[1]}")
    monkeypatch.delenv("DOCKER_TLS_VERIFY", raising=False)
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()


def _build(tmp_path: Path) -> BaseException:
    """`build_image` in a thread of its own (so its docker client is made for this engine)."""
    (tmp_path / "ctx").mkdir()
    box: list[BaseException] = []

    def go() -> None:
        try:
            build_image(tmp_path / "ctx", "abcbench-trial/typed:latest",
                        dockerfile_text="FROM abcbench/tester\n", dockerfile="d",
                        log_path=tmp_path / "build.log", timeout_sec=30)
        except BaseException as exc:
            box.append(exc)

    worker = threading.Thread(target=go)
    worker.start()
    worker.join(60)
    assert box, "the build did not fail"
    return box[0]


def _decided(exc: BaseException) -> tuple[str, FailureClass | None, bool]:
    decision = classify(FaultFacts(exc, Stage.build, agent_started=True))
    return decision.rule, decision.failure, decision.retryable


def test_an_error_line_in_the_build_stream_is_the_submissions(
        tmp_path: Path, engine: type[_Engine]) -> None:
    """A RUN step printed an engine phrase and failed: `build_failed`, not retried."""
    engine.mode = "stream_error"
    exc = _build(tmp_path)
    assert isinstance(exc, ImageBuildError), repr(exc)
    assert _decided(exc) == ("build_failed", FailureClass.build_failed, False)


def test_a_connection_lost_mid_build_is_the_engines(tmp_path: Path,
                                                    engine: type[_Engine]) -> None:
    """Was: the thread turned it into a string and the trial got `build_failed`."""
    engine.mode = "reset"
    exc = _build(tmp_path)
    assert isinstance(exc, EngineUnreachable), repr(exc)
    assert _decided(exc) == ("engine_unreachable", FailureClass.infrastructure, True)


def test_a_5xx_answer_to_the_build_is_the_engines(tmp_path: Path,
                                                  engine: type[_Engine]) -> None:
    engine.mode = "http_500"
    exc = _build(tmp_path)
    assert isinstance(exc, EngineFault) and exc.status_code == 500, repr(exc)
    assert _decided(exc) == ("engine_fault", FailureClass.infrastructure, True)


def test_a_4xx_answer_to_the_build_is_the_submissions(tmp_path: Path,
                                                      engine: type[_Engine]) -> None:
    """The engine refused the request itself (a Dockerfile it cannot parse): whatever the
    message says, the submission's."""
    engine.mode = "http_400"
    exc = _build(tmp_path)
    assert isinstance(exc, ImageBuildError), repr(exc)
    assert _decided(exc) == ("build_failed", FailureClass.build_failed, False)
