"""Bad input: one clear line naming what is wrong, exit code 2, no traceback, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from tests.conftest import NATIVE_FIXTURES

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def broken_tasks(tmp_path: Path) -> Path:
    shutil.copytree(NATIVE_FIXTURES, tmp_path / "tasks")
    path = tmp_path / "tasks" / "fx-quotes-logic" / "task.yaml"
    path.write_text(path.read_text().replace("port: 8000", "port: eighty"))
    return tmp_path / "tasks"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--agent", "genius", "--tasks-dir", str(NATIVE_FIXTURES)], "unknown agent"),
        (["run", "--agent", "nop", "--task", "nope-*", "--tasks-dir", str(NATIVE_FIXTURES)],
         "matches no task"),
        (["run", "--agent-import-path", "nomodule", "--tasks-dir", str(NATIVE_FIXTURES)],
         "expected 'module:Class'"),
        (["run", "--agent", "nop", "--agent-kwarg", "novalue", "--tasks-dir",
          str(NATIVE_FIXTURES)], "expected KEY=VALUE"),
        (["tasks", "show", "missing", "--tasks-dir", str(NATIVE_FIXTURES)], "unknown task id"),
        (["tasks", "list", "--tasks-dir", "/does/not/exist"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    code, output = invoke(*args, *(["--output", str(tmp_path / "runs")] if args[0] == "run"
                                   else []))
    assert code == 2, output
    assert expected in output
    assert "Traceback" not in output
    assert not (tmp_path / "runs").exists(), "bad input must leave no run directory"


def test_malformed_task_names_file_and_field(broken_tasks: Path, tmp_path: Path) -> None:
    code, output = invoke("run", "--agent", "nop", "--tasks-dir", str(broken_tasks),
                          "--output", str(tmp_path / "runs"))
    assert code == 2
    assert "fx-quotes-logic/task.yaml" in output.replace("\n", "")
    assert "service.port" in output
    assert not (tmp_path / "runs").exists()


def test_unreachable_docker_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import abcbench.sandbox.client as client_module

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    monkeypatch.setattr(client_module, "_local", type(client_module._local)())
    code, output = invoke("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                          "--output", str(tmp_path / "runs"))
    assert code == 2
    assert "cannot reach the Docker engine" in output
    assert not (tmp_path / "runs").exists()


def test_tasks_list_json() -> None:
    import json

    code, output = invoke("tasks", "list", "--tasks-dir", str(NATIVE_FIXTURES), "--json")
    assert code == 0
    assert [t["id"] for t in json.loads(output)] == ["fx-quotes-env", "fx-quotes-logic"]


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused input must be refused before any image is built or trial started."""
    import abcbench.run.executors.attempt as attempt_module
    import abcbench.run.runner as runner_module

    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("bad input reached the engine")

    monkeypatch.setattr(runner_module.Runner, "prepare_images", refuse)
    monkeypatch.setattr(attempt_module, "make_trial", refuse)


def one_line(output: str) -> bool:
    return len([line for line in output.splitlines() if line.strip()]) == 1


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--n-concurrent", "0"), ("--n-attempts", "0"), ("--agent-timeout", "-5"),
     ("--test-timeout", "0.001"), ("--agent-timeout", "nan"), ("--test-timeout", "inf"),
     ("--max-retries", "-1"), ("--max-infra-rate", "1.5"), ("--max-infra-rate", "-0.1")],
)
def test_numeric_run_flags_are_refused_before_anything_runs(
        tmp_path: Path, no_engine: None, flag: str, value: str) -> None:
    code, output = invoke("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                          flag, value, "--output", str(tmp_path / "runs"))
    assert code == 2, output
    assert flag in output and one_line(output), output
    assert not (tmp_path / "runs").exists()


def test_grade_n_concurrent_zero_is_one_line(tmp_path: Path, no_engine: None) -> None:
    code, output = invoke("grade", str(tmp_path), "--n-concurrent", "0")
    assert code == 2 and "--n-concurrent" in output and one_line(output), output


@pytest.mark.parametrize("output_dir", ["/etc/hostname", "/etc/hostname/sub", "/proc/1/x"])
def test_output_that_is_not_a_writable_directory(output_dir: str, no_engine: None) -> None:
    code, output = invoke("run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                          "--output", output_dir)
    assert code == 2, output
    assert "--output" in output and one_line(output), output


def corrupt_run(tmp_path: Path, text: bytes) -> Path:
    run = tmp_path / "runs" / "bad"
    run.mkdir(parents=True)
    (run / "run.json").write_bytes(text)
    return run


@pytest.mark.parametrize("text", [b'{"run_id": "bad"}', b"{half", b"\xff\xfe not utf-8"])
@pytest.mark.parametrize("command", ["report", "report-verify", "grade", "resume", "leaderboard"])
def test_corrupted_run_json_is_one_line_naming_the_file(
        tmp_path: Path, no_engine: None, text: bytes, command: str) -> None:
    run = corrupt_run(tmp_path, text)
    args = {"report": ["report", str(run)], "report-verify": ["report", str(run), "--verify"],
            "grade": ["grade", str(run)],
            "resume": ["run", "--resume", "bad", "--output", str(run.parent)],
            "leaderboard": ["leaderboard", str(run), "-o", str(tmp_path / "board")]}[command]
    code, output = invoke(*args)
    assert code == 2, output
    assert str(run / "run.json") in output.replace("\n", "")
    assert one_line(output) and "Traceback" not in output, output
