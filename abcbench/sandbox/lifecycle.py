"""Creating and removing the project's containers and networks, always labelled.

Every container gets `abcbench.managed`, the run and the trial as labels and a name derived from
them; a ghost of the same name (from a crashed run) is removed before create. Cleanup finds
everything by label, so it also works after a crash, in `finally` blocks, never in `__del__`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from docker.errors import APIError, NotFound
from docker.models.networks import Network
from docker.types import LogConfig, Mount, Ulimit

from abcbench.sandbox import labels as L
from abcbench.sandbox.base import SandboxUnavailable
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.container import DockerContainer

ROLE_BUILD_JAIL = "build-jail"
TRIAL_IMAGE_PREFIX = "abcbench-trial/"
"""Images built for one trial (a native service, a Terminal-Bench client) are named under it."""


# Docker's default set minus MKNOD, NET_RAW, SETFCAP, SETPCAP, SYS_CHROOT and AUDIT_WRITE:
# what root needs for apt (it drops to _apt), pip, git, chown and binding low ports.
CAPABILITIES = ("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
                "NET_BIND_SERVICE")
NO_NETWORK = "none"
LOG_MAX_SIZE = "8m"
LOG_MAX_FILES = "2"
LOG_CONFIG = LogConfig(type=LogConfig.types.JSON,
                       config={"max-size": LOG_MAX_SIZE, "max-file": LOG_MAX_FILES})
"""Every container's log on the engine's disk: at most two files of 8 MiB, whatever writes to
its stdout (also a root process writing to /proc/1/fd/1, past any watcher in the container)."""


@dataclass(frozen=True)
class Limits:
    cpus: float = 1.0
    memory_mb: int = 4096
    pids: int = 2048
    file_mb: int | None = None
    """Largest file a process may write (RLIMIT_FSIZE): bounds one runaway file at once, where
    a disk-budget check every few seconds would let it overshoot."""


@dataclass(frozen=True)
class ContainerRequest:
    image: str
    name: str
    labels: dict[str, str]
    command: list[str] | None = None
    limits: Limits = field(default_factory=Limits)
    environment: dict[str, str] = field(default_factory=dict)
    network: str | None = None
    aliases: tuple[str, ...] = ()
    working_dir: str | None = None
    hostname: str | None = None
    capabilities: tuple[str, ...] = CAPABILITIES
    """Every other capability is dropped."""
    mounts: tuple[Mount, ...] = ()
    """Volumes to attach (an installed agent's read-only bundle)."""


def safe_name(*parts: str) -> str:
    raw = "-".join(p for p in parts if p)
    return re.sub(r"[^a-zA-Z0-9_.-]+", "-", raw)[:120].strip("-.")


def remove_container(name_or_id: str) -> None:
    try:
        docker_client().containers.get(name_or_id).remove(force=True, v=True)
    except NotFound:
        pass
    except APIError as exc:
        if exc.status_code not in (404, 409):  # gone, or its removal already in progress
            raise


def start_container(req: ContainerRequest) -> DockerContainer:
    """Create and start a container: init process, limits, labels, no Docker socket."""
    client = docker_client()
    remove_container(req.name)  # a ghost from a crashed run must not block the name
    kwargs: dict[str, object] = {}
    if req.network == NO_NETWORK:
        kwargs["network_mode"] = NO_NETWORK
    elif req.network is not None:
        kwargs["network"] = req.network
        kwargs["networking_config"] = {
            req.network: client.api.create_endpoint_config(aliases=list(req.aliases) or None)
        }
    if req.mounts:
        kwargs["mounts"] = list(req.mounts)
    container = client.containers.run(
        req.image,
        command=req.command,
        name=req.name,
        labels=req.labels,
        detach=True,
        init=True,
        nano_cpus=int(req.limits.cpus * 1e9),
        mem_limit=f"{req.limits.memory_mb}m",
        memswap_limit=f"{req.limits.memory_mb}m",
        pids_limit=req.limits.pids,
        ulimits=_file_limit(req.limits.file_mb),
        log_config=LOG_CONFIG,
        environment=req.environment,
        working_dir=req.working_dir,
        hostname=req.hostname,
        security_opt=["no-new-privileges"],
        cap_drop=["ALL"],
        cap_add=list(req.capabilities),
        **kwargs,
    )
    return DockerContainer(container)


def _file_limit(file_mb: int | None) -> list[Ulimit] | None:
    if file_mb is None:
        return None
    size = file_mb * 1024 * 1024
    return [Ulimit(name="fsize", soft=size, hard=size)]


def create_internal_network(name: str, labels: dict[str, str]) -> Network:
    """A network with no route out: the service and the tester see each other and nothing else."""
    return create_network(name, labels, internal=True)


def create_network(name: str, labels: dict[str, str], *, internal: bool,
                   host_address: bool | None = None) -> Network:
    """A bridge of its own: Docker isolates bridges from each other, so containers on it see
    only each other (and, unless `internal`, the outside through NAT).

    An internal bridge still gets a host address (its gateway) and Docker filters only
    forwarded traffic, so its containers could reach every host service listening on all
    addresses; `inhibit_ipv4` leaves the bridge without a host address: nothing but the other
    containers on it is reachable. `host_address` (default: not `internal`) keeps that address
    on an internal bridge, for a harness service listening there (the egress proxy, the model
    gateway) to be the only way out."""
    client = docker_client()
    for stale in client.networks.list(names=[name]):
        _remove_network(stale)
    keep_host = (not internal) if host_address is None else host_address
    options = None if keep_host else {"com.docker.network.bridge.inhibit_ipv4": "true"}
    return client.networks.create(name, driver="bridge", internal=internal, labels=labels,
                                  options=options)


def _remove_network(network: Network) -> None:
    try:
        network.reload()
        for container in network.containers:
            with contextlib.suppress(NotFound, APIError):
                network.disconnect(container, force=True)
        network.remove()
    except NotFound:
        pass


def release(*, keep: bool, **label_filter: str) -> dict[str, int]:
    """The end of a trial (or of a run): remove everything found by the labels (`cleanup`), or,
    with `keep` (`run --no-cleanup`), only stop its containers and leave them, their networks
    and images for inspection until `abcbench cleanup --run RUN`."""
    return stop_containers(**label_filter) if keep else cleanup(**label_filter)


def stop_containers(**label_filter: str) -> dict[str, int]:
    """Stop every live container carrying the project's labels plus `label_filter`: a kept
    container runs nothing (no agent process, no service), and with no restart policy it stays
    stopped across an engine restart."""
    api = docker_client().api
    flt = {"label": L.selector(**label_filter)}
    stopped = 0
    for container in api.containers(all=True, filters=flt):
        state = container.get("State")
        if state not in ("running", "paused", "restarting"):
            continue
        with contextlib.suppress(NotFound):
            if state == "paused":
                api.unpause(container["Id"])
            api.stop(container["Id"], timeout=5)
            stopped += 1
    return {"containers stopped": stopped}


def kept(**label_filter: str) -> dict[str, list[str]]:
    """Names of the containers and networks, and the trial images, that carry the labels."""
    api = docker_client().api
    flt = {"label": L.selector(**label_filter)}
    containers = api.containers(all=True, filters=flt)
    images = {c.get("Image", "") for c in containers}
    images |= {tag for i in api.images(filters={"label": [*flt["label"],
                                                          f"{L.KIND}={L.KIND_TRIAL_IMAGE}"]})
               for tag in (i.get("RepoTags") or [])}
    return {"containers": sorted(n.lstrip("/") for c in containers for n in c["Names"][:1]),
            "networks": sorted(n["Name"] for n in _networks(flt, containers)),
            "images": sorted(i for i in images if i.startswith(TRIAL_IMAGE_PREFIX))}


def _networks(flt: dict[str, list[str]],
              containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The networks carrying the labels, and those of the compose projects of `containers`
    (a Terminal-Bench task's networks are created by compose and carry only its label)."""
    api = docker_client().api
    found = {n["Id"]: n for n in api.networks(filters=flt)}
    projects = {(c.get("Labels") or {}).get(L.COMPOSE_PROJECT) for c in containers}
    for project in sorted(p for p in projects if p):
        found.update({n["Id"]: n for n in api.networks(
            filters={"label": [f"{L.COMPOSE_PROJECT}={project}"]})})
    return list(found.values())


def cleanup(**label_filter: str) -> dict[str, int]:
    """Remove every container and network carrying the project's labels plus `label_filter`;
    with a `trial` in the filter (a trial ending), also every image layer of that trial; with
    a `run`, also the trial images its containers were made from (a Terminal-Bench client
    image, built by compose, carries no label). Returns the counts of what it removed."""
    api = docker_client().api
    flt = {"label": L.selector(**label_filter)}
    removed = {"containers": 0, "networks": 0, "trial_images": 0}
    found = api.containers(all=True, filters=flt)
    made_from = {c.get("Image", "") for c in found} if "run" in label_filter else set()
    # A build jail is the cgroup parent of build steps: remove it after them.
    found.sort(key=lambda c: (c.get("Labels") or {}).get(L.ROLE) == ROLE_BUILD_JAIL)
    networks = _networks(flt, found) if "run" in label_filter else api.networks(filters=flt)
    for container in found:
        remove_container(container["Id"])
        removed["containers"] += 1
    for network in networks:
        _remove_network_id(network["Id"])
        removed["networks"] += 1
    for image in sorted(i for i in made_from if i.startswith(TRIAL_IMAGE_PREFIX)):
        with contextlib.suppress(NotFound, APIError):
            api.remove_image(image, force=True)
            removed["trial_images"] += 1
    if "trial" in label_filter and "role" not in label_filter:
        remove_trial_images(**label_filter)
    return removed


def _remove_network_id(network_id: str) -> None:
    with contextlib.suppress(NotFound):
        _remove_network(docker_client().networks.get(network_id))


def remove_trial_images(**label_filter: str) -> int:
    """Trial images (service builds) carrying the project's labels plus `label_filter`, with
    every intermediate layer of their builds (each stage is labelled right after its FROM), so
    the layers of a build stopped half-way are found too. Newest first: children before parents.
    """
    api = docker_client().api
    flt = {"label": [*L.selector(**label_filter), f"{L.KIND}={L.KIND_TRIAL_IMAGE}"]}
    found = sorted(api.images(all=True, filters=flt), key=lambda i: -int(i.get("Created", 0)))
    left = [i["Id"] for i in found]
    for _ in range(3):  # layers of the same second sort in any order: retry the refused ones
        refused = []
        for image_id in left:
            try:
                api.remove_image(image_id, force=True, noprune=False)
            except NotFound:
                pass
            except APIError:
                refused.append(image_id)
        if not refused or refused == left:
            break
        left = refused
    return len(found)


def start_build_jail(image: str, name: str, labels: dict[str, str],
                     limits: Limits) -> tuple[DockerContainer, str | None]:
    """A container that only holds limits: build steps created under its cgroup share its pids,
    memory and cpu caps (the build API has no pids option). Returns it and the cgroup parent to
    build under, or None where the engine cannot nest cgroups (cgroup v2 or the systemd driver):
    the build then has the build API's memory and cpu limits only."""
    jail = start_container(ContainerRequest(
        image=image, name=name, labels={**labels, L.ROLE: ROLE_BUILD_JAIL},
        command=["sleep", "infinity"], limits=limits, network=NO_NETWORK, capabilities=(),
    ))
    probe = jail.exec(["cat", "/proc/1/cgroup"], timeout=30)
    for line in probe.stdout.splitlines():
        _hid, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(",") and path.startswith("/") and jail.id in path:
            return jail, path
    return jail, None


def leftovers(**label_filter: str) -> dict[str, list[str]]:
    """What the project still holds in Docker: for tests that check nothing leaks."""
    api = docker_client().api
    flt = {"label": L.selector(**label_filter)}
    images = {"label": [*flt["label"], f"{L.KIND}={L.KIND_TRIAL_IMAGE}"]}
    return {
        "containers": [c["Names"][0].lstrip("/") for c in api.containers(all=True, filters=flt)],
        "networks": [n["Name"] for n in api.networks(filters=flt)],
        "trial_images": [i["Id"] for i in api.images(filters=images)],
    }


def attach(name_or_id: str) -> DockerContainer:
    """A container someone else started (a compose service) as a `Sandbox`."""
    try:
        return DockerContainer(docker_client().containers.get(name_or_id))
    except NotFound:
        raise SandboxUnavailable(f"no container {name_or_id!r}") from None
