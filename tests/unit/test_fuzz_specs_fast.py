"""Fuzzed hostile task folders (hypothesis), in-process: the fast part CI runs every time.

For each generated folder (tests/unit/spec_fuzz.py): the registry loads the tasks folder
without raising; the mutated task either loads, or is refused in one line naming its folder;
a loaded task lints to sentences and lays out its starting state, its reference and its
restored environment files, or refuses with a UserError; `tasks show` exits 0 or 2 and
`tasks check --static-only` 0 or 1, never with a traceback; nothing outside the output folder
changes (the host folder, the tasks). The chaos twin (tests/chaos/test_fuzz_task_specs.py)
runs more examples through the installed CLI in subprocesses.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.tasks.lint import lint_task
from abcbench.tasks.materialize import (
    restore_environment_files,
    write_reference,
    write_starting_state,
)
from abcbench.tasks.registry import TaskRegistry
from tests.unit.spec_fuzz import Case, build, cases, set_tripwire, snapshot, tripped

# No per-example deadline: an example takes about 0.3 s when idle, but a loaded shared machine
# (CI, other jobs) stalled single examples past 20 s and failed a sound run; the test's own
# timeout (900 s, pytest-timeout) still bounds the whole.
FAST = settings(max_examples=40, deadline=None, derandomize=True,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def judge_in_process(case: Case, root: Path) -> None:
    tasks, host = build(case, root)
    out = root / "out"
    before = snapshot(root)
    set_tripwire(host)
    task_dir = tasks / case.task_id
    registry = TaskRegistry.from_dir(tasks)
    a_task = (task_dir / "task.yaml").is_file()
    if "task_yaml_link" in case.files and a_task:
        assert "symlink out of the task folder" in registry.errors[case.task_id]
    if not a_task:
        pass  # not a task folder at all (task.yaml is a folder): `tasks show` refuses below
    elif case.task_id in registry.errors:
        message = registry.errors[case.task_id]
        assert "\n" not in message, f"one line: {message!r}\n{case.describe()}"
        assert str(task_dir) in message, f"names the task: {message}\n{case.describe()}"
    else:
        task = registry.get(case.task_id)
        problems = lint_task(task)
        assert all(isinstance(p, str) and p for p in problems), problems
        for lay_out in (lambda: write_starting_state(task, out / "start"),
                        lambda: write_reference(task, out / "reference"),
                        lambda: restore_environment_files(task, out / "start")):
            try:
                lay_out()
            except UserError as exc:
                assert "\n" not in str(exc), str(exc)
    runner = CliRunner()
    shown = runner.invoke(app, ["tasks", "show", case.task_id, "--tasks-dir", str(tasks)])
    assert shown.exit_code in (0, 2), f"{shown.output}\n{case.describe()}"
    assert shown.exception is None or isinstance(shown.exception, SystemExit), (
        f"{shown.exception!r}\n{case.describe()}")
    if shown.exit_code == 2:
        errors = [line for line in shown.output.splitlines() if line.startswith("error:")]
        named = str(task_dir) if a_task else str(tasks)
        assert len(errors) == 1 and named in errors[0], shown.output
    checked = runner.invoke(app, ["tasks", "check", "--static-only", "--tasks-dir", str(tasks),
                                  "--json", "--output", str(out / "checks")])
    assert checked.exit_code in (0, 1), f"{checked.output}\n{case.describe()}"
    assert checked.exception is None or isinstance(checked.exception, SystemExit), (
        f"{checked.exception!r}\n{case.describe()}")
    assert tripped(host) == [], f"read a host file\n{case.describe()}"
    after = snapshot(root, skip=out)
    assert after == {k: v for k, v in before.items() if not k.startswith("out/")}, (
        f"changed outside the output folder: "
        f"{sorted(set(after.items()) ^ set(before.items()))[:5]}\n{case.describe()}")
    assert (host / "precious.txt").read_text() == "host data\n"


@pytest.mark.timeout(900)
@FAST
@given(case=cases())
def test_hostile_task_folders_load_or_refuse_in_one_line(case: Case) -> None:
    with tempfile.TemporaryDirectory(prefix="abcbench-fuzz-") as tmp:
        judge_in_process(case, Path(tmp))


# What the fuzzing found, each pinned as one example (all failed on main before the fixes).

def _one(case: Case, tmp_path: Path) -> tuple[Path, Path, TaskRegistry]:
    tasks, host = build(case, tmp_path)
    set_tripwire(host)
    return tasks, host, TaskRegistry.from_dir(tasks)


def test_deep_yaml_is_one_line_and_fast(tmp_path: Path) -> None:
    """Was: RecursionError out of every command that loads the tasks folder, after 5 s of
    PyYAML scanning 4 KB of `[`."""
    started = time.monotonic()
    _, _, registry = _one(Case("fx-quotes-logic", files=["deep_yaml"]), tmp_path)
    assert "nested more than 64 levels" in registry.errors["fx-quotes-logic"]
    assert time.monotonic() - started < 2


def test_a_huge_task_yaml_is_refused_unparsed(tmp_path: Path) -> None:
    """Was: 5 MB of comment parsed in about 5 s per command."""
    _, _, registry = _one(Case("fx-quotes-logic", files=["huge_yaml"]), tmp_path)
    assert "over the 1 MiB" in registry.errors["fx-quotes-logic"]


def test_a_symlink_loop_in_the_repository_is_a_lint_problem(tmp_path: Path) -> None:
    """Was: RuntimeError ('Symlink loop') out of `tasks check` and `run`."""
    _, _, registry = _one(Case("fx-quotes-logic", files=["loop"]), tmp_path)
    problems = lint_task(registry.get("fx-quotes-logic"))
    assert any("loop" in p for p in problems), problems


@pytest.mark.parametrize("field", ["instruction_file", "repository.mask.overlay",
                                   "service.environment_files"])
def test_a_spec_path_that_is_a_symlink_loop_is_refused(tmp_path: Path, field: str) -> None:
    value = ["loop"] if field == "service.environment_files" else "loop"
    sets = [("instruction", None)] if field == "instruction_file" else []
    case = Case("fx-quotes-logic", sets=[*sets, (field, value)], files=["loop"])
    _, _, registry = _one(case, tmp_path)
    message = registry.errors["fx-quotes-logic"]
    assert f"'{field}'" in message and "symlink loop" in message, message


def test_a_task_yaml_linked_out_of_the_task_is_refused_unread(tmp_path: Path) -> None:
    """Was: read through the link (the spec came from the host)."""
    _, host, registry = _one(Case("fx-quotes-logic", files=["task_yaml_link"]), tmp_path)
    assert "symlink out of the task folder" in registry.errors["fx-quotes-logic"]
    assert tripped(host) == []


def test_loading_never_reads_a_host_file_through_a_link(tmp_path: Path) -> None:
    """Was: the content hash read `precious.txt -> <host file>` in the reference repository;
    a link to /proc/kcore or a multi-GB file would hang every command."""
    _, host, registry = _one(Case("fx-quotes-logic", files=["repo_file_to_host"]),
                             tmp_path)
    task = registry.get("fx-quotes-logic")
    assert tripped(host) == []
    problems = lint_task(task)
    assert any("precious.txt points outside" in p for p in problems), problems
    assert tripped(host) == []
