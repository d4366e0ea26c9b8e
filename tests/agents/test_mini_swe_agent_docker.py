"""mini-swe-agent installed in the real sandbox, end to end through the harness, against the
scripted model server on the host (reached through the sandbox's gateway)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep, tool
from tests.agents.agent_helpers import TASK_ID, agent_requests, bundled_task
from tests.agents.atif_check import validate_atif

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.sweep]

SECRET = "sk-mini-test-NEVER-ON-DISK-1a2b3c4d5e6f"
REFERENCE = bundled_tasks_dir() / "_repos" / "python-flask-bookshelf" / "bookshelf"


def write_command(rel: str) -> str:
    payload = base64.b64encode((REFERENCE / rel).read_bytes()).decode()
    return f"echo {payload} | base64 -d > bookshelf/{rel} && echo wrote {rel}"


def bash(command: str, usage: UsageStep) -> Step:
    return Step(content="Next step.", tool_calls=[tool("bash", command=command)], usage=usage)


def test_mini_swe_agent_resolves_with_tokens_counted(tmp_path: Path, run_id: str) -> None:
    usage = UsageStep(prompt_tokens=2000, completion_tokens=300, cached_tokens=500)
    script = Script(steps=[
        bash("ls bookshelf && git status --short && env > env-dump.txt", usage),
        Step.fail(429, retry_after="1"),
        bash(write_command("services/loans.py"), usage),
        bash(write_command("routes/loans.py"), usage),
        bash("python3 -c 'import bookshelf.routes.loans' && echo IMPORT-OK", usage),
        bash("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT", usage),
    ])
    with ModelServer(script) as server:
        request = RunRequest(
            tasks=[bundled_task(TASK_ID)], agent_cls=MiniSweAgent,
            agent_info=AgentInfo(name="mini-swe-agent", model="gpt-4o-mini",
                                 kwargs={"base_url": server.base_url},
                                 env_keys=["OPENAI_API_KEY"]),
            agent_env={"OPENAI_API_KEY": SECRET}, output_dir=tmp_path / "runs",
            tasks_dir=bundled_tasks_dir(), run_id=run_id,
        )
        Runner(request).execute()
    run_dir = RunDir(tmp_path / "runs" / run_id)
    [result] = run_dir.results()
    assert result.resolved, (result.failure_class, result.error)
    # the model was reached from inside the container through the gateway, which added the key
    asked = agent_requests(server, completions=False)
    assert asked[0].headers["authorization"] == f"Bearer {SECRET}"
    assert [r.status for r in asked] == [200, 429, 200, 200, 200, 200]
    # the agent's environment (dumped into the repository) held the trial token, not the key
    dump = (run_dir.trial_dir(result.trial_name) / "submission" / "env-dump.txt").read_text()
    assert "OPENAI_API_KEY=abcbench-" in dump and SECRET not in dump
    # tokens: five completions, as the gateway counted them
    assert result.usage.n_requests == 5
    assert result.usage.input_tokens == 5 * 2000
    assert result.usage.output_tokens == 5 * 300
    assert result.usage.cached_tokens == 5 * 500
    # gpt-4o-mini list price: 0.15 in, 0.60 out, 0.075 cached per Mtok
    assert result.usage.cost_usd == pytest.approx(5 * (1500 * 0.15 + 500 * 0.075 + 300 * 0.6)
                                                  / 1e6)
    assert result.logs.trajectory == "agent/trajectory.json"
    atif = validate_atif(run_dir.trial_dir(result.trial_name) / "agent" / "trajectory.json")
    assert atif["final_metrics"]["total_prompt_tokens"] == 5 * 2000
    agent_steps = [s for s in atif["steps"] if s["source"] == "agent"]
    assert [s["metrics"]["prompt_tokens"] for s in agent_steps] == [2000] * 5
    traj = json.loads((run_dir.trial_dir(result.trial_name) / "agent" / "mini-swe-agent-log.json")
                      .read_text())
    assert traj["info"]["exit_status"] == "Submitted"
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    for path in run_dir.path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"API key written to {path}"
