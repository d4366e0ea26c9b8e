"""One way to get a Docker client, failing with a line that says what to do."""

from __future__ import annotations

import threading

import docker
from docker.errors import DockerException

from abcbench.errors import UserError

_local = threading.local()


def docker_client() -> docker.DockerClient:
    """A client per thread: docker-py's HTTP session is not safe to share across threads."""
    client: docker.DockerClient | None = getattr(_local, "client", None)
    if client is None:
        try:
            client = docker.from_env(timeout=300)
            client.ping()
        except DockerException as exc:
            raise UserError(
                f"cannot reach the Docker engine ({exc.__class__.__name__}: {exc}); start it or "
                "set DOCKER_HOST, then check with `docker info`"
            ) from None
        _local.client = client
    return client


def server_version() -> str | None:
    try:
        return str(docker_client().version().get("Version"))
    except DockerException:
        return None
