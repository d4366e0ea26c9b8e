"""Harbor's published ATIF models (PyPI `harbor`, `harbor.models.trajectories`): the
authoritative check of a trajectory, beside the local JSON Schema written from the RFC.

Harbor needs Python >= 3.12 to install, but its trajectory models are plain pydantic v2; the
wheel is downloaded once (`pip download --no-deps`, pure Python), unpacked under the user cache
and imported from there. Nothing of it is vendored here.
"""

from __future__ import annotations

import functools
import importlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from abcbench.paths import cache_dir

HARBOR = "harbor==0.26.0"


class HarborUnavailable(RuntimeError):
    """pip could not fetch Harbor's wheel (no package index reachable)."""


@functools.cache
def harbor_trajectory_model() -> Any:
    """`harbor.models.trajectories.Trajectory` of the pinned release."""
    root = cache_dir() / "test-deps" / HARBOR.replace("==", "-")
    if not (root / "harbor" / "models" / "trajectories").is_dir():
        with tempfile.TemporaryDirectory(prefix="abcbench-harbor-") as tmp:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--disable-pip-version-check", "--only-binary=:all:", "--python-version",
                 "3.12", "-d", tmp, HARBOR], capture_output=True, text=True, timeout=180,
                check=False)
            wheels = list(Path(tmp).glob("harbor-*.whl"))
            if proc.returncode != 0 or not wheels:
                raise HarborUnavailable(f"pip download {HARBOR} failed: {proc.stderr[-500:]}")
            staging = Path(tempfile.mkdtemp(prefix=".harbor-", dir=root.parent.mkdir(
                parents=True, exist_ok=True) or root.parent))
            with zipfile.ZipFile(wheels[0]) as wheel:
                wheel.extractall(staging)
            staging.rename(root)
    if str(root) not in sys.path:
        sys.path.append(str(root))
    module = importlib.import_module("harbor.models.trajectories")
    return module.Trajectory


def validate_with_harbor(data: dict[str, Any]) -> None:
    """Raises pydantic's ValidationError when Harbor's models refuse the trajectory."""
    harbor_trajectory_model().model_validate(data)
