"""A Terminal-Bench task whose compose file asks for the harness's own variables, through the
real CLI (issue 18, item 6).

`environment: [CHAOS_HOST_KEY]`, `HF_TOKEN:` with no value, a bare name in an `env_file` and a
value-less build arg would each be filled by docker-compose from the harness's environment, so
a dataset could hand the user's key to the agent's container. The run must refuse the task
before anything starts (one line naming the entry, exit 2, no run folder, nothing in Docker).
The second wall (docker-compose runs with a scrubbed environment) is tested with the real
engine in tests/docker/test_compose_env.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import NOTHING
from tests.conftest import TB_FIXTURES

pytestmark = [pytest.mark.chaos, pytest.mark.sweep]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-chaos-compose-host-9f8e7d"


@pytest.mark.parametrize(("client", "named"), [
    ({"environment": ["TEST_DIR=${T_BENCH_TEST_DIR}", "CHAOS_HOST_KEY"]}, "CHAOS_HOST_KEY"),
    ({"environment": {"TEST_DIR": "${T_BENCH_TEST_DIR}", "HF_TOKEN": None}}, "HF_TOKEN"),
    ({"env_file": ["host.env"]}, "CHAOS_HOST_KEY"),
    ({"build": {"context": ".", "args": ["CHAOS_HOST_KEY"]}}, "CHAOS_HOST_KEY"),
])
def test_a_compose_file_asking_for_host_variables_is_refused_before_the_run(
        client: dict[str, object], named: str, tmp_path: Path, run_id: str) -> None:
    task = tmp_path / "tasks" / "tb-host-env"
    shutil.copytree(TB_FIXTURES / "tb-word-stats", task)
    (task / "host.env").write_text("PLAIN=1\nCHAOS_HOST_KEY\n")
    compose = task / "docker-compose.yaml"
    data = yaml.safe_load(compose.read_text())
    data["services"]["client"].update(client)
    compose.write_text(yaml.safe_dump(data))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHAOS_HOST_KEY": SECRET, "HF_TOKEN": SECRET}
    proc = subprocess.run(
        [sys.executable, "-m", "abcbench.cli", "run", "--agent", "nop", "--tasks-dir",
         str(tmp_path / "tasks"), "--task", "tb-host-env", "--run-id", run_id,
         "--output", str(tmp_path / "runs")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert named in proc.stderr and "no value" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    assert not (tmp_path / "runs" / run_id).exists()
    assert leftovers(run=run_id) == NOTHING
