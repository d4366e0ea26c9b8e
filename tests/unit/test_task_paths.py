"""Task folders are input, not code: every path in a spec stays inside its tree, symlinks
resolved, and laying out a task never writes or deletes outside the folder it is given."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.tasks.loader import TaskLoadError, load_task
from abcbench.tasks.materialize import restore_environment_files, write_starting_state
from abcbench.tasks.registry import TaskFilter, TaskRegistry
from abcbench.tasks.scaffold import scaffold_task
from tests.conftest import NATIVE_FIXTURES
from tests.unit.test_task_spec import edit


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    shutil.copytree(NATIVE_FIXTURES, tmp_path / "tasks")
    return tmp_path / "tasks"


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A folder standing for the host outside the tasks folder, with a file worth protecting."""
    outside = tmp_path / "host"
    outside.mkdir()
    (outside / "precious.txt").write_text("host data\n")
    (outside / "test_host.py").write_text("def test_x():\n    pass\n")
    return outside


def load_error(task_dir: Path) -> str:
    with pytest.raises(TaskLoadError) as info:
        load_task(task_dir)
    message = str(info.value)
    assert "\n" not in message, "one line"
    assert str(task_dir / "task.yaml") in message, "names the file"
    return message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repository__mask__overlay", "{host}"),
        ("repository__mask__overlay", "../../host"),
        ("instruction_file", "{host}/precious.txt"),
        ("instruction_file", "../../host/precious.txt"),
        ("tests__directory", "{host}"),
        ("tests__directory", "../../host"),
        ("repository__source", "{host}"),
        ("repository__source", "../../host"),
        ("service__environment_files", ["../../x"]),
        ("service__environment_files", ["{host}/precious.txt"]),
        ("service__dockerfile", "../../../host/precious.txt"),
        ("service__build_context", "../.."),
        ("repository__mask__remove", ["../../../host/precious.txt"]),
    ],
)
def test_paths_outside_the_tree_are_refused(tasks: Path, host: Path, field: str,
                                            value: str | list[str]) -> None:
    task_dir = tasks / "fx-quotes-logic"
    if field == "instruction_file":
        edit(task_dir, instruction=None)
    resolved = ([v.format(host=host) for v in value] if isinstance(value, list)
                else value.format(host=host))
    edit(task_dir, **{field: resolved})
    message = load_error(task_dir)
    assert f"'{field.replace('__', '.')}'" in message, message


@pytest.mark.parametrize(
    ("field", "link"),
    [
        ("repository__mask__overlay", "masked_link"),
        ("tests__directory", "tests_link"),
    ],
)
def test_symlink_out_of_the_task_folder_is_refused(tasks: Path, host: Path, field: str,
                                                   link: str) -> None:
    task_dir = tasks / "fx-quotes-logic"
    (task_dir / link).symlink_to(host)
    edit(task_dir, **{field: link})
    assert f"'{field.replace('__', '.')}'" in load_error(task_dir)


def test_repository_link_out_of_the_tasks_folder_is_refused(tasks: Path, host: Path) -> None:
    shutil.copytree(tasks / "_repos" / "quotes", host / "quotes")
    (tasks / "_repos" / "elsewhere").symlink_to(host / "quotes")
    task_dir = tasks / "fx-quotes-logic"
    edit(task_dir, repository__source="../_repos/elsewhere")
    assert "'repository.source'" in load_error(task_dir)


def test_mask_remove_through_a_symlink_is_refused(tasks: Path, host: Path) -> None:
    """Today: `mask.remove: [link/precious.txt]` deletes the host file at materialization."""
    (tasks / "_repos" / "quotes" / "link").symlink_to(host)
    task_dir = tasks / "fx-quotes-env"
    edit(task_dir, repository__mask__remove=["Dockerfile", "link/precious.txt"])
    assert "'repository.mask.remove'" in load_error(task_dir)


def test_materialization_never_deletes_through_a_symlink(tasks: Path, host: Path,
                                                          tmp_path: Path) -> None:
    """Even when the check at load time is bypassed (the tree changed after loading)."""
    task_dir = tasks / "fx-quotes-env"
    edit(task_dir, repository__mask__remove=["Dockerfile", "link/precious.txt"])
    (tasks / "_repos" / "quotes" / "link").mkdir()
    (tasks / "_repos" / "quotes" / "link" / "precious.txt").write_text("in the repo\n")
    task = load_task(task_dir)
    shutil.rmtree(tasks / "_repos" / "quotes" / "link")
    (tasks / "_repos" / "quotes" / "link").symlink_to(host)
    with pytest.raises(UserError, match="symlink"):
        write_starting_state(task, tmp_path / "start")
    assert (host / "precious.txt").read_text() == "host data\n"


def test_overlay_never_writes_through_a_symlink(tasks: Path, host: Path,
                                                tmp_path: Path) -> None:
    """A reference repository holding a link to a host folder: the overlay must not write there."""
    task_dir = tasks / "fx-quotes-logic"
    (task_dir / "masked" / "lib").mkdir()
    (task_dir / "masked" / "lib" / "precious.txt").write_text("overwritten\n")
    task = load_task(task_dir)
    (tasks / "_repos" / "quotes" / "lib").symlink_to(host)
    with pytest.raises(UserError, match="symlink"):
        write_starting_state(task, tmp_path / "start")
    assert (host / "precious.txt").read_text() == "host data\n"


