"""`abcbench datasets pull` and `--dataset abc-bench` against a local stand-in for the Hub:
the published layout is fetched, verified, unpacked, listed with its metadata, and run."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.hub_server import (
    COMMIT,
    FakeHub,
    HubFile,
    published_hub,
    serve,
    tasks_archive,
)

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[FakeHub]:
    with serve(published_hub(tmp_path)) as server:
        yield server


def cli(tmp_path: Path, hub: FakeHub, *args: str,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "HF_ENDPOINT": hub.url,
           "HF_HOME": str(tmp_path / "hf"), "HF_HUB_DISABLE_TELEMETRY": "1",
           "ABCBENCH_DATASETS_DIR": str(tmp_path / "datasets")}
    return subprocess.run([sys.executable, "-m", "abcbench.cli", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_pull_unpacks_verifies_and_records(tmp_path: Path, hub: FakeHub) -> None:
    proc = cli(tmp_path, hub, "datasets", "pull", "abc-bench")
    assert proc.returncode == 0, proc.stderr
    archive = hub.files["tasks.tar.gz"].body
    record = json.loads((tmp_path / "datasets/abc-bench/1.0/dataset.json").read_text())
    assert record["archive_sha256"] == hashlib.sha256(archive).hexdigest()
    assert record["commit"] == COMMIT and record["n_tasks"] == 2
    assert record["source"]["repo_id"] == "OpenMOSS-Team/ABC-Bench"
    assert (tmp_path / "datasets/abc-bench/1.0" / record["tasks_root"] / "tb-word-stats"
            / "task.yaml").is_file()
    # A second pull is a no-op: nothing is fetched again.
    fetched = len(hub.requests)
    again = cli(tmp_path, hub, "datasets", "pull", "abc-bench@1.0")
    assert again.returncode == 0 and "already pulled" in again.stdout
    assert len(hub.requests) == fetched
    listed = json.loads(cli(tmp_path, hub, "datasets", "list", "--json").stdout)
    assert listed[0]["pulled"] and listed[0]["pulled_commit"] == COMMIT


def test_tasks_list_pulls_on_first_use_and_shows_metadata(tmp_path: Path, hub: FakeHub) -> None:
    proc = cli(tmp_path, hub, "tasks", "list", "--dataset", "abc-bench", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "pulling abc-bench@1.0" in proc.stderr
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert rows["tb-word-stats"]["framework"] == "stdlib-http"
    assert rows["tb-word-stats-env"]["type"] == "environment"
    assert rows["tb-word-stats-env"]["language"] == "python"


@pytest.mark.parametrize("corruption", ["bytes-differ-from-declared", "truncated", "unsafe"])
def test_corrupted_archive_is_refused_with_one_line(tmp_path: Path, corruption: str) -> None:
    good = tasks_archive(tmp_path)
    if corruption == "bytes-differ-from-declared":
        served = HubFile(good[:-10] + b"\0" * 10, declared_sha256=hashlib.sha256(good).hexdigest())
    elif corruption == "truncated":
        served = HubFile(good[: len(good) // 2])
    else:
        served = HubFile(tasks_archive(tmp_path / "u", {"../escaped.txt": b"owned"}))
    fake = published_hub(tmp_path)
    fake.files["tasks.tar.gz"] = served
    with serve(fake) as hub:
        proc = cli(tmp_path, hub, "datasets", "pull", "abc-bench")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    assert "refused" in lines[0] or "corrupt" in lines[0], lines[0]
    assert not (tmp_path / "escaped.txt").exists()
    cache = tmp_path / "datasets"
    assert not cache.exists() or [p for p in cache.rglob("*") if p.is_file()] == []


def test_pinned_checksum_mismatch_is_refused(tmp_path: Path, hub: FakeHub,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text("datasets:\n- name: abc-bench\n  default_version: '1.0'\n  versions:\n"
                        "  - version: '1.0'\n    sha256: '" + "0" * 64 + "'\n    source:\n"
                        "      repo_id: OpenMOSS-Team/ABC-Bench\n")
    monkeypatch.setenv("ABCBENCH_DATASET_REGISTRY", str(registry))
    proc = cli(tmp_path, hub, "datasets", "pull", "abc-bench")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the registry pins 0000000000000000" in errors[0]


def test_unknown_dataset_name_is_one_line(tmp_path: Path, hub: FakeHub) -> None:
    proc = cli(tmp_path, hub, "tasks", "list", "--dataset", "no-such-dataset")
    assert proc.returncode == 2
    assert "neither a folder nor a registered dataset" in proc.stderr
    assert proc.stderr.count("\n") == 1 and hub.requests == []


@pytest.mark.docker
@pytest.mark.slow
def test_run_a_task_from_the_pulled_archive(tmp_path: Path, hub: FakeHub, run_id: str) -> None:
    proc = cli(tmp_path, hub, "run", "--agent", "oracle", "--dataset", "abc-bench@1.0",
               "-t", "tb-word-stats", "--run-id", run_id, "--format", "json", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["summary"]["n_resolved"] == 1
    assert summary["trials"][0]["language"] == "python"
    manifest = json.loads((tmp_path / "runs" / run_id / "run.json").read_text())
    assert manifest["settings"]["tasks_dir"].startswith(str(tmp_path / "datasets"))
