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
import io
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
_PYTHON_OF_IMAGE: dict[str, tuple[str, str] | None] = {}
KEY_FILE = "bundle.key"
"""In a Python bundle's volume: its key, so setup can tell it fits the sandbox's python3."""


def volume_name(agent: str, key: str) -> str:
    return f"abcbench-agent-{agent}-{key}"


def engine_machine() -> str:
    """The engine's architecture as `uname -m` prints it in its containers."""
    return str(docker_client().info().get("Architecture") or "x86_64")


def ensure_volume(agent: str, key: str, folder: Path, helper_image: str,
                  archive: Path | None = None) -> str:
    """The filled volume of the cached bundle `folder`, made if missing: its `payload/` tree,
    or the (gzipped) tar `archive` as it is, plus a `bundle.key` file holding `key`."""
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
        made = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.tar"
        try:
            if archive is None:
                _tar(folder / "payload", made)
            else:
                _tar_key(key, made)
            for source in ([archive] if archive is not None else []) + [made]:
                with source.open("rb") as data:  # streamed: a bundle may be 1 GB
                    if not helper.put_archive("/bundle", data):
                        raise RuntimeError(f"the engine refused to fill volume {name}")
        finally:
            made.unlink(missing_ok=True)
            remove_container(helper.id)
        volume.reload()
        (folder / MARKER).write_text(_stamp(volume.attrs), encoding="utf-8")
    return name


def image_python(image: str) -> tuple[str, str] | None:
    """The `<major>.<minor>` and machine of the image's python3 (>= 3.10, as
    harness/agents/ensure_python.sh requires), from a throwaway container; None without one
    (setup then installs Debian's and unpacks the bundle)."""
    probe = ("command -v python3 >/dev/null && python3 -c 'import platform, sys; "
             "assert sys.version_info >= (3, 10); print(\"%d.%d %s\" % (sys.version_info[0], "
             "sys.version_info[1], platform.machine()))' || true")
    client = docker_client()
    image_id = str(client.images.get(image).id)
    if image_id in _PYTHON_OF_IMAGE:  # one probe per image and process
        return _PYTHON_OF_IMAGE[image_id]
    box = client.containers.create(image, entrypoint=["sh", "-c", probe], network_mode="none",
                                   name=f"abcbench-probe-{uuid.uuid4().hex[:10]}",
                                   labels=L.managed(role="python-probe"))
    try:
        box.start()
        box.wait(timeout=120)
        words = box.logs(stdout=True, stderr=False).decode(errors="replace").split()
    finally:
        remove_container(box.id)
    found = (words[0], words[1]) if len(words) == 2 else None
    _PYTHON_OF_IMAGE[image_id] = found
    return found


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


def _tar_key(key: str, dest: Path) -> None:
    data = key.encode()
    info = tarfile.TarInfo(KEY_FILE)
    info.size, info.mode = len(data), 0o644
    with tarfile.open(dest, mode="w") as tar:
        tar.addfile(info, io.BytesIO(data))


def _tar(payload: Path, dest: Path) -> None:
    """The payload tree as a tar owned by root, modes kept (the executables are 0755)."""

    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(dest, mode="w") as tar:
        for child in sorted(payload.iterdir()):
            tar.add(child, arcname=child.name, filter=as_root)
