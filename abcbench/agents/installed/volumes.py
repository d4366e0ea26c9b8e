"""Installed agents' bundles as read-only Docker volumes, filled once per bundle key.

Copying a 250 MB executable into every sandbox cost 5-10 s on a quiet machine and 35-45 s on a
busy one, inside the agent's time. Instead the cached payload (`bundle.ensure_wheel_binaries`)
is written once into a named volume (`abcbench-agent-<name>-<key>`), which each sandbox mounts
read-only at the agent's install folder when it is created: setup is then O(1) in the bundle's
size. What the agent writes (its home, logs, config) goes to /tmp in the sandbox's own layer.

A volume is filled through a created (never started) helper container of the sandbox's image,
under the bundle's host lock; a host marker beside the cached bundle, naming the volume's
creation time, says it was filled to the end (a volume without it, or another volume of that
name, is refilled). The volumes carry the project's labels (`abcbench.kind=agent-bundle`) and
are a cache like the images: `abcbench images prune` removes those no container uses.
"""

from __future__ import annotations

import contextlib
import tarfile
import uuid
from pathlib import Path

from docker.errors import APIError, NotFound
from docker.types import Mount

from abcbench.agents.installed.bundle import _locked
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import remove_container

KIND_AGENT_BUNDLE = "agent-bundle"
MARKER = "volume.ready"


def volume_name(agent: str, key: str) -> str:
    return f"abcbench-agent-{agent}-{key}"


def engine_machine() -> str:
    """The engine's architecture as `uname -m` prints it in its containers."""
    return str(docker_client().info().get("Architecture") or "x86_64")


def ensure_volume(agent: str, key: str, folder: Path, helper_image: str) -> str:
    """The filled volume of the cached bundle `folder` (its `payload/` tree), made if missing."""
    name = volume_name(agent, key)
    if _ready(name, folder):
        return name
    with _locked(folder.parent / f".{folder.name}.volume.lock"):
        if _ready(name, folder):
            return name
        client = docker_client()
        with contextlib.suppress(NotFound):
            client.volumes.get(name).remove(force=True)  # a half-filled one
        volume = client.volumes.create(name=name, labels=L.managed(
            kind=KIND_AGENT_BUNDLE, bundle=f"{agent}-{key}"))
        helper = client.containers.create(
            helper_image, command=["true"], name=f"abcbench-fill-{uuid.uuid4().hex[:10]}",
            labels=L.managed(role="bundle-fill"), network_mode="none",
            mounts=[Mount("/bundle", name, type="volume")])
        archive = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.tar"
        try:
            _tar(folder / "payload", archive)
            with archive.open("rb") as data:  # streamed: the payload may be 1 GB
                if not helper.put_archive("/bundle", data):
                    raise RuntimeError(f"the engine refused to fill volume {name}")
        finally:
            archive.unlink(missing_ok=True)
            remove_container(helper.id)
        volume.reload()
        (folder / MARKER).write_text(_stamp(volume.attrs), encoding="utf-8")
    return name


def mount(name: str, target: str) -> Mount:
    """The read-only mount of a bundle volume (never seeded from the image's files)."""
    return Mount(target, name, type="volume", read_only=True, no_copy=True)


def remove_volumes(**label_filter: str) -> list[str]:
    """Every bundle volume no container uses (`abcbench images prune`), or those of
    `label_filter` (e.g. `bundle="codex-<key>"`)."""
    removed: list[str] = []
    client = docker_client()
    flt = {"label": L.selector(kind=KIND_AGENT_BUNDLE, **label_filter)}
    for volume in client.volumes.list(filters=flt):
        with contextlib.suppress(NotFound, APIError):  # in use by a live sandbox: kept
            volume.remove()
            removed.append(str(volume.name))
    return removed


def _ready(name: str, folder: Path) -> bool:
    marker = folder / MARKER
    if not marker.is_file():
        return False
    try:
        attrs = docker_client().volumes.get(name).attrs
    except NotFound:
        return False
    labels = attrs.get("Labels") or {}  # one Docker made empty for a mount has none
    return labels.get(L.KIND) == KIND_AGENT_BUNDLE and \
        marker.read_text(encoding="utf-8") == _stamp(attrs)


def _stamp(attrs: dict[str, object]) -> str:
    return f"{attrs.get('Name')} {attrs.get('CreatedAt')}"


def _tar(payload: Path, dest: Path) -> None:
    """The payload tree as a tar owned by root, modes kept (the executables are 0755)."""

    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(dest, mode="w") as tar:
        for child in sorted(payload.iterdir()):
            tar.add(child, arcname=child.name, filter=as_root)
