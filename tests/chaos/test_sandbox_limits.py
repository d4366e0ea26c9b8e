"""The sandbox's own guards, without a whole trial: disk budget, egress, reaping."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from abcbench.sandbox import labels as L
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    Limits,
    cleanup,
    create_internal_network,
    create_network,
    leftovers,
    start_container,
)

pytestmark = [pytest.mark.docker, pytest.mark.chaos]


@pytest.fixture
def boxes(tester_image: str, run_id: str) -> Iterator[list[DockerContainer]]:
    made: list[DockerContainer] = []
    yield made
    cleanup(run=run_id)
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def start(tester_image: str, run_id: str, name: str, network: str | None = None,
          file_mb: int | None = None) -> DockerContainer:
    return start_container(ContainerRequest(
        image=tester_image, name=f"abcbench-{run_id}-{name}",
        labels=L.managed(run=run_id, trial=name), command=["sleep", "infinity"],
        limits=Limits(cpus=1.0, memory_mb=256, pids=128, file_mb=file_mb), network=network))


@pytest.mark.sweep
def test_disk_budget_stops_the_sandbox(tester_image: str, run_id: str,
                                       boxes: list[DockerContainer]) -> None:
    box = start(tester_image, run_id, "disk", file_mb=100)
    boxes.append(box)
    one = box.exec("dd if=/dev/zero of=/tmp/one bs=1M count=4000 status=none", timeout=120)
    assert not one.ok and "File size limit exceeded" in one.stderr, "one file stops at its cap"
    box.watch_disk(100 * 1024 * 1024, interval_sec=1.0)
    started = time.monotonic()
    box.exec("for i in $(seq 100); do dd if=/dev/zero of=/tmp/fill$i bs=1M count=90 "
             "status=none; done", timeout=120)
    waited = time.monotonic() - started
    deadline = time.monotonic() + 10
    while box.violation is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert box.violation is not None and "over its disk budget of 100 MiB" in box.violation
    while box.status()[0] == "running" and time.monotonic() < deadline + 10:
        time.sleep(0.5)
    assert box.status()[0] in ("exited", "dead")
    assert waited < 60
    print(f"disk probe: {box.violation} after {waited:.1f}s")


@pytest.fixture
def host_listener() -> Iterator[int]:
    """A listener on all the host's addresses: it stands for any host service (a model
    gateway, a database) that a container must not reach."""
    server = ThreadingHTTPServer(("0.0.0.0", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()


def _reaches(box: DockerContainer, host: str, port: int) -> bool:
    return box.exec(f"python3 -c \"import urllib.request as u; "
                    f"u.urlopen('http://{host}:{port}/', timeout=3)\"", timeout=30).ok


def test_the_service_network_cannot_reach_the_host(tester_image: str, run_id: str,
                                                   boxes: list[DockerContainer],
                                                   host_listener: int) -> None:
    """The network the agent's service runs on (with the tester) has no way to the host."""
    network = create_internal_network(f"abcbench-{run_id}-svc", L.managed(run=run_id))
    network.reload()
    gateway = network.attrs["IPAM"]["Config"][0]["Gateway"]
    service = start(tester_image, run_id, "svc", str(network.name))
    boxes.append(service)
    assert not _reaches(service, gateway, host_listener)


@pytest.mark.sweep
def test_egress_none_reaches_nothing_full_reaches_out(tester_image: str, run_id: str,
                                                      boxes: list[DockerContainer]) -> None:
    """A listener on the host (all addresses) stands for "the outside": the sandbox with
    egress `full` reaches it through its bridge's gateway, the one with `none` cannot."""
    server = ThreadingHTTPServer(("0.0.0.0", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        labels = L.managed(run=run_id, trial="net")
        for egress, internal in (("none", True), ("full", False)):
            network = create_network(f"abcbench-{run_id}-{egress}", labels, internal=internal)
            network.reload()
            gateway = (network.attrs["IPAM"]["Config"] or [{}])[0].get("Gateway")
            box = start(tester_image, run_id, egress, str(network.name))
            boxes.append(box)
            probe = box.exec(f"python3 -c \"import urllib.request as u; "
                             f"u.urlopen('http://{gateway}:{port}/', timeout=3)\"", timeout=30)
            assert probe.ok == (egress == "full"), (egress, probe.stderr[-300:])
    finally:
        server.shutdown()
