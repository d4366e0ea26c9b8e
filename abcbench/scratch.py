"""Every temporary folder the harness makes lives under one root per process, so a process
killed with `kill -9` leaves nothing `abcbench cleanup` cannot find.

A root is `<tmp>/abcbench-scratch/<pid>-<random>/` beside a lock file of the same name plus
`.lock`, held under an `fcntl.flock` for the process's life. The OS drops the flock when the
process dies, so an unlocked root is a dead process's; `sweep_dead` removes those. A clean exit
removes its own root. The lock file is made and locked before its folder, and a sweep leaves
any lock younger than `GRACE_SEC` alone, so a root being created is never taken for dead.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

PARENT_NAME = "abcbench-scratch"
GRACE_SEC = 60.0

_lock = threading.Lock()
_root: tuple[int, Path, int] | None = None  # (pid, root, lock fd) of this process


def parent() -> Path:
    """The shared folder of every process's root, sticky and world-writable like /tmp."""
    path = Path(tempfile.gettempdir()) / PARENT_NAME
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o1777)
    return path


def root() -> Path:
    """This process's root, made and locked on first use (again in a forked child)."""
    global _root
    with _lock:
        if _root is not None and _root[0] == os.getpid():
            return _root[1]
        fd, lock_path = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".lock", dir=parent())
        fcntl.flock(fd, fcntl.LOCK_EX)
        path = Path(lock_path[:-len(".lock")])
        path.mkdir(mode=0o700)
        _root = (os.getpid(), path, fd)
        atexit.register(release, os.getpid())
        return path


def make_dir(prefix: str) -> Path:
    """A new folder under this process's root (the caller removes it; a crash leaves it to
    `sweep_dead`)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root()))


def temporary_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """`tempfile.TemporaryDirectory` under this process's root."""
    return tempfile.TemporaryDirectory(prefix=prefix, dir=root())


def release(pid: int | None = None) -> None:
    """Remove this process's root now (at exit; `pid` guards against running in a fork)."""
    global _root
    pid = os.getpid() if pid is None else pid
    with _lock:
        if _root is None or _root[0] != pid or os.getpid() != pid:
            return  # a forked child never removes its parent's root
        _, path, fd = _root
        _root = None
    shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.unlink(f"{path}.lock")
    os.close(fd)


def _held(lock_path: Path) -> bool:
    """Whether a live process holds `lock_path` (unreadable: assume it does)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def sweep_dead(now: float | None = None) -> list[Path]:
    """Remove the roots of processes that are gone; returns what was removed. A root whose
    files this user may not delete is left (another user's sweep removes it)."""
    now = time.time() if now is None else now
    base = Path(tempfile.gettempdir()) / PARENT_NAME
    return sweep_unowned(base, now, GRACE_SEC, GRACE_SEC)


def sweep_unowned(base: Path, now: float, locked_grace_sec: float,
                  unlocked_grace_sec: float) -> list[Path]:
    """Remove the folders of `base` whose `<folder>.lock` no live process holds (the kernel
    drops a flock when its process dies, however it dies), and locks left without their
    folder. A folder is spared while younger than its grace: `locked_grace_sec` when it has a
    lock (measured on the lock), else `unlocked_grace_sec` (one still being made). Returns the
    folders removed; one this user may not delete is left."""
    if not base.is_dir():
        return []
    removed = []
    for entry in sorted(base.iterdir()):
        if entry.is_symlink() or not entry.is_dir() or entry.name.endswith(".lock"):
            continue
        lock_path = entry.with_name(entry.name + ".lock")
        locked = lock_path.exists()
        grace = locked_grace_sec if locked else unlocked_grace_sec
        if _age(lock_path if locked else entry, now) < grace or _held(lock_path):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if entry.exists():
            continue
        with contextlib.suppress(OSError):
            lock_path.unlink()
        removed.append(entry)
    for lock_path in base.glob("*.lock"):  # a lock whose folder is gone and whose owner too
        folder = lock_path.with_name(lock_path.name[:-len(".lock")])
        if not folder.exists() and _age(lock_path, now) >= locked_grace_sec \
                and not _held(lock_path):
            with contextlib.suppress(OSError):
                lock_path.unlink()
    return removed
