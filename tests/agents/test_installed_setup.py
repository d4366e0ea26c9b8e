"""Installed agents' setup faults are the infrastructure's, never the agent's; and a sandbox
that cannot reach the gateway is said so."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from abcbench.agents.base import AgentContext, AgentSetupTimedOut
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
from abcbench.errors import HarnessError
from abcbench.policy import AgentSetupFailed, FaultFacts, classify
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox.base import ExecResult


class BrokenSandbox:
    """Every command fails, as when apt cannot reach its archive."""

    def __init__(self) -> None:
        self.commands: list[object] = []

    def exec(self, command: object, **_kw: object) -> ExecResult:
        self.commands.append(command)
        return ExecResult(100, "", "E: Unable to fetch some archives", False, False, 0.1)

    def write_file(self, path: str, data: object, mode: int = 0o644) -> None:
        pass

    def read_file(self, path: str) -> bytes:
        raise FileNotFoundError(path)

    def copy_in(self, src: Path, dest: str) -> None:
        raise AssertionError("nothing is copied after a failed probe")

    def copy_out(self, src: str, dest: Path) -> None:
        pass


def context(tmp_path: Path) -> AgentContext:
    fields = dict(instruction="x", sandbox=BrokenSandbox(), repo_dir="/app/r",
                  time_budget_sec=60, logs_dir=tmp_path)
    try:
        return AgentContext(**fields)  # type: ignore[arg-type]
    except TypeError:  # while AgentContext still has `task`
        return AgentContext(**fields, task=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [MiniSweAgent, ClaudeCodeAgent])
def test_a_failed_install_is_the_harness_fault_not_retried(cls: type, tmp_path: Path) -> None:
    agent = cls(model="m", env={"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"})
    with pytest.raises(AgentSetupFailed, match=f"{agent.name} setup") as caught:
        agent.setup(context(tmp_path))
    decision = classify(FaultFacts(caught.value, Stage.agent, agent_started=True,
                                   sandbox_state="running"))
    assert (decision.rule, decision.failure, decision.retryable) == (
        "agent_setup", FailureClass.infrastructure, False)


def test_a_setup_step_that_overruns_its_limit_is_the_engines_and_retried(
        tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.sandbox.exec = lambda *a, **k: ExecResult(-1, "", "", True, False, 300.0)  # type: ignore[method-assign]
    agent = MiniSweAgent(model="m", env={"OPENAI_API_KEY": "k"})
    with pytest.raises(AgentSetupTimedOut, match="setup limit") as caught:
        agent.setup(ctx)
    decision = classify(FaultFacts(caught.value, Stage.agent, agent_started=True,
                                   sandbox_state="running"))
    assert (decision.rule, decision.failure, decision.retryable) == (
        "infrastructure_fault", FailureClass.infrastructure, True)


def test_a_pip_failure_is_the_harness_fault(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_index(*_a: object) -> Path:
        raise HarnessError("pip could not download claude-agent-sdk")

    monkeypatch.setattr("abcbench.agents.installed.binary.ensure_wheel_binaries", no_index)
    ctx = context(tmp_path)
    ctx.sandbox.exec = lambda *a, **k: ExecResult(0, "x86_64\n", "", False, False, 0.1)  # type: ignore[method-assign]
    with pytest.raises(AgentSetupFailed, match="pip could not download"):
        ClaudeCodeAgent(model="m").setup(ctx)


def test_no_route_to_the_gateway_says_how_to_fix_it(tmp_path: Path) -> None:
    agent = ClaudeCodeAgent(model="m")
    agent.validate()
    ctx = context(tmp_path)
    ctx.sandbox.exec = lambda *a, **k: ExecResult(0, "Iface\\tDestination\\n", "", False,  # type: ignore[method-assign]
                                                  False, 0.1)
    with pytest.raises(HarnessError, match="gateway_host=IP"):
        agent.run(ctx)


def test_a_locked_bundle_is_keyed_by_the_lock_content(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from abcbench.agents.installed.bundle import BundleSpec
    from abcbench.agents.installed.mini_swe_agent import MiniSweAgent as Mini

    (tmp_path / "agents").mkdir()
    lock = tmp_path / "agents" / "x.lock"
    lock.write_text("a==1\n")
    monkeypatch.setattr("abcbench.agents.installed.bundle.harness_dir", lambda: tmp_path)
    spec = BundleSpec(name="x", requirements=(), lock="agents/x.lock", precompile=True)
    first = spec.key("3.13", "x86_64")
    lock.write_text("a==2\n")
    assert spec.key("3.13", "x86_64") != first
    # bundles without a lock keep the key they had before locks existed (caches stay valid)
    old = json.dumps([Mini.bundle.name, Mini.bundle.requirements, Mini.bundle.no_deps, "3.13",
                      "x86_64", 1])
    assert Mini.bundle.key("3.13", "x86_64") == hashlib.sha256(old.encode()).hexdigest()[:16]
