"""`agents list` shows what `agents verify` recorded on this machine, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.verify import VerificationRecord, record_path, verify_agent
from abcbench.cli.main import app
from abcbench.errors import UserError


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def listed() -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["agents", "list", "--json"])
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.output)}


def test_no_agent_is_verified_until_verify_recorded_it() -> None:
    rows = listed()
    assert {"abc", "claude-code", "codex", "mini-swe-agent", "openhands", "oracle",
            "nop"} <= set(rows)
    assert all(row["verified"] == "not verified on this machine" for row in rows.values())
    for name in ("claude-code", "codex", "openhands", "mini-swe-agent"):
        assert rows[name]["available"] and rows[name]["runs_in"] == "sandbox"
    assert rows["openhands"]["version"] == "1.6.0"
    assert not rows["aider"]["available"] and rows["aider"]["reason"]


def test_installable_is_told_apart_from_bundle_built() -> None:
    """An empty cache: every installed agent is installable, none built; a built bundle (here
    the cached folder of codex's executables) turns its row to built."""
    from abcbench.agents.installed.codex import CodexAgent
    from abcbench.cli.agents import SANDBOX_MACHINE
    from abcbench.paths import cache_dir
    rows = listed()
    for name in ("claude-code", "codex", "openhands", "mini-swe-agent"):
        assert rows[name]["bundle_built"] is False, rows[name]
        assert rows[name]["bundle"] == f"installable: `abcbench agents prepare {name}`"
    assert rows["abc"]["bundle_built"] is None and rows["abc"]["bundle"] == "-"
    assert rows["aider"]["bundle"] == "not installable"
    folder = cache_dir() / "agents" / f"codex-{CodexAgent.wheel.key(SANDBOX_MACHINE)}"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}")
    rows = listed()
    assert rows["codex"]["bundle_built"] is True and rows["codex"]["bundle"] == "built"
    assert rows["claude-code"]["bundle_built"] is False
    table = CliRunner().invoke(app, ["agents", "list"], env={"COLUMNS": "250"}).output
    assert "built" in table and "installable" in table


def test_a_recorded_verification_is_shown() -> None:
    record = VerificationRecord(agent="codex", agent_version="0.163.0",
                                tasks=["a", "b"], passed=True,
                                verdicts={"a": {"solve": True, "nothing": False},
                                          "b": {"solve": True, "nothing": False}})
    path = record_path("codex")
    path.parent.mkdir(parents=True)
    path.write_text(record.model_dump_json())
    rows = listed()
    assert str(rows["codex"]["verified"]).startswith("passed ")
    assert "codex 0.163.0, 2 tasks" in str(rows["codex"]["verified"])
    assert rows["abc"]["verified"] == "not verified on this machine"
    table = CliRunner().invoke(app, ["agents", "list"], env={"COLUMNS": "200"}).output
    assert "passed" in table and "not verified on this machine" in table


def test_only_llm_agents_oracle_and_nop_can_be_verified(tmp_path: Path) -> None:
    class Custom(Agent):
        name = "custom"

        def run(self, ctx: AgentContext) -> AgentResult:
            return AgentResult()

    with pytest.raises(UserError, match="cannot be verified"):
        verify_agent(Custom, tmp_path)
    assert CliRunner().invoke(app, ["agents", "verify", "no-such-agent"]).exit_code == 2
