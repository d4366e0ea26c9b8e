"""Unpack a downloaded archive without trusting it (datasets are input, not code).

Every member is checked before anything is written: no absolute path, no `..`, no link that
points outside the destination, no device, FIFO or other special file, and a bounded total
size. Python's `data` extraction filter then applies the same rules again while writing.
"""

from __future__ import annotations

import gzip
import posixpath
import tarfile
import zlib
from pathlib import Path

from abcbench.errors import UserError

MAX_UNPACKED_BYTES = 16 * 1024**3


class UnsafeArchive(UserError):
    """The archive is corrupt or holds a member that would land outside its destination."""


def _inside(path: str) -> bool:
    norm = posixpath.normpath(path)
    return not (posixpath.isabs(path) or norm == ".." or norm.startswith("../"))


def check_member(member: tarfile.TarInfo) -> str | None:
    """Why `member` may not be unpacked, or None when it may."""
    name = member.name
    if not _inside(name):
        return f"member {name!r} points outside the destination"
    if member.issym() or member.islnk():
        target = member.linkname
        if member.issym():
            target = posixpath.join(posixpath.dirname(name), target)
        if posixpath.isabs(member.linkname) or not _inside(target):
            return f"link {name!r} -> {member.linkname!r} points outside the destination"
    elif not (member.isfile() or member.isdir()):
        return f"member {name!r} is a device, FIFO or other special file"
    return None


def safe_extract(archive: Path, dest: Path, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Unpack the tar archive `archive` (any compression tarfile reads) into `dest`."""
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            total = 0
            for member in members:
                problem = check_member(member)
                if problem:
                    raise UnsafeArchive(f"{archive.name}: {problem}; refused, nothing unpacked")
                total += member.size
            if total > max_bytes:
                raise UnsafeArchive(f"{archive.name} would unpack to {total} bytes, over the "
                                    f"limit of {max_bytes}; refused")
            dest.mkdir(parents=True, exist_ok=True)
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise UnsafeArchive(f"{archive.name} is not a readable tar archive ({exc}): the "
                            "download is corrupt or incomplete; pull it again") from None
