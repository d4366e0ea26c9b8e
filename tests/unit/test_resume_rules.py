"""`--resume` continues the same measurement or refuses; `grade` keeps every planned trial in
its denominator and a resumed grade run re-grades. The engine is faked (tests/unit/fake_run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.results.models import FailureClass
from tests.conftest import NATIVE_FIXTURES, TB_FIXTURES
from tests.unit.fake_run import FakeEngine, fake_engine

cli = CliRunner()


@pytest.fixture(autouse=True)
def private_lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))


def run_cli(*args: str) -> tuple[int, str]:
    out = cli.invoke(app, list(args))
    return out.exit_code, out.output


def interrupted_run(tmp_path: Path, engine: FakeEngine, *extra: str) -> Path:
    """Run `r` (nop, both fixtures, agent timeout 300), then lose one result as a kill would."""
    code, output = run_cli("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                           "--agent-timeout", "300", "--run-id", "r", "--output",
                           str(tmp_path / "runs"), *extra)
    assert code == 0, output
    run = tmp_path / "runs" / "r"
    (run / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    engine.ran.clear()
    return run


@pytest.mark.parametrize("flag", [
    ["--agent", "oracle"], ["--agent-import-path", "abcbench.agents.oracle:OracleAgent"],
    ["--model", "gpt-4o"], ["--agent-kwarg", "temperature=0"], ["--agent-env", "EXTRA=1"],
    ["--task", "fx-quotes-env"], ["--language", "go"], ["--type", "logic"],
    ["--n-attempts", "2"], ["--agent-timeout", "5"], ["--test-timeout", "7"],
    ["--max-retries", "0"], ["--run-id", "other"],
])
def test_resume_refuses_a_flag_that_changes_the_measurement(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str]) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted_run(tmp_path, engine)
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent), *flag)
    assert code == 2, output
    assert flag[0] in output and "cannot resume r" in output, output
    assert engine.ran == []


@pytest.mark.parametrize("flag", [
    [], ["--agent", "nop"], ["--agent-timeout", "300"], ["--task", "fx-quotes-*"],
    ["--n-concurrent", "2"], ["--max-infra-rate", "0.5"], ["--tasks-dir", str(NATIVE_FIXTURES)],
])
def test_resume_accepts_flags_that_keep_the_measurement(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str]) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted_run(tmp_path, engine)
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent), *flag)
    assert code == 0, output
    assert [s.name for s in engine.ran] == ["fx-quotes-env__1"]


def test_resume_appends_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted_run(tmp_path, engine)
    first = json.loads((run / "run.json").read_text())
    assert len(first["provenance_history"]) == 1
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent))
    assert code == 0, output
    after = json.loads((run / "run.json").read_text())
    assert after["provenance"] == first["provenance"], "the original record is kept"
    assert after["provenance_history"][0] == first["provenance_history"][0]
    assert len(after["provenance_history"]) == 2


def test_resume_refuses_an_unreadable_result(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted_run(tmp_path, engine)
    result = run / "trials" / "fx-quotes-logic__1" / "result.json"
    result.write_text(result.read_text().replace('"cost_usd": 0.0', '"cost_usd": NaN'))
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent))
    assert code == 2, output
    assert "unreadable" in output and "fx-quotes-logic__1" in output
    assert engine.ran == [], "an unreadable result must not be silently rerun"


def graded_run(tmp_path: Path) -> Path:
    [graded] = [p for p in (tmp_path / "runs").iterdir() if "-regrade-" in p.name]
    return graded


def test_grade_keeps_trials_without_a_submission(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch, {"fx-quotes-env__1": FailureClass.agent_error})
    code, output = run_cli("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                           "--run-id", "src", "--output", str(tmp_path / "runs"))
    assert code == 0, output
    (tmp_path / "runs" / "src" / "trials" / "fx-quotes-logic__1" / "submission").mkdir()
    engine.outcomes.clear()
    engine.ran.clear()
    code, output = run_cli("grade", str(tmp_path / "runs" / "src"))
    assert code == 0, output
    manifest = json.loads((graded_run(tmp_path) / "run.json").read_text())
    assert (manifest["summary"]["n_trials"], manifest["summary"]["n_resolved"]) == (2, 1)
    assert "resolved 1/2" in output
    env = json.loads((graded_run(tmp_path) / "trials" / "fx-quotes-env__1" /
                      "result.json").read_text())
    assert not env["resolved"] and env["failure_class"] == "agent_error"
    assert "no submission" in env["error"]
    assert [s.name for s in engine.ran] == ["fx-quotes-logic__1"]


def test_grade_counts_terminal_bench_tasks(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch)
    code, output = run_cli("run", "--agent", "nop", "--tasks-dir", str(TB_FIXTURES),
                           "--task", "tb-word-stats", "--run-id", "tb",
                           "--output", str(tmp_path / "runs"))
    assert code == 0, output
    code, output = run_cli("grade", str(tmp_path / "runs" / "tb"))
    assert code == 0, output
    manifest = json.loads((graded_run(tmp_path) / "run.json").read_text())
    assert manifest["summary"]["n_trials"] == 1 and manifest["summary"]["n_resolved"] == 0
    [trial] = (graded_run(tmp_path) / "trials").iterdir()
    result = json.loads((trial / "result.json").read_text())
    assert "Terminal-Bench" in result["error"]


def test_resuming_a_grade_run_regrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = run_cli("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                           "--run-id", "src", "--output", str(tmp_path / "runs"))
    assert code == 0, output
    for name in ("fx-quotes-env__1", "fx-quotes-logic__1"):
        (tmp_path / "runs" / "src" / "trials" / name / "submission").mkdir()
    assert run_cli("grade", str(tmp_path / "runs" / "src"))[0] == 0
    graded = graded_run(tmp_path)
    (graded / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    engine.ran.clear()
    code, output = run_cli("run", "--resume", graded.name, "--output", str(graded.parent))
    assert code == 0, output
    [spec] = engine.ran
    assert spec.name == "fx-quotes-env__1"
    assert spec.regrade_from == tmp_path / "runs" / "src" / "trials" / "fx-quotes-env__1"


def test_resume_refuses_a_kwarg_whose_credential_was_redacted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run.json keeps `base_url=https://u:***@...`: resuming would send `***` as the password."""
    engine = fake_engine(monkeypatch)
    run = interrupted_run(tmp_path, engine, "--agent-kwarg",
                          "base_url=https://user:s3cretvalue@models.invalid/v1")
    assert "s3cretvalue" not in (run / "run.json").read_text()
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent))
    assert code == 2, output
    assert "base_url" in output and "--agent-env" in output, output
    assert engine.ran == []
