"""From a repository folder to a passing three-leg check, with only `tasks new --from`,
`tasks mask` and `tasks record` (the real engine, every leg a real run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.sandbox.lifecycle import leftovers
from tests.authoring_helpers import CHECK_FIXTURES
from tests.conftest import NATIVE_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.sweep]


def cli(*args: str) -> str:
    out = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    return out.output


def test_python_service_from_folder_to_three_leg_check(tmp_path: Path) -> None:
    source = tmp_path / "quotes-service"
    shutil.copytree(NATIVE_FIXTURES / "_repos" / "quotes", source)
    tasks = tmp_path / "tasks"
    flag = ("--tasks-dir", str(tasks))
    cli("tasks", "new", "py-quotes-service", "-l", "python", "-f", "http.server", "--type",
        "environment", "--from", str(source), "--project", "quotes", "--port", "8000", *flag)
    cli("tasks", "mask", "py-quotes-service", "--function", "server.py:create_quote",
        "--function", "server.py:get_quote", *flag)
    output = cli("tasks", "record", "py-quotes-service",
                 str(CHECK_FIXTURES / "scenarios" / "quotes.yaml"), *flag)
    assert "readiness: GET /health answered 200" in output
    task_dir = tasks / "py-quotes-service"
    assert yaml.safe_load((task_dir / "task.yaml").read_text())["service"]["health_path"] == \
        "/health"
    draft = (task_dir / "tests" / "test_functional.py").read_text()
    assert "def test_create_then_fetch():" in draft

    runs = tmp_path / "runs"
    out = CliRunner().invoke(app, ["tasks", "check", "py-quotes-service", "--json", "-o",
                                   str(runs), *flag])
    [check] = json.loads(out.stdout)
    assert out.exit_code == 0, check
    assert check["ok"], check["problems"]
    legs = {leg["name"]: leg for leg in check["legs"]}
    assert (legs["reference"]["resolved"], legs["untouched"]["resolved"],
            legs["masked_with_environment"]["resolved"]) == (1, 0, 0)
    assert legs["untouched"]["failures"][0]["failure_class"] == "build_failed"
    masked = legs["masked_with_environment"]["failures"][0]
    assert masked["failure_class"] == "tests_failed" and masked["first_failing_test"]
    for leg in legs.values():
        assert leftovers(run=Path(leg["run_dir"]).name) == {
            "containers": [], "networks": [], "trial_images": []}


@pytest.mark.sweep
def test_go_service_from_folder_to_three_leg_check(tmp_path: Path) -> None:
    source = tmp_path / "go-notes"
    shutil.copytree(CHECK_FIXTURES / "_repos" / "go-notes", source)
    tasks = tmp_path / "tasks"
    flag = ("--tasks-dir", str(tasks))
    cli("tasks", "new", "go-notes-create", "-l", "go", "-f", "net-http", "--type",
        "environment", "--from", str(source), "--project", "notes", *flag)
    cli("tasks", "mask", "go-notes-create", "--route", "POST /notes", *flag)
    masked = (tasks / "go-notes-create" / "masked" / "main.go").read_text()
    assert 'panic("not implemented: Server.createNote")' in masked
    assert '_ "strings"' in masked  # used only by the masked handler
    cli("tasks", "record", "go-notes-create",
        str(CHECK_FIXTURES / "scenarios" / "notes.yaml"), *flag)
    out = CliRunner().invoke(app, ["tasks", "check", "go-notes-create", "--json", "-o",
                                   str(tmp_path / "runs"), *flag])
    [check] = json.loads(out.stdout)
    assert out.exit_code == 0 and check["ok"], check["problems"]
    assert (check["oracle_resolved"], check["nop_resolved"], check["masked_env_resolved"]) == \
        (1, 0, 0)
    masked_leg = next(leg for leg in check["legs"] if leg["name"] == "masked_with_environment")
    assert masked_leg["failures"][0]["failure_class"] == "tests_failed"  # it built
