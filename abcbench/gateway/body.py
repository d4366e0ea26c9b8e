"""Reading a request body with a size bound and a time bound, only once the request is allowed.

The body is read after the token and the target were checked (`server.py`), so an unknown
client cannot make the harness buffer anything. Framing is strict: exactly one
`Content-Length` of digits, or `Transfer-Encoding: chunked` alone (both, or any other coding,
is refused: two readings of one framing are how requests are smuggled). The whole body must
arrive within `read_sec`; each socket read waits at most what is left of that, so a client
sending a byte now and then (slow loris) is cut off at the deadline.
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from abcbench.gateway.routes import Refused

MAX_BODY_BYTES = 32 * 1024 * 1024
"""A long agent conversation is a few MB of JSON; images included, well under this."""
BODY_READ_SEC = 60.0
_LENGTH = re.compile(r"[0-9]{1,15}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,8})(?:;[^\r\n]*)?\r?\n")
_LINE_LIMIT = 1024
_MAX_TRAILER_LINES = 32


@dataclass(frozen=True)
class BodyLimits:
    max_bytes: int = MAX_BODY_BYTES
    read_sec: float = BODY_READ_SEC


def body_length(handler: BaseHTTPRequestHandler, limits: BodyLimits, *,
                required: bool) -> int | None:
    """The declared length, None for a chunked body; Refused for any other framing, or for
    none when a body is `required`. Reads nothing."""
    lengths = handler.headers.get_all("Content-Length") or []
    codings = handler.headers.get_all("Transfer-Encoding") or []
    if codings:
        if lengths:
            raise Refused(400, "both Content-Length and Transfer-Encoding were sent")
        if len(codings) != 1 or codings[0].strip().lower() != "chunked":
            raise Refused(501, "only Transfer-Encoding: chunked is accepted")
        return None
    if not lengths:
        if required:
            raise Refused(411, "a body needs a Content-Length (or Transfer-Encoding: chunked)")
        return 0
    if len(lengths) != 1 or not _LENGTH.fullmatch(lengths[0].strip()):
        raise Refused(400, "Content-Length must be one non-negative integer")
    length = int(lengths[0].strip())
    if length > limits.max_bytes:
        raise Refused(413, f"the body is over the gateway's limit of {limits.max_bytes} bytes")
    return length


class _Reader:
    def __init__(self, handler: BaseHTTPRequestHandler, limits: BodyLimits) -> None:
        self.rfile = handler.rfile
        self.sock: socket.socket = handler.connection
        self.deadline = time.monotonic() + limits.read_sec
        self.limits = limits
        self.saved_timeout = self.sock.gettimeout()

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Refused(408, f"the body did not arrive within {self.limits.read_sec:g} s")
        self.sock.settimeout(left)

    def exactly(self, n: int) -> bytes:
        parts: list[bytes] = []
        while n > 0:
            self._arm()
            try:
                piece = self.rfile.read1(min(n, 1 << 16))
            except TimeoutError:
                raise Refused(408, f"the body did not arrive within {self.limits.read_sec:g} s"
                              ) from None
            if not piece:
                raise Refused(400, "the connection closed before the whole body arrived")
            parts.append(piece)
            n -= len(piece)
        return b"".join(parts)

    def line(self) -> bytes:
        self._arm()
        try:
            line = self.rfile.readline(_LINE_LIMIT + 1)
        except TimeoutError:
            raise Refused(408, f"the body did not arrive within {self.limits.read_sec:g} s"
                          ) from None
        if len(line) > _LINE_LIMIT or not line.endswith(b"\n"):
            raise Refused(400, "malformed chunked body")
        return line

    def chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            match = _CHUNK_SIZE.fullmatch(self.line())
            if match is None:
                raise Refused(400, "malformed chunk size in a chunked body")
            size = int(match.group(1), 16)
            if size == 0:
                break
            total += size
            if total > self.limits.max_bytes:
                raise Refused(413, "the body is over the gateway's limit of "
                              f"{self.limits.max_bytes} bytes")
            parts.append(self.exactly(size))
            if self.line().strip():
                raise Refused(400, "malformed chunk end in a chunked body")
        for _ in range(_MAX_TRAILER_LINES):
            if not self.line().strip():
                return b"".join(parts)
        raise Refused(400, "too many trailer lines in a chunked body")


def read_body(handler: BaseHTTPRequestHandler, length: int | None, limits: BodyLimits) -> bytes:
    """The body framed as `body_length` said, within the limits (Refused otherwise)."""
    reader = _Reader(handler, limits)
    try:
        if length is None:
            return reader.chunked()
        return reader.exactly(length) if length else b""
    finally:
        reader.sock.settimeout(reader.saved_timeout)
