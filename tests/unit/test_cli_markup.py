"""No data is ever read as console markup, and a failing live view never stops a run (issue 18,
item 4). Task ids, categories, agent names, run labels, error text and model output reach the
console; a bracket in any of them (`[/x]`, a provider's `[/INST]`) used to raise MarkupError
(in a trial thread: the whole run cancelled, exit 1). Each path is driven with hostile text
and must print it literally."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from abcbench.cli.output import make_console, print_run_summary
from abcbench.cli.progress import LiveRunView
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Provenance,
    RunManifest,
    RunSettings,
    RunStatus,
    RunSummary,
    TrialResult,
)
from abcbench.results.store import RunDir
from tests.conftest import TB_FIXTURES

CHECKOUT = Path(__file__).resolve().parents[2]
HOSTILE = "boom [/x] [/INST] [bold red]not bold[/] [link=file:///etc]x[/link] [/]"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    return subprocess.run([sys.executable, "-m", "abcbench.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def result(name: str = "t[red]x[bold]__1", agent: str = HOSTILE) -> TrialResult:
    return TrialResult(
        run_id="r", trial_name=name, task_id="t", task_hash="h", attempt=1,
        agent=AgentInfo(name=agent, model=HOSTILE), language="python", framework=HOSTILE,
        task_type="logic", category="backend", resolved=False, n_tests=1, n_passed=0,
        failure_class=FailureClass.agent_error, error=HOSTILE, timings={"total": 3.0})


def captured() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=400, color_system=None), out


def test_the_live_view_prints_hostile_text_literally() -> None:
    console, out = captured()
    view = LiveRunView(2, console)
    events = view.events()
    with view:
        events.on_message(f"retrying: {HOSTILE}")
        events.on_trial_start(f"t{HOSTILE}__2")
        events.on_phase(f"t{HOSTILE}__2", HOSTILE)
        events.on_trial_done(result())
    text = out.getvalue()
    assert f"retrying: {HOSTILE}" in text
    assert "t[red]x[bold]__1" in text and text.count(HOSTILE) >= 2
    assert "[/INST]" in text and "[bold red]not bold[/]" in text


def test_a_failing_live_view_never_reaches_the_runner(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError("the terminal went away")

    view = LiveRunView(1, Console(file=Broken()))
    events = view.events()
    with caplog.at_level(logging.WARNING, logger="abcbench.cli.progress"):
        events.on_message("hello")
        events.on_phase("t__1", "agent")
        events.on_trial_done(result())
        events.on_plan(1, 0)
        events.on_trial_start("t__1")
    assert "the terminal went away" in caplog.text


def test_run_summary_table_prints_hostile_names_literally(tmp_path: Path) -> None:
    run_dir = RunDir(tmp_path / "r")
    run_dir.write_manifest(RunManifest(
        run_id="r", status=RunStatus.completed, agent=AgentInfo(name=HOSTILE, model=HOSTILE),
        settings=RunSettings(tasks_dir="/nowhere"), trials=["t__1"],
        provenance=Provenance(harness_version="0", python="3"),
        summary=RunSummary(n_trials=1, n_resolved=0, accuracy=0.0)))
    run_dir.trial_dir(result().trial_name).mkdir(parents=True)
    run_dir.write_result(result())
    console, out = captured()
    print_run_summary(run_dir.read_manifest(), run_dir, console, step_summary=False)
    text = out.getvalue()
    assert "t[red]x[bold]__1" in text, "the trial's name, in its cell"
    assert "run r (boom [/x] [/INST] [bold red]not bold[/]" in text, "the agent, in the title"


def test_the_cli_consoles_read_no_markup() -> None:
    for console in (make_console(), make_console(stderr=True)):
        with console.capture() as capture:
            console.print(HOSTILE)
        assert HOSTILE in capture.get()


def test_an_error_with_markup_is_one_literal_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "no [/x] such [/INST] folder"
    proc = cli("tasks", "list", "--tasks-dir", str(missing), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "[/x] such [/INST]" in proc.stderr and "Traceback" not in proc.stderr


def test_task_and_report_listings_print_hostile_fields_literally(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    shutil.copytree(TB_FIXTURES / "tb-word-stats", tasks / "tb-hostile")
    spec = tasks / "tb-hostile" / "task.yaml"
    spec.write_text(spec.read_text().replace("category: backend",
                                             "category: 'x [/x] [/INST]'"))
    listing = cli("tasks", "list", "--tasks-dir", str(tasks), cwd=tmp_path)
    shown = cli("tasks", "show", "tb-hostile", "--tasks-dir", str(tasks), cwd=tmp_path)
    assert listing.returncode == 0 and shown.returncode == 0, listing.stderr + shown.stderr
    assert "x [/x] [/INST]" in listing.stdout and "x [/x] [/INST]" in shown.stdout

    run_dir = RunDir(tmp_path / "runs" / "r-hostile")
    run_dir.write_manifest(RunManifest(
        run_id="r-hostile", status=RunStatus.completed,
        agent=AgentInfo(name=HOSTILE, model=HOSTILE), settings=RunSettings(tasks_dir="/x"),
        trials=[result().trial_name], provenance=Provenance(harness_version="0", python="3"),
        summary=RunSummary(n_trials=1, n_resolved=0, accuracy=0.0)))
    run_dir.trial_dir(result().trial_name).mkdir(parents=True)
    run_dir.write_result(result().model_copy(update={"run_id": "r-hostile"}))
    report = cli("report", str(run_dir.path), cwd=tmp_path)
    runs = cli("runs", "list", "--output", str(tmp_path / "runs"), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert runs.returncode == 0, runs.stderr
    assert "[/INST]" in report.stdout and "[/INST]" in runs.stdout
