"""The driver's upstream relay: with `--executor ray`, the only process that holds the key.

On Ray the trial code, and so each trial's gateway session, runs on a node. So that the
provider key never leaves the driver (docs/architecture.md, "Trust boundaries"), the driver
runs one relay per run: the forward part of the gateway (the key put in the header the
caller used, the reply streamed back as it arrives) on an address the nodes reach, accepting
only the run's token.
A node gets a `RelayRoute` (the relay's URL and the token, in place of the key); its gateway
meters, caps, retries and records exactly as on one machine, and sends to the relay instead of
the provider. The relay takes requests in the gateway's guarded order and forwards only the
same allow-list, in canonical form (`intake.py`, `routes.py`). The relay itself neither
retries nor meters (the node's gateway does both, on the same bytes), so an answer reaches
the node's gateway as the provider gave it.

A node registers the route for the attempt (`relayed`); `open_trial` finds it by the token
the agent resolved as its key (`route_for`).
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

import httpx

from abcbench.agents.endpoint import Endpoint
from abcbench.errors import UserError
from abcbench.gateway.forward import error_payload, send_json, upstream_headers
from abcbench.gateway.intake import IntakeHandler
from abcbench.gateway.routes import Target

log = logging.getLogger("abcbench.gateway")

TOKEN_PREFIX = "abcbench-run-"
CONNECT_TIMEOUT_SEC = 10.0
READ_TIMEOUT_SEC = 3600.0
"""The node's gateway enforces the trial's own request timeout; this only bounds a provider
that never answers after the node gave up."""
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                         "proxy-authenticate", "proxy-connection", "te", "trailer", "upgrade"})


@dataclass(frozen=True)
class RelayRoute:
    """What a node holds instead of the key: where the relay is and the run's token."""

    url: str
    """The relay's root (requests keep their own `/v1/...` path)."""
    token: str = field(repr=False)
    upstream: str
    """The provider's base URL as the driver resolved it, without credentials or query (only
    recorded as the trial's upstream; the relay alone sends to the provider)."""


class _RelayHandler(IntakeHandler):
    """The gateway's intake (token, allow-list, bounded body), with the run as its one account;
    routes the gateway answers itself are not relayed."""

    server: _RelayServer
    allow_local = False
    who = "abcbench relay"

    def account(self, token: str | None) -> UpstreamRelay | None:
        relay = self.server.relay
        ok = hmac.compare_digest((token or "").encode(), relay.token.encode())
        return relay if ok else None

    def refused(self, account: Any, method: str, target: str, wire: str, status: int,
                reason: str) -> None:
        log.info("abcbench relay: refused %s %s: %s", method, target, reason)

    def serve(self, account: Any, method: str, target: Target, raw: bytes) -> None:
        relay: UpstreamRelay = account
        relay.forward(self, target, raw)


class _RelayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, relay: UpstreamRelay) -> None:
        self.address_family = (socket.AF_INET6 if ipaddress.ip_address(host).version == 6
                               else socket.AF_INET)
        super().__init__((host, port), _RelayHandler)
        self.relay = relay


class UpstreamRelay:
    """One run's relay to its provider, listening on `host` until `close()`."""

    def __init__(self, endpoint: Endpoint, host: str, port: int = 0,
                 advertise: str | None = None) -> None:
        """`advertise`: the address nodes use when `host` is a wildcard (0.0.0.0, ::)."""
        self.endpoint = endpoint
        self.token = TOKEN_PREFIX + secrets.token_urlsafe(24)
        self.client = httpx.Client(follow_redirects=False, trust_env=False)
        try:
            self._server = _RelayServer(host, port, self)
        except (OSError, ValueError) as exc:
            self.client.close()
            raise UserError(f"the model relay cannot listen on {host}:{port} ({exc}); set "
                            "ABCBENCH_RAY_RELAY=HOST[:PORT] to an address of this machine "
                            "that the Ray nodes reach (docs/ray.md)") from None
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="abcbench-relay", daemon=True)
        self._thread.start()
        if advertise and ipaddress.ip_address(host).is_unspecified:
            host = advertise
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self._server.server_address[1]}"

    @property
    def route(self) -> RelayRoute:
        return RelayRoute(url=self.url, token=self.token, upstream=self.endpoint.display_url)

    @property
    def upstream_root(self) -> str:
        url = self.endpoint.base_url.rstrip("/")
        return url[:-3] if url.endswith("/v1") else url

    def _headers(self, handler: _RelayHandler) -> dict[str, str]:
        return upstream_headers(handler, self.endpoint.api_key)

    def forward(self, handler: _RelayHandler, target: Target, raw: bytes) -> None:
        """Send an allowed request in its canonical form; the answer goes back as it came."""
        response: httpx.Response | None = None
        try:
            request = self.client.build_request(
                target.route.method, self.upstream_root + target.canonical, content=raw or None,
                headers=self._headers(handler),
                timeout=httpx.Timeout(READ_TIMEOUT_SEC, connect=CONNECT_TIMEOUT_SEC))
            response = self.client.send(request, stream=True)
            streamed = "text/event-stream" in response.headers.get("content-type", "")
            body = None if streamed else response.read()
        except httpx.HTTPError as exc:  # a 502: the node's gateway retries it like any other
            if response is not None:
                response.close()
            wire = target.route.wire
            send_json(handler, 502, error_payload(
                wire, 502, f"abcbench relay: the provider could not be reached from the "
                f"driver ({exc.__class__.__name__}: {exc})"[:500],
                "api_error" if wire == "anthropic" else "upstream_error"))
            return
        try:
            self._send_back(handler, response, body)
        finally:
            response.close()

    @staticmethod
    def _send_back(handler: _RelayHandler, response: httpx.Response,
                   body: bytes | None) -> None:
        """The provider's status, headers and bytes; an event stream chunk by chunk."""
        handler.send_response(response.status_code)
        for key, value in response.headers.items():
            if key.lower() not in HOP_HEADERS:
                handler.send_header(key, value)
        if body is not None:
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for chunk in response.iter_raw():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                handler.wfile.flush()
        except httpx.HTTPError:
            handler.close_connection = True  # cut short: the node's meter sees what came
            return
        handler.wfile.write(b"0\r\n\r\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown()
            self._server.server_close()
        self.client.close()


_routes: dict[str, tuple[RelayRoute, int]] = {}
_routes_lock = threading.Lock()


@contextlib.contextmanager
def relayed(route: RelayRoute | None) -> Iterator[None]:
    """On a node, for one attempt: a gateway session whose key is `route.token` forwards to
    the driver's relay."""
    if route is None:
        yield
        return
    with _routes_lock:
        _, users = _routes.get(route.token, (route, 0))
        _routes[route.token] = (route, users + 1)
    try:
        yield
    finally:
        with _routes_lock:
            _, users = _routes[route.token]
            if users > 1:
                _routes[route.token] = (route, users - 1)
            else:
                del _routes[route.token]


def route_for(api_key: str | None) -> RelayRoute | None:
    """The relay route whose token is `api_key`, while an attempt holds it registered."""
    if not api_key:
        return None
    with _routes_lock:
        entry = _routes.get(api_key)
    return entry[0] if entry else None
