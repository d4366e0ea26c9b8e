"""Paths from task folders and submissions are input: they stay inside their tree.

Task folders come from downloaded datasets and submissions from the agent's container, so a
path may be absolute, climb with `..`, or pass through a symlink planted to point at the host.
These helpers resolve such paths against their root and copy, write and delete without ever
following a symlink out of the tree they were given.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path, PurePosixPath

from abcbench.errors import UserError
from abcbench.hashing import IGNORED_NAMES


class PathEscapeError(UserError):
    """A path that would leave the tree it belongs to."""


class LinkLoop(ValueError):
    """A path whose symlinks never end (`a -> a`): it names nothing, so it cannot be used."""


def resolve(path: Path) -> Path:
    """`path.resolve()`, raising LinkLoop on a symlink loop on every Python.

    Python 3.11 raises RuntimeError on a loop; 3.13's `resolve()` (like `os.path.realpath`)
    stops at the loop and returns a path through it. So the result is `stat`ed, as 3.11 did
    itself: ELOOP means a loop; a path that does not exist is fine (it is created later).
    """
    try:
        resolved = path.resolve()
        os.stat(resolved)
    except RuntimeError as exc:  # 3.11, 3.12: "Symlink loop from ..."
        raise LinkLoop(f"{path} is a symlink loop ({exc})") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LinkLoop(f"{path} is a symlink loop ({exc.strerror})") from None
        return resolved
    return resolved


def inside(root: Path, rel: str, *, follow_last: bool = True) -> Path | None:
    """`root/rel` with symlinks resolved, or None when it is absolute or lands outside `root`.

    With `follow_last=False` only the parent is resolved: removing a link deletes the link,
    wherever it points, so only the folders on the way must stay inside.
    """
    if PurePosixPath(rel).is_absolute() or Path(rel).is_absolute():
        return None
    base = root.resolve()
    joined = base / rel
    try:
        if follow_last or joined.name in ("", ".", ".."):
            target = resolve(joined)
        else:
            target = resolve(joined.parent) / joined.name
    except LinkLoop:  # a symlink loop names nothing inside the tree either
        return None
    return target if target == base or target.is_relative_to(base) else None


def _ignored(name: str) -> bool:
    return name in IGNORED_NAMES or name.endswith(".pyc")


def _check_parent(root: Path, target: Path, what: str) -> None:
    base = root.resolve()
    try:
        parent = resolve(target.parent)
    except LinkLoop as exc:
        raise PathEscapeError(f"{what}: {exc}; replace the symlink with a real folder") from None
    if not (parent == base or parent.is_relative_to(base)):
        raise PathEscapeError(
            f"{what}: {target} is reached through a symlink out of {root} (it resolves to "
            f"{parent}); replace the symlink with a real folder"
        )


def copy_tree(src: Path, dest: Path) -> None:
    """Copy `src` into `dest` (merging), keeping symlinks as symlinks.

    Never writes through a symlink out of `dest`: a folder of `dest` that resolves outside it is
    an error (one inside it is merged into), and a symlink at a destination file's own path is
    replaced, not written through.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for current, dirs, files in os.walk(src, followlinks=False):
        here = Path(current)
        rel_dir = here.relative_to(src)
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(dirs):
            entry = here / name
            target = dest / rel_dir / name
            _check_parent(dest, target, f"copying {entry}")
            if entry.is_symlink():
                _replace(target)
                os.symlink(os.readlink(entry), target)
            elif target.is_symlink():
                _check_parent(dest, target / "_", f"copying {entry}")  # in-tree links are fine
            elif os.path.lexists(target) and not target.is_dir():
                _replace(target)
                target.mkdir()
            else:
                target.mkdir(exist_ok=True)
        # os.walk lists links to folders among dirs; they were copied as links above and are
        # not descended into (followlinks=False).
        for name in sorted(files):
            if _ignored(name):
                continue
            entry = here / name
            if not entry.is_symlink() and not stat.S_ISREG(entry.lstat().st_mode):
                continue  # FIFOs, sockets, devices: no content to copy, and reading may block
            target = dest / rel_dir / name
            _check_parent(dest, target, f"copying {entry}")
            _replace(target)
            if entry.is_symlink():
                os.symlink(os.readlink(entry), target)
            else:
                shutil.copy2(entry, target, follow_symlinks=False)


def _replace(target: Path) -> None:
    """Remove whatever sits at `target` (a link is removed itself, never followed)."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    elif os.path.lexists(target):
        target.unlink()


def remove(root: Path, rel: str, what: str) -> None:
    """Delete `root/rel` (a link is deleted itself) unless the way there leaves `root`."""
    target = root / rel
    if not os.path.lexists(target):
        return
    _check_parent(root, target, what)
    _replace(target)


def write_file(root: Path, rel: str, source: Path) -> None:
    """Put a copy of `source` at `root/rel`, where `root` is controlled by someone else.

    Every folder on the way that is a symlink (or not a folder) is replaced by a real folder,
    and a symlink at `rel` itself is replaced by the file: whatever links the tree holds, the
    write lands inside it.
    """
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise PathEscapeError(f"{rel!r} is not a relative path inside {root}")
    node = root
    for part in parts[:-1]:
        node = node / part
        if node.is_symlink() or (os.path.lexists(node) and not node.is_dir()):
            _replace(node)
        node.mkdir(exist_ok=True)
    target = node / parts[-1]
    _replace(target)
    shutil.copy2(source, target, follow_symlinks=True)


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_dir(name: str, parent_fd: int) -> int:
    """Open the folder `name` under `parent_fd`, replacing a link or a file found there."""
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        os.unlink(name, dir_fd=parent_fd)  # a link (never followed) or a file
    os.mkdir(name, 0o755, dir_fd=parent_fd)
    return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)


def write_text_nofollow(root: Path, rel: str, text: str, *, append: bool = False) -> None:
    """Write (or append) `text` at `root/rel` in a folder someone else controls.

    Each folder is opened relative to the previous one without following links, and the file
    itself with O_NOFOLLOW and O_NONBLOCK: a planted link, file, folder or FIFO is replaced,
    never written through or blocked on, even if it is swapped in while the harness writes.
    """
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise PathEscapeError(f"{rel!r} is not a relative path inside {root}")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            child = _open_dir(part, fd)
            os.close(fd)
            fd = child
        name = parts[-1]
        flags = (os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                 | (os.O_APPEND if append else os.O_TRUNC))
        try:
            file_fd = os.open(name, flags, 0o644, dir_fd=fd)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
                raise
            file_fd = -1
        if file_fd >= 0 and not stat.S_ISREG(os.fstat(file_fd).st_mode):
            os.close(file_fd)
            file_fd = -1
        if file_fd < 0:  # a link, FIFO, socket or folder sat there: replace it
            try:
                os.unlink(name, dir_fd=fd)
            except IsADirectoryError:
                shutil.rmtree(os.readlink(f"/proc/self/fd/{fd}") + "/" + name)
            file_fd = os.open(name, flags | os.O_EXCL, 0o644, dir_fd=fd)
        with os.fdopen(file_fd, "a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)
    finally:
        os.close(fd)
