"""Bundle volumes on the real engine (issue 20): filled once per key, labelled, mounted
read-only (the agent cannot change its own executables), refilled when the volume vanished,
and removed by the prune (never while a container uses it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docker.errors import NotFound

from abcbench.agents.installed import volumes
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import ContainerRequest, remove_container, start_container

pytestmark = pytest.mark.docker

IMAGE = "abcbench/base:latest"


@pytest.fixture
def bundle(tmp_path: Path, run_id: str) -> Iterator[tuple[str, Path]]:
    """A cached bundle folder of one small executable, and this test's agent name."""
    folder = tmp_path / "cache" / "agents" / "tiny-1"
    (folder / "payload" / "bin").mkdir(parents=True)
    tool = folder / "payload" / "bin" / "tiny"
    tool.write_text("#!/bin/sh\necho tiny says $1\n")
    tool.chmod(0o755)
    name = run_id
    yield name, folder
    volumes.remove_volumes(bundle=f"{name}-k1")
    with pytest.raises(NotFound):
        docker_client().volumes.get(volumes.volume_name(name, "k1"))


def test_a_bundle_volume_is_filled_once_mounted_read_only_and_pruned(
        bundle: tuple[str, Path], run_id: str) -> None:
    name, folder = bundle
    volume = volumes.ensure_volume(name, "k1", folder, IMAGE)
    attrs = docker_client().volumes.get(volume).attrs
    assert attrs["Labels"][L.KIND] == volumes.KIND_AGENT_BUNDLE
    assert attrs["Labels"][L.MANAGED] == "true"
    assert volumes.ensure_volume(name, "k1", folder, IMAGE) == volume  # filled once
    assert docker_client().volumes.get(volume).attrs["CreatedAt"] == attrs["CreatedAt"]
    box = start_container(ContainerRequest(
        image=IMAGE, name=f"{run_id}-box", labels=L.managed(run=run_id),
        command=["sleep", "infinity"], mounts=(volumes.mount(volume, "/opt/tiny"),)))
    try:
        assert box.exec(["/opt/tiny/bin/tiny", "hi"], timeout=30).stdout == "tiny says hi\n"
        write = box.exec(["sh", "-c", "echo x > /opt/tiny/bin/tiny"], timeout=30)
        assert not write.ok and "Read-only" in write.stderr
        assert volume not in volumes.remove_volumes(bundle=f"{name}-k1")  # in use: kept
    finally:
        remove_container(f"{run_id}-box")
    docker_client().volumes.get(volume).remove()  # gone (pruned by hand): refilled
    assert volumes.ensure_volume(name, "k1", folder, IMAGE) == volume
    assert docker_client().volumes.get(volume).attrs["CreatedAt"] >= attrs["CreatedAt"]
    assert volumes.remove_volumes(bundle=f"{name}-k1") == [volume]
