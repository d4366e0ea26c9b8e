"""What a run records about where it ran: versions, git revision, image ids."""

from __future__ import annotations

import platform
import socket
from importlib import metadata

from abcbench import __version__
from abcbench.paths import project_root
from abcbench.results.models import Provenance

TRACKED_PACKAGES = ("abcbench", "docker", "pydantic", "httpx", "typer", "rich", "pyyaml")


def git_revision() -> str | None:
    try:
        import git

        repo = git.Repo(project_root(), search_parent_directories=False)
        sha = repo.head.commit.hexsha
        return f"{sha}-dirty" if repo.is_dirty(untracked_files=False) else sha
    except Exception:
        return None


def package_versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def collect(docker_server: str | None, images: dict[str, str]) -> Provenance:
    return Provenance(
        harness_version=__version__,
        git_revision=git_revision(),
        python=platform.python_version(),
        packages=package_versions(),
        docker_server=docker_server,
        images=images,
        hostname=socket.gethostname(),
    )
