"""Shared fixtures. Docker tests skip when no engine answers, unless ABCBENCH_REQUIRE_DOCKER=1
(CI sets it) makes a missing engine a failure: a green run must have exercised the real thing.

A test not marked `docker` must not reach the engine (`make test-fast` runs without one, and
in CI the engine is shared): `engine_guard` fails any such test that sends a request to it,
even when the code under test swallows the error, and points its subprocesses at no engine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
NATIVE_FIXTURES = FIXTURES / "native"
TB_FIXTURES = FIXTURES / "terminal_bench"
TEST_RUN_PREFIX = "pytest-"


def _docker_ok() -> bool:
    try:
        from abcbench.sandbox.client import docker_client

        docker_client()
        return True
    except Exception:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not any(item.get_closest_marker("docker") for item in items):
        return
    if _docker_ok():
        return
    if os.environ.get("ABCBENCH_REQUIRE_DOCKER") == "1":
        raise pytest.UsageError("ABCBENCH_REQUIRE_DOCKER=1 but no Docker engine answers")
    skip = pytest.mark.skip(reason="no Docker engine")
    for item in items:
        if item.get_closest_marker("docker"):
            item.add_marker(skip)


def needs_archive(what: str, exc: BaseException) -> None:
    """A test's one-time download (from a package archive, then cached) failed: skip with the
    reason, offline; with ABCBENCH_REQUIRE_DOWNLOADS=1 (CI) re-raise, a failure."""
    if os.environ.get("ABCBENCH_REQUIRE_DOWNLOADS") == "1":
        raise exc
    last = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
    pytest.skip(f"{what} needs a package archive once and could not be fetched (offline?): "
                f"{last[:300]}")


_SESSION_RUN_IDS: set[str] = set()
NO_ENGINE = "unix:///nonexistent/abcbench-test-not-marked-docker.sock"
"""DOCKER_HOST of a test not marked `docker` (and of its subprocesses): no engine answers."""


def _engine_address(host: str | None) -> str:
    """DOCKER_HOST in one spelling: `unix:///path` or `tcp://host:port`."""
    host = host or "unix:///var/run/docker.sock"
    if host.startswith(("tcp://", "http://", "https://")):
        return "tcp://" + host.split("://", 1)[1].rstrip("/")
    return "unix://" + os.path.realpath(host.removeprefix("unix://"))


REAL_ENGINE = _engine_address(os.environ.get("DOCKER_HOST"))
"""The engine this session would reach: the only one a test not marked `docker` may not."""


def _target(client: Any) -> str:
    socket = getattr(getattr(client, "_custom_adapter", None), "socket_path", None)
    if socket:
        return _engine_address(f"unix://{socket}")
    return _engine_address(str(getattr(client, "base_url", "")))


class EngineTouched(RuntimeError):
    """A test not marked `docker` sent a request to the Docker engine."""


@pytest.fixture(autouse=True)
def engine_guard(request: pytest.FixtureRequest,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Outside tests marked `docker`, every request to the engine raises and fails the test."""
    if request.node.get_closest_marker("docker") is not None:
        yield
        return
    from docker.api.client import APIClient

    touched: list[str] = []

    send = APIClient.send

    def refuse(self: APIClient, req: object, **kw: Any) -> object:
        if _target(self) not in (REAL_ENGINE, NO_ENGINE):
            return send(self, req, **kw)  # the test's own engine (a fake one, or none at all)
        touched.append(f"{getattr(req, 'method', '?')} {getattr(req, 'path_url', req)}")
        raise EngineTouched(f"{request.node.nodeid} is not marked docker but sent "
                            f"{touched[-1]} to the Docker engine: mark it "
                            "@pytest.mark.docker, or fake the call")

    monkeypatch.setattr(APIClient, "send", refuse)
    monkeypatch.setenv("DOCKER_HOST", NO_ENGINE)
    yield
    if touched:
        pytest.fail(f"not marked docker, but sent {len(touched)} request(s) to the Docker "
                    f"engine (first: {touched[0]}): mark the test @pytest.mark.docker, or "
                    "fake the call", pytrace=False)


@pytest.fixture(autouse=True)
def fresh_secret_set() -> Iterator[None]:
    """The run-wide secret set lives for the process: one test's secrets must not redact (and
    so hide) what another test looks for."""
    from abcbench.redact import clear_secrets

    clear_secrets()
    yield
    clear_secrets()


@pytest.fixture
def run_id() -> str:
    """A run id the leak check below can recognise as this session's (even with a suffix)."""
    value = f"{TEST_RUN_PREFIX}{uuid.uuid4().hex[:12]}"
    _SESSION_RUN_IDS.add(value)
    return value


def _other_live_runs() -> list[str]:
    """Runs a live process owns on this host now; at the session's end none is the session's."""
    from abcbench.run.lock import live_runs

    return live_runs()


@pytest.fixture(scope="session", autouse=True)
def nothing_left_in_docker(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the whole suite: no container, network or trial image of a test run remains, and
    the reference layers the suite's builds made (`abcbench-cache/*`) are removed again, unless
    another run is live on this host. A session without Docker tests (`make test-fast`) never
    calls the engine."""
    from abcbench import scratch
    from abcbench.grading import build_cache

    uses_docker = any(item.get_closest_marker("docker") for item in request.session.items)
    engine = uses_docker and _docker_ok()
    cached_before = frozenset(build_cache.cache_image_ids()) if engine else frozenset()
    yield
    scratch.sweep_dead()  # the temporary folders of processes the tests killed
    if not engine or not _docker_ok():
        return
    live = _other_live_runs()
    if live:
        # Another run on this host (a user's, a second test session) may be building from the
        # reference layers made meanwhile: removing them fails its build with an engine fault.
        print(f"\nkept the reference layers made during the session: live runs {live} may "
              "use them (`abcbench images prune` removes them)")
    else:
        build_cache.remove_cache_images(keep=cached_before)
    build_cache.remove_stray_layers()
    from abcbench.sandbox.client import docker_client

    api = docker_client().api
    flt = {"label": ["abcbench.managed=true"]}

    def ours(labels: dict[str, str] | None) -> bool:
        run = (labels or {}).get("abcbench.run", "")
        return any(run.startswith(rid) for rid in _SESSION_RUN_IDS)

    # The low-level API lists without re-fetching each object, so it cannot race with other
    # processes removing theirs.
    leaked = [c["Names"] for c in api.containers(all=True, filters=flt) if ours(c["Labels"])]
    leaked += [n["Name"] for n in api.networks(filters=flt) if ours(n.get("Labels"))]
    leaked += [i["Id"] for i in api.images(all=True, filters=flt) if ours(i.get("Labels"))]
    assert not leaked, f"the test suite left these behind in Docker: {leaked}"
