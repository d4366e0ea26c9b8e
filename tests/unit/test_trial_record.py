"""The trial's record-keeping, without Docker: the result is written whatever happens."""

from __future__ import annotations

import threading
from pathlib import Path

from abcbench.agents.nop import NopAgent
from abcbench.images.manager import ImageManager
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Fault,
    Stage,
    TestOutcome,
    TestResult,
)
from abcbench.results.store import RunDir
from abcbench.tasks.loader import load_task
from abcbench.trial.base import Trial, TrialFailed, TrialSpec
from tests.conftest import NATIVE_FIXTURES


def make(tmp_path: Path, cls: type[Trial], cancelled: threading.Event | None = None) -> Trial:
    spec = TrialSpec(run_id="r", task=load_task(NATIVE_FIXTURES / "fx-quotes-logic"), attempt=1,
                     agent_cls=NopAgent, agent_info=AgentInfo(name="nop"))
    return cls(spec, RunDir(tmp_path), ImageManager(), cancelled=cancelled)


class Passes(Trial):
    def _execute(self) -> None:
        self._judge_tests([TestResult(name="t", outcome=TestOutcome.passed)], False, 1, 0)

    def _collect_and_clean(self) -> None:
        pass


class DiskFullAtCleanup(Passes):
    def _collect_and_clean(self) -> None:
        raise OSError(28, "No space left on device")


class HarnessBug(Passes):
    def _execute(self) -> None:
        raise KeyError("oops")


class FailsTests(Passes):
    def _execute(self) -> None:
        raise TrialFailed(FailureClass.tests_failed, "1 of 1 test(s) did not pass")


def test_resolved_result_is_written(tmp_path: Path) -> None:
    result = make(tmp_path, Passes).run()
    assert result.resolved and result.failure_class is None
    assert RunDir(tmp_path).read_result("fx-quotes-logic__1") == result


class FailsTestsThenDiskFull(Passes):
    def _execute(self) -> None:
        raise TrialFailed(FailureClass.tests_failed, "1 of 1 test(s) did not pass")

    def _collect_and_clean(self) -> None:
        raise OSError(28, "No space left on device")


def test_cleanup_fault_keeps_the_verdict(tmp_path: Path) -> None:
    result = make(tmp_path, DiskFullAtCleanup).run()
    assert result.resolved and result.failure_class is None
    assert "No space left on device" in (result.cleanup_error or "")
    assert not result.retryable
    assert RunDir(tmp_path).read_result("fx-quotes-logic__1") == result


def test_cleanup_fault_keeps_tests_failed(tmp_path: Path) -> None:
    result = make(tmp_path, FailsTestsThenDiskFull).run()
    assert result.failure_class is FailureClass.tests_failed
    assert result.error == "1 of 1 test(s) did not pass"
    assert "No space left on device" in (result.cleanup_error or "")
    assert [f.stage for f in result.faults] == [Stage.cleanup]
    assert not result.retryable


def test_harness_bug_is_infrastructure_with_traceback(tmp_path: Path) -> None:
    hiccup = Fault(stage=Stage.build, error="docker hiccup", rule="engine_error",
                   failure_class=FailureClass.infrastructure, retryable=True)
    result = make(tmp_path, HarnessBug).run(retries=1, retry_causes=[hiccup])
    assert result.failure_class is FailureClass.infrastructure and result.retryable
    assert result.failure_rule == "harness_fault"
    assert result.retries == 1 and result.previous_errors == ["docker hiccup"]
    assert result.retry_causes == [hiccup]
    log = tmp_path / "trials" / "fx-quotes-logic__1" / "logs" / "harness-error.log"
    assert "KeyError: 'oops'" in log.read_text()


def test_verdict_failure(tmp_path: Path) -> None:
    result = make(tmp_path, FailsTests).run()
    assert (result.resolved, result.failure_class) == (False, FailureClass.tests_failed)


def test_cancelled_trial_writes_no_result(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    make(tmp_path, Passes, cancelled=stop).run()
    assert RunDir(tmp_path).read_result("fx-quotes-logic__1") is None
