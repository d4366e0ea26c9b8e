"""The built-in agent through the real harness (sandbox container, build, deploy, hidden tests)
against the scripted model server, on the bundled task python-flask-bookshelf-loans."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.cli.main import app
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo, FailureClass, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step
from tests.agents.agent_helpers import TASK_ID, agent_requests, agent_usage, bundled_task
from tests.agents.atif_check import validate_atif

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SECRET = "sk-docker-test-NEVER-ON-DISK-9f8e7d6c5b4a"
REFERENCE = bundled_tasks_dir() / "_repos" / "python-flask-bookshelf" / "bookshelf"


def solving_script() -> Script:
    """Explore, write the reference service, write the routes with a typo, fix it with
    str_replace, check the import, finish: every tool goes through the real sandbox."""
    service = (REFERENCE / "services" / "loans.py").read_text()
    routes = (REFERENCE / "routes" / "loans.py").read_text()
    broken_routes = routes.replace('bp = Blueprint("loans", __name__)',
                                   'bp = Blueprint("loans", __name__)  # BROKEN', 1)
    assert broken_routes != routes
    return Script(steps=[
        Step.call("bash", command="git status --short && ls bookshelf"),
        Step.call("read_file", path="bookshelf/services/loans.py", start_line=1, end_line=20),
        Step.call("write_file", path="bookshelf/services/loans.py", content=service),
        Step.call("write_file", path="bookshelf/routes/loans.py", content=broken_routes),
        Step.call("str_replace", path="/app/bookshelf/bookshelf/routes/loans.py",
                  old="  # BROKEN", new=""),
        Step.call("bash", command="python3 -c 'import bookshelf.routes.loans' && echo IMPORT-OK"),
        Step.call("finish", summary="implemented the loan endpoints"),
    ])


def run_trial(tmp_path: Path, run_id: str, script: Script, *, agent_timeout: float | None = None,
              **kwargs: str) -> tuple[TrialResult, RunDir, ModelServer]:
    server = ModelServer(script).start()
    try:
        request = RunRequest(
            tasks=[bundled_task(TASK_ID)],
            agent_cls=ToolCallingAgent,
            agent_info=AgentInfo(name="abc", model="gpt-4o-mini",
                                 kwargs={"base_url": server.base_url, "retry_base_sec": "0.2",
                                         **kwargs},
                                 env_keys=["OPENAI_API_KEY"]),
            agent_env={"OPENAI_API_KEY": SECRET},
            output_dir=tmp_path / "runs",
            tasks_dir=bundled_tasks_dir(),
            run_id=run_id,
            agent_timeout_sec=agent_timeout,
        )
        Runner(request).execute()
    finally:
        server.stop()
    run_dir = RunDir(tmp_path / "runs" / run_id)
    [result] = run_dir.results()
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    assert_no_secret(run_dir.path)
    return result, run_dir, server


def assert_no_secret(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"API key written to {path}"


def trajectory(run_dir: RunDir, result: TrialResult) -> dict[str, Any]:
    """The ATIF trajectory, validated against the schema."""
    assert result.logs.trajectory == "agent/trajectory.json"
    return validate_atif(run_dir.trial_dir(result.trial_name) / result.logs.trajectory)


def test_scripted_solution_resolves_through_the_real_loop(tmp_path: Path, run_id: str) -> None:
    result, run_dir, server = run_trial(tmp_path, run_id, solving_script())
    assert result.resolved, (result.failure_class, result.error)
    assert result.n_tests > 0 and result.n_passed == result.n_tests
    assert result.usage.n_requests == 7 == len(agent_requests(server))
    assert result.usage.input_tokens == agent_usage(server).prompt_tokens
    assert result.usage.output_tokens == agent_usage(server).completion_tokens
    assert result.usage.cost_usd > 0
    traj = trajectory(run_dir, result)
    assert traj["extra"]["exit_status"] == "finished"
    steps = [s for s in traj["steps"] if s["source"] == "agent"]
    assert "IMPORT-OK" in steps[5]["observation"]["results"][0]["content"]
    assert traj["final_metrics"]["total_prompt_tokens"] == agent_usage(server).prompt_tokens
    diff = (run_dir.trial_dir(result.trial_name) / "submission.diff").read_text()
    assert "def checkout" in diff and "BROKEN" not in diff


@pytest.mark.sweep
def test_model_that_gives_up_is_not_resolved(tmp_path: Path, run_id: str) -> None:
    script = Script(steps=[
        Step.call("bash", command="ls"),
        Step.say("This is too hard for me."),
        Step.say("I give up."),
    ])
    result, run_dir, _server = run_trial(tmp_path, run_id, script)
    assert not result.resolved
    assert result.failure_class is FailureClass.tests_failed
    assert result.n_tests > 0 and result.n_passed < result.n_tests
    assert trajectory(run_dir, result)["extra"]["exit_status"] == "gave_up"
    assert result.usage.n_requests == 3


@pytest.mark.sweep
def test_survives_429_and_500_and_still_resolves(tmp_path: Path, run_id: str) -> None:
    solving = solving_script().steps
    script = Script(steps=[Step.fail(429, retry_after="1"), solving[0], Step.fail(500),
                           Step.fail(502), *solving[1:]])
    result, run_dir, server = run_trial(tmp_path, run_id, script)
    assert result.resolved, (result.failure_class, result.error)
    statuses = [r.status for r in agent_requests(server, completions=False)]
    assert statuses.count(200) == 7
    assert statuses[:4] == [429, 200, 500, 502]
    trajectory(run_dir, result)
    # the gateway retried the provider's faults and kept every attempt
    records = (run_dir.trial_dir(result.trial_name) / "agent" / "gateway.jsonl").read_text()
    attempts = [[a["status"] for a in json.loads(line)["attempts"]]
                for line in records.splitlines()]
    assert attempts[:2] == [[429, 200], [500, 502, 200]]
    assert result.usage.n_requests == 7


def test_budget_stop_through_the_cli(tmp_path: Path, run_id: str) -> None:
    """--agent-timeout 20 with a model that keeps running long commands: the agent stops itself
    at its budget, the trial is an agent timeout, and it does not wait for the harness grace."""
    script = Script(steps=[Step.call("bash", command="sleep 600", timeout_sec=1800)],
                    when_exhausted="repeat_last")
    tasks_dir = tmp_path / "tasks"  # only this task: others may be mid-edit in tasks/
    tasks_dir.mkdir()
    (tasks_dir / TASK_ID).symlink_to(bundled_tasks_dir() / TASK_ID)
    (tasks_dir / "_repos").symlink_to(bundled_tasks_dir() / "_repos")
    with ModelServer(script) as server:
        started = time.monotonic()
        outcome = CliRunner().invoke(app, [
            "run", "--agent", "abc", "--model", "scripted-model", "--task", TASK_ID,
            "--agent-kwarg", f"base_url={server.base_url}", "--agent-env",
            f"OPENAI_API_KEY={SECRET}", "--agent-timeout", "20", "--run-id", run_id,
            "--output", str(tmp_path / "runs"), "--tasks-dir", str(tasks_dir),
        ])
        elapsed = time.monotonic() - started
    assert outcome.exit_code == 0, outcome.output
    run_dir = RunDir(tmp_path / "runs" / run_id)
    [result] = run_dir.results()
    assert not result.resolved
    assert result.agent_timed_out and result.failure_class is FailureClass.agent_timeout
    assert 18 <= result.timings["agent"] < 40
    assert trajectory(run_dir, result)["extra"]["exit_status"] == "budget"
    assert result.usage.cost_usd == 0.0  # an unpriced model costs nothing, never a guess
    assert elapsed < 240
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    assert_no_secret(run_dir.path)
