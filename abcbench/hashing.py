"""Content hashes of directory trees: task versions and image recipe tags depend on them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

IGNORED_NAMES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".git", ".DS_Store"})


def iter_tree_files(root: Path) -> Iterable[Path]:
    """Files under `root`, sorted, minus caches and VCS folders (they change, content does not)."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in IGNORED_NAMES for part in rel.parts) or path.suffix == ".pyc":
            continue
        if path.is_file():
            yield path


def hash_tree(root: Path) -> str:
    """sha256 over relative paths, executable bits and contents of every file under `root`.

    A symlink counts by where it points, not by what it reaches: a tree from a downloaded
    dataset may link to any file on the host, which hashing must not read.
    """
    h = hashlib.sha256()
    for path in iter_tree_files(root):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            h.update(f"{rel}\0L\0{os.readlink(path)}\0".encode())
            continue
        executable = "x" if path.stat().st_mode & 0o111 else "-"
        h.update(f"{rel}\0{executable}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def hash_parts(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()
