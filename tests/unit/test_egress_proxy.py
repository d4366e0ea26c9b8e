"""The egress proxy against real sockets on loopback: what it lets through, what it refuses and
how, CONNECT tunnels, and its bounds (connection cap, idle and header timeouts, stop)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from abcbench.egress.allowlist import AllowList
from abcbench.egress.client_config import apt_config, proxy_environment
from abcbench.egress.proxy import EgressProxy, ProxyLimits


class _Origin(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _OriginHandler)
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _OriginHandler(BaseHTTPRequestHandler):
    server: _Origin

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.command, self.path, dict(self.headers.items())))
        body = f"origin {self.server.port} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append((self.command, self.path, {"body": data.decode()}))
        self.send_response(201)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def origin() -> Iterator[_Origin]:
    server = _Origin()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def echo_server() -> Iterator[tuple[int, list[int]]]:
    """A TCP server that answers each connection with 'echo:' + what it read until EOF."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            accepted.append(1)
            with conn:
                conn.settimeout(5)
                data = b""
                with contextlib.suppress(OSError):
                    while chunk := conn.recv(4096):
                        data += chunk
                    conn.sendall(b"echo:" + data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1]), accepted
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@contextlib.contextmanager
def proxy_for(*allow: str, limits: ProxyLimits | None = None) -> Iterator[EgressProxy]:
    proxy = EgressProxy("127.0.0.1", AllowList(allow), limits)
    try:
        yield proxy
    finally:
        proxy.stop()


def fetch(proxy: EgressProxy, url: str, data: bytes | None = None) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy.url}))
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def raw(proxy: EgressProxy, head: str, timeout: float = 10) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", proxy.listener.port), timeout=timeout)
    sock.sendall(head.encode())
    return sock


