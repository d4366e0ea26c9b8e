"""Trials that run a real agent thread against a host-folder sandbox: the agent phase's rules
(budget, stop, boundary, faults) without Docker."""

from __future__ import annotations

import threading
from pathlib import Path

from abcbench.agents.base import Agent
from abcbench.images.manager import ImageManager
from abcbench.results.models import AgentInfo, Stage, TestOutcome, TestResult
from abcbench.results.store import RunDir
from abcbench.sandbox.base import DEFAULT_OUTPUT_LIMIT, ExecResult
from abcbench.tasks.loader import load_task
from abcbench.trial.base import Trial, TrialSpec
from tests.agents.agent_helpers import REPO, LocalSandbox
from tests.conftest import NATIVE_FIXTURES

TASK_DIR = NATIVE_FIXTURES / "fx-quotes-logic"


class FakeSandbox(LocalSandbox):
    """A host-folder sandbox that also answers the harness's status and stop calls."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.state = "running"
        self.stops = 0
        self.violation: str | None = None
        #: Like a container removed by a stopping run: a blocked exec returns once it is set.
        self.removed = threading.Event()
        self.host(REPO).mkdir(parents=True, exist_ok=True)

    def exec(self, command: str | list[str], *, timeout: float = 600, cwd: str | None = None,
             env: dict[str, str] | None = None,
             output_limit: int = DEFAULT_OUTPUT_LIMIT) -> ExecResult:
        if command == "block":
            self.removed.wait(timeout)
            return ExecResult(137, "", "", False, False, 0.0)
        return super().exec(command, timeout=timeout, cwd=cwd, env=env,
                            output_limit=output_limit)

    def status(self) -> tuple[str, int | None]:
        return self.state, None

    def stop_processes(self) -> bool:
        self.stops += 1
        return True


class AgentTrial(Trial):
    """Agent phase on a FakeSandbox, then an export that can fail, then passing tests."""

    export_error: Exception | None = None

    def _execute(self) -> None:
        self.phases: list[str] = []
        with self._phase(Stage.agent):
            self.phases.append("agent")
            self._run_agent(self.sandbox, REPO)
        with self._phase(Stage.export):
            self.phases.append("export")
            if self.export_error is not None:
                raise self.export_error
        self._judge_tests([TestResult(name="t", outcome=TestOutcome.passed)], False, 1, 0)

    def _collect_and_clean(self) -> None:
        pass


def agent_trial(tmp_path: Path, agent_cls: type[Agent], budget: float = 5.0,
                cancelled: threading.Event | None = None,
                export_error: Exception | None = None) -> AgentTrial:
    spec = TrialSpec(run_id="r", task=load_task(TASK_DIR), attempt=1, agent_cls=agent_cls,
                     agent_info=AgentInfo(name=agent_cls.name), agent_timeout_sec=budget)
    trial = AgentTrial(spec, RunDir(tmp_path / "run"), ImageManager(), cancelled=cancelled)
    trial.sandbox = FakeSandbox(tmp_path / "sandbox")  # type: ignore[attr-defined]
    trial.export_error = export_error
    return trial
