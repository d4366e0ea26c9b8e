"""The sandbox contract, against the real engine: every Sandbox backend must pass this."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from abcbench.sandbox import labels as L
from abcbench.sandbox.base import Sandbox, SandboxFileNotFound, SandboxUnavailable
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    Limits,
    cleanup,
    leftovers,
    start_container,
)

pytestmark = pytest.mark.docker


@pytest.fixture
def sandbox(tester_image: str, run_id: str) -> Iterator[DockerContainer]:
    box = start_container(ContainerRequest(
        image=tester_image, name=f"abcbench-{run_id}-conformance",
        labels=L.managed(run=run_id, trial="t"), command=["sleep", "infinity"],
        limits=Limits(cpus=0.5, memory_mb=256, pids=128),
    ))
    try:
        yield box
    finally:
        cleanup(run=run_id)
        assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def test_is_a_sandbox(sandbox: DockerContainer) -> None:
    assert isinstance(sandbox, Sandbox)


def test_exec_exit_code_and_streams(sandbox: DockerContainer) -> None:
    result = sandbox.exec("echo out; echo err >&2; exit 7", timeout=30)
    assert (result.exit_code, result.stdout, result.stderr) == (7, "out\n", "err\n")
    assert not result.ok and not result.timed_out


def test_exec_cwd_and_env(sandbox: DockerContainer) -> None:
    result = sandbox.exec("pwd; echo $GREETING", timeout=30, cwd="/tmp", env={"GREETING": "hi"})
    assert result.stdout == "/tmp\nhi\n"


def test_exec_timeout_kills_the_command_and_its_children(sandbox: DockerContainer) -> None:
    started = time.monotonic()
    result = sandbox.exec("sleep 300 & sleep 301; echo never", timeout=2)
    assert result.timed_out
    assert "never" not in result.stdout
    assert time.monotonic() - started < 20
    procs = sandbox.exec("ps -eo args", timeout=30).stdout
    assert "sleep 301" not in procs


def test_exec_output_is_capped(sandbox: DockerContainer) -> None:
    result = sandbox.exec("head -c 5000000 /dev/zero | tr '\\0' x", timeout=60,
                          output_limit=10_000)
    assert result.truncated
    assert len(result.stdout) < 11_000
    assert "bytes truncated" in result.stdout


def test_files_round_trip_bytes(sandbox: DockerContainer) -> None:
    payload = bytes(range(256)) * 100
    sandbox.write_file("/work/deep/dir/blob.bin", payload, mode=0o600)
    assert sandbox.read_file("/work/deep/dir/blob.bin") == payload
    assert sandbox.exec("stat -c %a /work/deep/dir/blob.bin", timeout=30).stdout.strip() == "600"


def test_missing_file_is_typed(sandbox: DockerContainer) -> None:
    with pytest.raises(SandboxFileNotFound):
        sandbox.read_file("/no/such/file")


def test_trees_copy_in_and_out(sandbox: DockerContainer, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "mod.py").write_text("x = 1\n")
    (src / "run.sh").write_text("#!/bin/sh\necho ok\n")
    (src / "run.sh").chmod(0o755)
    sandbox.copy_in(src, "/app/project")
    assert sandbox.exec("/app/project/run.sh", timeout=30).stdout == "ok\n"
    sandbox.exec("echo new > /app/project/pkg/new.txt", timeout=30)
    out = tmp_path / "out"
    sandbox.copy_out("/app/project", out)
    assert (out / "pkg" / "mod.py").read_text() == "x = 1\n"
    assert (out / "pkg" / "new.txt").read_text() == "new\n"
    assert (out / "run.sh").stat().st_mode & 0o111


def test_limits_are_applied(sandbox: DockerContainer) -> None:
    host_config = sandbox.container.attrs["HostConfig"]
    assert host_config["NanoCpus"] == 500_000_000
    assert host_config["Memory"] == 256 * 1024 * 1024
    assert host_config["PidsLimit"] == 128
    assert host_config["Init"] is True
    mounts = sandbox.container.attrs.get("Mounts", [])
    assert not any("docker.sock" in m.get("Source", "") for m in mounts)


def test_ghost_of_same_name_is_replaced(sandbox: DockerContainer, tester_image: str,
                                        run_id: str) -> None:
    again = start_container(ContainerRequest(
        image=tester_image, name=sandbox.name, labels=L.managed(run=run_id, trial="t"),
        command=["sleep", "infinity"],
    ))
    assert again.id != sandbox.id
    with pytest.raises(SandboxUnavailable):
        sandbox.exec("true", timeout=10)


def _processes(sandbox: DockerContainer) -> list[str]:
    return [line for line in sandbox.exec("ps -eo args", timeout=30).stdout.splitlines()[1:]
            if line.strip() and not line.startswith(("ps ", "sh -c", "timeout "))]


def test_background_processes_do_not_outlive_their_exec(sandbox: DockerContainer) -> None:
    result = sandbox.exec("sleep 120 & sleep 121 > /dev/null 2>&1 & echo started", timeout=30)
    assert result.ok and result.stdout == "started\n"
    assert not any("sleep 12" in p for p in _processes(sandbox))


def test_fork_bomb_dies_with_its_exec(sandbox: DockerContainer) -> None:
    started = time.monotonic()
    sandbox.exec("bomb() { bomb | bomb & }; bomb", timeout=8)
    assert time.monotonic() - started < 30
    time.sleep(1)
    after = sandbox.exec("echo alive", timeout=30)
    assert after.ok and after.stdout == "alive\n", "later execs work"
    assert len(_processes(sandbox)) <= 2, _processes(sandbox)  # init and the sleep command


def test_setsid_is_the_way_to_keep_a_server(sandbox: DockerContainer) -> None:
    """The documented escape hatch: a process that leaves the exec's group on purpose stays."""
    sandbox.exec("setsid sleep 97 > /dev/null 2>&1 < /dev/null &", timeout=30)
    assert any("sleep 97" in p for p in _processes(sandbox))


def test_capabilities_are_minimal_but_root_still_works(sandbox: DockerContainer) -> None:
    host_config = sandbox.container.attrs["HostConfig"]
    assert host_config["CapDrop"] == ["ALL"]
    assert "NET_RAW" not in host_config["CapAdd"] and "MKNOD" not in host_config["CapAdd"]
    works = sandbox.exec(
        "set -e; cd /tmp; touch f; chown nobody:nogroup f; chmod 600 f; "
        "setpriv --reuid=nobody --regid=nogroup --clear-groups id -u; "  # apt drops to _apt
        "git init -q r && cd r && git -c user.name=a -c user.email=a@b commit -q --allow-empty "
        "-m x && echo git-ok; apt-get check >/dev/null && echo apt-ok", timeout=60)
    assert works.ok, works.stderr
    assert works.stdout.split() == ["65534", "git-ok", "apt-ok"]
    refused = sandbox.exec("mknod /tmp/d c 1 3", timeout=30)
    assert not refused.ok and "not permitted" in refused.stderr
