"""The gateway's one reading of a request target (`abcbench.gateway.routes`): whatever it
accepts is an allowed route, and what is forwarded is exactly the canonical form, which any
other reader (the provider's URL parser, a proxy normalising dot segments or decoding `%`)
reads the same way."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abcbench.gateway.routes import ROUTES, Refused, parse_target

ALLOWED = {(r.method, r.path) for r in ROUTES}
PIECES = ["/v1", "/chat", "/completions", "/messages", "/count_tokens", "/responses",
          "/models", "/", ".", "..", "%2e", "%2E", "%2f", "%00", "//", "?", "&", "=", "beta",
          "true", "limit", "1000", ";", "#", "http:", "@", "\\", " ", "\t", "é", "*", "x"]


@given(st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
       st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
@settings(max_examples=600, deadline=None)
def test_every_accepted_target_is_an_allowed_route_in_a_form_all_readers_agree_on(
        method: str, pieces: list[str]) -> None:
    target = "".join(pieces)
    try:
        parsed = parse_target(method, target)
    except Refused as refusal:
        assert refusal.status in (400, 404, 405, 414)
        return
    canonical = parsed.canonical
    assert (method, parsed.route.path) in ALLOWED
    split = urlsplit(canonical)
    # another reader (decoding, normalising dot segments) sees the same path
    assert split.path == parsed.route.path == unquote(split.path)
    assert posixpath.normpath(split.path) == split.path
    assert not split.scheme and not split.netloc and not split.fragment
    assert "%" not in canonical and "//" not in canonical
    # and the client's own target meant the same thing
    assert target.split("?", 1)[0] == parsed.route.path


@pytest.mark.parametrize(("target", "canonical"), [
    ("/v1/messages?beta=true", "/v1/messages?beta=true"),
    ("/v1/messages?beta=", "/v1/messages?beta="),
    ("/v1/models?limit=1000&beta=true", "/v1/models?limit=1000&beta=true"),
    ("/v1/chat/completions", "/v1/chat/completions"),
    ("/v1/chat/completions?", "/v1/chat/completions"),
])
def test_canonical_forms(target: str, canonical: str) -> None:
    method = "GET" if "models" in target else "POST"
    assert parse_target(method, target).canonical == canonical


def test_local_routes_are_not_offered_by_the_relay() -> None:
    with pytest.raises(Refused) as info:
        parse_target("GET", "/v1/models", allow_local=False)
    assert info.value.status == 404
    with pytest.raises(Refused):
        parse_target("POST", "/v1/chat/completions" + "x" * 3000)
