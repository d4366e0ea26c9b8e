"""`run --no-cleanup`: every trial's containers are kept, stopped (nothing of the agent or the
service keeps running), with their networks and images; run.json says so; `abcbench cleanup
--run RUN` removes them. Unit tests fake the engine; one test runs the oracle on Docker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import abcbench.cli.cleanup as cleanup_cli
import abcbench.run.runner as runner_module
import abcbench.sandbox.lifecycle as lifecycle
from abcbench.jobs import JobSpec
from tests.conftest import NATIVE_FIXTURES
from tests.unit.fake_run import fake_engine
from tests.unit.test_run_selection_options import private_lock_dir, run  # noqa: F401


def test_no_cleanup_reaches_every_trial_the_sweep_and_run_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch)
    sweeps: list[dict[str, Any]] = []
    monkeypatch.setattr(runner_module, "release",
                        lambda **kw: sweeps.append(kw) or {})  # type: ignore[func-returns-value]
    monkeypatch.setattr(cleanup_cli, "kept", lambda **_kw: {
        "containers": ["abcbench-k-sandbox", "abcbench-k-service", "abcbench-k-tester"],
        "networks": ["abcbench-k-net"], "images": ["abcbench-trial/k:latest"]})
    code, output = run(tmp_path, "--run-id", "kept", "--no-cleanup")  # two tasks
    assert code == 0, output
    assert [s.keep_containers for s in engine.ran] == [True, True]
    assert sweeps == [{"keep": True, "run": "kept"}], "the run's last sweep stops, not removes"
    manifest = json.loads((tmp_path / "runs/kept/run.json").read_text())
    assert manifest["settings"]["no_cleanup"] is True
    assert "3 container(s), all stopped, 1 network(s), 1 trial image(s)" in output
    assert "abcbench cleanup --run kept" in output
    assert "docker ps -a --filter label=abcbench.run=kept" in output
    # Without the flag nothing changes: trials remove everything, the record says so.
    engine.ran.clear()
    code, output = run(tmp_path, "--run-id", "clean")
    assert code == 0, output
    assert [s.keep_containers for s in engine.ran] == [False, False] and len(sweeps) == 1
    assert "kept for debugging" not in output
    assert json.loads((tmp_path / "runs/clean/run.json").read_text())[
        "settings"]["no_cleanup"] is False


def test_no_cleanup_is_refused_with_ray(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_engine(monkeypatch)
    code, output = run(tmp_path, "--run-id", "r", "--no-cleanup", "--executor", "ray")
    assert code == 2, output
    assert "--no-cleanup keeps containers on the Docker host" in output
    assert not (tmp_path / "runs/r").exists()


def test_job_file_no_cleanup_field() -> None:
    job = JobSpec.model_validate({"name": "j", "agents": [{"name": "oracle"}],
                                  "no_cleanup": True})
    assert job.no_cleanup is True
    assert JobSpec.model_json_schema()["properties"]["no_cleanup"]["default"] is False


class FakeApi:
    """The low-level calls `release` and `cleanup` make, over a scripted set of objects."""

    def __init__(self) -> None:
        self.objects = [
            {"Id": "run1", "State": "running", "Image": "abcbench/python:x", "Names": ["/a"]},
            {"Id": "pau1", "State": "paused", "Image": "abcbench-trial/k-client:latest",
             "Names": ["/b"], "Labels": {"com.docker.compose.project": "abcbench-k"}},
            {"Id": "ext1", "State": "exited", "Image": "abcbench-trial/k:latest",
             "Names": ["/c"]},
        ]
        self.calls: list[tuple[str, str]] = []

    def containers(self, all: bool = False, filters: Any = None) -> list[dict[str, Any]]:
        return [dict(o) for o in self.objects]

    def networks(self, filters: Any = None) -> list[dict[str, Any]]:
        if filters["label"] == ["com.docker.compose.project=abcbench-k"]:
            return [{"Id": "net-compose", "Name": "abcbench-k_default"}]
        return [{"Id": "net-ours", "Name": "abcbench-k-net"}]

    def images(self, all: bool = False, filters: Any = None) -> list[dict[str, Any]]:
        return []

    def unpause(self, cid: str) -> None:
        self.calls.append(("unpause", cid))

    def stop(self, cid: str, timeout: int) -> None:
        self.calls.append(("stop", cid))

    def remove_image(self, image: str, force: bool = False, noprune: bool = False) -> None:
        self.calls.append(("rmi", image))


def test_keeping_stops_live_containers_and_removes_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeApi()
    removed: list[str] = []
    monkeypatch.setattr(lifecycle, "docker_client", lambda: type("C", (), {"api": api})())
    monkeypatch.setattr(lifecycle, "remove_container", removed.append)
    monkeypatch.setattr(lifecycle, "_remove_network_id", removed.append)
    assert lifecycle.kept(run="r")["networks"] == ["abcbench-k-net", "abcbench-k_default"]
    assert lifecycle.release(keep=True, run="r", trial="t") == {"containers stopped": 2}
    assert api.calls == [("stop", "run1"), ("unpause", "pau1"), ("stop", "pau1")]
    assert removed == []
    # `cleanup --run` then removes the containers, the networks (a Terminal-Bench task's,
    # made by compose, by its project) and the trial images the containers were made from (a
    # Terminal-Bench client image carries no label of ours).
    api.calls.clear()
    lifecycle.cleanup(run="r")
    assert removed == ["run1", "pau1", "ext1", "net-ours", "net-compose"]
    assert api.calls == [("rmi", "abcbench-trial/k-client:latest"),
                         ("rmi", "abcbench-trial/k:latest")]


@pytest.mark.docker
@pytest.mark.slow
def test_kept_trial_is_stopped_inspectable_and_removed_by_cleanup_run(
        tmp_path: Path, run_id: str) -> None:
    """The real engine: the oracle resolves with --no-cleanup; its sandbox, service and tester
    are kept, none running, with the trial's networks and service image; `cleanup --run` leaves
    nothing of the run."""
    from abcbench.sandbox.client import docker_client
    from tests.unit.test_cli_output import cli as subcli

    api = docker_client().api
    flt = {"label": [f"abcbench.run={run_id}"]}
    try:
        proc = subcli("run", "--agent", "oracle", "--tasks-dir", str(NATIVE_FIXTURES),
                      "--task", "fx-quotes-logic", "--run-id", run_id, "--no-cleanup",
                      "-o", str(tmp_path / "runs"), cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        result = json.loads(next((tmp_path / "runs" / run_id).rglob("result.json")).read_text())
        assert result["resolved"] is True, result
        containers = api.containers(all=True, filters=flt)
        roles = sorted(c["Labels"].get("abcbench.role", "") for c in containers)
        assert roles == ["sandbox", "service", "tester"], roles
        assert {c["State"] for c in containers} == {"exited"}, "kept, but nothing runs"
        assert len(api.networks(filters=flt)) == 2  # the sandbox's and the service's
        images = api.images(filters={"label": [*flt["label"], "abcbench.kind=trial"]})
        assert len(images) == 1
        assert f"abcbench cleanup --run {run_id}" in proc.stderr
        manifest = json.loads((tmp_path / "runs" / run_id / "run.json").read_text())
        assert manifest["settings"]["no_cleanup"] is True
        # Inspectable without starting it: the agent's fix is in the kept sandbox.
        sandbox = next(c for c in containers if c["Labels"]["abcbench.role"] == "sandbox")
        changes = api.diff(sandbox["Id"]) or []
        assert changes, "the sandbox's filesystem is what the agent left"
        done = subcli("cleanup", "--run", run_id, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert api.containers(all=True, filters=flt) == []
        assert api.networks(filters=flt) == []
        assert api.images(all=True, filters=flt) == []
    finally:  # whatever failed above, leave nothing behind
        lifecycle.cleanup(run=run_id)
        lifecycle.remove_trial_images(run=run_id)
