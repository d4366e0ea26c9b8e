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
