"""Rejection reasons: decided from a check's legs (counts, failure classes, failing tests) and
from the per-handler legs, never from message text."""

from __future__ import annotations

from pathlib import Path

from abcbench.results.models import AgentInfo, FailureClass, TestOutcome, TestResult, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.task_check import LegFailure, LegResult, TaskCheck
from abcbench.synthesis.filter import HandlerLeg, judge_check, judge_handlers
from abcbench.synthesis.reasons import Reason

TASK = "python-flask-notes-crud"


def trial(attempt: int, resolved: bool, failing: list[str], fc: FailureClass | None = None,
          ) -> TrialResult:
    tests = [TestResult(name=n, outcome=TestOutcome.failed) for n in failing]
    tests.append(TestResult(name="test_service_answers", outcome=TestOutcome.passed))
    return TrialResult(
        run_id="r", trial_name=f"{TASK}.{attempt}", task_id=TASK, task_hash="h",
        attempt=attempt, agent=AgentInfo(name="nop"), language="python", framework="flask",
        task_type="logic", category="crud", resolved=resolved,
        failure_class=None if resolved else (fc or FailureClass.tests_failed), tests=tests)


def leg(tmp_path: Path, name: str, must_resolve: bool, trials: list[TrialResult]) -> LegResult:
    run_dir = RunDir(tmp_path / name)
    for t in trials:
        run_dir.write_result(t)
    return LegResult(
        name=name, agent="x", must_resolve=must_resolve, run_dir=str(run_dir.path),
        runs=len(trials), resolved=sum(t.resolved for t in trials),
        failures=[LegFailure(attempt=t.attempt, failure_class=t.failure_class.value
                             if t.failure_class else None) for t in trials if not t.resolved])


def check(tmp_path: Path, untouched: list[TrialResult], reference: list[TrialResult] | None = None,
          ) -> TaskCheck:
    reference = reference or [trial(a, True, []) for a in (1, 2, 3)]
    return TaskCheck(task_id=TASK, repeat=3, legs=[
        leg(tmp_path, "reference", True, reference),
        leg(tmp_path, "untouched", False, untouched)])


def reasons(rejections: list) -> list[Reason]:
    return [r.reason for r in rejections]


def test_a_sound_check_has_no_rejection(tmp_path: Path) -> None:
    assert judge_check(check(tmp_path, [trial(a, False, ["test_a", "test_b"])
                                        for a in (1, 2, 3)])) == []


def test_reference_failing_once_is_rejected(tmp_path: Path) -> None:
    ref = [trial(1, True, []), trial(2, False, ["test_a"]), trial(3, True, [])]
    got = judge_check(check(tmp_path, [trial(a, False, ["test_a"]) for a in (1, 2, 3)], ref))
    assert reasons(got) == [Reason.reference_fails]


def test_untouched_passing_means_the_tests_do_not_fail(tmp_path: Path) -> None:
    got = judge_check(check(tmp_path, [trial(1, True, []), trial(2, False, ["test_a"]),
                                       trial(3, False, ["test_a"])]))
    assert reasons(got) == [Reason.tests_do_not_fail]


def test_different_failing_tests_across_repeats_is_nondeterministic(tmp_path: Path) -> None:
    got = judge_check(check(tmp_path, [trial(1, False, ["test_a"]), trial(2, False, ["test_b"]),
                                       trial(3, False, ["test_a"])]))
    assert reasons(got) == [Reason.nondeterministic]


def test_failing_for_the_wrong_reason(tmp_path: Path) -> None:
    for fc, reason in ((FailureClass.service_did_not_start, Reason.mask_breaks_startup),
                       (FailureClass.build_failed, Reason.masked_does_not_build),
                       (FailureClass.infrastructure, Reason.inconclusive),
                       (FailureClass.agent_error, Reason.inconclusive)):
        folder = tmp_path / fc.value
        got = judge_check(check(folder, [trial(a, False, [], fc) for a in (1, 2, 3)]))
        assert reasons(got) == [reason], fc


def test_static_problems_come_first(tmp_path: Path) -> None:
    c = TaskCheck(task_id=TASK, repeat=1, static_problems=["the instruction never names 8080"])
    [r] = judge_check(c)
    assert r.reason is Reason.static_check and "8080" in r.detail


def test_handler_legs() -> None:
    legs = [HandlerLeg(handler="a.py:f", resolved=False, failure_class="tests_failed"),
            HandlerLeg(handler="a.py:g", resolved=True),
            HandlerLeg(handler="a.py:h", resolved=False, failure_class="build_failed"),
            HandlerLeg(handler="a.py:i", resolved=False, failure_class="service_did_not_start"),
            HandlerLeg(handler="a.py:j", resolved=False, failure_class="infrastructure")]
    got = judge_handlers(legs)
    assert reasons(got) == [Reason.handler_not_exercised, Reason.masked_does_not_build,
                            Reason.mask_breaks_startup, Reason.inconclusive]
    assert "a.py:g" in got[0].detail
