"""Which hosts an `archive` sandbox may reach through the proxy, and the one list of defaults.

A pattern is `HOST`, `HOST:PORT`, `*.DOMAIN` or `*.DOMAIN:PORT` (IPv6 literals in brackets).
Without a port it allows 80 and 443 (plain and TLS); `*.DOMAIN` matches the names under DOMAIN,
not DOMAIN itself. Names are compared as written, never resolved: the proxy connects to exactly
the name it checked.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_ALLOW: tuple[str, ...] = (
    # The Debian archive and its security updates (apt in every recipe image).
    "deb.debian.org",
    "security.debian.org",
    # PyPI: the index, and the host its files are served from.
    "pypi.org",
    "files.pythonhosted.org",
    # crates: the API (downloads redirect to the static host) and the sparse index.
    "crates.io",
    "index.crates.io",
    "static.crates.io",
)
"""The package archives an `archive` sandbox reaches by default; a task's
`sandbox.egress_allow` and the run's `--egress-allow` add to them."""

DEFAULT_PORTS = (80, 443)
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_NAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")


def normalize_host(host: str) -> str | None:
    """A host as the proxy compares it (lower case, no trailing dot, IPs in canonical form),
    or None when it is neither a DNS name nor an IP literal. An all-digit last label is not a
    name: resolvers read `2130706433` or `127.1` as addresses."""
    text = host.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    text = text.removesuffix(".")
    if len(text) > 253 or not _NAME.match(text) or text.rsplit(".", 1)[-1].isdigit():
        return None
    return text


@dataclass(frozen=True)
class HostPattern:
    host: str
    """Normalized; for a wildcard, the domain below which names match."""
    wildcard: bool = False
    port: int | None = None
    """None: the default ports (80, 443)."""

    def matches(self, host: str, port: int) -> bool:
        """`host` must already be normalized (`normalize_host`)."""
        if port not in ((self.port,) if self.port is not None else DEFAULT_PORTS):
            return False
        if self.wildcard:
            return host.endswith("." + self.host)
        return host == self.host

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return ("*." if self.wildcard else "") + host + (f":{self.port}" if self.port else "")


def parse_pattern(text: str) -> HostPattern:
    """One allow-list entry; ValueError saying what is wrong with it."""
    raw = text.strip()
    if "/" in raw:
        raise ValueError(f"{text!r}: give HOST, HOST:PORT, *.DOMAIN or *.DOMAIN:PORT, not a URL")
    host, port = raw, None
    if raw.startswith("["):
        close = raw.find("]")
        host, rest = raw[:close + 1], raw[close + 1:]
        if close < 0 or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r}: an IPv6 address goes in brackets, as [ADDR] or "
                             "[ADDR]:PORT")
        port = rest[1:] if rest else None
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    wildcard = host.startswith("*.")
    name = normalize_host(host[2:] if wildcard else host)
    if name is None or "*" in (host[2:] if wildcard else host):
        raise ValueError(f"{text!r} is not HOST, HOST:PORT, *.DOMAIN or *.DOMAIN:PORT")
    if wildcard and ("." not in name or _is_ip(name)):
        raise ValueError(f"{text!r}: a wildcard needs a domain of two labels or more after "
                         "'*.' (e.g. *.example.org)")
    number: int | None = None
    if port is not None:
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
        number = int(port)
    return HostPattern(name, wildcard, number)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class AllowList:
    """The patterns of one sandbox, in the order given (duplicates dropped)."""

    def __init__(self, patterns: Iterable[str | HostPattern]) -> None:
        parsed = [p if isinstance(p, HostPattern) else parse_pattern(p) for p in patterns]
        self.patterns: tuple[HostPattern, ...] = tuple(dict.fromkeys(parsed))

    def allows(self, host: str, port: int) -> bool:
        name = normalize_host(host)
        return name is not None and any(p.matches(name, port) for p in self.patterns)

    def entries(self) -> list[str]:
        return [str(p) for p in self.patterns]
