"""Folders moved between a Ray node and the driver as bounded tar archives.

A finished trial's folder travels from the node to the driver's run folder, and a task's files
travel from the driver to a node's cache. Both sides stay bounded: the packer stops adding
files past a cap (and lists what it left out inside the archive), and the driver extracts with
the project's own safe extraction, never `tarfile.extractall` on trust.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from abcbench.sandbox.archive import safe_extract

MAX_ARCHIVE_BYTES = 512 * 2**20
"""What one trial folder may bring back; the sandbox export caps a submission well below."""
MAX_ARCHIVE_FILES = 200_000
SKIPPED_FILE = "TRANSFER-SKIPPED.txt"
"""Written into an archive that hit the cap: the paths that were left on the node."""


def _walk(top: Path) -> list[Path]:
    """Every entry under `top`, parents before children, without following links; the
    submission's files last, so that a capped archive keeps the logs and the verdict."""
    entries: list[Path] = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs.sort()
        base = Path(folder)
        entries += [base / d for d in dirs] + [base / f for f in sorted(files)]
    return sorted(entries, key=lambda p: ("submission" in p.relative_to(top).parts,
                                          len(p.parts)))


def pack(root: Path, *, prefix: str = "", max_bytes: int = MAX_ARCHIVE_BYTES,
         members: Iterable[Path] | None = None) -> bytes:
    """A tar of `root` (or of `members`, paths under root), files past `max_bytes` left out."""
    buf = io.BytesIO()
    total, skipped = 0, []
    paths = list(members) if members is not None else [root]
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for top in paths:
            for path in [top, *_walk(top)] if top.is_dir() and not top.is_symlink() else [top]:
                rel = path.relative_to(root).as_posix()
                if rel == ".":
                    continue
                name = f"{prefix}{rel}"
                if path.is_file() and not path.is_symlink():
                    size = path.stat().st_size
                    if total + size > max_bytes:
                        skipped.append(rel)
                        continue
                    total += size
                tar.add(path, arcname=name, recursive=False)
        if skipped:
            note = ("Left on the node: the trial folder was larger than "
                    f"{max_bytes / 2**20:.0f} MiB.\n" + "\n".join(skipped) + "\n").encode()
            info = tarfile.TarInfo(f"{prefix}{SKIPPED_FILE}")
            info.size = len(note)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(note))
    return buf.getvalue()


def unpack(data: bytes, dest: Path, *, max_bytes: int = MAX_ARCHIVE_BYTES + 2**20,
           max_files: int = MAX_ARCHIVE_FILES) -> None:
    """Extract `data` under `dest` with the caps, by the project's one safe extraction (no
    absolute paths, `..`, devices or links leaving the folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        safe_extract(tar, dest, max_bytes=max_bytes, max_files=max_files)


def land(data: bytes, final: Path, *, keep_out: str | None = None) -> None:
    """Extract `data` beside `final` and move it into place in one rename, replacing what
    was there: a reader sees the old folder or the whole new one. `keep_out` (a top-level
    file name) is removed before the move, for the caller to write atomically after."""
    final.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{final.name}.incoming-", dir=final.parent))
    try:
        os.chmod(incoming, 0o755)
        unpack(data, incoming)
        if keep_out is not None:
            (incoming / keep_out).unlink(missing_ok=True)
        if final.exists():
            shutil.rmtree(final)
        os.rename(incoming, final)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
