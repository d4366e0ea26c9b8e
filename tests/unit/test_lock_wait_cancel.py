"""A wait for another process's build lock gives up within 0.1 s of the run's stop (issue 18,
item 10): was a blocking `flock` that held Ctrl-C for up to the other build's timeout. The
other process is real and holds a real flock."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from abcbench.errors import Cancelled
from abcbench.images.manager import _file_lock
from abcbench.policy import FaultFacts, classify
from abcbench.results.models import Stage

HOLDER = """
import sys, time
from abcbench.images.manager import _file_lock
with _file_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_stop_ends_the_wait_for_another_processs_build_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    name = "build-cache-lockprobe"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, name], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        cancel = threading.Event()
        threading.Timer(0.5, cancel.set).start()
        started = time.monotonic()
        with pytest.raises(Cancelled), _file_lock(name, cancel):
            pytest.fail("the lock is held by the other process")
        waited = time.monotonic() - started
        assert 0.4 < waited < 0.5 + 0.5, f"gave up after {waited:.2f}s"
        decision = classify(FaultFacts(Cancelled("stopped"), Stage.build, True))
        assert (decision.rule, decision.failure, decision.counted) == ("cancelled", None, False)
    finally:
        holder.kill()
        holder.wait()
    with _file_lock(name, threading.Event()):  # free again once the holder is gone
        pass


def test_a_trials_thread_gives_up_every_build_lock_wait_on_the_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A recipe image's lock too (`ImageManager.ensure` takes no stop of its own): the trial
    sets the run's stop for its thread."""
    from abcbench.images.manager import RUN_STOP

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    name = "recipe-lockprobe"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, name], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        stop = threading.Event()
        outcome: list[BaseException] = []

        def trial_thread() -> None:
            RUN_STOP.set(stop)
            try:
                with _file_lock(name):
                    pass
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=trial_thread)
        worker.start()
        time.sleep(0.3)
        stop.set()
        worker.join(2)
        assert not worker.is_alive() and isinstance(outcome[0], Cancelled), outcome
    finally:
        holder.kill()
        holder.wait()
