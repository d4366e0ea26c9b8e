"""A stop lands within 2 s wherever the run is (README): during a build, and while a trial
waits for another process's reference build (a file lock). Real processes, real engine."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.chaos.test_run_signals import (
    ENV,
    _dangling,
    _in_slow_build,
    _nothing_of_the_run,
    _start,
    _stop,
    _wait,
)

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

STOP_BOUND_SEC = 2.0


def test_sigterm_during_a_build_exits_within_2s(tmp_path: Path, run_id: str) -> None:
    """Was: 6.7 s. The build's step sleeps; SIGTERM; exit 130 within the bound, and nothing
    of the run left (the step container, its layers, the build jail)."""
    dangling_before = set(_dangling())
    proc = _start(tmp_path, run_id, [ENV])
    _wait(proc, _in_slow_build(tmp_path, run_id), "the slow build step")
    time.sleep(2)  # the step container runs and the build has committed layers
    stopped_in, out = _stop(proc, signal.SIGTERM)
    print(f"SIGTERM during a build: exited in {stopped_in:.2f}s")
    assert proc.returncode == 130, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    assert stopped_in < STOP_BOUND_SEC, f"stopping took {stopped_in:.1f}s"
    _nothing_of_the_run(run_id, dangling_before)
