"""Test plumbing for the gateway's intake: a raw HTTP/1.1 client (it sends the request target
byte for byte: httpx and http.client normalise dot segments) and a catch-all upstream that
records every request line it gets."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    closed: bool
    """The server closed the connection after this reply."""

    def json(self) -> Any:
        return json.loads(self.body)


def _read_reply(sock: socket.socket, deadline: float) -> Reply:
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        piece = sock.recv(65536)
        if not piece:
            raise ConnectionError(f"closed before a reply: {data!r}")
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    if status == 100:
        return Reply(100, headers, body, False)
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    closed = False
    try:
        sock.settimeout(0.5)
        closed = sock.recv(1) == b""
    except (TimeoutError, ConnectionResetError):
        closed = False
    except OSError:
        closed = True
    return Reply(status, headers, body[:length], closed)


def raw_request(base_url: str, method: str, target: str, headers: dict[str, str],
                body: bytes = b"", *, timeout: float = 10.0) -> Reply:
    """Send one request exactly as written and read the reply."""
    url = urlsplit(base_url)
    lines = [f"{method} {target} HTTP/1.1", f"Host: {url.netloc}",
             *(f"{k}: {v}" for k, v in headers.items())]
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return _read_reply(sock, time.monotonic() + timeout)


@contextmanager
def open_request(base_url: str, head: str) -> Iterator[socket.socket]:
    """A connection with `head` (request line and headers, CRLF-joined, ending in a blank
    line) already sent; the test sends (or does not send) the body."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        yield sock


def read_reply(sock: socket.socket, timeout: float = 10.0) -> Reply:
    return _read_reply(sock, time.monotonic() + timeout)


class CatchAll:
    """An upstream that answers 200 with a small JSON body to any method and path, and
    records each request line and its headers."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                words = self.requestline.split()
                outer.seen.append((words[0], words[1], {k.lower(): v for k, v in
                                                        self.headers.items()}))
                data = json.dumps({"input_tokens": 3}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _any

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> CatchAll:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
