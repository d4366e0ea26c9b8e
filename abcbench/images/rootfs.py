"""Root filesystems from Debian packages with mmdebstrap: the one step that needs no registry.

The apt sources are derived from the host's own (its suite renamed to the recipe's), so no
archive host is written in the project; ABCBENCH_APT_SOURCES names a deb822 file to use instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from abcbench.errors import UserError
from abcbench.images.recipe import RootfsSpec

SLIM_DPKG_OPTIONS = (
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/locale/*",
    "path-exclude=/usr/share/doc/*",
    "path-exclude=/usr/share/info/*",
)
MERGED_USR_HOOKS = Path("/usr/share/mmdebstrap/hooks/merged-usr")


def _host_codename() -> str:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r"^VERSION_CODENAME=\"?([a-z]+)\"?$", text, re.MULTILINE)
    return match.group(1) if match else ""


def apt_sources_for(suite: str) -> str:
    """A deb822 sources text for `suite`, made from the host's Debian sources."""
    override = os.environ.get("ABCBENCH_APT_SOURCES")
    if override:
        return Path(override).read_text(encoding="utf-8")
    host = _host_codename()
    candidates = sorted(Path("/etc/apt/sources.list.d").glob("*.sources"))
    for path in candidates:
        text = path.read_text(encoding="utf-8")
        if "Suites:" in text and host and re.search(rf"\b{host}\b", text):
            return re.sub(rf"\b{host}\b", suite, text)
    legacy = Path("/etc/apt/sources.list")
    if legacy.is_file() and host:
        lines = [
            re.sub(rf"\b{host}\b", suite, line)
            for line in legacy.read_text(encoding="utf-8").splitlines()
            if line.startswith("deb ")
        ]
        if lines:
            return "\n".join(lines) + "\n"
    raise UserError(
        "cannot derive Debian apt sources from this host (no Debian sources under /etc/apt); "
        "write a deb822 sources file for the recipe's suite and set ABCBENCH_APT_SOURCES to it"
    )


def build_rootfs_tar(spec: RootfsSpec, dest: Path, log_path: Path, timeout_sec: float) -> None:
    """Run mmdebstrap into the tarball `dest`; raise UserError if it cannot run at all."""
    if shutil.which("mmdebstrap") is None:
        raise UserError("mmdebstrap is not installed; install it with `apt-get install mmdebstrap`")
    work = dest.parent
    sources = work / f"{spec.suite}.sources"
    sources.write_text(apt_sources_for(spec.suite), encoding="utf-8")
    slim = work / "slim.cfg"
    slim.write_text("\n".join(SLIM_DPKG_OPTIONS) + "\n", encoding="utf-8")
    cmd = [
        "mmdebstrap",
        f"--variant={spec.variant}",
        f"--dpkgopt={slim}",
        "--setup-hook=mkdir -p \"$1\"/usr/share/man/man1",
        "--customize-hook=chroot \"$1\" dpkg-query -W > \"$1\"/etc/abcbench-packages.txt",
        "--format=tar",
    ]
    if MERGED_USR_HOOKS.is_dir():
        cmd.insert(2, f"--hook-dir={MERGED_USR_HOOKS}")
    if spec.packages:
        cmd.append("--include=" + ",".join(spec.packages))
    cmd += [spec.suite, str(dest), str(sources)]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        try:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, timeout=timeout_sec)
        except subprocess.TimeoutExpired:
            raise UserError(f"mmdebstrap overran {timeout_sec:.0f}s; see {log_path}") from None
    if proc.returncode != 0:
        raise UserError(f"mmdebstrap failed (exit {proc.returncode}); see {log_path}")
