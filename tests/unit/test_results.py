"""Result files on disk and the run summary."""

from __future__ import annotations

import json
from pathlib import Path

from abcbench.results.metrics import summarize
from abcbench.results.models import AgentInfo, FailureClass, TrialResult, Usage
from abcbench.results.store import RunDir


def make(name: str, resolved: bool, failure: FailureClass | None = None,
         tokens: int = 0) -> TrialResult:
    return TrialResult(
        run_id="r", trial_name=name, task_id=name.split("__")[0], task_hash="h", attempt=1,
        agent=AgentInfo(name="nop"), language="python", framework="flask", task_type="logic",
        category="crud", resolved=resolved, failure_class=failure,
        usage=Usage(input_tokens=tokens, cost_usd=0.5),
    )


def test_result_round_trip_and_public_keys(tmp_path: Path) -> None:
    run_dir = RunDir(tmp_path / "run")
    run_dir.write_result(make("a__1", True))
    path = run_dir.trial_dir("a__1") / "result.json"
    data = json.loads(path.read_text())
    for key in ("task_id", "attempt", "resolved", "failure_class", "tests"):
        assert key in data
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert run_dir.read_result("a__1") == make("a__1", True).model_copy(
        update={"started_at": run_dir.read_result("a__1").started_at})  # type: ignore[union-attr]
    assert not list(path.parent.glob(".result.json.*")), "no temp file left behind"


def test_unreadable_result_is_not_a_result_but_is_reported(tmp_path: Path) -> None:
    run_dir = RunDir(tmp_path / "run")
    (run_dir.trial_dir("x__1")).mkdir(parents=True)
    (run_dir.trial_dir("x__1") / "result.json").write_text("{half")
    (run_dir.trial_dir("y__1")).mkdir(parents=True)  # a trial that never finished
    assert run_dir.read_result("x__1") is None
    assert run_dir.results() == []
    results, unreadable = run_dir.scan()
    assert results == [] and list(unreadable) == ["x__1"]
    assert str(run_dir.trial_dir("x__1") / "result.json") in unreadable["x__1"]


def test_summary_counts_missing_trials_as_unresolved() -> None:
    results = [make("a__1", True, tokens=10), make("b__1", False, FailureClass.build_failed, 5)]
    summary = summarize(results, n_planned=4)
    assert summary.n_trials == 4
    assert summary.n_resolved == 1
    assert summary.accuracy == 0.25
    assert summary.failure_classes == {"build_failed": 1}
    assert summary.usage.input_tokens == 15
    assert summary.usage.cost_usd == 1.0
