"""Agent setup is its own phase (issue 20): its own limit, timed as `timings["agent_setup"]`,
never charged to the agent's budget natively; an overrun is the engine's (infrastructure,
retried), a broken install the harness's (`agent_setup`, not retried); Terminal-Bench mode
spends the budget on setup as `tb run` does. No Docker: the trial fakes of tests/unit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.errors import UserError
from abcbench.policy import AgentSetupFailed
from abcbench.results.models import FailureClass
from abcbench.trial import agent_phase
from tests.unit.trial_fakes import agent_trial


class SlowSetup(Agent):
    """Setup takes `setup_sec`; the run reports the budget it was handed and how much of it
    was left when it started."""

    name = "slow-setup"
    setup_sec: ClassVar[float] = 1.5
    seen: ClassVar[dict[str, float]] = {}

    def setup(self, ctx: AgentContext) -> None:
        time.sleep(self.setup_sec)

    def run(self, ctx: AgentContext) -> AgentResult:
        SlowSetup.seen = {"budget": ctx.time_budget_sec, "left": ctx.remaining_sec()}
        time.sleep(0.8)  # 0.8 + 1.5 s of setup would overrun the 1.0 s budget if charged
        return AgentResult()


def test_setup_is_timed_apart_and_not_charged_to_the_budget(tmp_path: Path) -> None:
    result = agent_trial(tmp_path, SlowSetup, budget=1.0).run()
    assert result.failure_class is None and result.resolved, result.error
    assert not result.agent_timed_out
    assert 1.5 <= result.timings["agent_setup"] < 2.5
    assert SlowSetup.seen["budget"] == 1.0 and SlowSetup.seen["left"] > 0.9


class TbSlowSetup(SlowSetup):
    name = "tb-slow-setup"


def test_setup_inside_the_budget_when_the_trial_says_so(tmp_path: Path) -> None:
    """Terminal-Bench mode: `tb run` 0.2.18 installs inside max_agent_timeout_sec."""
    trial = agent_trial(tmp_path, TbSlowSetup, budget=1.0)
    trial.agent_setup_in_budget = True  # type: ignore[misc]
    result = trial.run()
    assert result.failure_class is FailureClass.agent_timeout, result.error


class HangingSetup(Agent):
    name = "hanging-setup"
    ran: ClassVar[bool] = False

    def setup(self, ctx: AgentContext) -> None:
        time.sleep(ctx.time_budget_sec + 5)

    def run(self, ctx: AgentContext) -> AgentResult:
        HangingSetup.ran = True
        return AgentResult()


def test_a_setup_past_its_limit_is_infrastructure_and_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agent_phase, "GRACE_SEC", 0.2)
    monkeypatch.setattr(HangingSetup, "setup_timeout_sec", 0.5)
    started = time.monotonic()
    result = agent_trial(tmp_path, HangingSetup, budget=30).run()
    assert time.monotonic() - started < 5, "the setup limit, not the budget, ended it"
    assert result.failure_class is FailureClass.infrastructure and result.retryable
    assert result.failure_rule == "infrastructure_fault"
    assert "setup did not finish within its 0s limit" in (result.error or "")
    assert not HangingSetup.ran and not result.agent_timed_out
    assert "agent_setup" not in result.timings


class BrokenBundle(Agent):
    name = "broken-bundle"

    def setup(self, ctx: AgentContext) -> None:
        raise AgentSetupFailed("broken-bundle setup: could not unpack the bundle")

    def run(self, ctx: AgentContext) -> AgentResult:
        raise AssertionError("never runs")


def test_a_broken_bundle_is_the_harness_fault_not_the_agents(tmp_path: Path) -> None:
    result = agent_trial(tmp_path, BrokenBundle, budget=30).run()
    assert result.failure_class is FailureClass.infrastructure
    assert result.failure_rule == "agent_setup" and not result.retryable
    assert "could not unpack" in (result.error or "")
    logs = list((tmp_path / "run").rglob("agent-setup-error.log"))
    assert logs and "AgentSetupFailed" in logs[0].read_text()


class BuggySetup(Agent):
    """A user's agent (--agent-import-path) whose own setup code raises: its bug."""

    name = "buggy-setup"

    def setup(self, ctx: AgentContext) -> None:
        int("x")

    def run(self, ctx: AgentContext) -> AgentResult:
        raise AssertionError("never runs")


def test_an_agents_own_setup_bug_is_still_its_own(tmp_path: Path) -> None:
    result = agent_trial(tmp_path, BuggySetup, budget=30).run()
    assert [(f.rule, f.failure_class) for f in result.faults] == [
        ("agent_code", FailureClass.agent_error)]
    assert not result.retryable


@pytest.mark.parametrize("raw", ["soon", "-1", "0"])
def test_a_bad_setup_timeout_is_refused(raw: str) -> None:
    with pytest.raises(UserError, match="setup_timeout"):
        SlowSetup(setup_timeout=raw).setup_limit_sec()
    assert SlowSetup(setup_timeout="12.5").setup_limit_sec() == 12.5
