"""Image primitives: build from a Dockerfile, import a root filesystem, tag, list, remove.

Builds use the classic builder through the engine API (no BuildKit frontend to pull), stream
their log to a file, and are stopped for real when they overrun their time (stream shut, step
container killed, layers removed).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docker import utils as docker_utils
from docker.errors import APIError, ImageNotFound, NotFound

from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client, typed_engine_error


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


BUILD_OUTPUT_MAX_BYTES = 64 * 1024 * 1024
"""What a build may print before it is stopped: the engine keeps each step container's output
in its own log until the step ends, and the harness streams all of it."""
BUILD_LOG_MAX_BYTES = 8 * 1024 * 1024
"""What of a build's output the build log keeps (the head; the tail goes in the error)."""
DISK_POLL_SEC = 2.0
LATE_LAYER_WAIT_SEC = 30.0
"""How long an overrun build waits for the engine to finish the step it was in, so the layer it
may still commit is removed with the rest (a cancel waits for nothing: the run's sweep does)."""
LATE_QUIET_SEC = 2.0


@dataclass(frozen=True)
class BuildLimits:
    """Resource limits on every step of a build (each `RUN` is a container of its own)."""

    cpus: float
    memory_mb: int
    cgroup_parent: str | None = None
    """A cgroup every step container is created under: the build jail's, which carries the
    pids cap (the build API has no pids option)."""
    disk_mb: int | None = None
    """The task's disk budget, per step: the largest file a step may write (RLIMIT_FSIZE, set
    on every step container) and what its writable layer may hold (watched; the build is
    stopped past it)."""


@dataclass
class _BuildState:
    response: Any = None
    error: str | None = None
    """The error line of the build stream: the build ran and failed (the submission's)."""
    failure: BaseException | None = None
    """What the reading thread raised, its type kept: the policy tells whose it is."""
    image: str | None = None
    containers: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    aborted: bool = False
    """Set when the harness stops the build at once (a cancel, or a drain that overran): the
    reader shuts the stream as soon as it has one (even one that arrives after the stop)."""
    draining: bool = False
    """Set when an overrun build is wound down: the reader removes every step container the
    moment it starts, so the engine fails the build itself and ends the stream; its end says
    the engine has let go (no later commit can come)."""
    printed: int = 0


