"""Infrastructure faults are retried with backoff; agent and test failures never are."""

from __future__ import annotations

from pathlib import Path

import pytest

import abcbench.run.executors.attempt as attempt_module
import abcbench.run.runner as runner_module
from abcbench.agents.nop import NopAgent
from abcbench.errors import InfrastructureFault
from abcbench.images.manager import ImageManager
from abcbench.results.models import AgentInfo, FailureClass, Stage, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest, plan_trials
from abcbench.sandbox.base import SandboxFileNotFound, SandboxUnavailable
from abcbench.tasks.registry import TaskRegistry
from abcbench.trial.base import Trial, TrialFailed
from tests.conftest import NATIVE_FIXTURES


def scripted_trials(failures: list[FailureClass]) -> type[Trial]:
    """Trials that fail with the given classes in turn (then pass)."""
    remaining = list(failures)

    class Scripted(Trial):
        def _execute(self) -> None:
            if remaining:
                raise TrialFailed(remaining.pop(0), "scripted")

        def _collect_and_clean(self) -> None:
            pass

    return Scripted


def run_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            failures: list[FailureClass], max_retries: int = 2) -> TrialResult | None:
    cls = scripted_trials(failures)
    monkeypatch.setattr(runner_module, "RETRY_BACKOFF_SEC", 0.0)
    monkeypatch.setattr(attempt_module, "make_trial",
                        lambda spec, run_dir, images, on_phase, cancelled:
                        cls(spec, run_dir, images, on_phase, cancelled))
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    request = RunRequest(tasks=[registry.get("fx-quotes-logic")], agent_cls=NopAgent,
                         agent_info=AgentInfo(name="nop"), output_dir=tmp_path,
                         tasks_dir=registry.root, run_id="r", max_retries=max_retries)
    runner = Runner(request, images=ImageManager())
    [spec] = plan_trials(request, "r")
    return runner._run_one(spec, RunDir(tmp_path / "r"))


def test_infrastructure_is_retried_then_passes(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_one(tmp_path, monkeypatch, [FailureClass.infrastructure] * 2)
    assert result is not None
    assert result.failure_class is None and result.retries == 2
    assert result.previous_errors == ["scripted", "scripted"]


def test_retries_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_one(tmp_path, monkeypatch, [FailureClass.infrastructure] * 5, max_retries=1)
    assert result is not None
    assert result.failure_class is FailureClass.infrastructure and result.retries == 1


@pytest.mark.parametrize("failure", [FailureClass.tests_failed, FailureClass.agent_error,
                                     FailureClass.build_failed])
def test_other_failures_are_never_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          failure: FailureClass) -> None:
    result = run_one(tmp_path, monkeypatch, [failure, failure])
    assert result is not None
    assert result.failure_class is failure and result.retries == 0


class RunningSandbox:
    def status(self) -> tuple[str, int | None]:
        return "running", None


def raising_trials(faults: list[Exception], agent_started: bool) -> type[Trial]:
    """Trials that raise the given faults in turn (then pass), after the agent started or not."""
    remaining = list(faults)

    class Raises(Trial):
        def _execute(self) -> None:
            if agent_started:  # the agent ran in a sandbox that is still up at export
                with self._phase(Stage.agent):
                    self._agent_started = True
                    self._sandbox = RunningSandbox()  # type: ignore[assignment]
            with self._phase(Stage.export):
                if remaining:
                    raise remaining.pop(0)

        def _collect_and_clean(self) -> None:
            pass

    return Raises


def run_raising(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, faults: list[Exception],
                agent_started: bool) -> TrialResult | None:
    cls = raising_trials(faults, agent_started)
    monkeypatch.setattr(runner_module, "RETRY_BACKOFF_SEC", 0.0)
    monkeypatch.setattr(attempt_module, "make_trial",
                        lambda spec, run_dir, images, on_phase, cancelled:
                        cls(spec, run_dir, images, on_phase, cancelled))
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    request = RunRequest(tasks=[registry.get("fx-quotes-logic")], agent_cls=NopAgent,
                         agent_info=AgentInfo(name="nop"), output_dir=tmp_path,
                         tasks_dir=registry.root, run_id="r", max_retries=2)
    [spec] = plan_trials(request, "r")
    return Runner(request, images=ImageManager())._run_one(spec, RunDir(tmp_path / "r"))


def test_sandbox_fault_after_the_agent_started_is_never_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_raising(tmp_path, monkeypatch, [SandboxFileNotFound("/app/repo is gone")] * 3,
                         agent_started=True)
    assert result is not None
    assert result.failure_class is FailureClass.agent_error and result.retries == 0


def test_every_retry_keeps_its_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faults: list[Exception] = [InfrastructureFault("engine restarted"),
                               SandboxUnavailable("sandbox never came up")]
    result = run_raising(tmp_path, monkeypatch, faults, agent_started=False)
    assert result is not None and result.resolved is False and result.failure_class is None
    assert result.retries == 2
    assert [(c.error, c.rule, c.stage) for c in result.retry_causes] == [
        ("InfrastructureFault: engine restarted", "infrastructure_fault", Stage.export),
        ("SandboxUnavailable: sandbox never came up", "sandbox_before_agent", Stage.export)]
