"""Shared machinery of agents that run inside the sandbox.

Setup: make sure the sandbox has python3 (Debian's, installed with apt when missing), then copy
in the agent's cached host-built bundle and the harness's runner files. Run: one exec with the
remaining budget as its timeout, the model endpoint rewritten so the container can reach it,
and the key passed only in the exec environment. Afterwards the agent's own trajectory is
copied out, redacted, and its token usage summed and priced on the host.

Everything the agent installs or writes lives outside the repository (/opt, /tmp), so none of
it becomes part of the submission.
"""

from __future__ import annotations

import json
import posixpath
import shlex
import socket
import struct
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.endpoint import Endpoint, resolve_endpoint, secret_values
from abcbench.agents.installed.bundle import BUNDLE_FILE, BundleSpec, ensure_bundle
from abcbench.agents.trajectory import redact, write_redacted
from abcbench.errors import UserError
from abcbench.llm.pricing import PriceTable, load_price_table
from abcbench.paths import harness_dir
from abcbench.results.models import Usage
from abcbench.sandbox.base import ExecResult, Sandbox

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "0.0.0.0", "::1"})
STOP_MARGIN_SEC = 10.0
"""Kept back from the exec timeout so the trajectory can be copied out before the deadline."""


def sandbox_gateway(sandbox: Sandbox) -> str | None:
    """The sandbox's default gateway (the Docker host on a bridge network), read from
    /proc/net/route so no tool beyond cat is needed in the image."""
    result = sandbox.exec(["cat", "/proc/net/route"], timeout=30)
    for line in result.stdout.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            return socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
    return None


def url_for_sandbox(url: str, sandbox: Sandbox) -> str:
    """A model server on the host's loopback is, seen from the container, at its gateway."""
    parts = urlsplit(url)
    if parts.hostname not in LOCAL_HOSTS:
        return url
    gateway = sandbox_gateway(sandbox)
    if gateway is None:
        raise UserError(f"base_url {url} points at this host, but the sandbox has no default "
                        "route to reach it; give an address the container can reach")
    netloc = gateway + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass
class ReadBack:
    exit_status: str
    usage: Usage
    n_steps: int
    message: str | None = None


class InstalledAgent(Agent):
    """Subclasses name a bundle, a harness folder, the command, and how to read results."""

    bundle: ClassVar[BundleSpec]
    harness_subdir: ClassVar[str]
    work_dir: ClassVar[str] = "/tmp/abcbench-agent"

    @property
    def install_dir(self) -> str:
        return f"/opt/abcbench/agents/{self.name}"

    def setup(self, ctx: AgentContext) -> None:
        if not self.model:
            raise UserError(f"the {self.name} agent needs --model")
        self.endpoint: Endpoint = resolve_endpoint(self.kwargs, self.env)
        self.secrets = secret_values(self.endpoint, self.env)
        self.prices: PriceTable = load_price_table(self.kwargs.get("price_table"))
        log = ctx.logs_dir / "setup.log"
        sandbox = ctx.sandbox
        script = (harness_dir() / "agents" / "ensure_python.sh").read_bytes()
        sandbox.write_file(f"{self.work_dir}/ensure_python.sh", script, mode=0o755)
        probe = sandbox.exec(f"bash {self.work_dir}/ensure_python.sh",
                             timeout=max(min(ctx.remaining_sec(), 600), 1))
        self._log(log, "ensure python3", probe)
        if not probe.ok or len(probe.stdout.split()) != 2:
            raise RuntimeError(f"could not get python3 into the sandbox (see {log.name})")
        python, machine = probe.stdout.split()
        folder = ensure_bundle(self.bundle, python, machine)
        sandbox.copy_in(folder / "payload", f"{self.work_dir}/payload")
        sandbox.copy_in(harness_dir() / "agents" / self.harness_subdir,
                        f"{self.install_dir}/harness")
        unpack = sandbox.exec(
            f"tar -xzf {self.work_dir}/payload/{BUNDLE_FILE} -C {self.install_dir} "
            f"&& rm -rf {self.work_dir}/payload", timeout=max(min(ctx.remaining_sec(), 600), 1))
        self._log(log, f"unpack {folder.name}", unpack)
        if not unpack.ok:
            raise RuntimeError(f"could not unpack the {self.name} bundle (see {log.name})")

    def run(self, ctx: AgentContext) -> AgentResult:
        base_url = url_for_sandbox(self.endpoint.base_url, ctx.sandbox)
        config = self.run_config(ctx, base_url)
        config_path = f"{self.work_dir}/run-config.json"
        ctx.sandbox.write_file(config_path, json.dumps(config, indent=2))
        env = {self.endpoint.key_var: self.endpoint.api_key or "unused",
               "PYTHONPATH": f"{self.install_dir}/site", **self.env}
        timeout = max(ctx.remaining_sec() - STOP_MARGIN_SEC, 1.0)
        command = self.command(config_path)
        result = ctx.sandbox.exec(command, timeout=timeout, cwd=ctx.repo_dir, env=env,
                                  output_limit=4 * 1024 * 1024)
        self._log(ctx.logs_dir / "run.log", command, result)
        local = ctx.logs_dir / "trajectory.json"
        try:
            raw = ctx.sandbox.read_file(self.trajectory_path)
        except FileNotFoundError:
            raw = None
        if raw is None:
            status = "budget" if result.timed_out else "error"
            return AgentResult(exit_status=status, message=redact(
                f"{self.name} wrote no trajectory (exit {result.exit_code}); see agent/run.log",
                self.secrets))
        write_redacted(local, raw.decode("utf-8", errors="replace"), self.secrets)
        back = self.read_back(json.loads(local.read_text(encoding="utf-8")))
        if result.timed_out:
            back.exit_status = "budget"
        return AgentResult(
            exit_status=back.exit_status, usage=back.usage, n_steps=back.n_steps,
            trajectory_file=f"{ctx.logs_dir.name}/{local.name}",
            message=redact(back.message or f"exit {result.exit_code}", self.secrets),
        )

    @property
    def trajectory_path(self) -> str:
        return posixpath.join(self.work_dir, "trajectory.json")

    @abstractmethod
    def run_config(self, ctx: AgentContext, base_url: str) -> dict[str, Any]:
        """The JSON handed to the in-sandbox runner (never a secret: it is a file there)."""

    @abstractmethod
    def command(self, config_path: str) -> str: ...

    @abstractmethod
    def read_back(self, trajectory: dict[str, Any]) -> ReadBack:
        """Exit status, steps and priced usage from the agent's own trajectory format."""

    def _log(self, path: Path, what: str, result: ExecResult) -> None:
        text = (f"$ {what}\nexit {result.exit_code} after {result.duration_sec:.1f}s"
                f"{' (timed out)' if result.timed_out else ''}\n--- stdout\n{result.stdout}\n"
                f"--- stderr\n{result.stderr}\n")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(redact(text, self.secrets))


def quote(*parts: str) -> str:
    return " ".join(shlex.quote(p) for p in parts)
