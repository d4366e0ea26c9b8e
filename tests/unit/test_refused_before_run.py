"""Inputs the run would refuse are refused before it (issue 18, item 9): by `tasks check
--static-only` and by the static checks of `abcbench run` (exit 2, one line, nothing
written); a job file has a size cap; no error quotes a value that could be a secret."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from abcbench.cli.main import app
from tests.conftest import NATIVE_FIXTURES

TASK = "fx-quotes-logic"


def _tasks(tmp_path: Path, change: dict[str, Any]) -> Path:
    tasks = tmp_path / "tasks"
    shutil.copytree(NATIVE_FIXTURES, tasks)
    path = tasks / TASK / "task.yaml"
    spec = yaml.safe_load(path.read_text())
    for dotted, value in change.items():
        node = spec
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return tasks


ROOT_PATHS = [".", "./", "./.", "./././"]
BAD_IMAGES = ["../../x", "docker.io/library/alpine", "alpine:3.19", "/abs", "no-such-recipe",
              "tester/../../etc", "Tester"]


@pytest.mark.parametrize(("field", "value"), [
    *[("repository.mask.remove", [p]) for p in ROOT_PATHS],
    ("repository.mask.remove", ["server.py", "."]),
    ("service.environment_files", ["."]),
    ("service.dockerfile", "."),
    ("repository.mask.overlay", "."),
    *[("sandbox.image", image) for image in BAD_IMAGES],
])
def test_refused_by_the_static_checks_of_check_and_run(tmp_path: Path, field: str,
                                                       value: Any) -> None:
    """Was: `mask.remove: ["."]` and these images passed `tasks check --static-only`, then the
    run failed at setup as `infrastructure`, retried twice, and wrote a run folder."""
    tasks = _tasks(tmp_path, {field: value})
    check = CliRunner().invoke(app, ["tasks", "check", "--static-only", "--tasks-dir",
                                     str(tasks), TASK, "--output", str(tmp_path / "checks")])
    assert check.exit_code != 0, check.output
    run = CliRunner().invoke(app, ["run", "--agent", "nop", "--tasks-dir", str(tasks),
                                   "--task", TASK, "--output", str(tmp_path / "runs")])
    assert run.exit_code == 2, run.output
    assert len(run.output.strip().splitlines()) == 1, run.output
    assert "Traceback" not in run.output
    assert field.rsplit(".", 1)[-1] in run.output, run.output
    assert not (tmp_path / "runs").exists(), "nothing written"


def test_the_root_stays_a_valid_build_context(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, {"service.build_context": "."})
    check = CliRunner().invoke(app, ["tasks", "check", "--static-only", "--tasks-dir",
                                     str(tasks), TASK, "--output", str(tmp_path / "checks")])
    assert check.exit_code == 0, check.output


# -- job files ----------------------------------------------------------------------------------

SECRET = "sk-proj-Zx8Qw3Er5Ty7Ui9Op1As2Df4Gh6Jk"


def _job(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(text)
    return path


def _run_job(path: Path) -> tuple[int, str]:
    out = CliRunner().invoke(app, ["run", "-c", str(path)])
    return out.exit_code, out.output


@pytest.mark.parametrize("text", [
    f"name: j\nagents:\n  - name: nop\n    env: [\"OPENAI_API_KEY={SECRET}\"]\n",
    f"name: j\nagents:\n  - name: nop\n    env: [OPENAI_API_KEY={SECRET}]\n",
    f"name: j\nagents:\n  - name: nop\n    env: [{SECRET}]\n",
    f"name: j\nagents:\n  - name: nop\n    env: [\"OPENAI_API_KEY={SECRET}\"\n",   # bad YAML
    f"name: j\nagents:\n  - name: nop\n    env: {{OPENAI_API_KEY: {SECRET}}}\n",
    f"name: j\nagents:\n  - name: nop\n    kwargs: {{api_key: [{SECRET}]}}\n",
    f"name: {SECRET}/x\nagents:\n  - name: nop\n",
    f"name: j\nagents:\n  - name: nop\n    label: \"{SECRET}!\"\n",
    f"name: j\nagents:\n  - name: nop\nmodels: [{{{SECRET}: 1}}]\n",
    f"{SECRET}\n",
    f"name: j\nagents:\n  - name: nop\n  - {SECRET}\n",
])
def test_a_job_file_error_never_quotes_a_value(tmp_path: Path, text: str) -> None:
    """Was: `env: ["OPENAI_API_KEY=sk-..."]` was echoed back in the error line."""
    code, output = _run_job(_job(tmp_path, text))
    assert code == 2, output
    assert SECRET not in output and SECRET[:12] not in output, output
    assert "job file" in output


def test_a_huge_job_file_is_refused_at_once(tmp_path: Path) -> None:
    """Was: 50 MB took 6 minutes and 200 MB of memory to refuse."""
    path = tmp_path / "job.yaml"
    with path.open("w") as handle:
        handle.write("name: j\nagents:\n  - name: nop\n")
        chunk = "# " + "x" * 1021 + "\n"
        for _ in range(50 * 1024):
            handle.write(chunk)
    started = time.monotonic()
    code, output = _run_job(path)
    assert code == 2, output
    assert "larger than" in output, output
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("pair", [SECRET, f"={SECRET}", f"api_key{SECRET}",
                                  f"https://u:{SECRET}@host/v1"])
def test_a_malformed_agent_kwarg_is_not_echoed(tmp_path: Path, pair: str) -> None:
    """Was: `--agent-kwarg 'sk-...': expected KEY=VALUE` (only URL credentials were removed)."""
    out = CliRunner().invoke(app, ["run", "--agent", "nop", "--agent-kwarg", "ok=1",
                                   "--agent-kwarg", pair, "--tasks-dir", str(NATIVE_FIXTURES),
                                   "--output", str(tmp_path / "runs")])
    assert out.exit_code == 2, out.output
    assert "--agent-kwarg #2: expected KEY=VALUE" in out.output
    assert SECRET not in out.output and SECRET[:12] not in out.output
