"""Where the project's data directories are: bundled tasks, image recipes, in-container files.

An installed wheel carries them as package data in `abcbench/_data/` (copied there at build
time by setup.py); a checkout (`pip install -e .`) keeps them beside the package. ABCBENCH_HOME
overrides both, for a copy kept elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIRS = ("tasks", "dockerfiles", "harness")
PACKAGE_DIR = Path(__file__).resolve().parent


def _holds_data(root: Path) -> bool:
    return all((root / name).is_dir() for name in DATA_DIRS)


def project_root() -> Path:
    """The folder holding tasks/, dockerfiles/ and harness/.

    The installed package data comes first: an installed abcbench must not pick up whatever
    `tasks/` folder happens to sit next to site-packages.
    """
    env = os.environ.get("ABCBENCH_HOME")
    if env:
        return Path(env).resolve()
    installed = PACKAGE_DIR / "_data"
    if _holds_data(installed):
        return installed
    return PACKAGE_DIR.parent



def bundled_tasks_dir() -> Path:
    return project_root() / "tasks"


def dockerfiles_dir() -> Path:
    return project_root() / "dockerfiles"


def harness_dir() -> Path:
    return project_root() / "harness"


def cache_dir() -> Path:
    """Per-user cache: image build locks, the rootfs .deb cache, pulled datasets."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "abcbench"
    path.mkdir(parents=True, exist_ok=True)
    return path
