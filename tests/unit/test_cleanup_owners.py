"""`abcbench cleanup` without `--run` spares runs whose owner process is alive (Docker faked;
tests/docker/test_cleanup.py does it against the real engine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import abcbench.cli.images as images_cli
import abcbench.run.orphans as orphans
from abcbench.cli.main import app

HOLDER = """
import sys, time
from pathlib import Path
from abcbench.run.lock import RunLock
RunLock(Path(sys.argv[1]), sys.argv[2], "test holder").acquire()
print("locked", flush=True)
time.sleep(120)
"""


def test_cleanup_without_run_skips_live_owners(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))
    monkeypatch.setattr(orphans, "runs_in_docker", lambda: {"alive-run", "dead-run"})
    calls: list[dict[str, str]] = []
    monkeypatch.setattr(images_cli, "cleanup", lambda **f: calls.append(f) or {"containers": 1})
    monkeypatch.setattr(images_cli, "remove_trial_images", lambda **f: 0)
    monkeypatch.setattr(images_cli, "kept_caches", lambda: (0, 0))
    monkeypatch.setattr(orphans, "remove_dead_process_leftovers", lambda: (0, 0))
    owner = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "alive-run"),
                              "alive-run"], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "locked"
        out = CliRunner().invoke(app, ["cleanup"])
    finally:
        owner.kill()
        owner.wait()
    assert out.exit_code == 0, out.output
    assert calls == [{"run": "dead-run"}]
    assert f"skipping run alive-run: owned by live pid {owner.pid}" in out.output
