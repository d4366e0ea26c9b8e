"""Reports and the leaderboard from a run folder made by hand, with numbers checked by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from abcbench.results import render
from abcbench.results.leaderboard import leaderboard_data, write_leaderboard
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Provenance,
    RunManifest,
    RunSettings,
    RunStatus,
    RunSummary,
    Stage,
    TaskRef,
    TrialLogs,
    TrialResult,
    Usage,
)
from abcbench.results.report import build_report, verify_run
from abcbench.results.store import RunDir

TASKS = {"go-a": ("go", "logic"), "go-b": ("go", "environment"), "rust-a": ("rust", "logic")}
OUTCOMES = {  # trial -> resolved, planned attempts 2; rust-a__2 is missing
    "go-a__1": True, "go-a__2": True, "go-b__1": False, "go-b__2": True, "rust-a__1": False,
}


def make_run(root: Path, run_id: str = "r1", model: str = "m") -> RunDir:
    run_dir = RunDir(root / run_id)
    run_dir.write_manifest(RunManifest(
        run_id=run_id, status=RunStatus.completed, agent=AgentInfo(name="abc", model=model),
        settings=RunSettings(n_attempts=2, tasks_dir="/nowhere"),
        tasks=[TaskRef(id=t, hash=f"h-{t}") for t in TASKS],
        trials=[f"{t}__{a}" for t in TASKS for a in (1, 2)],
        provenance=Provenance(harness_version="0", python="3"),
        summary=RunSummary(n_trials=6, n_resolved=3),
    ))
    for name, resolved in OUTCOMES.items():
        task_id, _, attempt = name.partition("__")
        language, task_type = TASKS[task_id]
        build_failed = name == "go-b__1"
        trial_dir = run_dir.trial_dir(name)
        (trial_dir / "logs").mkdir(parents=True)
        (trial_dir / "logs" / "build.log").write_text("COPY failed: file not found\n")
        run_dir.write_result(TrialResult(
            run_id=run_id, trial_name=name, task_id=task_id, task_hash=f"h-{task_id}",
            attempt=int(attempt), agent=AgentInfo(name="abc", model=model), language=language,
            framework="x", task_type=task_type, category="crud", resolved=resolved,
            failure_class=None if resolved else (FailureClass.build_failed if build_failed
                                                 else FailureClass.tests_failed),
            stage_reached=Stage.build if build_failed else Stage.done,
            logs=TrialLogs(build="logs/build.log"),
            usage=Usage(input_tokens=100, output_tokens=10, cost_usd=0.25),
        ))
    return run_dir


def test_report_numbers(tmp_path: Path) -> None:
    report = build_report(make_run(tmp_path))
    # 6 planned trials, 3 resolved (missing rust-a__2 counts as unresolved).
    assert (report.overall.n_trials, report.overall.n_resolved) == (6, 3)
    assert report.overall.pass_at_1 == pytest.approx(0.5)
    assert report.by_language["go"].pass_at_1 == pytest.approx(0.75)
    assert report.by_language["rust"].pass_at_1 == 0.0
    # pass@2 per task: go-a 1, go-b 1, rust-a 0 -> 2/3
    assert report.overall.pass_at_k[2] == pytest.approx(2 / 3)
    assert report.failures == {"build_failed": 1, "missing": 1, "tests_failed": 1}
    assert report.causes == {"logic_error": 1, "missing_path_or_entrypoint": 1}
    assert report.environment is not None and report.environment.s1_build_rate == 0.5
    assert report.usage.cost_usd == pytest.approx(1.25)


def test_renderers_carry_the_numbers(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path))]
    md = render.to_markdown(reports)
    assert "| abc / m | 75.0 ± 25.0 | 0.0 ± 0.0 | 50.0 ± 28.9 | 6 | 1.25 |" in md
    rows = list(csv.DictReader(io.StringIO(render.to_csv(reports))))
    assert len(rows) == 6
    assert {r["failure_class"] for r in rows} == {"", "build_failed", "tests_failed", "missing"}
    assert json.loads(render.to_json(reports))[0]["overall"]["n_resolved"] == 3


def test_verify(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path)
    problems = verify_run(run_dir)
    assert problems == ["1 planned trial(s) have no result: rust-a__2"]
    result = run_dir.read_result("go-a__1")
    assert result is not None
    run_dir.write_result(result.model_copy(update={"task_hash": "edited"}))
    assert any("task contents the run did not record" in p for p in verify_run(run_dir))


def test_verify_checks_the_summary_against_the_results(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path)
    manifest = run_dir.read_manifest()
    run_dir.write_manifest(manifest.model_copy(update={"summary": RunSummary(n_trials=5,
                                                                             n_resolved=3)}))
    assert "run.json's summary says 3/5 resolved, the results say 3/6" in verify_run(run_dir)


def test_leaderboard_files(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path, "r1", "m1")),
               build_report(make_run(tmp_path, "r2", "m2"))]
    page = write_leaderboard(reports, tmp_path / "board")
    data = json.loads((tmp_path / "board" / "leaderboard.json").read_text())
    assert data["languages"] == ["go", "rust"]
    assert [e["label"] for e in data["entries"]] == ["abc / m1", "abc / m2"]
    first_attempt = data["entries"][0]["tasks"][0]["attempts"][0]
    assert first_attempt["links"]["build"] == "../r1/trials/go-a__1/logs/build.log"
    assert "__DATA__" not in page.read_text()
    assert leaderboard_data(reports, tmp_path)["entries"][0]["overall"]["pass_at_1"] == 0.5
