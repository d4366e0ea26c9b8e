"""Where the project's data directories are: bundled tasks, image recipes, in-container files.

They live beside the package in a checkout (`pip install -e .`); ABCBENCH_HOME overrides that,
for an install that keeps them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("ABCBENCH_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parent.parent


def bundled_tasks_dir() -> Path:
    return project_root() / "tasks"


def dockerfiles_dir() -> Path:
    return project_root() / "dockerfiles"


def harness_dir() -> Path:
    return project_root() / "harness"


def cache_dir() -> Path:
    """Per-user cache: image build locks and the rootfs .deb cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "abcbench"
    path.mkdir(parents=True, exist_ok=True)
    return path
