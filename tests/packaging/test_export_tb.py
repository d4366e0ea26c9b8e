"""Exported tasks under the real Terminal-Bench harness (`tb run`): the oracle resolves, nop
does not. Opt-in: set ABCBENCH_TB to a `tb` executable (Terminal-Bench needs Python >= 3.12,
so it lives in a venv of its own) and have the `docker compose` plugin available (with only
docker-compose v1 installed, a plugin script that runs `docker-compose "$@"` after dropping its
first argument, in `$DOCKER_CONFIG/cli-plugins/docker-compose`, serves)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_cli_output import cli

TB = os.environ.get("ABCBENCH_TB")
TASK = "python-flask-bookshelf-loans"

pytestmark = [
    pytest.mark.docker, pytest.mark.slow,
    pytest.mark.skipif(not TB, reason="set ABCBENCH_TB to a Terminal-Bench `tb` executable"),
]


def test_tb_run_oracle_resolves_nop_fails(tmp_path: Path, run_id: str) -> None:
    assert TB is not None
    proc = cli("tasks", "export", str(tmp_path / "tb"), "-t", TASK, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}  # no fetch from the network
    for agent, resolved in (("oracle", True), ("nop", False)):
        tb_run_id = f"{run_id}-{agent}"
        subprocess.run([TB, "run", "--dataset-path", str(tmp_path / "tb"), "--agent", agent,
                        "--task-id", TASK, "--output-path", str(tmp_path / "tb-runs"),
                        "--run-id", tb_run_id, "--n-concurrent", "1", "--no-livestream"],
                       cwd=tmp_path, env=env, check=True, capture_output=True, timeout=1200)
        results = json.loads((tmp_path / "tb-runs" / tb_run_id / "results.json").read_text())
        trial = results["results"][0]
        assert trial["is_resolved"] is resolved, trial
        assert len(trial["parser_results"]) == 14  # the hidden tests ran and were parsed
