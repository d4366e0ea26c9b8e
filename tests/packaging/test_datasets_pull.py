"""`abcbench datasets pull` and `--dataset abc-bench` against a local stand-in for the Hub:
the published layout is fetched, verified, unpacked, listed with its metadata, and run."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def pin_registry(path: Path, commit: str, archive_sha: str, metadata_sha: str) -> Path:
    """A registry file replacing the built-in abc-bench@1.0 with a pinned one."""
    path.write_text(
        "datasets:\n- name: abc-bench\n  default_version: '1.0'\n  versions:\n"
        f"  - version: '1.0'\n    sha256: '{archive_sha}'\n"
        f"    metadata_sha256: '{metadata_sha}'\n    source:\n"
        f"      repo_id: OpenMOSS-Team/ABC-Bench\n      revision: '{commit}'\n"
        "      metadata: hf_dataset/train.jsonl\n")
    return path


@pytest.fixture
def pinned(tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The served dataset, pinned (as `abcbench datasets pin` would write it)."""
    path = pin_registry(tmp_path / "pinned.yaml", COMMIT, sha(hub.files["tasks.tar.gz"].body),
                        sha(hub.files["hf_dataset/train.jsonl"].body))
    monkeypatch.setenv("ABCBENCH_DATASET_REGISTRY", str(path))
    return path


def cli(tmp_path: Path, hub: FakeHub, *args: str, timeout: float = 120,
        datasets: str = "datasets", hf: str = "hf") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "HF_ENDPOINT": hub.url,
           "HF_HOME": str(tmp_path / hf), "HF_HUB_DISABLE_TELEMETRY": "1",
           "ABCBENCH_DATASETS_DIR": str(tmp_path / datasets)}
    return subprocess.run([sys.executable, "-m", "abcbench.cli", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=timeout)


def error_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("error:")]


def test_pull_unpacks_verifies_and_records(tmp_path: Path, hub: FakeHub, pinned: Path) -> None:
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


def test_tasks_list_pulls_on_first_use_and_shows_metadata(tmp_path: Path, hub: FakeHub,
                                                          pinned: Path) -> None:
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
    with serve(fake) as hub:  # unpinned: the bytes are checked against what the hub declares
        proc = cli(tmp_path, hub, "datasets", "pull", "abc-bench", "--allow-unpinned")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    assert "refused" in lines[0] or "corrupt" in lines[0], lines[0]
    assert not (tmp_path / "escaped.txt").exists()
    cache = tmp_path / "datasets"
    assert not cache.exists() or [p for p in cache.rglob("*") if p.is_file()] == []


def test_pinned_checksum_mismatch_is_refused(tmp_path: Path, hub: FakeHub,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    registry = pin_registry(tmp_path / "registry.yaml", COMMIT, "0" * 64,
                            sha(hub.files["hf_dataset/train.jsonl"].body))
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


def test_unpinned_entry_is_refused_unless_asked_for(tmp_path: Path, hub: FakeHub) -> None:
    """The built-in abc-bench@1.0 names the branch `main` and no checksum: nothing is fetched
    until the user says so, and then the pull says what was not checked."""
    for args in (("datasets", "pull", "abc-bench"),
                 ("tasks", "list", "--dataset", "abc-bench")):
        proc = cli(tmp_path, hub, *args)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert "not pinned (revision 'main' is a branch" in proc.stderr
        assert "--allow-unpinned" in proc.stderr and "datasets pin abc-bench@1.0" in proc.stderr
    assert hub.requests == []
    proc = cli(tmp_path, hub, "datasets", "pull", "abc-bench", "--allow-unpinned")
    assert proc.returncode == 0, proc.stderr
    assert "warning: abc-bench@1.0 is not pinned" in proc.stderr
    # Once pulled, the cached copy (with its recorded commit and sha256) is used as is.
    listed = cli(tmp_path, hub, "tasks", "list", "--dataset", "abc-bench", "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 2


def test_pin_writes_the_commit_and_checksums(tmp_path: Path, hub: FakeHub,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A maintainer pins the unpinned entry where it is defined; later pulls need no flag and
    get those bytes or nothing."""
    registry = tmp_path / "registry.yaml"
    registry.write_text((CHECKOUT / "abcbench/datasets/registry.yaml").read_text())
    monkeypatch.setenv("ABCBENCH_DATASET_REGISTRY", str(registry))
    proc = cli(tmp_path, hub, "datasets", "pin", "abc-bench")
    assert proc.returncode == 0, proc.stderr
    assert "the registry said 224 task(s), the archive holds 2" in proc.stderr
    text = registry.read_text()
    assert text.startswith("# Datasets `abcbench datasets pull"), "the header is kept"
    version = yaml.safe_load(text)["datasets"][0]["versions"][0]
    assert version["source"]["revision"] == COMMIT
    assert version["sha256"] == sha(hub.files["tasks.tar.gz"].body)
    assert version["metadata_sha256"] == sha(hub.files["hf_dataset/train.jsonl"].body)
    assert version["n_tasks"] == 2
    fresh = cli(tmp_path, hub, "datasets", "pull", "abc-bench", datasets="fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert "warning" not in fresh.stderr
    # Other bytes under the pinned commit (a hub cannot serve them; a mirror can): refused.
    hub.files["tasks.tar.gz"] = HubFile(tasks_archive(tmp_path / "other", {"tasks/x": b"new"}))
    changed = cli(tmp_path, hub, "datasets", "pull", "abc-bench", "--force", datasets="fresh",
                  hf="hf-fresh")
    assert changed.returncode == 2
    assert len(error_lines(changed)) == 1 and "the registry pins" in changed.stderr


@pytest.mark.docker
@pytest.mark.slow
def test_run_a_task_from_the_pulled_archive(tmp_path: Path, hub: FakeHub, pinned: Path,
                                            run_id: str) -> None:
    proc = cli(tmp_path, hub, "run", "--agent", "oracle", "--dataset", "abc-bench@1.0",
               "-t", "tb-word-stats", "--run-id", run_id, "--format", "json", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["summary"]["n_resolved"] == 1
    assert summary["trials"][0]["language"] == "python"
    manifest = json.loads((tmp_path / "runs" / run_id / "run.json").read_text())
    assert manifest["settings"]["tasks_dir"].startswith(str(tmp_path / "datasets"))


def test_pin_refuses_to_rewrite_an_installed_package(tmp_path: Path, hub: FakeHub) -> None:
    """From a wheel, the entry's registry file lives in site-packages: a pin written there is
    lost on the next upgrade and shared by every user of the environment. It is refused before
    anything is fetched, naming the flag that writes a registry of one's own."""
    site = tmp_path / "venv/lib/python3.13/site-packages"
    shutil.copytree(CHECKOUT / "abcbench", site / "abcbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    registry = site / "abcbench/datasets/registry.yaml"
    before = registry.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(site), "HF_ENDPOINT": hub.url,
           "HF_HOME": str(tmp_path / "hf"), "ABCBENCH_DATASETS_DIR": str(tmp_path / "datasets")}
    env.pop("ABCBENCH_DATASET_REGISTRY", None)
    proc = subprocess.run([sys.executable, "-m", "abcbench.cli", "datasets", "pin", "abc-bench"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert len(error_lines(proc)) == 1 and "installed package" in proc.stderr
    assert "--registry" in proc.stderr and "ABCBENCH_DATASET_REGISTRY" in proc.stderr
    assert registry.read_bytes() == before
    assert not (tmp_path / "datasets").exists() and hub.requests == [], "nothing was fetched"
