"""Starting state = reference + overlay - removed; the oracle's tree is the reference."""

from __future__ import annotations

from pathlib import Path

from abcbench.tasks.loader import load_task
from abcbench.tasks.materialize import (
    restore_environment_files,
    write_reference,
    write_starting_state,
)
from tests.conftest import NATIVE_FIXTURES


def test_logic_task_starts_masked(tmp_path: Path) -> None:
    task = load_task(NATIVE_FIXTURES / "fx-quotes-logic")
    start = write_starting_state(task, tmp_path / "start")
    assert 'return 501, {"error": "not implemented"}' in (start / "server.py").read_text()
    assert (start / "store.py").read_text() == (task.reference_repo / "store.py").read_text()
    assert (start / "Dockerfile").is_file()


def test_environment_task_starts_without_dockerfile(tmp_path: Path) -> None:
    task = load_task(NATIVE_FIXTURES / "fx-quotes-env")
    start = write_starting_state(task, tmp_path / "start")
    assert not (start / "Dockerfile").exists()
    assert (start / "server.py").read_text() == (task.reference_repo / "server.py").read_text()


def test_reference_restores_everything(tmp_path: Path) -> None:
    task = load_task(NATIVE_FIXTURES / "fx-quotes-logic")
    start = write_starting_state(task, tmp_path / "repo")
    write_reference(task, tmp_path / "repo")
    for name in ("server.py", "store.py", "Dockerfile"):
        assert (start / name).read_bytes() == (task.reference_repo / name).read_bytes()


def test_logic_task_environment_is_restored(tmp_path: Path) -> None:
    task = load_task(NATIVE_FIXTURES / "fx-quotes-logic")
    repo = write_starting_state(task, tmp_path / "repo")
    (repo / "Dockerfile").write_text("FROM scratch\n")
    assert restore_environment_files(task, repo) == ["Dockerfile"]
    assert (repo / "Dockerfile").read_text().startswith("FROM abcbench/tester")
