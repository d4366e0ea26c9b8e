"""One process owns a run at a time.

Two processes writing the same run folder plan the same trials with the same container names
and corrupt each other's verdicts, so a run (new, resumed or a grade) first takes two locks:

* `<run folder>/run.lock`: the folder, wherever it is (also on a shared file system);
* `<lock dir>/<run id>.lock` on this host: the run id, which is all the Docker objects carry,
  so `abcbench cleanup` can tell a live run's containers from a dead run's.

Each is a file holding its owner (host, pid, start time) under an `fcntl.flock`. The OS drops
a flock when its process dies, so on this host the flock alone says whether the owner lives; the
recorded owner is kept for messages, and to refuse a lock left by another host, whose process
this host cannot check (`--break-lock` takes it over). A clean release deletes the file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import tempfile
from datetime import datetime
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel, ValidationError

from abcbench.errors import UserError
from abcbench.results.models import utcnow

LOCK_FILE = "run.lock"
LOCK_DIR_ENV = "ABCBENCH_LOCK_DIR"


class LockOwner(BaseModel):
    host: str
    pid: int
    started_at: datetime
    purpose: str
    run_dir: str

    def describe(self) -> str:
        return (f"pid {self.pid} on {self.host} ({self.purpose}, since "
                f"{self.started_at:%Y-%m-%d %H:%M:%S} UTC)")


def lock_dir() -> Path:
    """Host-wide folder of run-id locks (shared by every user of the Docker engine)."""
    return Path(os.environ.get(LOCK_DIR_ENV) or Path(tempfile.gettempdir()) /
                "abcbench-live-runs")


def _shared_dir(path: Path) -> Path:
    """The lock dir, sticky and world-writable like /tmp when this process creates it, so
    every user of the engine registers their runs in the same place."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o1777)
    return path


def _read_owner(path: Path) -> LockOwner | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return LockOwner.model_validate_json(text) if text.strip() else None
    except ValidationError:
        return None


def _probe(path: Path) -> LockOwner | None:
    """The owner holding `path`'s flock right now, or None if nobody does."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = _read_owner(path)
        return owner or LockOwner(host="?", pid=-1, started_at=utcnow(), purpose="unknown",
                                  run_dir=str(path.parent))
    finally:
        os.close(fd)
    return None


def live_owner(run_dir: Path) -> LockOwner | None:
    """Who is writing this run folder now, if anyone."""
    return _probe(run_dir / LOCK_FILE)


def live_run_owner(run_id: str) -> LockOwner | None:
    """Who on this host is running `run_id` now, if anyone."""
    return _probe(lock_dir() / f"{run_id}.lock")


def live_runs() -> list[str]:
    """The runs a live process on this host owns now."""
    folder = lock_dir()
    locks = sorted(folder.glob("*.lock")) if folder.is_dir() else []
    return [p.stem for p in locks if _probe(p) is not None]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _FileLock:
    """An exclusive flock on a file that records its owner; deleted on release."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.written = False

    def try_acquire(self) -> LockOwner | bool | None:
        """False if someone holds it; else the stale owner the file recorded (or None)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            # A releasing owner deletes the file after we opened it: lock the new one instead.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                return _read_owner(self.path)
            os.close(fd)

    def write(self, owner: LockOwner) -> None:
        assert self.fd is not None
        data = owner.model_dump_json().encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        os.fsync(self.fd)
        self.written = True

    def release(self) -> None:
        """Unlock; delete the file only if it records us (a refused take-over keeps the
        record it refused)."""
        if self.fd is None:
            return
        if self.written:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        os.close(self.fd)
        self.fd = None
        self.written = False


class RunLock:
    """Owns a run folder and its run id for the life of a process (or until `release`)."""

    def __init__(self, run_dir: Path, run_id: str, purpose: str, *,
                 break_lock: bool = False) -> None:
        self.run_dir = run_dir
        self.run_id = run_id
        self.purpose = purpose
        self.break_lock = break_lock
        self.took_over: LockOwner | None = None
        """The owner of a stale lock this one replaced, for the run's log."""
        self._id_lock = _FileLock(lock_dir() / f"{run_id}.lock")
        self._id_dir = lock_dir()
        self._dir_lock = _FileLock(run_dir / LOCK_FILE)
        self._created: list[Path] = []
        """Folders this lock created (the run folder, missing parents), deepest first."""

    def acquire(self) -> RunLock:
        me = LockOwner(host=socket.gethostname(), pid=os.getpid(), started_at=utcnow(),
                       purpose=self.purpose, run_dir=str(self.run_dir))
        _shared_dir(self._id_dir)
        if self._id_lock.try_acquire() is False:
            owner = _read_owner(self._id_lock.path)
            where = f" (run folder {owner.run_dir})" if owner else ""
            raise UserError(f"run id {self.run_id!r} is in use on this host by "
                            f"{owner.describe() if owner else 'another process'}{where}; wait "
                            "for it, stop it, or choose another --run-id")
        try:
            self._id_lock.write(me)
            path = self.run_dir.absolute()
            while not path.exists() and path != path.parent:
                self._created.append(path)
                path = path.parent
            stale = self._dir_lock.try_acquire()
            if stale is False:
                owner = live_owner(self.run_dir)
                raise UserError(f"run {self.run_id!r} is in use by "
                                f"{owner.describe() if owner else 'another process'}; wait for "
                                f"it to finish or stop it, then retry")
            if isinstance(stale, LockOwner):
                self._check_stale(stale, me)
                self.took_over = stale
            self._dir_lock.write(me)
        except BaseException:
            self.release()
            raise
        return self

    def _check_stale(self, stale: LockOwner, me: LockOwner) -> None:
        """A recorded owner whose flock is gone: on this host it died (the flock says so even
        if its pid was reused); another host's owner cannot be checked from here."""
        if stale.host == me.host or self.break_lock:
            return
        alive = " (its pid is alive here too)" if _pid_alive(stale.pid) else ""
        raise UserError(f"run {self.run_id!r} was locked by {stale.describe()}{alive}, which "
                        f"this host cannot check; if that process is gone, retry with "
                        f"--break-lock")

    def release(self) -> None:
        self._dir_lock.release()
        self._id_lock.release()
        for folder in self._created:  # refused or stopped before writing: leave no folder
            try:
                folder.rmdir()
            except OSError:
                break
        self._created = []

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
