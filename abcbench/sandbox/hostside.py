"""How a sandbox reaches a service the harness runs on the host: the model gateway and the
egress proxy both listen here, and nowhere else.

A sandbox on a bridge network reaches the host at the bridge's address on the host (the
sandbox's default gateway). A harness service listens on that address, on an ephemeral port,
only while a trial uses it; a sandbox on an internal bridge without a host address
(`egress: none`) reaches no such service at all.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from docker.models.networks import Network

from abcbench.errors import HarnessError
from abcbench.sandbox.base import Sandbox


def sandbox_host_address(sandbox: Sandbox) -> str | None:
    """The sandbox's default gateway (the Docker host on a bridge network), read from
    /proc/net/route so no tool beyond cat is needed in the image."""
    result = sandbox.exec(["cat", "/proc/net/route"], timeout=30)
    for line in result.stdout.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            return socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
    return None


def bridge_host_address(network: Network) -> tuple[str, str] | None:
    """The host's address on a bridge (what a container on it sees as its default gateway)
    and the bridge's subnet, known before any container joins; None for a bridge without a
    host address (`inhibit_ipv4`)."""
    network.reload()
    options = network.attrs.get("Options") or {}
    if options.get("com.docker.network.bridge.inhibit_ipv4") == "true":
        return None
    for config in (network.attrs.get("IPAM") or {}).get("Config") or []:
        gateway, subnet = config.get("Gateway"), config.get("Subnet")
        if gateway and subnet and ipaddress.ip_address(gateway).version == 4:
            return str(gateway), str(subnet)
    return None


def url_host(host: str) -> str:
    """`host` as it goes into a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


class HostListener(ThreadingHTTPServer):
    """An HTTP server on one host address and an ephemeral port, serving from a daemon thread
    until `stop()`. Raises HarnessError, naming `what`, when the address cannot be used."""

    daemon_threads = True

    def __init__(self, host: str, handler: type[BaseHTTPRequestHandler], what: str) -> None:
        try:
            self.address_family = (socket.AF_INET6 if ipaddress.ip_address(host).version == 6
                                   else socket.AF_INET)
            super().__init__((host, 0), handler)
        except (OSError, ValueError) as exc:
            raise HarnessError(f"the {what} cannot listen on {host} ({exc})") from None
        self.host = host
        self.thread = threading.Thread(target=self.serve_forever, name=f"{what}-{host}",
                                       daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}"

    def stop(self) -> None:
        """Stop serving and close the socket (handlers already running finish on their own)."""
        with contextlib.suppress(OSError):
            self.shutdown()
            self.server_close()
