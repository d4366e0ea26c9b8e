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
from pathlib import Path

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
from tests.unit.spec_fuzz import Case, build, cases, snapshot

FAST = settings(max_examples=60, deadline=4000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def judge_in_process(case: Case, root: Path) -> None:
    tasks, host = build(case, root)
    out = root / "out"
    before = snapshot(root)
    task_dir = tasks / case.task_id
    registry = TaskRegistry.from_dir(tasks)
    if case.task_id in registry.errors:
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
        assert len(errors) == 1 and str(task_dir) in errors[0], shown.output
    checked = runner.invoke(app, ["tasks", "check", "--static-only", "--tasks-dir", str(tasks),
                                  "--json", "--output", str(out / "checks")])
    assert checked.exit_code in (0, 1), f"{checked.output}\n{case.describe()}"
    assert checked.exception is None or isinstance(checked.exception, SystemExit), (
        f"{checked.exception!r}\n{case.describe()}")
    after = snapshot(root, skip=out)
    assert after == {k: v for k, v in before.items() if not k.startswith("out/")}, (
        f"changed outside the output folder: "
        f"{sorted(set(after.items()) ^ set(before.items()))[:5]}\n{case.describe()}")
    assert (host / "precious.txt").read_text() == "host data\n"


@FAST
@given(case=cases())
def test_hostile_task_folders_load_or_refuse_in_one_line(case: Case) -> None:
    with tempfile.TemporaryDirectory(prefix="abcbench-fuzz-") as tmp:
        judge_in_process(case, Path(tmp))
