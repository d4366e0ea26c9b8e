"""How the gateway and the Ray relay take a request in: token, then target, then body.

Both listen where a hostile sandbox (or, for the relay, any host on the cluster network) can
reach them, so both take requests the same way, in this order, and read nothing they have not
allowed yet: the credential from the headers (unknown: 401), the target parsed once against the
allow-list (`routes.py`), the framing (`body.py`), and only then the body, within a size and a
time bound. A refused request is answered with an error in the client's protocol and its
connection is closed (its body was never read). Subclasses say whose token it is, what to do
with a refusal (the gateway records it in the trial's log) and how to serve.
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler
from typing import Any

from abcbench.gateway.body import BodyLimits, body_length, read_body
from abcbench.gateway.forward import error_payload, send_json
from abcbench.gateway.routes import Refused, Target, guess_wire, parse_target, shown

log = logging.getLogger("abcbench.gateway")

IDLE_TIMEOUT_SEC = 300.0
"""A kept-alive connection with no request for this long is closed; also bounds the headers."""
_KINDS = {401: "authentication_error", 404: "not_found_error", 408: "timeout_error",
          413: "request_too_large", 414: "request_too_large"}


class IntakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_SEC
    allow_local = True
    """Whether routes the gateway answers itself are served (not by the relay)."""
    who = "abcbench gateway"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line: exchanges are recorded per trial instead."""

    def handle_expect_100(self) -> bool:
        """`Expect: 100-continue` is answered in `_handle`, once the token and the target are
        allowed: a refused client is never invited to send its body."""
        return True

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    # -- hooks ---------------------------------------------------------------------------------

    def limits(self) -> BodyLimits:
        return BodyLimits()

    def account(self, token: str | None) -> Any:
        """Whose request this is (None: the token is unknown)."""
        raise NotImplementedError

    def refused(self, account: Any, method: str, target: str, wire: str, status: int,
                reason: str) -> None:
        """Note a refusal (the request's target as received, `shown`)."""

    def serve(self, account: Any, method: str, target: Target, raw: bytes) -> None:
        raise NotImplementedError

    # -- the intake ----------------------------------------------------------------------------

    def token(self) -> str | None:
        auth = self.headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return self.headers.get("x-api-key")

    def raw_target(self) -> str:
        """The target exactly as the request line carried it (http.server rewrites a leading
        `//` in `self.path`; the allow-list judges what the client sent)."""
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else self.path

    def _handle(self, method: str) -> None:
        target = self.raw_target()
        wire = guess_wire(self.headers.get("anthropic-version") is not None
                          or self.headers.get("x-api-key") is not None)
        try:
            account = self.account(self.token())
            if account is None:
                log.info("%s: refused %s %s: unknown token", self.who, method, shown(target))
                self._refuse(wire, 401, "unknown or expired trial token")
                return
            try:
                parsed = parse_target(method, target, allow_local=self.allow_local)
                wire = parsed.route.wire if parsed.route.wire != "models" else wire
                length = body_length(self, self.limits(), required=method == "POST")
                if parsed.route.local and length != 0:
                    raise Refused(400, f"{method} {parsed.route.path} takes no body")
                if self.headers.get("Expect", "").lower() == "100-continue":
                    self.send_response_only(100)
                    self.end_headers()
                raw = read_body(self, length, self.limits())
            except Refused as refusal:
                self.refused(account, method, shown(target), wire, refusal.status,
                             refusal.reason)
                self._refuse(wire, refusal.status, refusal.reason)
                return
            self.serve(account, method, parsed, raw)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client went away (an agent stopped at its budget)

    def _refuse(self, wire: str, status: int, reason: str) -> None:
        """Answer and close: the body (if any) is left unread."""
        self.close_connection = True
        kind = _KINDS.get(status, "invalid_request_error")
        send_json(self, status, error_payload(wire, status, f"{self.who}: {reason}", kind),
                  {"Connection": "close"})
