"""pass@k, standard errors and S1/S2 against values computed by hand."""

from __future__ import annotations

import math

import pytest

from abcbench.results.metrics import (
    breakdown,
    clustered_se,
    environment_score,
    pass_at_k,
    score,
)
from abcbench.results.models import AgentInfo, Stage, TrialResult


def trial(task: str, attempt: int, resolved: bool, *, language: str = "go",
          task_type: str = "logic", stage: Stage = Stage.done) -> TrialResult:
    return TrialResult(
        run_id="r", trial_name=f"{task}__{attempt}", task_id=task, task_hash="h",
        attempt=attempt, agent=AgentInfo(name="x"), language=language, framework="f",
        task_type=task_type, category="c", resolved=resolved, stage_reached=stage,
    )


def test_pass_at_k_by_hand() -> None:
    # n=3, c=1: pass@1 = 1/3; pass@2 = 1 - C(2,2)/C(3,2) = 1 - 1/3 = 2/3; pass@3 = 1.
    assert pass_at_k(3, 1, 1) == pytest.approx(1 / 3)
    assert pass_at_k(3, 1, 2) == pytest.approx(2 / 3)
    assert pass_at_k(3, 1, 3) == 1.0
    assert pass_at_k(3, 0, 2) == 0.0
    # n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10.
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def test_clustered_se_by_hand() -> None:
    # rates 1, 0, 0.5: mean 0.5, sample variance ((.5)^2+(.5)^2+0)/2 = .25, se = sqrt(.25/3).
    assert clustered_se([1.0, 0.0, 0.5]) == pytest.approx(math.sqrt(0.25 / 3))
    assert clustered_se([1.0]) == 0.0


def test_score_over_tasks_and_attempts() -> None:
    results = [
        trial("a", 1, True), trial("a", 2, True),
        trial("b", 1, False), trial("b", 2, True),
        trial("c", 1, False),  # its second attempt is missing: counts as a failure
    ]
    s = score(results, n_attempts=2)
    assert (s.n_tasks, s.n_trials, s.n_resolved) == (3, 6, 3)
    assert s.pass_at_1 == pytest.approx(0.5)
    # per-task rates 1, .5, 0 -> se = sqrt(.25/3)
    assert s.se == pytest.approx(math.sqrt(0.25 / 3))
    # pass@2: a=1, b=1 - C(1,2)/C(2,2)=1, c=0 -> 2/3
    assert s.pass_at_k == pytest.approx({1: 0.5, 2: 2 / 3})


def test_breakdown_by_language() -> None:
    results = [trial("a", 1, True, language="go"), trial("b", 1, False, language="rust")]
    by = breakdown(results, lambda r: r.language)
    assert by["go"].pass_at_1 == 1.0 and by["rust"].pass_at_1 == 0.0


def test_environment_s1_s2() -> None:
    results = [
        trial("e1", 1, True, task_type="environment"),
        trial("e2", 1, False, task_type="environment", stage=Stage.tests),
        trial("e3", 1, False, task_type="environment", stage=Stage.build),
        trial("e4", 1, False, task_type="environment", stage=Stage.build),
        trial("l1", 1, True),
    ]
    env = environment_score(results)
    assert env is not None
    assert (env.n_trials, env.n_built) == (4, 2)
    assert env.s1_build_rate == 0.5
    assert env.s2_pass_given_build == 0.5
    assert environment_score([trial("l1", 1, True)]) is None
