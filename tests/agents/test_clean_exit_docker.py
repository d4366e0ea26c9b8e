"""A real `abcbench run` exits without a traceback on stderr (issue 20): an exec's attached
socket used to be closed without the HTTP response that owned it, and the garbage collector's
close of that response then printed `Exception ignored in: <http.client.HTTPResponse ...>
ValueError: I/O operation on closed file` once per exec. Python 3.13 prints those always; this
interpreter only in development mode, which the test turns on (PYTHONDEVMODE=1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.sandbox.lifecycle import leftovers

pytestmark = [pytest.mark.docker, pytest.mark.slow]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "native"


def test_a_run_prints_no_traceback_on_a_clean_exit(tmp_path: Path, run_id: str) -> None:
    env = {**os.environ, "PYTHONDEVMODE": "1", "PYTHONWARNINGS": "ignore::ResourceWarning"}
    proc = subprocess.run(
        [sys.executable, "-m", "abcbench.cli", "run", "--agent", "oracle", "--tasks-dir",
         str(FIXTURES), "-t", "fx-quotes-logic", "--run-id", run_id, "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=900, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "resolved 1/1" in proc.stdout, proc.stdout[-2000:]
    assert "Exception ignored" not in proc.stderr, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
