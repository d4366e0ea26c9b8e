"""Claude Code and Codex installed in real sandboxes, end to end through the harness and the
model gateway, against the scripted server of their protocol, on two bundled tasks in different
languages: a script that writes the reference solution resolves both, a script that does
nothing resolves neither, the tokens in result.json are the server's, and the key given with
--agent-env is nowhere: not in the agent's environment, the run folder or the submission."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.agents.base import Agent
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.codex import CodexAgent
from abcbench.agents.verify import ENV_DUMP, USAGE, shell_step, solving_route
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step
from tests.agents.agent_helpers import agent_requests, agent_usage, bundled_task
from tests.agents.atif_check import validate_atif

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SECRET = "sk-installed-agents-NEVER-ON-DISK-9f8e7d6c"
TASKS = ("python-flask-bookshelf-loans", "go-chi-linkvault-bookmarks")
AGENTS = {
    "claude-code": (ClaudeCodeAgent, "anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY"),
    "codex": (CodexAgent, "openai/gpt-5", "OPENAI_API_KEY"),
}


def run(tmp_path: Path, run_id: str, agent: type[Agent], model: str, key_var: str,
        script: Script) -> tuple[list[TrialResult], ModelServer, RunDir]:
    with ModelServer(script) as server:
        request = RunRequest(
            tasks=[bundled_task(t) for t in TASKS], agent_cls=agent,
            agent_info=AgentInfo(name=agent.name, model=model,
                                 kwargs={"base_url": server.base_url}, env_keys=[key_var]),
            agent_env={key_var: SECRET}, output_dir=tmp_path / "runs",
            tasks_dir=bundled_tasks_dir(), run_id=run_id, n_concurrent=2)
        Runner(request).execute()
    run_dir = RunDir(tmp_path / "runs" / run_id)
    return sorted(run_dir.results(), key=lambda r: r.task_id), server, run_dir


def assert_no_secret(run_dir: RunDir) -> None:
    for path in run_dir.path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"API key written to {path}"


@pytest.mark.parametrize("name", [pytest.param("claude-code", marks=pytest.mark.sweep), "codex"])
def test_installed_agent_solves_with_the_reference_and_keeps_the_key_out(
        name: str, tmp_path: Path, run_id: str) -> None:
    cls, model, key_var = AGENTS[name]
    script = Script(routes=[solving_route(bundled_task(t), cls) for t in TASKS])
    results, server, run_dir = run(tmp_path, run_id, cls, model, key_var, script)
    assert [r.task_id for r in results] == sorted(TASKS)
    for result in results:
        assert result.resolved, (result.task_id, result.failure_class, result.error)
        trial = run_dir.trial_dir(result.trial_name)
        dump = (trial / "submission" / ENV_DUMP).read_text()
        assert f"{key_var}=abcbench-" in dump and SECRET not in dump
        assert (trial / "agent" / cls.log_name).is_file()
        atif = validate_atif(trial / "agent" / "trajectory.json")
        assert atif["steps"][0]["source"] == "user" and "minutes" in atif["steps"][0]["message"]
        agent_steps = [s for s in atif["steps"] if s["source"] == "agent"]
        assert sum(s["metrics"]["prompt_tokens"] for s in agent_steps) == result.usage.input_tokens
        assert atif["final_metrics"]["total_prompt_tokens"] == result.usage.input_tokens
    # every request reached the provider through the gateway, which added the key
    assert {r.headers.get("authorization") or r.headers.get("x-api-key")
            for r in server.requests} <= {f"Bearer {SECRET}", SECRET}
    total = agent_usage(server)
    assert sum(r.usage.input_tokens for r in results) == total.prompt_tokens
    assert sum(r.usage.output_tokens for r in results) == total.completion_tokens
    assert sum(r.usage.cached_tokens for r in results) == total.cached_tokens
    assert sum(r.usage.n_requests for r in results) == len(agent_requests(server))
    assert total.prompt_tokens == USAGE.prompt_tokens * len(agent_requests(server))
    assert all(r.usage.cost_usd > 0 for r in results)
    assert_no_secret(run_dir)
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


@pytest.mark.parametrize("name", sorted(AGENTS))
@pytest.mark.sweep
def test_installed_agent_that_does_nothing_resolves_nothing(
        name: str, tmp_path: Path, run_id: str) -> None:
    cls, model, key_var = AGENTS[name]
    script = Script(steps=[Step(content="I will not change anything.", usage=USAGE)])
    results, server, run_dir = run(tmp_path, run_id, cls, model, key_var, script)
    assert len(results) == 2 and not any(r.resolved for r in results)
    assert all(r.failure_class is not None and r.failure_class.value == "tests_failed"
               for r in results), [(r.failure_class, r.error) for r in results]
    assert sum(r.usage.n_requests for r in results) == len(agent_requests(server)) >= 2
    assert_no_secret(run_dir)
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


@pytest.mark.parametrize("name", sorted(AGENTS))
@pytest.mark.sweep
def test_installed_agent_that_outlives_its_budget_is_stopped_at_it(
        name: str, tmp_path: Path, run_id: str) -> None:
    cls, model, key_var = AGENTS[name]
    sleeper = shell_step(cls, "sleep 900")
    if name == "claude-code":  # its Bash tool's own limit would otherwise end the command
        sleeper.tool_calls[0].arguments["timeout"] = 600000
    script = Script(steps=[sleeper], when_exhausted="repeat_last")
    with ModelServer(script) as server:
        Runner(RunRequest(
            tasks=[bundled_task(TASKS[0])], agent_cls=cls,
            agent_info=AgentInfo(name=cls.name, model=model,
                                 kwargs={"base_url": server.base_url}, env_keys=[key_var]),
            agent_env={key_var: SECRET}, output_dir=tmp_path / "runs",
            tasks_dir=bundled_tasks_dir(), run_id=run_id, agent_timeout_sec=120)).execute()
    [result] = RunDir(tmp_path / "runs" / run_id).results()
    assert not result.resolved and result.agent_timed_out
    assert result.failure_class is not None and result.failure_class.value == "agent_timeout"
    assert 100 <= result.timings["agent"] < 150, result.timings
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
