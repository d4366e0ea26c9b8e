"""Job files: validation (one line naming the field), the agents x models matrix, env names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.jobs import agent_env, expand, load_job, resolve_path

CHECKOUT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(text)
    return path


def test_matrix_of_agents_and_models(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, """
name: nightly
models: [gpt-4o-mini, "org/model:7b"]
agents:
  - name: abc
    env: [OPENAI_API_KEY]
  - name: oracle
    models: [null]
  - import_path: my_pkg.agents:MyAgent
    label: mine
    models: [m1]
n_attempts: 3
dataset: abc-bench@1.0
"""))
    cells = expand(job)
    assert [(c.run_id, c.model) for c in cells] == [
        ("nightly--abc--gpt-4o-mini", "gpt-4o-mini"),
        ("nightly--abc--org-model-7b", "org/model:7b"),
        ("nightly--oracle", None),
        ("nightly--mine--m1", "m1"),
    ]
    assert job.n_attempts == 3 and job.n_concurrent == 1


@pytest.mark.parametrize(("text", "message"), [
    ("name: x\nagents: []\n", "agents: List should have at least 1 item"),
    ("name: x\nagents: [{name: oracle, import_path: a:B}]\n",
     "agents.0: Value error, give exactly one of name or import_path"),
    ("name: x\nagents: [{name: oracle}]\nn_attempts: 0\n", "n_attempts: Input should be"),
    ("name: x\nagents: [{name: oracle}]\nbogus: 1\n", "bogus: Extra inputs are not permitted"),
    ("name: 'bad name'\nagents: [{name: oracle}]\n", "name: String should match pattern"),
    ("name: x\nagents: [{name: oracle}]\ndataset: a\ntasks_dir: b\n", "not both"),
    ("name: [unclosed\n", "is not valid YAML"),
])
def test_bad_job_files_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        load_job(write(tmp_path, text))
    assert "\n" not in str(info.value) and "job" in str(info.value)


def test_duplicate_run_ids_and_missing_env_are_refused(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, "name: x\nagents: [{name: oracle}, {name: oracle}]\n"))
    with pytest.raises(UserError, match="distinct `label`s"):
        expand(job)
    agent = load_job(write(tmp_path, "name: x\nagents: [{name: abc, env: [K1, K2]}]\n")).agents[0]
    with pytest.raises(UserError, match="env entry #2 of the job file names a variable that "
                       "is not set") as missing:
        agent_env(agent, {"K1": "v"})
    assert "K2" not in str(missing.value), "no name is quoted: it may be a pasted key"
    assert agent_env(agent, {"K1": "v", "K2": "w", "OTHER": "z"}) == {"K1": "v", "K2": "w"}


def test_paths_are_relative_to_the_job_file(tmp_path: Path) -> None:
    job_file = write(tmp_path, "name: x\nagents: [{name: oracle}]\n")
    assert resolve_path(job_file, "tasks") == tmp_path / "tasks"
    assert resolve_path(job_file, "/abs") == Path("/abs")
    assert resolve_path(job_file, None) is None


def test_schema_job_prints_the_json_schema(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    proc = subprocess.run([sys.executable, "-m", "abcbench.cli", "schema", "job"], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    schema = json.loads(proc.stdout)
    assert schema["title"] == "JobSpec" and "agents" in schema["required"]
    assert "timeout_multiplier" in schema["properties"]


def test_bad_job_file_from_the_cli_is_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    job = write(tmp_path, "name: x\nagents: [{name: no-such-agent}]\n")
    proc = subprocess.run([sys.executable, "-m", "abcbench.cli", "run", "-c", str(job)],
                          env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "unknown agent 'no-such-agent'" in proc.stderr
    assert not (tmp_path / "runs").exists()