def build_image(
    context: Path,
    tag: str,
    *,
    dockerfile: str = "Dockerfile",
    buildargs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    log_path: Path,
    log_preamble: str = "",
    timeout_sec: float = 1800,
    cancel: threading.Event | None = None,
    nocache: bool = False,
    network: bool = True,
    limits: BuildLimits | None = None,
    dockerfile_text: str | None = None,
    step_ids: list[str] | None = None,
    step_labels: dict[str, str] | None = None,
) -> str:
    """Build `context` with the classic builder; return the image id. Raises ImageBuildError.

    With `dockerfile_text` the Dockerfile is sent in the build's tar under the name
    `dockerfile` and never written into `context`; the engine drops it from the context, so a
    `COPY . .` does not copy it (docker-py's mechanism for a Dockerfile outside the context).
    `step_ids` receives the id each step left, in order, once the build succeeded.
    `step_labels`: labels every step container and layer of this build carries (the
    Dockerfile's own LABEL after each FROM); a stopped build waits for the engine to let go of
    its step and removes whatever carries them, so a layer committed after the stop is removed.

    On an overrun or a `cancel` (the run is stopping) the build is really stopped: its HTTP
    stream is shut down (the engine cancels the build), the step container that is running is
    killed and removed, and the layers it committed are removed.
    """
    api = docker_client().api
    log_path.parent.mkdir(parents=True, exist_ok=True)
    state = _BuildState()
    params = _build_params(tag, dockerfile, buildargs, labels, nocache, network, limits)

    def consume() -> None:
        try:
            exclude = _dockerignore(context)
            with docker_utils.tar(str(context), exclude=exclude,
                                  dockerfile=(dockerfile, dockerfile_text)) as body:
                state.response = api._post(
                    api._url("/build"), params=params, data=body, stream=True, timeout=None,
                    headers={"Content-Type": "application/tar"})
            if state.aborted:  # the stop came while the context was being sent
                _shut(state.response)
                return
            api._raise_for_status(state.response)
            with log_path.open("w", encoding="utf-8") as log:
                log.write(log_preamble)
                for chunk in api._stream_helper(state.response, decode=True):
                    _record(chunk, state, log)
                    if state.aborted:
                        _shut(state.response)
                        return
        except Exception as exc:  # a stream shut under it fails in many ways
            if state.error is None and state.failure is None:
                state.failure = exc

    worker = threading.Thread(target=consume, name=f"build-{tag}", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout_sec
    disk_bytes = limits.disk_mb * 1024 * 1024 if limits and limits.disk_mb else None
    next_disk_check, over = time.monotonic() + DISK_POLL_SEC, ""
    while worker.is_alive() and time.monotonic() < deadline:
        if cancel is not None and cancel.is_set():
            break
        if state.printed > BUILD_OUTPUT_MAX_BYTES:
            over = (f"the build printed more than {BUILD_OUTPUT_MAX_BYTES >> 20} MiB; it was "
                    "stopped")
            break
        if disk_bytes is not None and time.monotonic() >= next_disk_check:
            next_disk_check = time.monotonic() + DISK_POLL_SEC
            over = _step_over_disk(state, disk_bytes)
            if over:
                break
        worker.join(min(0.5, max(deadline - time.monotonic(), 0.0)))
    if worker.is_alive():
        stopping = cancel is not None and cancel.is_set()
        if step_labels and not stopping:
            _drain(state, worker, step_labels, LATE_LAYER_WAIT_SEC)
        # A stopping run must exit within 2 s (README): wait briefly for the reader and the
        # layers; the trial's and the run's label sweeps remove what is left.
        _abort(state, worker, join_sec=STOP_WAIT_SEC if stopping else 15)
        _remove_untagged(state.layers, patience_sec=STOP_WAIT_SEC if stopping else 5)
        if step_labels:
            _remove_late(step_labels, worker, 0.0 if stopping else LATE_LAYER_WAIT_SEC)
            with contextlib.suppress(ImageNotFound, APIError):  # a build that ended anyway
                api.remove_image(tag, force=True, noprune=False)
        if stopping:
            raise ImageBuildError(f"image build of {tag} cancelled", _tail(log_path))
        if over:
            raise ImageBuildError(f"image build of {tag} failed: {over}", _tail(log_path))
        raise ImageBuildError(
            f"image build of {tag} exceeded {timeout_sec:.0f}s", _tail(log_path), timed_out=True
        )
    if state.failure is not None:
        _remove_containers(state.containers)
        if nocache:
            _remove_untagged(state.layers)
        raise _reading_failure(state.failure, tag, log_path) from state.failure
    if state.error is not None or (state.image is None and not image_exists(tag)):
        _remove_containers(state.containers)
        if nocache:
            _remove_untagged(state.layers)
        raise ImageBuildError(
            f"image build of {tag} failed: {state.error or 'no image produced'}".strip(),
            _tail(log_path),
        )
    if step_ids is not None:
        step_ids.extend(state.layers)
    return str(state.image or image_id(tag))


def _reading_failure(exc: BaseException, tag: str, log_path: Path) -> BaseException:
    """What a build whose reading thread raised `exc` fails with, by the exception's type
    only: a lost connection or a 5xx is the engine's (typed); a 4xx answer to the build request
    is the engine refusing the submission's build (e.g. a Dockerfile it cannot parse); anything
    else is the harness's own fault, raised as it is."""
    typed = typed_engine_error(exc, f"the build of {tag}")
    if typed is not exc:
        return typed
    if isinstance(exc, APIError):
        return ImageBuildError(f"image build of {tag} refused by the engine: "
                               f"{exc.explanation or exc}", _tail(log_path))
    return exc


def context_files(context: Path, dockerfile: str) -> list[str]:
    """The paths of `context` a build sends (after `.dockerignore`), as `build_image` with
    `dockerfile_text` sends them: what a `COPY` can read."""
    return sorted(docker_utils.exclude_paths(str(context), _dockerignore(context) or [],
                                             dockerfile=dockerfile))


STEP_ID = re.compile(r"^ ---> ([0-9a-f]{12})$", re.MULTILINE)
RUNNING_IN = re.compile(r"^ ---> Running in ([0-9a-f]{12})$", re.MULTILINE)


def _build_params(tag: str, dockerfile: str, buildargs: dict[str, str] | None,
                  labels: dict[str, str] | None, nocache: bool, network: bool,
                  limits: BuildLimits | None) -> dict[str, Any]:
    """The build endpoint's query; docker-py's `build()` has no cpu quota or cgroup parent."""
    params: dict[str, Any] = {
        "t": tag, "dockerfile": dockerfile, "rm": True, "forcerm": True, "pull": False,
        "nocache": nocache, "buildargs": json.dumps(buildargs or {}),
        "networkmode": "default" if network else "none",
    }
    if labels:
        params["labels"] = json.dumps(labels)
    if limits is not None:
        memory = limits.memory_mb * 1024 * 1024
        params.update(memory=memory, memswap=memory, cpuperiod=100_000,
                      cpuquota=int(limits.cpus * 100_000))
        if limits.disk_mb:
            size = limits.disk_mb * 1024 * 1024
            params["ulimits"] = json.dumps([{"Name": "fsize", "Soft": size, "Hard": size}])
        if limits.cgroup_parent:
            params["cgroupparent"] = limits.cgroup_parent
    return params


def _record(chunk: dict[str, Any], state: _BuildState, log: Any) -> None:
    if "stream" in chunk:
        text = str(chunk["stream"])
        before, state.printed = state.printed, state.printed + len(text)
        if state.printed <= BUILD_LOG_MAX_BYTES:
            log.write(text)
        elif before <= BUILD_LOG_MAX_BYTES:
            log.write(f"\n[abcbench] the build printed more than {BUILD_LOG_MAX_BYTES >> 20} "
                      "MiB; the rest of its output is not kept\n")
        started = RUNNING_IN.findall(text)
        state.containers.extend(started)
        state.layers.extend(STEP_ID.findall(text))
        if state.draining:
            _remove_containers(started)
    elif "error" in chunk:
        log.write(f"ERROR: {chunk['error']}\n")
        state.error = str(chunk["error"])
    elif "aux" in chunk and "ID" in chunk["aux"]:
        state.image = str(chunk["aux"]["ID"])
    log.flush()


def _drain(state: _BuildState, worker: threading.Thread, step_labels: dict[str, str],
           wait_sec: float) -> None:
    """Wind an overrun build down so that its end is known: every step container is removed
    as it starts (RUN fails at once), until the engine ends the stream, within `wait_sec`.
    Shutting the stream instead leaves the engine to notice later, committing a step or two
    nobody would remove."""
    state.draining = True
    api = docker_client().api
    selector = [f"{k}={v}" for k, v in step_labels.items()]
    end = time.monotonic() + wait_sec
    while worker.is_alive() and time.monotonic() < end:
        _remove_containers([c["Id"] for c in api.containers(all=True, filters={"label": selector})
                            if (c.get("Labels") or {}).get(L.ROLE) is None]
                           + state.containers)
        worker.join(0.5)


STOP_WAIT_SEC = 0.5
"""How long a build stopped by the run waits for its reader and for each cleanup retry."""


def _abort(state: _BuildState, worker: threading.Thread, join_sec: float = 15) -> None:
    """Stop a build that is still running: shut its stream (the engine cancels the build),
    kill the step container, wait up to `join_sec` for the reader to finish."""
    state.aborted = True
    if state.response is not None:
        _shut(state.response)
    _remove_containers(state.containers)
    worker.join(join_sec)
    _remove_containers(state.containers)  # a step that started while we were stopping


def _shut(response: Any) -> None:
    """Shut the build's HTTP stream for real (closing the response can leave the connection
    open in the pool): the engine sees the client gone and cancels the build."""
    with contextlib.suppress(Exception):
        raw = docker_client().api._get_raw_response_socket(response)
        getattr(raw, "_sock", raw).shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        response.close()


def _step_over_disk(state: _BuildState, limit_bytes: int) -> str:
    """A reason to stop the build if the step running now wrote more than `limit_bytes` (its
    writable layer), else ""."""
    if not state.containers:
        return ""
    api = docker_client().api
    with contextlib.suppress(APIError):
        found = api.containers(all=True, size=True, filters={"id": state.containers[-1]})
        used = int(found[0].get("SizeRw") or 0) if found else 0
        if used > limit_bytes:
            return (f"a build step wrote {used >> 20} MiB, over the task's disk budget of "
                    f"{limit_bytes >> 20} MiB (resources.disk_mb); it was stopped")
    return ""


def _remove_late(step_labels: dict[str, str], worker: threading.Thread, wait_sec: float) -> None:
    """After a stop: remove the build's step containers and untagged layers carrying
    `step_labels` until the reader is done and nothing new has appeared for `LATE_QUIET_SEC`
    (the engine finishes the step it was in, and a metadata step commits without a container),
    within `wait_sec`; with no wait, one pass."""
    api = docker_client().api
    selector = [f"{k}={v}" for k, v in step_labels.items()]
    end = time.monotonic() + wait_sec
    quiet_since = time.monotonic()
    while True:
        steps = [c["Id"] for c in api.containers(all=True, filters={"label": selector})
                 if (c.get("Labels") or {}).get(L.ROLE) is None]
        _remove_containers(steps)
        found = sorted(api.images(all=True, filters={"label": selector}),
                       key=lambda i: int(i.get("Created", 0)))
        layers = [i["Id"] for i in found
                  if not [t for t in i.get("RepoTags") or [] if t != "<none>:<none>"]]
        _remove_untagged(layers)
        now = time.monotonic()
        if steps or layers or worker.is_alive():
            quiet_since = now
        if now >= end or now - quiet_since >= LATE_QUIET_SEC:
            break
        time.sleep(0.5)


def _remove_containers(ids: list[str]) -> None:
    api = docker_client().api
    for container_id in ids:
        with contextlib.suppress(NotFound, APIError):
            api.remove_container(container_id, force=True, v=True)


def _dockerignore(context: Path) -> list[str] | None:
    path = context / ".dockerignore"
    if not path.is_file() or path.is_symlink():
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _remove_untagged(image_ids: list[str], patience_sec: float = 5) -> None:
    """The layers a failed build committed before it failed: nothing else refers to them (the
    build shared no cache), so they would stay as dangling images. Tagged ones (the FROM image)
    are kept. A refused removal is retried for up to `patience_sec` in all."""
    api = docker_client().api
    deadline = time.monotonic() + patience_sec
    for image_id in reversed(image_ids):
        while True:  # the failed step's container may still be going away
            try:
                if not api.inspect_image(image_id).get("RepoTags"):
                    api.remove_image(image_id, force=False, noprune=False)
                break
            except ImageNotFound:
                break
            except APIError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.25)


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
