"""One sandbox's egress, set up and torn down by its trial: the bridge it lives on and, for
`archive`, the proxy that is its only way out.

- `none`: an internal bridge without a host address: nothing outside the sandbox is reachable,
  not the proxy, not the model gateway.
- `archive`: an internal bridge (no route beyond the host) that keeps its host address, where
  the trial's proxy listens; the sandbox's proxy variables and apt configuration point there.
- `full`: an ordinary bridge with NAT.
"""

from __future__ import annotations

from docker.models.networks import Network

from abcbench.egress.client_config import APT_CONF_PATH, apt_config, proxy_environment
from abcbench.egress.proxy import EgressProxy
from abcbench.egress.settings import Egress
from abcbench.errors import HarnessError
from abcbench.results.models import EgressRecord
from abcbench.sandbox.base import Sandbox
from abcbench.sandbox.hostside import bridge_host_address
from abcbench.sandbox.lifecycle import create_network


class SandboxEgress:
    def __init__(self, egress: Egress, source: str) -> None:
        self.egress = egress
        self.record = EgressRecord(mode=egress.mode, source=source, allow=list(egress.allow))
        self.proxy: EgressProxy | None = None
        self.environment: dict[str, str] = {}
        """For the sandbox's container: the proxy variables (archive only)."""

    def open_network(self, name: str, labels: dict[str, str]) -> Network:
        """The sandbox's bridge; for `archive`, also the proxy listening on its host address."""
        mode = self.egress.mode
        network = create_network(name, labels, internal=mode != "full",
                                 host_address=mode != "none")
        if mode == "archive":
            found = bridge_host_address(network)
            if found is None:
                raise HarnessError(f"network {name} has no IPv4 host address for the egress "
                                   "proxy to listen on; check the Docker engine's bridge "
                                   "settings, or run with --egress none or full")
            host, subnet = found
            self.proxy = EgressProxy(host, self.egress.allow_list(), clients=subnet)
            self.environment = proxy_environment(self.proxy.url, direct=(host,))
        return network

    def configure(self, sandbox: Sandbox) -> None:
        """What the container's environment cannot carry: apt's proxy setting."""
        if self.proxy is not None:
            sandbox.write_file(APT_CONF_PATH, apt_config(self.proxy.url))

    def close(self) -> str | None:
        """Stop the proxy (idempotent); its decision log, when there was a proxy."""
        if self.proxy is None:
            return None
        self.proxy.stop()
        stats = self.proxy.stats
        self.record.n_allowed, self.record.n_refused = stats.allowed, stats.refused
        self.record.n_failed = stats.failed
        return self.proxy.log_text()
