"""Task specs and the loader: valid tasks load, bad ones fail with a line naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from abcbench.errors import UserError
from abcbench.tasks.loader import TaskLoadError, load_task
from abcbench.tasks.model import TaskFormat
from abcbench.tasks.registry import TaskFilter, TaskRegistry
from abcbench.tasks.spec import TaskSpec
from tests.conftest import NATIVE_FIXTURES, TB_FIXTURES


@pytest.fixture
def native_copy(tmp_path: Path) -> Path:
    shutil.copytree(NATIVE_FIXTURES, tmp_path / "tasks")
    return tmp_path / "tasks"


def edit(task_dir: Path, **changes: object) -> None:
    path = task_dir / "task.yaml"
    data = yaml.safe_load(path.read_text())
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    path.write_text(yaml.safe_dump(data))


def test_native_fixture_loads() -> None:
    task = load_task(NATIVE_FIXTURES / "fx-quotes-logic")
    assert task.format is TaskFormat.native
    assert task.spec.service.port == 8000
    assert task.spec.repo_dir_in_sandbox == "/app/quotes"
    assert task.spec.sandbox_image == "tester"
    assert "create_quote" in task.instruction
    assert len(task.content_hash) == 64


def test_content_hash_covers_the_shared_repository(native_copy: Path) -> None:
    before = load_task(native_copy / "fx-quotes-logic").content_hash
    (native_copy / "_repos" / "quotes" / "store.py").write_text("# changed\n")
    assert load_task(native_copy / "fx-quotes-logic").content_hash != before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"service__port": 70000}, "field 'service.port'"),
        ({"language": "cobol"}, "field 'language'"),
        ({"surprise": 1}, "field 'surprise'"),
        ({"instruction": None}, "exactly one of 'instruction' or 'instruction_file'"),
        ({"task_type": "environment"}, "must remove its environment files"),
        ({"id": "other-id"}, "but the directory is"),
        ({"repository__source": "../_repos/missing"}, "field 'repository.source'"),
        ({"tests__directory": "nope"}, "field 'tests.directory'"),
        ({"repository__mask__remove": ["not-there.txt"]}, "'not-there.txt' is not in"),
        ({"service__health_path": "health"}, "must start with '/'"),
    ],
)
def test_bad_specs_name_the_field(native_copy: Path, changes: dict[str, object],
                                  expected: str) -> None:
    task_dir = native_copy / "fx-quotes-logic"
    edit(task_dir, **changes)
    with pytest.raises(TaskLoadError) as info:
        load_task(task_dir)
    message = str(info.value)
    assert expected in message
    assert str(task_dir / "task.yaml") in message or str(task_dir) in message
    assert "\n" not in message


def test_invalid_yaml_reports_the_line(native_copy: Path) -> None:
    (native_copy / "fx-quotes-logic" / "task.yaml").write_text("id: [unclosed\n")
    with pytest.raises(TaskLoadError, match="not valid YAML at line"):
        load_task(native_copy / "fx-quotes-logic")


def test_tests_dir_without_test_files(native_copy: Path) -> None:
    for f in (native_copy / "fx-quotes-logic" / "tests").iterdir():
        f.unlink()
    with pytest.raises(TaskLoadError, match="holds no test_"):
        load_task(native_copy / "fx-quotes-logic")


def test_terminal_bench_layout_loads() -> None:
    task = load_task(TB_FIXTURES / "tb-word-stats")
    assert task.format is TaskFormat.terminal_bench
    assert task.language == "python"  # from its tags
    assert task.agent_timeout_sec == 300
    assert task.test_timeout_sec == 120


def test_registry_filters_and_globs() -> None:
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    assert [t.id for t in registry.all()] == ["fx-quotes-env", "fx-quotes-logic"]
    assert [t.id for t in registry.select(TaskFilter(ids=["*-env"]))] == ["fx-quotes-env"]
    assert [t.id for t in registry.select(TaskFilter(task_type="logic"))] == ["fx-quotes-logic"]
    assert registry.select(TaskFilter(languages=["go"])) == []
    with pytest.raises(UserError, match="matches no task"):
        registry.select(TaskFilter(ids=["zzz*"]))
    with pytest.raises(UserError, match="did you mean fx-quotes-env"):
        registry.get("quotes-env")


def test_dataset_folder_with_tasks_subfolder(tmp_path: Path) -> None:
    shutil.copytree(TB_FIXTURES, tmp_path / "tasks")
    expected = sorted(p.name for p in TB_FIXTURES.iterdir() if (p / "task.yaml").is_file())
    assert "tb-word-stats" in expected
    assert [t.id for t in TaskRegistry.from_dir(tmp_path).all()] == expected


def test_schema_is_json_schema() -> None:
    schema = TaskSpec.model_json_schema()
    assert {"id", "language", "task_type", "repository", "service"} <= set(schema["required"])


def test_a_broken_folder_blocks_only_runs_that_select_it(native_copy: Path) -> None:
    (native_copy / "fx-quotes-env" / "task.yaml").write_text("id: fx-quotes-env\n")
    registry = TaskRegistry.from_dir(native_copy)
    assert [t.id for t in registry.select(TaskFilter(ids=["fx-quotes-logic"]))] == \
        ["fx-quotes-logic"]
    with pytest.raises(TaskLoadError, match="fx-quotes-env"):
        registry.select(TaskFilter())
    with pytest.raises(TaskLoadError, match="fx-quotes-env"):
        registry.select(TaskFilter(ids=["fx-*"]))
    assert [t.id for t in registry.select(TaskFilter(), allow_broken=True)] == ["fx-quotes-logic"]
    assert list(registry.broken(TaskFilter())) == ["fx-quotes-env"]
