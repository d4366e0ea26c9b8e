"""The host-side model gateway: the only holder of provider keys, and the one token meter.

Every LLM agent, in the harness process or inside a sandbox, talks to the gateway instead of
the provider. A trial opens a `TrialSession` (its token, upstream, caps) and gets a base URL on
an address its agent can reach: loopback for agents in the harness process, the gateway IP of
the trial's Docker network for agents in a sandbox. The gateway listens on each such address
only while a trial uses it (one `HostListener` per address, ephemeral port: the mechanism the
egress proxy shares, `abcbench.sandbox.hostside`), looks the
trial up by the token the agent sends as its API key, and forwards (`forward.py`). A sandbox
thus never sees a key, and the usage in result.json is what the provider reported.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

from abcbench.errors import HarnessError
from abcbench.gateway.forward import error_payload, forward, send_json, wire_of
from abcbench.gateway.session import TrialSession
from abcbench.sandbox.hostside import HostListener


class _Handler(BaseHTTPRequestHandler):
    server: _Listener
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line: exchanges are recorded per trial instead."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _token(self) -> str | None:
        auth = self.headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return self.headers.get("x-api-key")

    def _handle(self, method: str) -> None:
        raw = self._body()
        wire = wire_of(self.path)
        try:
            session = self.server.gateway.session_for(self._token())
            if session is None:
                send_json(self, 401, error_payload(
                    wire, 401, "abcbench gateway: unknown or expired trial token",
                    "authentication_error"))
            elif not self.path.startswith("/v1/"):
                send_json(self, 404, error_payload(
                    wire, 404, f"abcbench gateway: no route {self.path} (paths start /v1/)",
                    "not_found_error"))
            else:
                forward(self, session, self.server.gateway.client, method, raw)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the agent went away (stopped at its budget)


class _Listener(HostListener):
    def __init__(self, host: str, gateway: Gateway) -> None:
        super().__init__(host, _Handler, "model gateway")
        self.gateway = gateway
        self.users = 0


class Gateway:
    """Sessions by token, listeners by address. Thread-safe; one per harness process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, TrialSession] = {}
        self._listeners: dict[str, _Listener] = {}
        self.client = httpx.Client(follow_redirects=False, trust_env=False)

    def open(self, session: TrialSession, host: str = "127.0.0.1") -> TrialSession:
        """Register a trial and listen on `host` (an address of this machine the agent can
        reach); sets `session.base_url`."""
        with self._lock:
            listener = self._listeners.get(host)
            if listener is None:
                try:
                    listener = _Listener(host, self)
                except HarnessError as exc:
                    raise HarnessError(
                        f"{exc}; give an address of this machine the sandbox can reach with "
                        "--agent-kwarg gateway_host=IP") from None
                self._listeners[host] = listener
            listener.users += 1
            self._sessions[session.token] = session
        session.base_url = listener.url
        session.bind_host = host
        return session

    def close(self, session: TrialSession) -> None:
        """Forget the trial's token (later requests get 401) and stop an unused listener."""
        host = session.bind_host
        with self._lock:
            self._sessions.pop(session.token, None)
            listener = self._listeners.get(host) if host else None
            if host is None or listener is None:
                return
            session.bind_host = None
            listener.users -= 1
            if listener.users > 0:
                return
            del self._listeners[host]
        threading.Thread(target=listener.stop, daemon=True).start()

    def session_for(self, token: str | None) -> TrialSession | None:
        with self._lock:
            return self._sessions.get(token or "")

    def listening_on(self) -> list[str]:
        with self._lock:
            return sorted(self._listeners)


_shared: Gateway | None = None
_shared_lock = threading.Lock()


def shared_gateway() -> Gateway:
    """The process's gateway, created on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Gateway()
        return _shared
