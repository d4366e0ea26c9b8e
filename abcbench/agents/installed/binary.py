"""Installed agents that are one standalone executable (Claude Code, Codex CLI).

They need no Python in the sandbox: setup copies the cached executables (taken from their PyPI
wheels on the host, `bundle.ensure_wheel_binaries`) to /opt/abcbench/agents/<name>. Run: the
instruction, with the budget told, goes to a file; one shell command runs the agent headless in
the repository with its event log on stdout redirected to a file outside the repository, stdin
closed, the gateway's URL and token in its environment, under the exec's hard timeout.
"""

from __future__ import annotations

import dataclasses
import shlex
import time
from abc import abstractmethod
from typing import Any, ClassVar

from docker.types import Mount

from abcbench.agents.base import AgentContext
from abcbench.agents.installed.base import (
    STOP_MARGIN_SEC,
    InstalledAgent,
    budget_note,
    check_setup_step,
    install_dir_of,
    setup_timeout,
)
from abcbench.agents.installed.bundle import (
    BundleSpec,
    WheelBinarySpec,
    bundle_manifest,
    ensure_wheel_binaries,
)
from abcbench.agents.installed.volumes import engine_machine, ensure_volume, mount
from abcbench.gateway.session import TrialSession
from abcbench.sandbox.base import ExecResult

NO_BUNDLE = BundleSpec(name="none", requirements=())


class BinaryAgent(InstalledAgent):
    wheel: ClassVar[WheelBinarySpec]
    bundle: ClassVar[BundleSpec] = NO_BUNDLE
    harness_subdir: ClassVar[str] = ""
    log_name: ClassVar[str]
    """The agent's own event log (stdout), copied out as agent/<log_name>."""
    model_prefix: ClassVar[str]
    """`--model anthropic/claude-x` names the provider the way litellm does; the tool wants
    the bare name."""

    @property
    def trajectory_path(self) -> str:
        return f"{self.work_dir}/{self.log_name}"

    @property
    def local_log_name(self) -> str:
        return self.log_name

    def tool_model(self) -> str:
        return (self.model or "").removeprefix(self.model_prefix)

    def bin(self, name: str) -> str:
        return f"{self.install_dir}/bin/{name}"

    @classmethod
    def sandbox_mounts(cls, image: str) -> list[Mount]:
        """The cached executables as a read-only volume at the install folder."""
        machine = engine_machine()
        folder = ensure_wheel_binaries(cls.wheel, machine)
        volume = ensure_volume(cls.name, cls.wheel.key(machine), folder, image)
        return [mount(volume, install_dir_of(cls.name))]

    def _install(self, ctx: AgentContext) -> None:
        """One exec when the bundle's volume is mounted (`sandbox_mounts`); otherwise (a
        sandbox made without it) the cached executables are copied in."""
        started = time.monotonic()
        first = self.bin(self.wheel.members[0][1].removeprefix("bin/")) \
            if self.wheel.members else ""
        probe = ctx.sandbox.exec(["sh", "-c", 'uname -m; [ -x "$1" ] && echo mounted', "sh",
                                  first], timeout=min(30, setup_timeout(ctx)))
        check_setup_step(ctx, probe, "uname -m")
        lines = probe.stdout.split()
        if not lines:
            raise RuntimeError(f"uname -m failed in the sandbox: {probe.stderr.strip()}")
        folder = ensure_wheel_binaries(self.wheel, lines[0])
        manifest = bundle_manifest(folder)
        what = f"{manifest.get('wheel')} (sha256 {manifest.get('sha256')})"
        if lines[1:] == ["mounted"]:
            (ctx.logs_dir / "setup.log").write_text(
                f"{what} is mounted read-only at {self.install_dir}; checked in "
                f"{time.monotonic() - started:.1f}s\n", encoding="utf-8")
            return
        cached = time.monotonic()
        ctx.sandbox.copy_in(folder / "payload", self.install_dir)
        (ctx.logs_dir / "setup.log").write_text(
            f"installed {what} into {self.install_dir}: bundle ready after "
            f"{cached - started:.1f}s, copied in {time.monotonic() - cached:.1f}s\n",
            encoding="utf-8")

    def run_config(self, ctx: AgentContext, base_url: str) -> dict[str, Any]:
        steps = self.kwargs.get("step_limit")
        return {"prompt": budget_note(ctx, ctx.remaining_sec() - STOP_MARGIN_SEC,
                                      int(steps) if steps else None),
                "base_url": base_url, "model": self.tool_model()}

    def _execute(self, ctx: AgentContext, session: TrialSession) -> ExecResult:
        config = self.run_config(ctx, session.base_url)
        prompt_path = f"{self.work_dir}/prompt.txt"
        self.prompt = config["prompt"]
        ctx.sandbox.write_file(prompt_path, config["prompt"])
        ctx.sandbox.exec(["mkdir", "-p", f"{self.work_dir}/home"], timeout=30)
        argv = self.argv(config, session)
        command = (" ".join(shlex.quote(a) for a in argv) + f' "$(cat {prompt_path})"'
                   f" < /dev/null > {self.trajectory_path} 2> {self.work_dir}/stderr.log")
        timeout = max(ctx.remaining_sec() - STOP_MARGIN_SEC, 1.0)
        result = ctx.sandbox.exec(command, timeout=timeout, cwd=ctx.repo_dir,
                                  env=self.agent_env(session), output_limit=1024 * 1024)
        try:
            stderr = ctx.sandbox.read_file(f"{self.work_dir}/stderr.log")
            result = dataclasses.replace(result, stderr=result.stderr + stderr.decode(
                "utf-8", errors="replace")[-200_000:])
        except FileNotFoundError:
            pass
        self._log(ctx.logs_dir / "run.log", command, result)
        return result

    def command(self, config_path: str) -> str:  # the binaries build their own command line
        raise NotImplementedError

    @abstractmethod
    def argv(self, config: dict[str, Any], session: TrialSession) -> list[str]:
        """The command line, without the prompt (appended as the last argument)."""
