"""The one tar extraction of the project: our own member checks, whatever the Python version.

Archives come out of agent-controlled containers, and datasets are downloaded input: every member
is judged before it is written: no absolute names, no `..`, no device or fifo, no link leaving the
root, no path that walks through a symlink, and caps on total size and file count. `tarfile`'s
`data` filter is not relied on (it is missing before Python 3.11.4 and had bypasses fixed in later
patch releases).

Two modes. A sandbox export is read as a stream and an unsafe member is skipped (the rest of the
submission still counts). With `check_first` (a downloaded dataset, which must be whole or
nothing) every member is judged before anything is written, an unsafe one refuses the archive,
and a refusal found only while writing removes what was written.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from abcbench.sandbox.base import ExportTooLarge

CHUNK = 1024 * 1024


class UnsafeMember(Exception):
    """`check_first` mode: the archive holds a member that may not be written (the reason)."""


@dataclass
class Extracted:
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)
    """Members refused (unsafe name, link out of the tree, device): not written, not fatal."""


def member_path(name: str) -> str | None:
    """The member's path relative to the root, normalised; None if it would leave the root."""
    if name.startswith("/") or "\\" in name or "\0" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _inside(rel_target: str) -> bool:
    norm = posixpath.normpath(rel_target)
    return not (norm.startswith("/") or norm == ".." or norm.startswith("../"))


def _safe_parent(root: Path, rel: str) -> Path | None:
    """Create the member's parent folders, refusing any component that is not a real folder."""
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            os.mkdir(current, 0o755)
            continue
        if not stat.S_ISDIR(mode):
            return None  # a symlink (or file) planted as a folder: do not walk through it
    return current


def _write_file(src: IO[bytes], target: Path, mode: int) -> None:
    if os.path.lexists(target):
        if os.path.isdir(target) and not os.path.islink(target):
            raise IsADirectoryError(str(target))
        os.unlink(target)  # replace, never write through what is there
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, mode & 0o755 | 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)


def refusal(member: tarfile.TarInfo) -> str | None:
    """Why `member` may not be written (judged by its header alone), or None when it may."""
    rel = member_path(member.name)
    if rel is None:
        return f"member {member.name!r} points outside the destination"
    if member.issym():
        if member.linkname.startswith("/") or not _inside(
                posixpath.join(posixpath.dirname(rel), member.linkname)):
            return f"link {member.name!r} -> {member.linkname!r} points outside the destination"
    elif member.islnk():
        if not member_path(member.linkname):
            return f"link {member.name!r} -> {member.linkname!r} points outside the destination"
    elif not (member.isfile() or member.isdir()):
        return f"member {member.name!r} is a device, FIFO or other special file"
    return None


def check_all(tar: tarfile.TarFile, *, max_bytes: int, max_files: int) -> None:
    """Judge every member of a seekable archive before anything is written: UnsafeMember for
    the first unsafe one (a path through a link the archive itself plants included),
    ExportTooLarge past the caps."""
    links: set[str] = set()
    size = 0
    for files, member in enumerate(tar.getmembers(), start=1):
        problem = refusal(member)
        rel = member_path(member.name) or ""
        parents = rel.split("/")[:-1]
        if problem is None and any("/".join(parents[:i + 1]) in links
                                   for i in range(len(parents))):
            problem = f"member {member.name!r} is reached through a link in the archive"
        if problem is not None:
            raise UnsafeMember(problem)
        if member.issym():
            links.add(rel)
        size += member.size if member.isfile() else 0
        if files > max_files or size > max_bytes:
            raise ExportTooLarge(f"more than {max_files} files or {max_bytes} bytes")


def safe_extract(tar: tarfile.TarFile, dest: Path, *, max_bytes: int, max_files: int,
                 check_first: bool = False) -> Extracted:
    """Extract `tar` under `dest`; raise ExportTooLarge past the caps (checked before writing).

    `check_first` (a seekable archive only): refuse the whole archive (UnsafeMember) rather
    than skip a member, before writing anything when its headers tell (`check_all`), else by
    removing `dest` again if this call created it.
    """
    if check_first:
        check_all(tar, max_bytes=max_bytes, max_files=max_files)
    created = not os.path.lexists(dest)
    done = _extract_all(tar, dest, max_bytes=max_bytes, max_files=max_files)
    if check_first and done.skipped:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        raise UnsafeMember(f"member {done.skipped[0]!r} would leave the destination")
    return done


def _extract_all(tar: tarfile.TarFile, dest: Path, *, max_bytes: int,
                 max_files: int) -> Extracted:
    dest.mkdir(parents=True, exist_ok=True)
    root = Path(os.path.realpath(dest))
    done = Extracted()
    for member in tar:
        rel = member_path(member.name)
        if rel is None:
            done.skipped.append(member.name)
            continue
        if not rel:
            continue  # the root folder itself
        done.files += 1
        if done.files > max_files:
            raise ExportTooLarge(f"more than {max_files} files: raise the export cap or have "
                                 "the agent delete generated files")
        if member.isfile():
            done.bytes += member.size
            if done.bytes > max_bytes:
                raise ExportTooLarge(f"more than {max_bytes / 2**20:.1f} MiB of files "
                                     "(sparse files count at their full size)")
        try:
            if not _extract_member(tar, member, root, rel):
                done.skipped.append(member.name)
        except OSError:
            done.skipped.append(member.name)  # e.g. a file where the tree already has a folder
    done.skipped += _drop_escaping_links(root)
    return done


def _drop_escaping_links(root: Path) -> list[str]:
    """Links that stay inside lexically can still leave through a chain (`a -> ..`, then
    `b -> a/..`): resolve every link for real and remove those that end outside the root."""
    dropped = []
    prefix = str(root) + os.sep
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path) and not os.path.realpath(path).startswith(prefix):
                os.unlink(path)
                dropped.append(os.path.relpath(path, root))
    return dropped


def _extract_member(tar: tarfile.TarFile, member: tarfile.TarInfo, root: Path,
                    rel: str) -> bool:
    """Write one member; False if it was refused."""
    parent = _safe_parent(root, rel)
    if parent is None:
        return False
    target = parent / rel.rsplit("/", 1)[-1]
    if member.isdir():
        if os.path.lexists(target) and not os.path.isdir(target):
            os.unlink(target)
        if not os.path.lexists(target):
            os.mkdir(target, 0o755)
        return True
    if member.issym():
        if refusal(member) is not None:
            return False  # a link out of the tree is not part of a submission
        if os.path.lexists(target):
            os.unlink(target)
        os.symlink(member.linkname, target)
        return True
    if member.islnk():
        source_rel = member_path(member.linkname)
        source = _resolve_existing(root, source_rel) if source_rel else None
        if source is None:
            return False
        with open(source, "rb") as src:  # a copy, never a link to something outside
            _write_file(src, target, os.lstat(source).st_mode)
        return True
    if not member.isfile():
        return False  # devices, fifos
    handle = tar.extractfile(member)
    if handle is None:
        return False
    _write_file(handle, target, member.mode)
    os.utime(target, (member.mtime, member.mtime), follow_symlinks=False)
    return True


def _resolve_existing(root: Path, rel: str) -> Path | None:
    """A regular file already extracted under root, reached without any symlink."""
    current = root
    for part in rel.split("/"):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(mode):
            return None
    return current if stat.S_ISREG(os.lstat(current).st_mode) else None
