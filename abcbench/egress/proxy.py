"""The allow-listing forward proxy: an `archive` sandbox's only way out.

One proxy per trial, listening on the host's address on the trial's bridge (as the model
gateway does: `abcbench.sandbox.hostside`). It speaks HTTP proxying as clients expect it: plain
`GET http://host/path` (any method, with the request rewritten to the origin form and
`Connection: close`) and `CONNECT host:port` for TLS, which it tunnels without looking inside.
A target not on the allow-list gets a 403 whose reason and body name it and say how to allow
it. The host and port checked are exactly the ones connected to.

Bounded: a header deadline, a connect timeout, an idle timeout on every tunnel, a cap on
concurrent connections (more get a 503), and a bounded log of decisions.
"""

from __future__ import annotations

import contextlib
import ipaddress
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from abcbench.egress.allowlist import AllowList, normalize_host
from abcbench.sandbox.hostside import HostListener

CHUNK = 64 * 1024
#: Hop-by-hop headers (RFC 9110 section 7.6.1) and the proxy's own: never forwarded.
HOP_BY_HOP = frozenset({"connection", "proxy-connection", "keep-alive", "proxy-authorization",
                        "proxy-authenticate", "te", "trailer", "upgrade"})


@dataclass(frozen=True)
class ProxyLimits:
    header_timeout_sec: float = 30.0
    """A client must send its request head within this."""
    connect_timeout_sec: float = 15.0
    idle_timeout_sec: float = 120.0
    """A tunnel or response with no byte either way for this long is closed."""
    max_connections: int = 32
    max_log_lines: int = 5000


@dataclass
class ProxyStats:
    allowed: int = 0
    refused: int = 0
    failed: int = 0
    """Allowed, but the upstream could not be reached."""
    lines: list[str] = field(default_factory=list)
    dropped_lines: int = 0


