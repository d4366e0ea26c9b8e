"""Provider keys stay on the driver: what a Ray node gets of an LLM agent's settings.

The driver resolves the agent's provider (base URL and key, from `--agent-kwarg`,
`--agent-env` or its own environment, as a local run does) and starts one `UpstreamRelay` per
provider. The spec sent to a node carries the relay's run token wherever the key was, and the
node's gateway sessions forward to the relay (`abcbench.gateway.relay`). A node thus never
holds the key (nor needs one of its own), and only the driver needs a route to the provider.
Agents without a `wire` (oracle, nop) talk to no model: their specs travel unchanged.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import socket
import threading

from abcbench.agents.endpoint import Endpoint, resolve_endpoint
from abcbench.errors import UserError
from abcbench.gateway.relay import RelayRoute, UpstreamRelay
from abcbench.trial import TrialSpec

RELAY_ENV = "ABCBENCH_RAY_RELAY"
"""HOST[:PORT] the relay listens on; default: the driver's Ray node address, any port."""


def provider_of(spec: TrialSpec) -> Endpoint | None:
    """The provider the spec's agent talks to, resolved on the driver; None for agents that
    talk to no model."""
    wire = getattr(spec.agent_cls, "wire", None)
    if not isinstance(wire, str):
        return None
    return resolve_endpoint(spec.agent_info.kwargs, spec.agent_env, wire)


def without_key(spec: TrialSpec, endpoint: Endpoint, route: RelayRoute) -> TrialSpec:
    """`spec` with the run token in place of the key: under the key's variable (so a node
    never falls back to a key of its own environment) and wherever `--agent-env` repeated it."""
    env = {name: (route.token if endpoint.api_key and value == endpoint.api_key else value)
           for name, value in spec.agent_env.items()}
    env[endpoint.key_var] = route.token
    return dataclasses.replace(spec, agent_env=env)


def relay_address(default_host: str) -> tuple[str, int]:
    """(host, port) from `ABCBENCH_RAY_RELAY` (an IP, `IP:PORT` or `[IPv6]:PORT`), else the
    driver's Ray address and any port."""
    value = os.environ.get(RELAY_ENV, "").strip()
    if not value:
        return default_host, 0
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":")
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
    else:
        host, port = value, ""
    if port and not (port.isdigit() and int(port) < 65536):
        raise UserError(f"{RELAY_ENV}={value!r}: give IP or IP:PORT (IPv6 as [IP]:PORT)")
    return host, int(port or 0)


def _check_bind(host: str, port: int) -> None:
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, ValueError) as exc:
        raise UserError(f"the model relay cannot listen on {host}:{port} ({exc}); set "
                        f"{RELAY_ENV}=IP[:PORT] to an address of this machine that the Ray "
                        "nodes reach (docs/ray.md)") from None


class Relays:
    """The driver's relays, one per provider, started at a run's first LLM trial."""

    def __init__(self, host: str) -> None:
        """`host`: the driver's Ray address. `ABCBENCH_RAY_RELAY` is checked here, before the
        run starts, so a wrong setting is one line and no run."""
        self.host = host
        self.bind = relay_address(host)
        _check_bind(*self.bind)
        self._lock = threading.Lock()
        self._relays: dict[tuple[str, str | None], UpstreamRelay] = {}

    def node_spec(self, spec: TrialSpec) -> tuple[TrialSpec, RelayRoute | None]:
        """What a node gets: the spec without the key, and the route to the relay."""
        endpoint = provider_of(spec)
        if endpoint is None:
            return spec, None
        key = (endpoint.base_url, endpoint.api_key)
        with self._lock:
            relay = self._relays.get(key)
            if relay is None:
                host, port = self.bind
                relay = self._relays[key] = UpstreamRelay(endpoint, host, port,
                                                           advertise=self.host)
        route = relay.route
        return without_key(spec, endpoint, route), route

    def close(self) -> None:
        with self._lock:
            relays, self._relays = list(self._relays.values()), {}
        for relay in relays:
            relay.close()
