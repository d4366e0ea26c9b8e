"""One way to get a Docker client, failing with a line that says what to do; and the one place
that turns a failure of the harness's own engine call into a typed fault (`EngineFault`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import docker
import requests
import urllib3.exceptions
from docker.errors import APIError, DockerException

from abcbench.errors import EngineFault, EngineUnreachable

_local = threading.local()

#: What a dropped, refused or stalled connection to the engine raises, whichever layer sees it.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.ProtocolError, urllib3.exceptions.TimeoutError, ConnectionError)


def docker_client() -> docker.DockerClient:
    """A client per thread: docker-py's HTTP session is not safe to share across threads.
    An engine that does not answer is `EngineUnreachable` (one line and exit 2 on the command
    line; infrastructure, retried, in a trial, whichever thread made the call)."""
    client: docker.DockerClient | None = getattr(_local, "client", None)
    if client is None:
        try:
            client = docker.from_env(timeout=300)
            client.ping()
        except (DockerException, *CONNECTION_ERRORS) as exc:
            raise EngineUnreachable(
                f"cannot reach the Docker engine ({exc.__class__.__name__}: {exc}); start it or "
                "set DOCKER_HOST, then check with `docker info`", operation="connect"
            ) from None
        _local.client = client
    return client


def typed_engine_error(exc: BaseException, operation: str) -> BaseException:
    """The typed fault for `exc`, raised by the harness's own engine call `operation`: a lost
    connection is `EngineUnreachable`, a 5xx answer `EngineFault` with its status; anything
    else (a 4xx: the engine refused the request itself) is returned unchanged. Only the
    exception's type and status are looked at, never its text."""
    if isinstance(exc, EngineFault):
        return exc
    if isinstance(exc, CONNECTION_ERRORS):
        return EngineUnreachable(f"the Docker engine stopped answering during {operation} "
                                 f"({exc.__class__.__name__})", operation=operation)
    if isinstance(exc, APIError) and exc.status_code is not None and exc.status_code >= 500:
        return EngineFault(f"the Docker engine failed {operation} (HTTP {exc.status_code}): "
                           f"{exc.explanation or exc}", status_code=exc.status_code,
                           operation=operation)
    return exc


@contextmanager
def engine_call(operation: str) -> Iterator[None]:
    """Raise the typed fault (`typed_engine_error`) for what the calls inside raise."""
    try:
        yield
    except (APIError, *CONNECTION_ERRORS) as exc:
        typed = typed_engine_error(exc, operation)
        if typed is exc:
            raise
        raise typed from exc


def server_version() -> str | None:
    try:
        return str(docker_client().version().get("Version"))
    except (DockerException, EngineFault):
        return None