class EgressProxy:
    """A proxy for one sandbox: `url` is what its http(s)_proxy variables say."""

    def __init__(self, host: str, allow: AllowList, limits: ProxyLimits | None = None,
                 clients: str | None = None) -> None:
        """`clients`: the only network (CIDR) connections are served from, the sandbox's
        bridge: the host address is reachable from other trials' sandboxes too, and they
        must not borrow this sandbox's allow-list."""
        self.allow = allow
        self.limits = limits or ProxyLimits()
        self.clients = ipaddress.ip_network(clients) if clients else None
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._stopped = False
        self.listener = _ProxyListener(host, self)

    @property
    def url(self) -> str:
        return self.listener.url

    def stop(self) -> None:
        """Stop listening and cut every open connection. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            sockets = list(self._open)
        self.listener.stop()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def log_text(self) -> str:
        with self._lock:
            lines = list(self.stats.lines)
            if self.stats.dropped_lines:
                lines.append(f"... {self.stats.dropped_lines} more line(s) not kept")
        return "".join(f"{line}\n" for line in lines)

    # -- used by the handler --------------------------------------------------------------

    def record(self, outcome: str, method: str, target: str, note: str = "") -> None:
        stamp = time.strftime("%H:%M:%S", time.gmtime())
        with self._lock:
            if outcome == "allowed":
                self.stats.allowed += 1
            elif outcome == "refused":
                self.stats.refused += 1
            elif outcome == "failed":
                self.stats.failed += 1
            if len(self.stats.lines) < self.limits.max_log_lines:
                self.stats.lines.append(f"{stamp} {outcome} {method} {target} {note}".rstrip())
            else:
                self.stats.dropped_lines += 1

    def track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stopped:
                return False
            self._open.add(sock)
            return True

    def untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)


class _ProxyListener(HostListener):
    def __init__(self, host: str, proxy: EgressProxy) -> None:
        self.proxy = proxy
        self.slots = threading.BoundedSemaphore(proxy.limits.max_connections)
        super().__init__(host, _Handler, "egress proxy")

    def process_request(self, request: Any, client_address: Any) -> None:
        clients = self.proxy.clients
        if clients is not None and ipaddress.ip_address(client_address[0]) not in clients:
            self.proxy.record("refused", "-", f"client {client_address[0]}")
            with contextlib.suppress(OSError):
                request.settimeout(2)
                request.sendall(_plain_response(
                    403, "Forbidden", f"abcbench egress proxy: {client_address[0]} is not "
                    "this proxy's sandbox\n"))
            self.shutdown_request(request)
            return
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(2)
                request.sendall(_plain_response(
                    503, "Too Many Connections",
                    f"abcbench egress proxy: more than {self.proxy.limits.max_connections} "
                    "connections at once from this sandbox; retry when some have finished\n"))
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def _plain_response(status: int, reason: str, body: str) -> bytes:
    data = body.encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode() + data


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyListener
    protocol_version = "HTTP/1.1"
    rbufsize = 0  # unbuffered: once the head is read, the socket holds exactly what follows

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.proxy.limits.header_timeout_sec)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: decisions go to the trial's egress log instead."""

    # -- the two ways through --------------------------------------------------------------

    def do_CONNECT(self) -> None:
        host, _, port_text = self.path.rpartition(":")
        if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            self._refuse(400, "Bad Request", f"CONNECT needs HOST:PORT, got {self.path!r}")
            return
        upstream = self._open_upstream("CONNECT", host, int(port_text))
        if upstream is None:
            return
        try:
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self._splice(upstream)
        finally:
            self._close(upstream)

    def _forward(self) -> None:
        try:
            parts = urlsplit(self.path)
            port = parts.port or 80
        except ValueError:
            parts, port = None, 0
        if parts is None or parts.scheme.lower() != "http" or not parts.hostname:
            hint = ("use CONNECT for https" if parts is not None
                    and parts.scheme.lower() == "https" else
                    "this is an HTTP proxy: send absolute http:// URLs (set http_proxy)")
            self._refuse(400, "Bad Request", f"{self.command} {self.path[:200]!r}: {hint}")
            return
        upstream = self._open_upstream(self.command, parts.hostname, port)
        if upstream is None:
            return
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            upstream.sendall(self._request_head(target, parts.netloc.rpartition("@")[2]))
            self._splice(upstream)
        finally:
            self._close(upstream)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _forward

    # -- pieces ----------------------------------------------------------------------------

    def _request_head(self, target: str, host_header: str) -> bytes:
        named = {h.strip().lower() for h in self.headers.get("Connection", "").split(",")}
        lines = [f"{self.command} {target} {self.request_version}", f"Host: {host_header}"]
        for name, value in self.headers.items():
            low = name.lower()
            if low not in HOP_BY_HOP and low not in named and low != "host":
                lines.append(f"{name}: {value}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")

    def _open_upstream(self, method: str, host: str, port: int) -> socket.socket | None:
        """A connection to (host, port) if the allow-list lets it through; otherwise the
        client got its error response and None is returned."""
        proxy = self.server.proxy
        name = normalize_host(host)
        shown = f"{host}:{port}"
        if name is None or not proxy.allow.allows(name, port):
            proxy.record("refused", method, shown)
            self._refuse(
                403, "Forbidden (not on the abcbench egress allow-list)",
                f"{shown} is not on this sandbox's allow-list (egress: archive). Allowed: "
                f"{', '.join(proxy.allow.entries()) or 'nothing'}. A task allows more hosts "
                "with sandbox.egress_allow, a run with --egress-allow HOST.")
            return None
        try:
            upstream = socket.create_connection((name, port),
                                                timeout=proxy.limits.connect_timeout_sec)
        except OSError as exc:
            proxy.record("failed", method, shown, str(exc))
            self._refuse(502, "Bad Gateway", f"cannot reach {shown}: {exc}")
            return None
        if not proxy.track(upstream):
            upstream.close()
            self._refuse(503, "Service Unavailable", "the trial's egress proxy is stopping")
            return None
        proxy.record("allowed", method, shown)
        return upstream

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.write(_plain_response(status, reason,
                                             f"abcbench egress proxy: {message}\n"))

    def _splice(self, upstream: socket.socket) -> None:
        """Copy bytes both ways until the upstream is done, a side fails, or nothing moves
        for the idle timeout. The client ending its side half-closes the upstream, whose
        answer is still relayed."""
        self.close_connection = True
        client: socket.socket = self.connection
        idle = self.server.proxy.limits.idle_timeout_sec
        if not self.server.proxy.track(client):
            return
        try:
            client.settimeout(idle)
            upstream.settimeout(idle)
            peer = {client: upstream, upstream: client}
            with selectors.DefaultSelector() as selector:
                selector.register(client, selectors.EVENT_READ)
                selector.register(upstream, selectors.EVENT_READ)
                while True:
                    ready = selector.select(idle)
                    if not ready:
                        return
                    for key, _events in ready:
                        source: socket.socket = key.fileobj  # type: ignore[assignment]
                        data = source.recv(CHUNK)
                        if not data:
                            if source is upstream:
                                return
                            selector.unregister(client)
                            upstream.shutdown(socket.SHUT_WR)
                            continue
                        peer[source].sendall(data)
        except OSError:
            return
        finally:
            self.server.proxy.untrack(client)

    def _close(self, upstream: socket.socket) -> None:
        self.server.proxy.untrack(upstream)
        with contextlib.suppress(OSError):
            upstream.close()
