"""`--egress` and `--egress-allow`: applied to every trial, recorded in run.json, kept by
`--resume` (a changed value is refused), accepted in job files; bad values are one line and
exit 2. The engine is faked (tests/unit/fake_run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.job import plan_job
from abcbench.cli.main import app
from abcbench.errors import UserError
from tests.conftest import NATIVE_FIXTURES, TB_FIXTURES
from tests.unit.fake_run import FakeEngine, fake_engine

cli = CliRunner()


@pytest.fixture(autouse=True)
def private_lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))


def run_cli(*args: str) -> tuple[int, str]:
    out = cli.invoke(app, list(args))
    return out.exit_code, out.output


def start(tmp_path: Path, *extra: str) -> tuple[int, str]:
    return run_cli("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES), "--run-id",
                   "r", "--output", str(tmp_path / "runs"), *extra)


def interrupted(tmp_path: Path, engine: FakeEngine, *extra: str) -> Path:
    code, output = start(tmp_path, *extra)
    assert code == 0, output
    run = tmp_path / "runs" / "r"
    (run / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    engine.ran.clear()
    return run


def test_the_run_flag_reaches_every_trial_and_run_json(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = start(tmp_path, "--egress", "archive", "--egress-allow", "pkgs.example.org",
                         "--egress-allow", "*.mirror.example.org:8443")
    assert code == 0, output
    assert len(engine.ran) == 2
    for spec in engine.ran:
        assert spec.egress == "archive"
        assert spec.egress_allow == ("pkgs.example.org", "*.mirror.example.org:8443")
    settings = json.loads((tmp_path / "runs" / "r" / "run.json").read_text())["settings"]
    assert settings["egress"] == "archive"
    assert settings["egress_allow"] == ["pkgs.example.org", "*.mirror.example.org:8443"]


def test_without_the_flag_each_task_keeps_its_own(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = start(tmp_path)
    assert code == 0, output
    assert {(s.egress, s.egress_allow) for s in engine.ran} == {(None, ())}
    settings = json.loads((tmp_path / "runs" / "r" / "run.json").read_text())["settings"]
    assert settings["egress"] is None and settings["egress_allow"] == []


@pytest.mark.parametrize(("started", "flag"), [
    (["--egress", "archive"], ["--egress", "none"]),
    (["--egress", "archive"], ["--egress", "full"]),
    ([], ["--egress", "none"]),
    (["--egress", "archive", "--egress-allow", "a.example.org"],
     ["--egress-allow", "b.example.org"]),
])
def test_resume_refuses_a_changed_egress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         started: list[str], flag: list[str]) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted(tmp_path, engine, *started)
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent), *flag)
    assert code == 2, output
    assert "cannot resume r" in output and flag[0] in output, output
    assert engine.ran == []


@pytest.mark.parametrize("flag", [
    [], ["--egress", "archive"], ["--egress-allow", "a.example.org"],
    ["--egress", "archive", "--egress-allow", "a.example.org"],
])
def test_resume_keeps_the_recorded_egress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          flag: list[str]) -> None:
    engine = fake_engine(monkeypatch)
    run = interrupted(tmp_path, engine, "--egress", "archive", "--egress-allow", "a.example.org")
    code, output = run_cli("run", "--resume", "r", "--output", str(run.parent), *flag)
    assert code == 0, output
    assert [(s.name, s.egress, s.egress_allow) for s in engine.ran] == [
        ("fx-quotes-env__1", "archive", ("a.example.org",))]


@pytest.mark.parametrize(("flags", "message"), [
    (["--egress", "open"], "--egress open: choose one of none, archive, full"),
    (["--egress", "archive", "--egress-allow", "http://x.example.org"], "not a URL"),
    (["--egress", "none", "--egress-allow", "x.example.org"], "no effect with --egress none"),
    (["--egress-allow", "x.example.org"], "no selected task has egress archive"),
])
def test_bad_egress_flags_are_one_line_and_run_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], message: str) -> None:
    engine = fake_engine(monkeypatch)
    code, output = start(tmp_path, *flags)
    assert code == 2, output
    assert message in output.replace("\n", " "), output
    assert engine.ran == [] and not (tmp_path / "runs" / "r").exists()


def test_egress_is_refused_for_terminal_bench_tasks(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    code, output = run_cli("run", "--agent", "nop", "--tasks-dir", str(TB_FIXTURES),
                           "--run-id", "r", "--output", str(tmp_path / "runs"),
                           "--egress", "none")
    assert code == 2, output
    assert "Terminal-Bench layout" in output.replace("\n", " "), output
    assert engine.ran == []


def test_a_job_file_sets_the_egress_of_its_runs(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(f"name: j\nagents: [{{name: nop}}]\ntasks_dir: {NATIVE_FIXTURES}\n"
                   "egress: archive\negress_allow: [pkgs.example.org]\n")
    _spec, requests, _cells = plan_job(job)
    assert [(r.egress, r.egress_allow) for r in requests if r is not None] == [
        ("archive", ["pkgs.example.org"])]


@pytest.mark.parametrize(("line", "message"), [
    ("egress: open", "egress: Input should be 'none', 'archive' or 'full'"),
    ("egress_allow: ['*.org']", "egress_allow: Value error, '*.org': a wildcard"),
])
def test_a_bad_egress_in_a_job_file_is_one_line(tmp_path: Path, line: str,
                                                message: str) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(f"name: j\nagents: [{{name: nop}}]\n{line}\n")
    with pytest.raises(UserError, match=message.replace("*", r"\*")):
        plan_job(job)


def test_a_job_rerun_with_another_egress_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Running a job again continues its unfinished runs: a changed egress would change what
    they measure."""
    engine = fake_engine(monkeypatch)
    job = tmp_path / "job.yaml"
    base = f"name: j\nagents: [{{name: nop}}]\ntasks_dir: {NATIVE_FIXTURES}\noutput: runs\n"
    job.write_text(base + "egress: archive\n")
    code, output = run_cli("run", "-c", str(job))
    assert code == 0, output
    (tmp_path / "runs" / "j--nop" / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    (tmp_path / "runs" / "j--nop" / "run.json").write_text(
        (tmp_path / "runs" / "j--nop" / "run.json").read_text().replace(
            '"status": "completed"', '"status": "interrupted"'))
    engine.ran.clear()
    job.write_text(base + "egress: none\n")
    with pytest.raises(UserError, match=r"cannot resume j--nop: --egress none: the run used "
                                        r"archive"):
        plan_job(job)
    job.write_text(base + "egress: archive\n")
    _spec, requests, _cells = plan_job(job)
    assert [(r.egress, r.resume) for r in requests if r is not None] == [("archive", True)]
