"""What a service build asks the engine for: no network, the task's limits, the build jail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import abcbench.sandbox.images as images_module


class FakeResponse:
    status_code = 200

    def close(self) -> None:
        pass


class FakeApi:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def _url(self, path: str) -> str:
        return path

    def _post(self, _url: str, *, params: dict[str, Any], **_kw: Any) -> FakeResponse:
        self.params = params
        return FakeResponse()

    def _raise_for_status(self, _response: object) -> None:
        pass

    def _stream_helper(self, _response: object, decode: bool) -> list[dict[str, Any]]:
        return [{"stream": "Step 1/1 : FROM x\n ---> 0123456789ab\n"},
                {"aux": {"ID": "sha256:feed"}}]


class FakeClient:
    def __init__(self) -> None:
        self.api = FakeApi()


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> FakeClient:
    fake = FakeClient()
    monkeypatch.setattr(images_module, "docker_client", lambda: fake)
    return fake


def test_build_without_network_under_the_task_limits(tmp_path: Path, client: FakeClient) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\n")
    built = images_module.build_image(
        tmp_path, "abcbench-trial/t:latest", log_path=tmp_path / "build.log", nocache=True,
        network=False,
        limits=images_module.BuildLimits(cpus=1.5, memory_mb=256, cgroup_parent="/docker/j"))
    assert built == "sha256:feed"
    params = client.api.params
    assert params["networkmode"] == "none"
    assert params["memory"] == params["memswap"] == 256 * 1024 * 1024
    assert (params["cpuperiod"], params["cpuquota"]) == (100_000, 150_000)
    assert params["cgroupparent"] == "/docker/j"
    assert params["rm"] and params["forcerm"] and params["nocache"]


def test_recipe_builds_keep_the_network(tmp_path: Path, client: FakeClient) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\n")
    images_module.build_image(tmp_path, "abcbench/r:1", log_path=tmp_path / "b.log")
    assert client.api.params["networkmode"] == "default"
    assert "memory" not in client.api.params and "cgroupparent" not in client.api.params


def test_a_dockerfile_given_as_text_travels_only_in_the_tar(
        tmp_path: Path, client: FakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The labelled Dockerfile is never written into the submission, and the tar's ignore file
    names it, so the engine drops it from the context (a `COPY . .` does not copy it)."""
    import io
    import tarfile

    sent: dict[str, bytes] = {}

    def post(_url: str, *, params: dict[str, Any], data: Any, **_kw: Any) -> FakeResponse:
        client.api.params = params
        with tarfile.open(fileobj=io.BytesIO(data.read())) as tar:
            sent.update({m.name: (tar.extractfile(m) or io.BytesIO()).read()
                         for m in tar.getmembers() if m.isfile()})
        return FakeResponse()

    monkeypatch.setattr(client.api, "_post", post)
    (tmp_path / "app.py").write_text("print(1)\n")
    (tmp_path / ".dockerignore").write_text("*.log\n")
    (tmp_path / "x.log").write_text("skip")
    images_module.build_image(tmp_path, "abcbench-trial/t:latest", log_path=tmp_path / "b.log",
                              dockerfile=".abcbench-dockerfile",
                              dockerfile_text="FROM x\nLABEL a=b\n", nocache=True)
    assert client.api.params["dockerfile"] == ".abcbench-dockerfile"
    assert sent[".abcbench-dockerfile"] == b"FROM x\nLABEL a=b\n"
    assert sent[".dockerignore"].decode().splitlines() == ["*.log", ".abcbench-dockerfile"]
    assert "app.py" in sent and "x.log" not in sent
    assert not (tmp_path / ".abcbench-dockerfile").exists()
    # What the build cache hashes is what was sent (b.log, the build's log, is ignored too).
    assert images_module.context_files(tmp_path, ".abcbench-dockerfile") == [
        ".dockerignore", "app.py"]
