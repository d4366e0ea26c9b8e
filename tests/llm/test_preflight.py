"""The endpoint check before the first trial: the user's mistakes are bad input (UserError),
a provider's bad moment is a warning."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.endpoint import Endpoint, check_endpoint, preflight_agent
from abcbench.agents.nop import NopAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step
from tests.conftest import NATIVE_FIXTURES

KEY = "sk-preflight-key-123456"


@pytest.mark.parametrize("wire", ["chat", "responses", "anthropic"])
def test_a_working_endpoint_passes_with_one_minimal_request(wire: str) -> None:
    with ModelServer(Script(steps=[Step.say("ok")])) as server:
        assert check_endpoint(wire, Endpoint(server.base_url, KEY), "m") is None
        [request] = server.requests
    assert request.wire == wire and request.body["model"] == "m"
    if wire == "anthropic":
        assert request.headers["x-api-key"] == KEY and request.body["max_tokens"] == 1
    else:
        assert request.headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize(("status", "words"), [(401, "refused the key"),
                                               (403, "refused the key"),
                                               (404, "check --model")])
def test_key_and_model_mistakes_are_user_errors(status: int, words: str) -> None:
    with ModelServer(Script(steps=[Step.fail(status, error_message="nope")])) as server, \
            pytest.raises(UserError, match=words) as info:
        check_endpoint("chat", Endpoint(server.base_url, KEY), "m")
    assert KEY not in str(info.value) and "\n" not in str(info.value)


def test_an_unreachable_endpoint_is_a_user_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(UserError, match="cannot be reached"):
        check_endpoint("chat", Endpoint(f"http://127.0.0.1:{port}/v1", KEY), "m")


def test_a_failing_provider_is_only_a_warning() -> None:
    with ModelServer(Script(steps=[Step.fail(503)])) as server:
        warning = check_endpoint("responses", Endpoint(server.base_url, KEY), "m")
    assert warning and "HTTP 503" in warning


def test_preflight_agent_checks_llm_agents_only() -> None:
    assert preflight_agent(NopAgent()) is None
    with ModelServer(Script(steps=[Step.fail(401)])) as server:
        agent = ToolCallingAgent(model="openai/gpt-4o", env={"OPENAI_API_KEY": KEY},
                                 base_url=server.base_url)
        with pytest.raises(UserError):
            preflight_agent(agent)
        assert server.requests[0].body["model"] == "gpt-4o"


def test_anthropic_agents_take_anthropic_key_and_url_by_default() -> None:
    from abcbench.agents.installed.claude_code import ClaudeCodeAgent

    with ModelServer(Script(steps=[Step.say("ok")])) as server:
        agent = ClaudeCodeAgent(model="anthropic/claude-sonnet-4-5",
                                env={"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL":
                                     server.base_url.removesuffix("/v1")})
        assert preflight_agent(agent) is None
        [request] = server.requests
    assert request.headers["x-api-key"] == KEY and request.body["model"] == "claude-sonnet-4-5"


def test_run_with_a_refused_key_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """Before any image or container: one line, exit 2, no run folder."""
    with ModelServer(Script(steps=[Step.fail(401, error_message="bad key")])) as server:
        out = CliRunner().invoke(app, [
            "run", "--agent", "abc", "--model", "m", "--tasks-dir", str(NATIVE_FIXTURES),
            "--task", "fx-quotes-logic", "--agent-kwarg", f"base_url={server.base_url}",
            "--agent-env", f"OPENAI_API_KEY={KEY}", "--output", str(tmp_path / "runs")])
        assert len(server.requests) == 1
    assert out.exit_code == 2, out.output
    assert "refused the key" in out.output and KEY not in out.output
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())