def test_restoring_environment_files_never_writes_through_agent_links(
        tasks: Path, host: Path, tmp_path: Path) -> None:
    """The agent controls the submission: a planted `Dockerfile -> host file` link must not
    make the harness overwrite the host file when it restores the reference Dockerfile."""
    task = load_task(tasks / "fx-quotes-logic")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "Dockerfile").symlink_to(host / "precious.txt")
    assert restore_environment_files(task, submission) == ["Dockerfile"]
    assert (host / "precious.txt").read_text() == "host data\n"
    assert not (submission / "Dockerfile").is_symlink()
    assert (submission / "Dockerfile").read_bytes() == \
        (task.reference_repo / "Dockerfile").read_bytes()


def test_restoring_into_a_linked_folder_stays_in_the_tree(tasks: Path, host: Path,
                                                          tmp_path: Path) -> None:
    repo = tasks / "_repos" / "quotes"
    (repo / "deploy").mkdir()
    (repo / "deploy" / "start.sh").write_text("#!/bin/sh\n")
    task_dir = tasks / "fx-quotes-logic"
    edit(task_dir, service__environment_files=["Dockerfile", "deploy/start.sh"])
    task = load_task(task_dir)
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "deploy").symlink_to(host)
    restore_environment_files(task, submission)
    assert not (host / "start.sh").exists()
    assert (submission / "deploy" / "start.sh").read_text() == "#!/bin/sh\n"
    assert not (submission / "deploy").is_symlink()


def test_scaffold_repo_cannot_escape_the_tasks_folder(tmp_path: Path) -> None:
    root = tmp_path / "tasks"
    root.mkdir()
    for repo in ("../../escape", "/tmp/escape", "a/../../escape", ".."):
        with pytest.raises(UserError, match="--repo"):
            scaffold_task(root, "py-x-task", "python", "flask", "logic", repo, 8080)
    assert not (tmp_path / "escape").exists()
    assert sorted(p.name for p in root.iterdir()) == []


def test_non_utf8_task_yaml_blocks_only_its_own_runs(tasks: Path) -> None:
    """Today: one undecodable task.yaml anywhere crashes every command with a traceback."""
    (tasks / "fx-quotes-env" / "task.yaml").write_bytes(b"id: fx-quotes-env\ntitle: caf\xe9\n")
    registry = TaskRegistry.from_dir(tasks)
    assert [t.id for t in registry.select(TaskFilter(ids=["fx-quotes-logic"]))] == \
        ["fx-quotes-logic"]
    message = registry.broken(TaskFilter())["fx-quotes-env"]
    assert "UTF-8" in message and "task.yaml" in message and "\n" not in message
    with pytest.raises(TaskLoadError, match="UTF-8"):
        registry.select(TaskFilter(ids=["fx-quotes-env"]))


def test_unreadable_task_yaml_is_a_broken_folder(tasks: Path) -> None:
    path = tasks / "fx-quotes-env" / "task.yaml"
    path.unlink()
    path.mkdir()  # neither a file nor loadable: is_task_dir says no, so it is simply not a task
    (tasks / "fx-quotes-env" / "task.yaml" / "x").write_text("")
    instruction = tasks / "fx-quotes-logic" / "instruction.md"
    instruction.write_bytes(b"\xff\xfe broken")
    edit(tasks / "fx-quotes-logic", instruction=None, instruction_file="instruction.md")
    registry = TaskRegistry.from_dir(tasks)
    assert "UTF-8" in registry.broken(TaskFilter())["fx-quotes-logic"]


def test_in_tree_symlinks_still_work(tasks: Path, tmp_path: Path) -> None:
    """Links that stay inside their tree are ordinary repository content."""
    repo = tasks / "_repos" / "quotes"
    os.symlink("server.py", repo / "alias.py")
    task = load_task(tasks / "fx-quotes-logic")
    start = write_starting_state(task, tmp_path / "start")
    assert (start / "alias.py").is_symlink()
    assert os.readlink(start / "alias.py") == "server.py"


def test_cli_lists_a_broken_folder_in_one_line_and_refuses_to_run_it(tasks: Path,
                                                                     tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from abcbench.cli.main import app

    (tasks / "fx-quotes-env" / "task.yaml").write_bytes(b"id: x\ntitle: caf\xe9\n")
    listed = CliRunner().invoke(app, ["tasks", "list", "--tasks-dir", str(tasks)])
    assert listed.exit_code == 0, listed.output
    broken = [line for line in listed.output.splitlines() if "fx-quotes-env" in line]
    assert len(broken) == 1 and "not valid UTF-8" in broken[0], listed.output
    assert "1 task(s) in" in listed.output
    ran = CliRunner().invoke(app, ["run", "--agent", "nop", "--task", "fx-quotes-env",
                                   "--tasks-dir", str(tasks), "--output", str(tmp_path / "r")])
    assert ran.exit_code == 2
    assert ran.output.strip().count("\n") == 0 and "not valid UTF-8" in ran.output
    assert not (tmp_path / "r").exists()


def test_special_files_in_a_submission_are_skipped(tmp_path: Path) -> None:
    """An agent's FIFO must not hang or fail the copy of its submission into the build context."""
    from abcbench.tasks.materialize import copy_tree

    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "app.py").write_text("print(1)\n")
    os.mkfifo(submission / "pipe")
    copy_tree(submission, tmp_path / "staging")
    assert sorted(p.name for p in (tmp_path / "staging").iterdir()) == ["app.py"]


def test_cli_tasks_new_refuses_an_escaping_repo(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from abcbench.cli.main import app

    (tmp_path / "tasks").mkdir()
    result = CliRunner().invoke(app, ["tasks", "new", "py-x-task", "-l", "python", "-f", "flask",
                                      "--repo", "../../escape", "--tasks-dir",
                                      str(tmp_path / "tasks")])
    assert result.exit_code == 2 and "--repo '../../escape'" in result.output
    assert result.output.strip().count("\n") == 0
    assert list((tmp_path / "tasks").iterdir()) == []
