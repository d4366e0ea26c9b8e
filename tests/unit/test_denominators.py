"""Every planned trial stays in the denominator, with its task's metadata; unreadable results
are shown as such; costs are finite; too many infrastructure failures fail the run."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.llm.pricing import load_price_table, read_price_file
from abcbench.results import render
from abcbench.results.models import FailureClass, Usage
from abcbench.results.report import build_report, verify_run
from abcbench.results.store import RunDir
from tests.conftest import NATIVE_FIXTURES
from tests.unit.fake_run import fake_engine

cli = CliRunner()


@pytest.fixture(autouse=True)
def private_lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))


def nop_run(tmp_path: Path, *extra: str) -> tuple[int, str, RunDir]:
    out = cli.invoke(app, ["run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                           "--run-id", "r", "--output", str(tmp_path / "runs"), *extra])
    return out.exit_code, out.output, RunDir(tmp_path / "runs" / "r")


def test_a_task_without_result_keeps_its_metadata(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch)
    code, output, run = nop_run(tmp_path)
    assert code == 0, output
    (run.trial_dir("fx-quotes-env__1") / "result.json").unlink()
    report = build_report(run)
    [row] = [t for t in report.tasks if t.task_id == "fx-quotes-env"]
    assert (row.language, row.framework, row.task_type, row.category) == \
        ("python", "http.server", "environment", "crud")
    assert "unknown" not in report.by_language
    assert report.by_task_type["environment"].n_trials == 1


def test_summary_report_and_verify_agree_on_planned_trials(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch)
    code, output, run = nop_run(tmp_path)
    assert code == 0, output
    foreign = run.read_result("fx-quotes-env__1")
    assert foreign is not None
    run.write_result(foreign.model_copy(update={"trial_name": "fx-quotes-env__7",
                                                "attempt": 7}))
    (run.trial_dir("fx-quotes-logic__1") / "result.json").unlink()
    code, output = cli.invoke(app, ["run", "--resume", "r", "--output",
                                    str(run.path.parent)]).exit_code, ""
    assert code == 0
    manifest = run.read_manifest()
    assert manifest.summary.n_trials == len(manifest.trials) == 2
    assert manifest.summary.n_resolved == 2
    report = build_report(run)
    assert report.overall.n_trials == 2 and report.overall.n_resolved == 2
    assert any("fx-quotes-env__7: a result the run never planned" in p
               for p in verify_run(run))


def test_an_unreadable_result_is_reported_as_unreadable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch)
    code, output, run = nop_run(tmp_path)
    assert code == 0, output
    path = run.trial_dir("fx-quotes-env__1") / "result.json"
    path.write_text(path.read_text().replace('"cost_usd": 0.0', '"cost_usd": NaN'))
    report = build_report(run)
    assert report.failures == {"unreadable": 1}
    assert list(report.unreadable) == ["fx-quotes-env__1"]
    assert report.overall.n_trials == 2 and report.overall.n_resolved == 1
    problems = verify_run(run)
    assert any("unreadable" in p and "fx-quotes-env__1" in p for p in problems), problems
    assert not any("no result" in p for p in problems), problems
    assert "unreadable" in render.to_markdown([report])
    rows = list(csv.DictReader(io.StringIO(render.to_csv([report]))))
    assert {r["failure_class"] for r in rows} == {"", "unreadable"}
    out = cli.invoke(app, ["report", str(run.path), "--verify"])
    assert out.exit_code == 1 and "unreadable" in out.output


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_cost_is_refused(bad: float) -> None:
    with pytest.raises(ValidationError):
        Usage(cost_usd=bad)
    with pytest.raises(ValidationError):
        Usage.model_validate_json(json.dumps({"cost_usd": bad}))


@pytest.mark.parametrize("text", ["gpt-x: {input: .inf, output: 1}",
                                  "gpt-x: {input: 1, output: .nan}",
                                  "models: {gpt-x: {input: 1, output: 1, cached_input: .Inf}}"])
def test_a_price_table_with_non_finite_prices_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(text)
    with pytest.raises(UserError, match="finite"):
        read_price_file(path)
    json_path = tmp_path / "prices.json"
    json_path.write_text('{"gpt-x": {"input": Infinity, "output": 1}}')
    with pytest.raises(UserError, match="finite"):
        load_price_table(json_path)


def test_infrastructure_share_gates_the_run(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch, {"fx-quotes-env__1": FailureClass.infrastructure})
    code, output, run = nop_run(tmp_path, "--max-retries", "0")
    assert code == 1, output
    assert "infrastructure" in output and "50.0%" in output and "--max-infra-rate" in output
    manifest = run.read_manifest()
    assert manifest.summary.infrastructure_rate == 0.5
    assert manifest.status.value == "completed"
    report = build_report(run)
    assert report.infra_rate == 0.5
    assert "50.0" in render.to_markdown([report])
    assert "50.0" in render.to_html([report])
    assert json.loads(render.to_json([report]))[0]["infra_rate"] == 0.5
    rows = list(csv.DictReader(io.StringIO(render.to_csv([report]))))
    assert {r["run_infra_rate"] for r in rows} == {"0.5"}
    table = cli.invoke(app, ["report", str(run.path)])
    assert table.exit_code == 0 and "infra" in table.output and "50.0" in table.output


def test_infrastructure_share_under_the_gate_exits_0(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch, {"fx-quotes-env__1": FailureClass.infrastructure})
    code, output, _ = nop_run(tmp_path, "--max-retries", "0", "--max-infra-rate", "0.5")
    assert code == 0, output
    assert "infrastructure 1/2 (50.0%)" in output


def test_an_infinite_price_table_is_one_line_exit_2(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import abcbench.run.runner as runner_module

    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("a refused price table reached the engine")

    monkeypatch.setattr(runner_module.Runner, "prepare_images", refuse)
    prices = tmp_path / "prices.yaml"
    prices.write_text("gpt-4o: {input: .inf, output: 1}")
    out = cli.invoke(app, ["run", "--agent", "abc", "--model", "gpt-4o", "--agent-kwarg",
                           f"price_table={prices}", "--agent-env", "OPENAI_API_KEY=x",
                           "--tasks-dir", str(NATIVE_FIXTURES), "--output",
                           str(tmp_path / "runs")])
    assert out.exit_code == 2, out.output
    assert "finite" in out.output and str(prices) in out.output.replace("\n", "")
    assert not (tmp_path / "runs").exists()
