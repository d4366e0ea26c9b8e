"""Shared machinery of agents that run inside the sandbox.

Setup: make sure the sandbox has python3 (Debian's, installed with apt when missing), then copy
in the agent's cached host-built bundle and the harness's runner files, under setup's own limit
(the agent's budget starts after it). A fault there is never the agent's: a bundle that does
not build or unpack is the harness's (`AgentSetupFailed`), a step that overruns the limit the
engine's (`AgentSetupTimedOut`, retried). Run: a model-gateway session for the
trial, listening on the sandbox's default gateway (or `--agent-kwarg gateway_host=IP`); the
agent gets the session's base URL and token, never a provider key nor any `--agent-env` value.
One exec with the remaining budget as its timeout. Afterwards the agent's own log is copied out
(redacted); tokens and cost are the gateway's count, and an outage of the provider at the end
raises `ModelEndpointUnavailable`.

Everything the agent installs or writes lives outside the repository (/opt, /tmp), so none of
it becomes part of the submission.
"""

from __future__ import annotations

import json
import posixpath
import shlex
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docker.types import Mount

from abcbench.agents.atif import TRAJECTORY_FILE as ATIF_FILE
from abcbench.agents.atif import Builder, gateway_requests, save_atif
from abcbench.agents.base import Agent, AgentContext, AgentResult, AgentSetupTimedOut
from abcbench.agents.endpoint import Endpoint, resolve_endpoint, secret_values
from abcbench.agents.installed.bundle import BUNDLE_FILE, BundleSpec, ensure_bundle
from abcbench.agents.installed.volumes import (
    KEY_FILE,
    engine_machine,
    ensure_volume,
    image_python,
    mount,
)
from abcbench.agents.trajectory import redact, write_redacted
from abcbench.errors import HarnessError, UserError
from abcbench.gateway.lease import (
    GatewaySettings,
    close_trial,
    gateway_settings,
    open_trial,
    raise_if_outage,
)
from abcbench.gateway.session import GatewaySummary, TrialSession
from abcbench.llm.pricing import PriceTable, load_price_table
from abcbench.paths import harness_dir
from abcbench.policy import AgentSetupFailed
from abcbench.results.models import Usage
from abcbench.sandbox.base import ExecResult
from abcbench.sandbox.hostside import sandbox_host_address

DEBIAN_PYTHON = "3.13"
"""The python3 Debian trixie installs into a sandbox image that has none."""
STOP_MARGIN_SEC = 10.0
"""Kept back from the exec timeout so the trajectory can be copied out before the deadline."""


def budget_note(ctx: AgentContext, seconds: float, steps: int | None = None) -> str:
    """What an installed agent is told about its limits, after the task's instruction."""
    limit = f" and at most {steps} steps" if steps else ""
    return (f"{ctx.instruction.rstrip()}\n\nYou work alone, headless, in the repository at "
            f"{ctx.repo_dir}. You have {seconds / 60:.0f} minutes ({seconds:.0f} seconds) of "
            f"wall-clock time{limit}; then you are stopped and the repository is graded as it "
            "stands, so save working code early and keep commands bounded.")


@dataclass
class ReadBack:
    exit_status: str
    usage: Usage
    """What the agent's own log says (kept for comparison; result.json uses the gateway's)."""
    n_steps: int
    message: str | None = None
    trajectory_file: str | None = None


