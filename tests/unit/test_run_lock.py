"""A run folder is owned by one process at a time. Real processes hold the locks here."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.nop import NopAgent
from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.results.models import AgentInfo
from abcbench.run.lock import LOCK_FILE, LockOwner, RunLock, live_owner, live_run_owner
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES
from tests.unit.fake_run import fake_engine

HOLDER = """
import sys, time
from pathlib import Path
from abcbench.run.lock import RunLock
lock = RunLock(Path(sys.argv[1]), sys.argv[2], "test holder")
lock.acquire()
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture(autouse=True)
def private_lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that owns run `held` in tmp_path/runs/held."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "runs" / "held"),
                             "held"], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def plant(run_dir: Path, host: str, pid: int) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    owner = LockOwner(host=host, pid=pid, started_at=datetime.now(UTC), purpose="run",
                      run_dir=str(run_dir))
    (run_dir / LOCK_FILE).write_text(owner.model_dump_json())


def test_a_live_owner_is_named_and_refused(tmp_path: Path,
                                           holder: subprocess.Popen[str]) -> None:
    run_dir = tmp_path / "runs" / "held"
    owner = live_owner(run_dir)
    assert owner is not None and owner.pid == holder.pid
    assert owner.host == socket.gethostname()
    with pytest.raises(UserError, match=f"pid {holder.pid} on {socket.gethostname()}"):
        RunLock(run_dir, "held", "resume").acquire()
    # The same run id in another folder is refused too: the containers carry only the id.
    with pytest.raises(UserError, match=f"run id 'held' is in use .* pid {holder.pid}"):
        RunLock(tmp_path / "elsewhere" / "held", "held", "run").acquire()
    assert live_run_owner("held") is not None


def test_the_lock_is_free_once_the_owner_is_gone(tmp_path: Path,
                                                 holder: subprocess.Popen[str]) -> None:
    holder.kill()
    holder.wait()
    run_dir = tmp_path / "runs" / "held"
    assert live_owner(run_dir) is None and live_run_owner("held") is None
    with RunLock(run_dir, "held", "resume") as lock:
        assert lock.took_over is not None and lock.took_over.pid == holder.pid
        assert live_run_owner("held") is not None
        assert json.loads((run_dir / LOCK_FILE).read_text())["pid"] == os.getpid()
    assert not (run_dir / LOCK_FILE).exists()
    assert live_run_owner("held") is None


def test_a_stale_lock_of_a_dead_pid_is_taken_over(tmp_path: Path) -> None:
    pid = dead_pid()
    plant(tmp_path / "r", socket.gethostname(), pid)
    with RunLock(tmp_path / "r", "r", "resume") as lock:
        assert lock.took_over is not None and lock.took_over.pid == pid


def test_a_lock_of_another_host_is_refused_unless_broken(tmp_path: Path) -> None:
    plant(tmp_path / "r", "other-host.example", 4242)
    with pytest.raises(UserError, match="--break-lock"):
        RunLock(tmp_path / "r", "r", "resume").acquire()
    with RunLock(tmp_path / "r", "r", "resume", break_lock=True) as lock:
        assert lock.took_over is not None and lock.took_over.host == "other-host.example"


def test_resume_of_a_live_run_exits_2_naming_the_owner(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fake_engine(monkeypatch, default=None)
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    Runner(RunRequest(tasks=registry.all(), agent_cls=NopAgent, agent_info=AgentInfo(name="nop"),
                      output_dir=tmp_path / "runs", tasks_dir=registry.root,
                      run_id="held")).execute()
    (tmp_path / "runs" / "held" / "trials" / "fx-quotes-env__1" / "result.json").unlink()
    engine.ran.clear()
    again = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "runs" / "held"),
                              "held"], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        assert again.stdout is not None and again.stdout.readline().strip() == "locked"
        out = CliRunner().invoke(app, ["run", "--resume", "held", "--output",
                                       str(tmp_path / "runs")])
    finally:
        again.kill()
        again.wait()
    assert out.exit_code == 2, out.output
    assert f"pid {again.pid}" in out.output
    assert len(out.output.strip().splitlines()) == 1, out.output
    assert engine.ran == [], "no trial may run in a folder another process owns"
