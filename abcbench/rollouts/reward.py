"""A trial's result as a reward report: the verdict the grader reached, never re-judged.

`valid` is False exactly when the error policy classed the episode's failure as
infrastructure (`FailureClass.infrastructure`): the trainer must drop it, not punish it.
"""

from __future__ import annotations

from enum import StrEnum

from abcbench.results.models import FailureClass, TestOutcome, TrialResult
from abcbench.rollouts.models import RewardReport, TestOutcomeRecord


class RewardKind(StrEnum):
    resolved = "resolved"
    """1.0 when the episode resolved (every hidden test passed), else 0.0."""
    pass_rate = "pass_rate"
    """The share of hidden tests passed (0.0 when none ran)."""


def reward_report(result: TrialResult,
                  kind: RewardKind = RewardKind.resolved) -> RewardReport:
    infrastructure = result.failure_class is FailureClass.infrastructure
    if infrastructure:
        reward: float | None = None
    elif kind is RewardKind.pass_rate:
        reward = result.n_passed / result.n_tests if result.n_tests else 0.0
    else:
        reward = 1.0 if result.resolved else 0.0
    return RewardReport(
        resolved=result.resolved, reward=reward, valid=not infrastructure,
        infrastructure=infrastructure, n_passed=result.n_passed, n_tests=result.n_tests,
        tests=[TestOutcomeRecord(name=t.name, outcome=t.outcome.value,
                                 passed=t.outcome is TestOutcome.passed)
               for t in result.tests],
        failure_class=result.failure_class.value if result.failure_class else None,
        failure_rule=result.failure_rule, error=result.error,
        stage_reached=result.stage_reached.value, agent_exit_status=result.agent_exit_status)
