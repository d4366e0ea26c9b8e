"""Per-process scratch roots: a killed process's root is swept, a live one's never, a clean exit
removes its own (real processes, real flocks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from abcbench import scratch

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from abcbench import scratch
with scratch.temporary_dir("abcbench-held-") as kept:
    (scratch.make_dir("abcbench-made-") / "big.bin").write_bytes(b"x" * 1000)
    print(scratch.root(), flush=True)
    if sys.argv[1] == "wait":
        time.sleep(120)
"""


@pytest.fixture
def tmp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(scratch, "_root", None)  # this process's own root, if any, is kept
    yield tmp_path / scratch.PARENT_NAME
    scratch.release()


def _holder(mode: str) -> tuple[subprocess.Popen[str], Path]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, mode], cwd=ROOT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def _later() -> float:
    return time.time() + scratch.GRACE_SEC + 1


def test_a_killed_process_root_is_swept_a_live_one_is_not(tmp_root: Path) -> None:
    killed, killed_root = _holder("wait")
    live, live_root = _holder("wait")
    try:
        assert killed_root.parent == tmp_root and len(list(killed_root.iterdir())) == 2
        killed.send_signal(signal.SIGKILL)
        killed.wait(10)
        assert killed_root.is_dir(), "a kill -9 leaves the folders (nothing can run)"
        assert scratch.sweep_dead(_later()) == [killed_root]
        assert not killed_root.exists() and not Path(f"{killed_root}.lock").exists()
        assert live_root.is_dir() and scratch.sweep_dead(_later()) == []
    finally:
        live.kill()
        live.wait(10)


def test_a_young_unlocked_root_is_left_for_its_creator(tmp_root: Path) -> None:
    """Between making the lock file and locking it, a root looks dead: the grace covers it."""
    killed, killed_root = _holder("wait")
    killed.kill()
    killed.wait(10)
    assert scratch.sweep_dead() == [] and killed_root.is_dir()
    assert scratch.sweep_dead(_later()) == [killed_root]


def test_a_clean_exit_removes_its_own_root(tmp_root: Path) -> None:
    proc, root = _holder("exit")
    assert proc.wait(30) == 0
    assert not root.exists() and list(tmp_root.iterdir()) == []


def test_roots_are_per_process(tmp_root: Path) -> None:
    mine = scratch.root()
    assert mine.parent == tmp_root and scratch.root() == mine
    pid = os.fork()
    if pid == 0:  # the child gets its own root and leaves the parent's alone at exit
        code = 0 if scratch.root() != mine else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert mine.is_dir()
    scratch.release()
    assert not mine.exists() and not Path(f"{mine}.lock").exists()
