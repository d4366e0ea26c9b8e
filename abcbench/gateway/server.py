"""The host-side model gateway: the only holder of provider keys, and the one token meter.

Every LLM agent, in the harness process or inside a sandbox, talks to the gateway instead of
the provider. A trial opens a `TrialSession` (its token, upstream, caps) and gets a base URL on
an address its agent can reach: loopback for agents in the harness process, the gateway IP of
the trial's Docker network for agents in a sandbox. The gateway listens on each such address
only while a trial uses it (one `HostListener` per address, ephemeral port: the mechanism the
egress proxy shares, `abcbench.sandbox.hostside`), looks the
trial up by the token the agent sends as its API key, and forwards (`forward.py`) only the
allowed routes (`routes.py`), taking each request in the same guarded order as the Ray relay
(`intake.py`: token, target, then a bounded body). A sandbox
thus never sees a key, and the usage in result.json is what the provider reported.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from abcbench.errors import HarnessError
from abcbench.gateway.body import BodyLimits
from abcbench.gateway.forward import forward, send_json
from abcbench.gateway.intake import IntakeHandler
from abcbench.gateway.routes import Target
from abcbench.gateway.session import Exchange, TrialSession, now_iso
from abcbench.sandbox.hostside import HostListener


class _Handler(IntakeHandler):
    """A trial's request: its session by token; refusals recorded in the trial's log."""

    server: _Listener

    def limits(self) -> BodyLimits:
        return self.server.gateway.limits

    def account(self, token: str | None) -> TrialSession | None:
        return self.server.gateway.session_for(token)

    def refused(self, account: Any, method: str, target: str, wire: str, status: int,
                reason: str) -> None:
        session: TrialSession = account
        session.record(Exchange(n=0, started_at=now_iso(), duration_sec=0.0, method=method,
                                path=target, wire=wire, stream=False, status=status,
                                refused=reason))

    def serve(self, account: Any, method: str, target: Target, raw: bytes) -> None:
        session: TrialSession = account
        if target.route.local:
            self._models(session, target)
        else:
            forward(self, session, self.server.gateway.client, target, raw)

    def _models(self, session: TrialSession, target: Target) -> None:
        """The model list, answered here: the trial's model only (nothing reaches the
        provider). In Anthropic's shape for an Anthropic client, else OpenAI's."""
        model = session.model
        if self.headers.get("anthropic-version") is not None or \
                self.headers.get("x-api-key") is not None:
            payload: dict[str, Any] = {
                "data": [{"id": model, "type": "model", "display_name": model,
                          "created_at": "1970-01-01T00:00:00Z"}],
                "has_more": False, "first_id": model, "last_id": model}
        else:
            payload = {"object": "list", "data": [{"id": model, "object": "model",
                                                   "created": 0, "owned_by": "abcbench"}]}
        send_json(self, 200, payload)
        session.record(Exchange(n=0, started_at=now_iso(), duration_sec=0.0, method="GET",
                                path=target.canonical, wire="models", stream=False,
                                status=200, response="answered by the gateway"))


class _Listener(HostListener):
    def __init__(self, host: str, gateway: Gateway) -> None:
        super().__init__(host, _Handler, "model gateway")
        self.gateway = gateway
        self.users = 0


class Gateway:
    """Sessions by token, listeners by address. Thread-safe; one per harness process."""

    def __init__(self, limits: BodyLimits | None = None) -> None:
        self.limits = limits or BodyLimits()
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
