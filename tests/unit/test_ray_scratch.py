"""A Ray node's attempt folders (trial folders with the agent's submission) never outlive
their owner for long: what a killed worker, a dead node or a killed driver left is removed by
the next sweep on that host (`orphans.remove_dead_process_leftovers`: at every run's end on
every node, and `abcbench cleanup`), under any node id; what a live worker owns is kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from abcbench.grading import build_cache
from abcbench.run import orphans
from abcbench.run.executors import ray_scratch

OWNER = """
import sys, time
from pathlib import Path
from abcbench.run.executors.ray_scratch import AttemptFolder
folder = AttemptFolder(Path(sys.argv[1]), "task-a__1-")
(folder.path / "submission").mkdir()
(folder.path / "submission" / "app.py").write_text("secret work")
print(folder.path, flush=True)
time.sleep(120)
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ray_scratch.SCRATCH_ENV, str(tmp_path / "ray"))
    monkeypatch.setattr(build_cache, "remove_stray_layers", lambda: 0)
    return tmp_path / "ray"


def _age(*paths: Path, seconds: float = 600) -> None:
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def _owner(parent: Path) -> tuple[subprocess.Popen[str], Path]:
    proc = subprocess.Popen([sys.executable, "-c", OWNER, str(parent)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def test_a_folder_left_by_a_killed_worker_of_a_lost_node_is_removed(root: Path) -> None:
    """As a worker made it before attempts held a lock: a node id that no longer exists."""
    gone = root / "node-that-died" / "run-1"
    gone.mkdir(parents=True)
    left = Path(tempfile.mkdtemp(prefix="task-a__1-", dir=gone))
    (left / "submission").mkdir()
    (left / "submission" / "app.py").write_text("secret work")
    (root / "tasks" / "abc123").mkdir(parents=True)
    _age(left)
    orphans.remove_dead_process_leftovers()
    assert not left.exists()
    assert not (root / "node-that-died").exists(), "emptied run and node folders go too"
    assert (root / "tasks" / "abc123").is_dir(), "the task copies are a cache, kept"


def test_a_live_workers_folder_is_kept_and_removed_once_it_is_killed(root: Path) -> None:
    parent = root / "node-1" / "run-2"
    proc, folder = _owner(parent)
    try:
        _age(folder, folder.with_name(folder.name + ".lock"))
        assert orphans.remove_dead_process_leftovers()[1] == 0
        assert (folder / "submission" / "app.py").read_text() == "secret work"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert orphans.remove_dead_process_leftovers()[1] == 1
    assert not folder.exists() and not folder.with_name(folder.name + ".lock").exists()
    assert not parent.exists()


def test_a_fresh_folder_is_left_alone_for_the_grace_period(root: Path) -> None:
    """A folder just made (its lock not yet taken) is never taken for dead."""
    young = root / "node-1" / "run-3" / "task-b__1-x"
    young.mkdir(parents=True)
    assert ray_scratch.sweep_dead() == []
    assert young.is_dir()
    assert ray_scratch.sweep_dead(now=time.time() + 3600) == [young]


def test_a_released_attempt_leaves_nothing(root: Path) -> None:
    folder = ray_scratch.AttemptFolder(root / "node-1" / "run-4", "task-c__1-")
    (folder.path / "result.json").write_text("{}")
    folder.release()
    assert sorted(p.name for p in (root / "node-1" / "run-4").iterdir()) == []


def test_symlinks_in_the_scratch_folder_are_never_followed(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "run" / "task-x").mkdir(parents=True)
    root.mkdir(parents=True)
    (root / "node-link").symlink_to(outside)
    (root / "node-2").mkdir()
    (root / "node-2" / "run-link").symlink_to(outside / "run")
    _age(outside / "run" / "task-x")
    assert ray_scratch.sweep_dead() == []
    assert (outside / "run" / "task-x").is_dir()


def test_cleanup_run_on_a_node_host_removes_what_the_killed_driver_left(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver was killed and the cluster is gone: its message says to run `abcbench
    cleanup --run RUN` on each Docker host (Docker faked here; tests/docker/test_cleanup.py
    does the engine's part)."""
    from typer.testing import CliRunner

    import abcbench.cli.images as images_cli
    from abcbench.cli.main import app

    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setattr(images_cli, "cleanup", lambda **f: {"containers": 0, "networks": 0})
    monkeypatch.setattr(images_cli, "remove_trial_images", lambda **f: 0)
    monkeypatch.setattr(images_cli, "kept_caches", lambda: (0, 0))
    left = root / "node-9" / "run-5" / "task-d__1-abc"
    (left / "submission").mkdir(parents=True)
    _age(left)
    out = CliRunner().invoke(app, ["cleanup", "--run", "run-5"])
    assert out.exit_code == 0, out.output
    assert "1 folder(s) of dead processes" in out.output
    assert not left.exists()
