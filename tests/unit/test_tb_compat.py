"""Terminal-Bench-shaped results.json from a run folder made by hand."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from abcbench.results.models import FailureClass, TestOutcome, TestResult
from abcbench.results.store import RunDir
from abcbench.results.tb_compat import terminal_bench_results, write_terminal_bench_results
from tests.unit.test_report import make_run


def test_results_json_in_terminal_bench_shape(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path)
    # give one trial test outcomes and make another an infrastructure fault
    r = run_dir.read_result("go-a__1")
    assert r is not None
    run_dir.write_result(r.model_copy(update={"tests": [
        TestResult(name="test_ok", outcome=TestOutcome.passed),
        TestResult(name="test_skip", outcome=TestOutcome.skipped)]}))
    infra = run_dir.read_result("rust-a__1")
    assert infra is not None
    run_dir.write_result(infra.model_copy(update={"failure_class": FailureClass.infrastructure}))

    data = json.loads(write_terminal_bench_results(run_dir).read_text())
    again = json.loads(json.dumps(terminal_bench_results(RunDir(run_dir.path))))
    assert data == again  # stable: ids are derived, not random
    by = {e["trial_name"]: e for e in data["results"]}
    assert set(by) == {"go-a__1", "go-a__2", "go-b__1", "go-b__2", "rust-a__1"}
    assert by["go-a__1"]["is_resolved"] is True and by["go-a__1"]["failure_mode"] == "none"
    assert by["go-a__1"]["parser_results"] == {"test_ok": "passed", "test_skip": "failed"}
    assert by["go-b__1"]["is_resolved"] is False
    assert by["go-b__1"]["failure_mode"] == "none"  # build failed: tests ran and failed there
    assert by["rust-a__1"]["is_resolved"] is None and by["rust-a__1"]["failure_mode"] == "unknown"
    assert by["go-a__2"]["total_input_tokens"] == 100
    assert uuid.UUID(by["go-a__2"]["id"]).version == 4
    assert data["n_resolved"] == 3 and data["n_unresolved"] == 2 and data["accuracy"] == 0.6
    assert data["resolved_ids"] == ["go-a", "go-a", "go-b"]
    # pass@k over k <= the fewest results of any task (rust-a has one): only pass@1
    assert list(data["pass_at_k"]) == ["1"]
    assert abs(data["pass_at_k"]["1"] - (1 + 0.5 + 0) / 3) < 1e-9


def test_a_parse_error_or_test_timeout_has_no_verdict_as_in_terminal_bench(
        tmp_path: Path) -> None:
    """tb returns before setting `is_resolved` on a parse error (no summary on the pane) and on
    a test timeout: results.json says null there, as `tb run` wrote for tb-scrollback."""
    run_dir = make_run(tmp_path)
    for trial, failure in (("go-b__1", FailureClass.no_tests),
                           ("go-b__2", FailureClass.test_timeout)):
        r = run_dir.read_result(trial)
        assert r is not None
        run_dir.write_result(r.model_copy(update={"failure_class": failure, "resolved": False,
                                                  "tests": []}))
    by = {e["trial_name"]: e for e in terminal_bench_results(run_dir)["results"]}
    assert by["go-b__1"]["is_resolved"] is None
    assert by["go-b__1"]["failure_mode"] == "parse_error"
    assert by["go-b__1"]["parser_results"] is None
    assert by["go-b__2"]["is_resolved"] is None
    assert by["go-b__2"]["failure_mode"] == "test_timeout"
