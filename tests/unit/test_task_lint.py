"""Static checks (`lint_task`, shared by `tasks check` and `run`) catch what loads but is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.tasks.lint import lint_task
from abcbench.tasks.loader import load_task
from tests.conftest import NATIVE_FIXTURES
from tests.unit.test_task_spec import edit


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    shutil.copytree(NATIVE_FIXTURES, tmp_path / "tasks")
    return tmp_path / "tasks"


def test_fixture_tasks_are_clean() -> None:
    for name in ("fx-quotes-logic", "fx-quotes-env"):
        assert lint_task(load_task(NATIVE_FIXTURES / name)) == []


def test_environment_file_typo_is_caught(tasks: Path) -> None:
    """Today: `Dockerfle` passes, the restore step skips it, and the agent's Dockerfile is built."""
    edit(tasks / "fx-quotes-logic", service__environment_files=["Dockerfle"])
    problems = lint_task(load_task(tasks / "fx-quotes-logic"))
    assert len(problems) == 1
    assert "'Dockerfle'" in problems[0] and "service.environment_files" in problems[0]


def test_environment_file_that_is_a_folder_is_caught(tasks: Path) -> None:
    (tasks / "_repos" / "quotes" / "deploy").mkdir()
    edit(tasks / "fx-quotes-logic", service__environment_files=["Dockerfile", "deploy"])
    problems = lint_task(load_task(tasks / "fx-quotes-logic"))
    assert any("'deploy'" in p for p in problems), problems


def test_link_out_of_the_reference_is_caught(tasks: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("host\n")
    (tasks / "_repos" / "quotes" / "config.txt").symlink_to(tmp_path / "secret.txt")
    problems = lint_task(load_task(tasks / "fx-quotes-logic"))
    assert any("config.txt" in p and "symlink" in p for p in problems), problems


def test_a_path_made_to_escape_after_loading_is_caught(tasks: Path, tmp_path: Path) -> None:
    task = load_task(tasks / "fx-quotes-logic")
    shutil.rmtree(tasks / "fx-quotes-logic" / "masked")
    (tmp_path / "elsewhere").mkdir()
    (tasks / "fx-quotes-logic" / "masked").symlink_to(tmp_path / "elsewhere")
    assert any("repository.mask.overlay" in p for p in lint_task(task))


def test_tasks_check_static_fails_on_the_typo(tasks: Path) -> None:
    edit(tasks / "fx-quotes-logic", service__environment_files=["Dockerfle"])
    result = CliRunner().invoke(app, ["tasks", "check", "--static-only", "--json",
                                      "--tasks-dir", str(tasks)])
    assert result.exit_code == 1, result.output
    assert "Dockerfle" in result.output
