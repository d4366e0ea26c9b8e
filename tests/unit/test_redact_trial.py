"""A custom agent that leaks its key through an exception or its message: no file holds it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.cli.common import parse_agent_env
from abcbench.images.manager import ImageManager
from abcbench.results.models import AgentInfo, FailureClass
from abcbench.results.store import RunDir
from abcbench.tasks.loader import load_task
from abcbench.trial.base import Trial, TrialSpec
from tests.conftest import NATIVE_FIXTURES

KEY = "sk-proj-9Zq8Yw7Xv6Ut5"


class RaisesWithKey(Agent):
    name = "raises-with-key"

    def run(self, ctx: AgentContext) -> AgentResult:
        raise RuntimeError(f"401 from the provider for key {self.env['MY_KEY']}")


class ReportsKey(Agent):
    name = "reports-key"

    def run(self, ctx: AgentContext) -> AgentResult:
        return AgentResult(exit_status="error", message=f"gave up; key={self.env['MY_KEY']}")


class IdleSandbox:
    """These agents never touch their sandbox; the agent phase only stops its processes."""

    def stop_processes(self) -> bool:
        return True


class AgentOnly(Trial):
    """The agent phase alone, against a sandbox the agents never use."""

    def _execute(self) -> None:
        self._run_agent(cast(Any, IdleSandbox()), "/app/quotes")

    def _collect_and_clean(self) -> None:
        pass


def run_trial(tmp_path: Path, agent: type[Agent]) -> Path:
    env = parse_agent_env([f"MY_KEY={KEY}"])  # how `abcbench run` learns the run's secrets
    spec = TrialSpec(run_id="r", task=load_task(NATIVE_FIXTURES / "fx-quotes-logic"),
                     attempt=1, agent_cls=agent,
                     agent_info=AgentInfo(name=agent.name, env_keys=sorted(env)), agent_env=env)
    result = AgentOnly(spec, RunDir(tmp_path), ImageManager()).run()
    assert result.failure_class is FailureClass.agent_error
    return tmp_path / "trials" / "fx-quotes-logic__1"


@pytest.mark.parametrize("agent", [RaisesWithKey, ReportsKey])
def test_result_json_holds_no_key(tmp_path: Path, agent: type[Agent]) -> None:
    """Today: the exception text / agent message carries the key into result.json."""
    trial = run_trial(tmp_path, agent)
    text = (trial / "result.json").read_text()
    assert KEY not in text
    assert "***" in text


def test_agent_error_log_holds_no_key(tmp_path: Path) -> None:
    trial = run_trial(tmp_path, RaisesWithKey)
    log = (trial / "agent" / "agent-error.log").read_text()
    assert "RuntimeError" in log
    assert KEY not in log


def test_result_carries_the_agent_exit_status(tmp_path: Path) -> None:
    """How the agent ended by its own account is in result.json, beside the failure class."""
    trial = run_trial(tmp_path, ReportsKey)
    assert json.loads((trial / "result.json").read_text())["agent_exit_status"] == "error"
    trial = run_trial(tmp_path / "again", RaisesWithKey)
    assert json.loads((trial / "result.json").read_text())["agent_exit_status"] is None
