"""What the gateway forwards: an allow-list of (method, path) per wire protocol, matched on one
canonical parse of the request target.

A sandbox holds its trial's token, so every path the gateway forwards is a path it can call
with the user's real key. Only what the supported agents call is allowed (checked against
Claude Code, Codex, mini-swe-agent, OpenHands and the built-in agent, docs/security.md):
completions in the three protocols, Anthropic's token counting, and a model list answered by
the gateway itself (no provider call). The target is parsed once here; what is forwarded is the
canonical form re-serialised from that parse, so no second reading (the provider's, a proxy's)
can differ from the one that was checked. Anything else is refused before the body is read:
percent-encoding in the path, dot segments, empty segments, absolute or authority targets,
unknown query keys, unknown paths and methods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_TARGET_CHARS = 2048


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    wire: str
    """chat, responses or anthropic: the shape of errors and of the usage block."""
    metered: bool
    """A completion: its successful reply must carry a usage block (else it is unmetered)."""
    query: frozenset[str] = frozenset()
    """Query keys the client may send (values are checked too)."""
    local: bool = False
    """Answered by the gateway itself, never forwarded."""


ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/chat/completions", "chat", metered=True),
    Route("POST", "/v1/responses", "responses", metered=True),
    Route("POST", "/v1/messages", "anthropic", metered=True, query=frozenset({"beta"})),
    # Claude Code counts tokens for its context display and compaction (no usage block: free)
    Route("POST", "/v1/messages/count_tokens", "anthropic", metered=False,
          query=frozenset({"beta"})),
    # Claude Code's gateway model discovery (`GET /v1/models?limit=1000`); answered locally
    Route("GET", "/v1/models", "models", metered=False, query=frozenset({"beta", "limit"}),
          local=True),
)
_BY_PATH: dict[str, dict[str, Route]] = {}
for _route in ROUTES:
    _BY_PATH.setdefault(_route.path, {})[_route.method] = _route

_PATH = re.compile(r"(?:/[A-Za-z0-9_-]+)+")
"""Segments of letters, digits, `_` and `-` only: no `.`, no `%`, no empty segment."""
_QUERY = re.compile(r"[A-Za-z0-9_.=&-]*")
_QUERY_VALUE = re.compile(r"[A-Za-z0-9_.-]{0,64}")


class Refused(Exception):
    """A request the gateway will not forward; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Target:
    route: Route
    query: str
    """Re-encoded from the parse ('' when none)."""

    @property
    def canonical(self) -> str:
        """The only form that is forwarded."""
        return self.route.path + (f"?{self.query}" if self.query else "")


def shown(target: str) -> str:
    """A request target as it may appear in a message or record: cut, non-printables escaped."""
    cut = target[:200] + ("..." if len(target) > 200 else "")
    return "".join(c if c.isascii() and c.isprintable() else f"\\x{ord(c):02x}" for c in cut)


def parse_target(method: str, target: str, *, allow_local: bool = True) -> Target:
    """The allowed route a request names, or Refused. `target` is the request line's target
    exactly as received."""
    if len(target) > MAX_TARGET_CHARS:
        raise Refused(414, "the request target is too long")
    if not target.startswith("/") or target.startswith("//"):
        raise Refused(400, "only a path is accepted as the request target (no absolute URI, "
                      "authority or '*')")
    path, sep, query = target.partition("?")
    if "#" in target:
        raise Refused(400, "a request target must not carry a fragment")
    if not _PATH.fullmatch(path):
        raise Refused(400, "the path has a character, encoding, dot segment or empty segment "
                      "the gateway does not accept")
    methods = _BY_PATH.get(path)
    if methods is None or (not allow_local and all(r.local for r in methods.values())):
        raise Refused(404, "the gateway forwards only the wire protocols' own paths "
                      f"({', '.join(sorted(_BY_PATH))})")
    route = methods.get(method)
    if route is None or (route.local and not allow_local):
        raise Refused(405, f"{method} is not allowed on {path}")
    return Target(route, _canonical_query(route, query) if sep else "")


def _canonical_query(route: Route, query: str) -> str:
    if not _QUERY.fullmatch(query):
        raise Refused(400, "the query has a character or encoding the gateway does not accept")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise Refused(400, "the query is malformed") from None
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Refused(400, "a query key is repeated")
    for key, value in pairs:
        if key not in route.query:
            raise Refused(400, f"query key {key!r} is not accepted on {route.path}")
        if not _QUERY_VALUE.fullmatch(value):
            raise Refused(400, f"query value of {key!r} is not accepted")
    return urlencode(pairs)


def guess_wire(headers_have_anthropic: bool) -> str:
    """The error shape for a request refused before its route was known."""
    return "anthropic" if headers_have_anthropic else "chat"
