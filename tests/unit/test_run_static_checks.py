"""`abcbench run` refuses a task that fails the static checks of `abcbench tasks check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.nop import NopAgent
from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.results.models import AgentInfo
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES


@pytest.fixture
def leaky_tasks(tmp_path: Path) -> Path:
    """The fixtures, with a hidden test file copied into the repository the agent gets."""
    tasks = tmp_path / "tasks"
    shutil.copytree(NATIVE_FIXTURES, tasks)
    shutil.copy(tasks / "fx-quotes-logic" / "tests" / "test_functional.py",
                tasks / "_repos" / "quotes" / "test_functional.py")
    return tasks


def test_preflight_refuses_a_task_failing_static_checks(leaky_tasks: Path,
                                                        tmp_path: Path) -> None:
    registry = TaskRegistry.from_dir(leaky_tasks)
    request = RunRequest(tasks=[registry.get("fx-quotes-logic")], agent_cls=NopAgent,
                         agent_info=AgentInfo(name="nop"), output_dir=tmp_path / "runs",
                         tasks_dir=leaky_tasks, run_id="r")
    with pytest.raises(UserError, match="fx-quotes-logic fails its static checks: hidden test"):
        Runner(request).preflight()
    assert not (tmp_path / "runs").exists()


def test_cli_run_exits_2_with_one_line(leaky_tasks: Path, tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["run", "--agent", "nop", "--tasks-dir", str(leaky_tasks),
                                   "--task", "fx-quotes-logic", "--output",
                                   str(tmp_path / "runs")])
    assert out.exit_code == 2, out.output
    assert len(out.output.strip().splitlines()) == 1
    assert "static checks" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "runs").exists()
