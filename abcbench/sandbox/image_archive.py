"""`docker save` / `docker load` of recipe images, for Docker hosts that should not build
(cluster nodes, air-gapped machines). The CLI is used because it writes several images into
one archive with their shared layers once (the base image is under every language image)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from abcbench.errors import UserError

SAVE_TIMEOUT_SEC = 3600
LOADED = "Loaded image: "


def _docker() -> str:
    found = shutil.which("docker")
    if found is None:
        raise UserError("`docker` (the CLI) is not on PATH; install it beside the engine to "
                        "export or import images")
    return found


def save(refs: list[str], archive: Path) -> None:
    """Write `refs` (with their tags) into one tar, atomically."""
    partial = archive.with_name(f".{archive.name}.partial")
    try:
        done = subprocess.run([_docker(), "save", "-o", str(partial), *refs],
                              capture_output=True, text=True, timeout=SAVE_TIMEOUT_SEC)
        if done.returncode != 0:
            raise UserError(f"docker save failed: {done.stderr.strip()[-500:]}")
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)


def load(archive: Path) -> list[str]:
    """Load an archive made by `save`; the tags it brought."""
    if not archive.is_file():
        raise UserError(f"{archive}: no such file; make it with `abcbench images export`")
    done = subprocess.run([_docker(), "load", "-i", str(archive)], capture_output=True,
                          text=True, timeout=SAVE_TIMEOUT_SEC)
    if done.returncode != 0:
        raise UserError(f"docker load {archive} failed: {done.stderr.strip()[-500:]}")
    return [line[len(LOADED):].strip() for line in done.stdout.splitlines()
            if line.startswith(LOADED)]
