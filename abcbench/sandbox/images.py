"""Image primitives: build from a Dockerfile, import a root filesystem, tag, list, remove.

Builds use the classic builder through the engine API (no BuildKit frontend to pull), stream
their log to a file, and are cancelled by closing the stream when they overrun their time.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docker.errors import APIError, ImageNotFound

from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client


class ImageBuildError(Exception):
    """The build ran and failed (or overran); `log_tail` holds its last lines."""

    def __init__(self, message: str, log_tail: str = "", timed_out: bool = False) -> None:
        super().__init__(message)
        self.log_tail = log_tail
        self.timed_out = timed_out


@dataclass(frozen=True)
class ImageInfo:
    id: str
    tags: list[str]
    labels: dict[str, str]
    size_bytes: int
    created: str


def image_exists(ref: str) -> bool:
    try:
        docker_client().images.get(ref)
        return True
    except ImageNotFound:
        return False


def image_id(ref: str) -> str:
    return str(docker_client().images.get(ref).id)


def tag_image(ref: str, repository: str, tag: str) -> None:
    docker_client().images.get(ref).tag(repository, tag)


def build_image(
    context: Path,
    tag: str,
    *,
    dockerfile: str = "Dockerfile",
    buildargs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    log_path: Path,
    timeout_sec: float = 1800,
    cancel: threading.Event | None = None,
    nocache: bool = False,
) -> str:
    """Build `context` with the classic builder; return the image id. Raises ImageBuildError.

    Closing the build stream makes the engine cancel the build: that is how an overrun, or a
    `cancel` event (the run is stopping), ends it.
    """
    api = docker_client().api
    log_path.parent.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {}
    stream_holder: dict[str, Any] = {}
    step_ids: list[str] = []

    def consume() -> None:
        try:
            stream = api.build(
                path=str(context),
                dockerfile=dockerfile,
                tag=tag,
                buildargs=buildargs or {},
                labels=labels or {},
                rm=True,
                forcerm=True,
                pull=False,
                nocache=nocache,
                decode=True,
            )
            stream_holder["stream"] = stream
            with log_path.open("w", encoding="utf-8") as log:
                for chunk in stream:
                    if "stream" in chunk:
                        log.write(chunk["stream"])
                        step_ids.extend(STEP_ID.findall(chunk["stream"]))
                    elif "error" in chunk:
                        log.write(f"ERROR: {chunk['error']}\n")
                        result["error"] = chunk["error"]
                    elif "aux" in chunk and "ID" in chunk["aux"]:
                        result["id"] = chunk["aux"]["ID"]
                    log.flush()
        except (APIError, OSError, ValueError) as exc:  # bad Dockerfile path, closed stream
            result.setdefault("error", f"{exc.__class__.__name__}: {exc}")

    worker = threading.Thread(target=consume, name=f"build-{tag}", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout_sec
    while worker.is_alive() and time.monotonic() < deadline:
        if cancel is not None and cancel.is_set():
            break
        worker.join(min(1.0, max(deadline - time.monotonic(), 0.0)))
    if worker.is_alive():
        stream = stream_holder.get("stream")
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        worker.join(10)
        if cancel is not None and cancel.is_set():
            raise ImageBuildError(f"image build of {tag} cancelled", _tail(log_path))
        raise ImageBuildError(
            f"image build of {tag} exceeded {timeout_sec:.0f}s", _tail(log_path), timed_out=True
        )
    if "error" in result or ("id" not in result and not image_exists(tag)):
        if nocache:
            _remove_untagged(step_ids)
        raise ImageBuildError(
            f"image build of {tag} failed: {result.get('error', 'no image produced')}".strip(),
            _tail(log_path),
        )
    return str(result.get("id") or image_id(tag))


STEP_ID = re.compile(r"^ ---> ([0-9a-f]{12})$", re.MULTILINE)


def _remove_untagged(image_ids: list[str]) -> None:
    """The layers a failed build committed before it failed: nothing else refers to them (the
    build shared no cache), so they would stay as dangling images. Tagged ones (the FROM image)
    are kept."""
    api = docker_client().api
    for image_id in reversed(image_ids):
        for _ in range(10):  # the failed step's container may still be going away
            try:
                if not api.inspect_image(image_id).get("RepoTags"):
                    api.remove_image(image_id, force=False, noprune=False)
                break
            except ImageNotFound:
                break
            except APIError:
                time.sleep(0.5)


def import_rootfs(tarball: Path, repository: str, tag: str, changes: list[str]) -> str:
    """`docker import` a root filesystem tarball with Dockerfile-style `changes`."""
    api = docker_client().api
    api.import_image_from_file(str(tarball), repository=repository, tag=tag, changes=changes)
    return image_id(f"{repository}:{tag}")


def list_images(**label_filter: str) -> list[ImageInfo]:
    found = docker_client().images.list(filters={"label": L.selector(**label_filter)})
    return [
        ImageInfo(
            id=str(img.id),
            tags=list(img.tags),
            labels=dict(img.labels or {}),
            size_bytes=int(img.attrs.get("Size", 0)),
            created=str(img.attrs.get("Created", "")),
        )
        for img in found
    ]


def remove_image(ref: str, *, force: bool = True) -> bool:
    try:
        docker_client().images.remove(ref, force=force, noprune=False)
        return True
    except ImageNotFound:
        return False


def prune_dangling_managed() -> None:
    """Drop untagged layers left by our builds (the classic builder keeps them as cache)."""
    docker_client().images.prune(filters={"dangling": True, "label": [f"{L.MANAGED}=true"]})


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "".join(path.read_text(encoding="utf-8", errors="replace").splitlines(True)[-lines:])
    except OSError:
        return ""
