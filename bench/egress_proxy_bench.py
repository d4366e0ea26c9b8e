"""What the egress proxy costs a download, on loopback (prints medians and ratios; no
assertions).

  python bench/egress_proxy_bench.py [--mb 64] [--runs 7] [--small 200]

A local origin serves a file of `--mb` MiB; it is fetched directly, through the proxy with a
plain GET, and through a CONNECT tunnel, alternating so that load on a shared machine hits all
three alike. `--small` requests of a few bytes measure the per-request cost (a package index
fetches many small files). Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from abcbench.egress.allowlist import AllowList
from abcbench.egress.proxy import EgressProxy


class _Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    payload = b""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = self.payload if self.path == "/big" else b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


def _read_response(sock: socket.socket) -> int:
    """Bytes of the body (the origin closes after it)."""
    data = bytearray()
    while chunk := sock.recv(1 << 20):
        data += chunk
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:80]
    return len(body)


def fetch(port: int, path: str, proxy_port: int | None, tunnel: bool) -> float:
    started = time.perf_counter()
    if proxy_port is None:
        sock = socket.create_connection(("127.0.0.1", port))
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    elif tunnel:
        sock = socket.create_connection(("127.0.0.1", proxy_port))
        sock.sendall(f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n".encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += sock.recv(1)
        assert reply.startswith(b"HTTP/1.1 200"), reply
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    else:
        sock = socket.create_connection(("127.0.0.1", proxy_port))
        request = f"GET http://127.0.0.1:{port}{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    with sock:
        sock.sendall(request.encode())
        _read_response(sock)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=64)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", type=int, default=200)
    args = parser.parse_args()
    _Origin.payload = b"x" * (args.mb * 1024 * 1024)
    origin = ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    origin.daemon_threads = True
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    port = int(origin.server_address[1])
    proxy = EgressProxy("127.0.0.1", AllowList([f"127.0.0.1:{port}"]))
    ways = {"direct": (None, False), "proxy GET": (proxy.listener.port, False),
            "proxy CONNECT": (proxy.listener.port, True)}
    try:
        for label, path, runs in ((f"{args.mb} MiB download", "/big", args.runs),
                                  ("small request", "/small", args.small)):
            times: dict[str, list[float]] = {way: [] for way in ways}
            for _ in range(runs):
                for way, (proxy_port, tunnel) in ways.items():
                    times[way].append(fetch(port, path, proxy_port, tunnel))
            base = statistics.median(times["direct"])
            print(f"{label} (median of {runs}):")
            for way, values in times.items():
                median = statistics.median(values)
                speed = (f", {args.mb / median:.0f} MiB/s" if path == "/big" else "")
                print(f"  {way:14s} {median * 1000:8.2f} ms{speed}  x{median / base:.2f}")
    finally:
        proxy.stop()
        origin.shutdown()
        origin.server_close()


if __name__ == "__main__":
    main()