def read_head(sock: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode()


def read_all(sock: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(OSError):
        while chunk := sock.recv(4096):
            data += chunk
    return data


def test_an_allowed_get_reaches_its_origin_in_origin_form_without_proxy_headers() -> None:
    with origin() as allowed, proxy_for(f"127.0.0.1:{allowed.port}") as proxy:
        status, body = fetch(proxy, f"http://127.0.0.1:{allowed.port}/simple/pkg/?x=1")
        assert (status, body) == (200, f"origin {allowed.port} /simple/pkg/?x=1")
        method, path, headers = allowed.seen[-1]
        assert (method, path) == ("GET", "/simple/pkg/?x=1")
        assert headers["Host"] == f"127.0.0.1:{allowed.port}"
        assert headers["Connection"] == "close"
        assert not any(h.lower().startswith("proxy-") for h in headers)
        assert proxy.stats.allowed == 1 and proxy.stats.refused == 0


def test_a_request_body_goes_through() -> None:
    with origin() as allowed, proxy_for(f"127.0.0.1:{allowed.port}") as proxy:
        status, body = fetch(proxy, f"http://127.0.0.1:{allowed.port}/up", data=b"payload")
        assert (status, body) == (201, "payload")


def test_a_host_not_on_the_list_gets_403_naming_it_and_is_never_contacted() -> None:
    with origin() as allowed, origin() as other, \
            proxy_for(f"127.0.0.1:{allowed.port}") as proxy:
        status, body = fetch(proxy, f"http://127.0.0.1:{other.port}/secret")
        assert status == 403
        assert f"127.0.0.1:{other.port} is not on this sandbox's allow-list" in body
        assert f"127.0.0.1:{allowed.port}" in body and "--egress-allow" in body
        assert other.seen == []
        assert proxy.stats.refused == 1
        assert f"refused GET 127.0.0.1:{other.port}" in proxy.log_text()


def test_the_host_header_cannot_redirect_an_allowed_request() -> None:
    """The target is the request line's host; a Host header naming an allowed one changes
    nothing."""
    with origin() as allowed, origin() as other, \
            proxy_for(f"127.0.0.1:{allowed.port}") as proxy:
        sock = raw(proxy, f"GET http://127.0.0.1:{other.port}/ HTTP/1.1\r\n"
                          f"Host: 127.0.0.1:{allowed.port}\r\n\r\n")
        with sock:
            assert read_head(sock).startswith("HTTP/1.1 403 ")
        assert other.seen == [] and allowed.seen == []


def test_connect_tunnels_bytes_both_ways_to_an_allowed_port() -> None:
    with echo_server() as (port, accepted), proxy_for(f"127.0.0.1:{port}") as proxy:
        sock = raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")
        with sock:
            assert read_head(sock).startswith("HTTP/1.1 200 ")
            sock.sendall(b"\x16\x03\x01 not-http bytes")
            sock.shutdown(socket.SHUT_WR)  # the answer still comes back after a half-close
            assert read_all(sock) == b"echo:\x16\x03\x01 not-http bytes"
        assert accepted == [1]


def test_connect_to_a_refused_target_gets_403_and_no_connection() -> None:
    with echo_server() as (port, accepted), proxy_for("127.0.0.1:1") as proxy:
        sock = raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n")
        with sock:
            head = read_head(sock)
            assert head.startswith("HTTP/1.1 403 Forbidden (not on the abcbench egress")
            assert f"127.0.0.1:{port} is not on" in read_all(sock).decode()
        assert accepted == []


def test_http_over_a_connect_tunnel() -> None:
    with origin() as allowed, proxy_for(f"127.0.0.1:{allowed.port}") as proxy:
        sock = raw(proxy, f"CONNECT 127.0.0.1:{allowed.port} HTTP/1.1\r\n\r\n")
        with sock:
            assert read_head(sock).startswith("HTTP/1.1 200 ")
            sock.sendall(b"GET /through HTTP/1.0\r\n\r\n")
            assert read_all(sock).endswith(f"origin {allowed.port} /through".encode())


@pytest.mark.parametrize(("head", "says"), [
    ("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", "send absolute http:// URLs"),
    ("GET https://127.0.0.1/ HTTP/1.1\r\n\r\n", "use CONNECT for https"),
    ("CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n", "CONNECT needs HOST:PORT"),
    ("GET http://127.0.0.1:99999/ HTTP/1.1\r\n\r\n", "send absolute"),
])
def test_what_is_not_a_proxy_request_gets_400_saying_why(head: str, says: str) -> None:
    with proxy_for("127.0.0.1") as proxy:
        sock = raw(proxy, head)
        with sock:
            reply = read_all(sock).decode()
        assert reply.startswith("HTTP/1.1 400 ") and says in reply, reply


def test_an_allowed_host_that_does_not_answer_is_a_502() -> None:
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    with proxy_for(f"127.0.0.1:{port}") as proxy:
        status, body = fetch(proxy, f"http://127.0.0.1:{port}/")
        assert status == 502 and f"cannot reach 127.0.0.1:{port}" in body
        assert proxy.stats.failed == 1


def test_connections_past_the_cap_get_503() -> None:
    limits = ProxyLimits(max_connections=1, idle_timeout_sec=10)
    with echo_server() as (port, _), proxy_for(f"127.0.0.1:{port}", limits=limits) as proxy:
        held = raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n")
        with held:
            assert read_head(held).startswith("HTTP/1.1 200 ")
            with raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n") as second:
                reply = read_all(second).decode()
            assert reply.startswith("HTTP/1.1 503 ") and "more than 1 connections" in reply


def test_an_idle_tunnel_is_closed() -> None:
    limits = ProxyLimits(idle_timeout_sec=0.5)
    with echo_server() as (port, _), proxy_for(f"127.0.0.1:{port}", limits=limits) as proxy:
        sock = raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n")
        with sock:
            assert read_head(sock).startswith("HTTP/1.1 200 ")
            started = time.monotonic()
            assert read_all(sock) == b""  # closed by the proxy, not by the 10 s socket timeout
            assert time.monotonic() - started < 5


def test_a_client_that_sends_no_request_is_dropped_at_the_header_deadline() -> None:
    with proxy_for("127.0.0.1", limits=ProxyLimits(header_timeout_sec=0.5)) as proxy:
        started = time.monotonic()
        with raw(proxy, "") as sock:
            assert read_all(sock) == b""
        assert time.monotonic() - started < 5


def test_stop_cuts_open_tunnels_and_refuses_new_connections() -> None:
    with echo_server() as (port, _):
        proxy = EgressProxy("127.0.0.1", AllowList([f"127.0.0.1:{port}"]))
        sock = raw(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n")
        with sock:
            assert read_head(sock).startswith("HTTP/1.1 200 ")
            proxy.stop()
            started = time.monotonic()
            assert read_all(sock) == b""
            assert time.monotonic() - started < 5
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", proxy.listener.port), timeout=2).close()
        proxy.stop()  # idempotent


def test_the_sandbox_is_pointed_at_the_proxy_and_reaches_the_gateway_directly() -> None:
    env = proxy_environment("http://172.30.0.1:4000", direct=("172.30.0.1",))
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        assert env[name] == "http://172.30.0.1:4000"
    assert env["no_proxy"] == env["NO_PROXY"] == "localhost,127.0.0.1,::1,172.30.0.1"
    assert apt_config("http://172.30.0.1:4000") == (
        'Acquire::http::Proxy "http://172.30.0.1:4000/";\n'
        'Acquire::https::Proxy "http://172.30.0.1:4000/";\n')


def test_only_the_sandboxs_network_is_served() -> None:
    """The host address is reachable from other trials' sandboxes too: they are refused."""
    with origin() as allowed:
        allow = AllowList([f"127.0.0.1:{allowed.port}"])
        foreign = EgressProxy("127.0.0.1", allow, clients="10.99.0.0/16")
        try:
            status, body = fetch(foreign, f"http://127.0.0.1:{allowed.port}/")
            assert status == 403 and "127.0.0.1 is not this proxy's sandbox" in body
            assert allowed.seen == [] and foreign.stats.refused == 1
        finally:
            foreign.stop()
        own = EgressProxy("127.0.0.1", allow, clients="127.0.0.0/8")
        try:
            assert fetch(own, f"http://127.0.0.1:{allowed.port}/")[0] == 200
        finally:
            own.stop()