class InstalledAgent(Agent):
    """Subclasses name a bundle, a harness folder, the command, and how to read results."""

    bundle: ClassVar[BundleSpec]
    harness_subdir: ClassVar[str]
    prompt: str | None = None
    """What the agent was told, when its own log does not record it."""
    work_dir: ClassVar[str] = "/tmp/abcbench-agent"
    apt_tools: ClassVar[tuple[str, ...]] = ()
    """Commands the agent needs besides python3, apt-installed (same-named Debian packages)
    when the sandbox image lacks them."""

    @property
    def install_dir(self) -> str:
        return install_dir_of(self.name)

    def litellm_model(self) -> str:
        """`--model` as litellm routes it (the agents that call the model through litellm): a
        bare name goes through its OpenAI-compatible route."""
        model = self.model or ""
        return model if "/" in model else f"openai/{model}"

    @classmethod
    def sandbox_mounts(cls, image: str) -> list[Mount]:
        """The bundle as a read-only volume at `<install>/bundle` (its `site/` and
        `bundle.key`), built for the image's python3; none when the image has no python3 (then
        setup installs Debian's and unpacks the bundle, built here so that no setup waits for
        pip)."""
        found = image_python(image)
        if found is None:  # Debian's python3 goes in at setup: its bundle is built now
            ensure_bundle(cls.bundle, DEBIAN_PYTHON, engine_machine())
            return []
        python, machine = found
        folder = ensure_bundle(cls.bundle, python, machine)
        volume = ensure_volume(cls.name, cls.bundle.key(python, machine), folder, image,
                               archive=folder / "payload" / BUNDLE_FILE)
        return [mount(volume, f"{install_dir_of(cls.name)}/bundle")]

    def validate(self) -> None:
        if not self.model:
            raise UserError(f"the {self.name} agent needs --model")
        self.gateway: GatewaySettings = gateway_settings(self.kwargs)
        self.endpoint: Endpoint = resolve_endpoint(self.kwargs, self.env,
                                                   getattr(self, "wire", "chat"))
        self.secrets = secret_values(self.endpoint, self.env)
        self.prices: PriceTable = load_price_table(self.kwargs.get("price_table"))
        self.setup_limit_sec()

    def setup(self, ctx: AgentContext) -> None:
        self.validate()
        try:
            self._install(ctx)
        except (HarnessError, RuntimeError) as exc:
            raise AgentSetupFailed(f"{self.name} setup: {exc}") from exc

    def _install(self, ctx: AgentContext) -> None:
        log = ctx.logs_dir / "setup.log"
        sandbox = ctx.sandbox
        script = (harness_dir() / "agents" / "ensure_python.sh").read_bytes()
        sandbox.write_file(f"{self.work_dir}/ensure_python.sh", script, mode=0o755)
        probe = sandbox.exec(quote("bash", f"{self.work_dir}/ensure_python.sh", *self.apt_tools),
                             timeout=setup_timeout(ctx))
        self._log(log, "ensure python3", probe)
        check_setup_step(ctx, probe, "ensure python3")
        if not probe.ok or len(probe.stdout.split()) != 2:
            raise RuntimeError(f"could not get python3 into the sandbox (see {log.name})")
        python, machine = probe.stdout.split()
        folder = ensure_bundle(self.bundle, python, machine)
        sandbox.copy_in(harness_dir() / "agents" / self.harness_subdir,
                        f"{self.install_dir}/harness")
        key = self.bundle.key(python, machine)
        mounted = sandbox.exec(  # the volume of `sandbox_mounts`, if it fits this python3
            f'[ "$(cat {self.install_dir}/bundle/{KEY_FILE} 2>/dev/null)" = "{key}" ] && '
            f"ln -sfn {self.install_dir}/bundle/site {self.install_dir}/site",
            timeout=setup_timeout(ctx))
        check_setup_step(ctx, mounted, "link the mounted bundle")
        if mounted.ok:
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{folder.name} is mounted read-only at {self.install_dir}/bundle\n")
            return
        sandbox.copy_in(folder / "payload", f"{self.work_dir}/payload")
        unpack = sandbox.exec(
            f"tar -xzf {self.work_dir}/payload/{BUNDLE_FILE} -C {self.install_dir} "
            f"&& rm -rf {self.work_dir}/payload", timeout=setup_timeout(ctx))
        self._log(log, f"unpack {folder.name}", unpack)
        check_setup_step(ctx, unpack, f"unpack {folder.name}")
        if not unpack.ok:
            raise RuntimeError(f"could not unpack the {self.name} bundle (see {log.name})")

    def run(self, ctx: AgentContext) -> AgentResult:
        host = self.gateway.gateway_host or sandbox_host_address(ctx.sandbox)
        if host is None:
            raise HarnessError("the sandbox has no default route to the host, so it cannot "
                               "reach the model gateway; give --agent-kwarg gateway_host=IP")
        session = open_trial(self.endpoint, self.model or "", self.prices, self.secrets,
                             self.gateway, ctx.logs_dir,
                             ctx.started_monotonic + ctx.time_budget_sec, host)
        try:
            result = self._execute(ctx, session)
        finally:
            summary = close_trial(session)
        back = self._read_back(ctx, result)
        self._write_atif(ctx, back, summary)
        raise_if_outage(summary)
        if summary.cap_reached and back.exit_status not in ("finished", "budget"):
            back.exit_status, back.message = "cost_limit", summary.cap_reached
        if summary.n_unmetered:
            back.message = (f"{back.message or ''} ({summary.n_unmetered} model replies carried "
                            "no usage block: their tokens are unknown, not counted)").strip()
        return AgentResult(
            exit_status=back.exit_status, usage=summary.usage, n_steps=back.n_steps,
            trajectory_file=back.trajectory_file,
            message=redact(back.message or f"exit {result.exit_code}", self.secrets))

    def _execute(self, ctx: AgentContext, session: TrialSession) -> ExecResult:
        config = self.run_config(ctx, session.base_url)
        config_path = f"{self.work_dir}/run-config.json"
        ctx.sandbox.write_file(config_path, json.dumps(config, indent=2))
        env = {"PYTHONPATH": f"{self.install_dir}/site", **self.agent_env(session)}
        timeout = max(ctx.remaining_sec() - STOP_MARGIN_SEC, 1.0)
        command = self.command(config_path)
        result = ctx.sandbox.exec(command, timeout=timeout, cwd=ctx.repo_dir, env=env,
                                  output_limit=4 * 1024 * 1024)
        self._log(ctx.logs_dir / "run.log", command, result)
        return result

    def agent_env(self, session: TrialSession) -> dict[str, str]:
        """The exec environment: the trial token where the agent looks for its key."""
        return {self.endpoint.key_var: session.token}

    @property
    def local_log_name(self) -> str:
        """The agent's own log, as copied into the trial's agent folder."""
        return f"{self.name}-log.json"

    @abstractmethod
    def to_atif(self, text: str) -> Builder:
        """The agent's own log as ATIF steps (`atif_convert`)."""

    def _write_atif(self, ctx: AgentContext, back: ReadBack, summary: GatewaySummary) -> None:
        """agent/trajectory.json in ATIF, with the gateway's usage; written even when the
        agent left no log of its own (then it has no steps but the totals)."""
        local = ctx.logs_dir / self.local_log_name
        text = local.read_text(encoding="utf-8") if local.is_file() else ""
        try:
            builder = self.to_atif(text)
        except (ValueError, TypeError, AttributeError) as exc:
            builder = Builder(self.name, "unknown", self.model)
            back.message = f"{back.message or ''} (its log could not be converted: {exc})"
        if self.prompt and not any(s.source == "user" for s in builder.steps):
            builder.prepend("user", self.prompt)
        atif = builder.finish(
            summary.usage, gateway_requests(ctx.logs_dir),
            notes=f"exit status {back.exit_status}: {back.message or ''}"[:500],
            extra={"exit_status": back.exit_status, "own_log": self.local_log_name,
                   "gateway": summary.model_dump(mode="json")})
        save_atif(ctx.logs_dir / ATIF_FILE, atif, self.secrets)
        back.trajectory_file = f"{ctx.logs_dir.name}/{ATIF_FILE}"

    def _read_back(self, ctx: AgentContext, result: ExecResult) -> ReadBack:
        local = ctx.logs_dir / self.local_log_name
        try:
            raw = ctx.sandbox.read_file(self.trajectory_path)
        except FileNotFoundError:
            raw = None
        if raw is None:
            return ReadBack(exit_status="budget" if result.timed_out else "error",
                            usage=Usage(), n_steps=0,
                            message=f"{self.name} wrote no log (exit {result.exit_code}); see "
                                    "agent/run.log")
        write_redacted(local, raw.decode("utf-8", errors="replace"), self.secrets)
        back = self.read_back(local.read_text(encoding="utf-8"))
        back.trajectory_file = f"{ctx.logs_dir.name}/{local.name}"
        if result.timed_out:
            back.exit_status = "budget"
            back.message = (f"stopped at its {ctx.time_budget_sec:.0f}s time budget "
                            f"({back.message})")
        return back

    @property
    def trajectory_path(self) -> str:
        return posixpath.join(self.work_dir, "trajectory.json")

    @abstractmethod
    def run_config(self, ctx: AgentContext, base_url: str) -> dict[str, Any]:
        """The JSON handed to the in-sandbox runner (never a secret: it is a file there)."""

    @abstractmethod
    def command(self, config_path: str) -> str: ...

    @abstractmethod
    def read_back(self, text: str) -> ReadBack:
        """Exit status and steps from the agent's own log (its tokens are the gateway's)."""

    def _log(self, path: Path, what: str, result: ExecResult) -> None:
        text = (f"$ {what}\nexit {result.exit_code} after {result.duration_sec:.1f}s"
                f"{' (timed out)' if result.timed_out else ''}\n--- stdout\n{result.stdout}\n"
                f"--- stderr\n{result.stderr}\n")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(redact(text, self.secrets))


def install_dir_of(name: str) -> str:
    """Where an installed agent lives in the sandbox (outside the repository)."""
    return f"/opt/abcbench/agents/{name}"


def quote(*parts: str) -> str:
    return " ".join(shlex.quote(p) for p in parts)


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines log; other lines (banners, partial writes) skipped."""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


def setup_timeout(ctx: AgentContext) -> float:
    """A setup step's limit: what is left of setup's own limit (`ctx` carries it), at least
    1 s."""
    return max(ctx.remaining_sec(), 1)


def check_setup_step(ctx: AgentContext, result: ExecResult, what: str) -> None:
    """A setup exec that ran into setup's limit: the engine is slow, not the bundle broken."""
    if result.timed_out:
        raise AgentSetupTimedOut(f"setup step `{what}` did not finish within the setup limit "
                                 f"of {ctx.time_budget_sec:.0f}s (the engine is slow or "
                                 "stalled; the agent's budget was not started)")
