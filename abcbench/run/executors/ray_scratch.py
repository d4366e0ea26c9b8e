"""A Ray node's scratch folder: task copies, and the trial folders of attempts in progress
(`$ABCBENCH_RAY_SCRATCH/<node id>/<run id>/<trial>-XXXX/`, the agent's submission included).

An attempt's folder is owned by the worker process that runs it: beside it is a lock file of the
same name plus `.lock`, held under an `fcntl.flock` while the attempt runs (the same scheme as
`abcbench.scratch`). A worker that is killed, a node that dies, a driver killed with its
workers: each leaves folders whose lock nobody holds, and `sweep_dead` removes them, whatever
node id or run they were under. It runs at every run's end on every node and in `abcbench
cleanup` (`abcbench.run.orphans`). No Ray import here: the sweep runs on hosts without Ray.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from abcbench import scratch

SCRATCH_ENV = "ABCBENCH_RAY_SCRATCH"
TASKS = "tasks"
"""The task copies (by content hash): a cache, kept."""
LOCKED_GRACE_SEC = 5.0
"""A lock is taken right after its file is made: an unheld lock this old is a dead owner's.
A folder without a lock waits `scratch.GRACE_SEC` (it may be a folder being made)."""


def scratch_root() -> Path:
    """Node-local folder for task copies and trial folders in progress."""
    return Path(os.environ.get(SCRATCH_ENV) or Path(tempfile.gettempdir()) / "abcbench-ray")


class AttemptFolder:
    """A trial folder under `parent`, owned by this process until `release`."""

    def __init__(self, parent: Path, prefix: str) -> None:
        for attempt in range(3):  # a sweep may remove the emptied run folder meanwhile
            parent.mkdir(parents=True, exist_ok=True)
            try:
                self._fd, lock = tempfile.mkstemp(prefix=prefix, suffix=".lock", dir=parent)
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self.lock = Path(lock)
        self.path = Path(lock[:-len(".lock")])
        self.path.mkdir(mode=0o700)

    def release(self) -> None:
        """Remove the folder, then its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.lock.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)


def sweep_dead(now: float | None = None, root: Path | None = None) -> list[Path]:
    """Remove the attempt folders no live process owns (and then emptied run and node
    folders); returns the attempt folders removed. A folder without a lock (made before
    attempts held one, or being made) counts as dead once `scratch.GRACE_SEC` old."""
    now = time.time() if now is None else now
    root = scratch_root() if root is None else root
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for node in sorted(root.iterdir()):
        if node.name == TASKS or node.is_symlink() or not node.is_dir():
            continue
        for run in sorted(node.iterdir()):
            if run.is_symlink() or not run.is_dir():
                continue
            removed += scratch.sweep_unowned(run, now, LOCKED_GRACE_SEC, scratch.GRACE_SEC)
            with contextlib.suppress(OSError):
                run.rmdir()  # only when empty
        with contextlib.suppress(OSError):
            node.rmdir()
    return removed
