"""The episode API against the real engine: reset -> steps in the guarded sandbox -> finish
with the hidden tests' verdict; an engine fault during a step is reported as infrastructure."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from docker.api.client import APIClient

from abcbench.paths import bundled_tasks_dir
from abcbench.rollouts.episode import Action, Episode
from abcbench.sandbox.lifecycle import leftovers
from tests.agents.agent_helpers import TASK_ID

pytestmark = [pytest.mark.docker, pytest.mark.slow]

REFERENCE = bundled_tasks_dir() / "_repos" / "python-flask-bookshelf" / "bookshelf"


@pytest.mark.sweep  # CI runs the same path through the SkyRL adapter (tests/rollouts/test_skyrl.py)
def test_reset_step_finish_resolves_with_the_hidden_tests(tmp_path: Path, run_id: str) -> None:
    with Episode(output_dir=tmp_path, run_id=run_id) as env:
        first = env.reset(TASK_ID, seed=7)
        assert first.episode_id == f"{TASK_ID}__1" and first.seed == 7
        assert "loan" in first.instruction.lower()
        assert [t["function"]["name"] for t in first.tools] == [
            "bash", "read_file", "write_file", "str_replace", "finish"]
        obs = env.step(Action("bash", {"command": "git status --short; echo HERE"}))
        assert obs.ok and "HERE" in obs.output and not obs.done
        for name in ("services", "routes"):
            obs = env.step(Action("write_file", {
                "path": f"bookshelf/{name}/loans.py",
                "content": (REFERENCE / name / "loans.py").read_text()}))
            assert obs.ok, obs.output
        bad = env.step(Action("no_such_tool", "{}"))
        assert bad.malformed and not bad.ok and not bad.done
        done = env.step(Action("finish", '{"summary": "done"}'))
        assert done.done
        assert env.step(Action("bash", {"command": "ls"})).done  # nothing runs after finish
        record = env.finish()
    assert record.reward == 1.0 and record.valid and record.report.resolved
    assert record.report.n_tests > 0 and record.report.n_passed == record.report.n_tests
    assert all(t.passed for t in record.report.tests)
    assert record.seed == 7 and record.index == 0
    assert [m["role"] for m in record.messages][:3] == ["user", "assistant", "tool"]
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def test_engine_fault_during_a_step_is_infrastructure(tmp_path: Path, run_id: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine stops answering mid-episode (injected by type: the connection error the
    Docker client raises): the trainer gets an invalid episode, not a zero reward."""
    with Episode(output_dir=tmp_path, run_id=run_id) as env:
        env.reset(TASK_ID, seed=1)
        assert env.step(Action("bash", {"command": "true"})).ok

        def unreachable(*_a: object, **_k: object) -> None:
            raise requests.ConnectionError("engine gone (injected)")

        # At the engine API, under the harness's own call, which types it (EngineUnreachable).
        monkeypatch.setattr(APIClient, "exec_create", unreachable)
        obs = env.step(Action("bash", {"command": "ls"}))
        assert obs.done and not obs.ok
        monkeypatch.undo()
        record = env.finish()
    assert not record.valid and record.reward is None
    assert record.report.failure_class == "infrastructure"
    assert record.report.failure_rule == "engine_unreachable"
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def test_close_without_finish_leaves_nothing(tmp_path: Path, run_id: str) -> None:
    env = Episode(output_dir=tmp_path, run_id=run_id)
    try:
        env.reset(TASK_ID)
        assert leftovers(run=run_id)["containers"]
    finally:
        env.close()
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


@pytest.mark.sweep
def test_a_spent_budget_ends_the_episode_as_a_timeout(tmp_path: Path, run_id: str) -> None:
    """Budgets are the trial's: past the agent budget no step runs, and the verdict is the
    agent's timeout (a valid episode with reward 0), not an infrastructure fault."""
    import time

    with Episode(output_dir=tmp_path, run_id=run_id, agent_timeout_sec=3) as env:
        env.reset(TASK_ID)
        time.sleep(4)
        obs = env.step(Action("bash", {"command": "echo late"}))
        assert obs.done and "late" not in obs.output
        record = env.finish()
    assert record.valid and record.reward == 0.0
    assert record.report.failure_class == "agent_timeout"
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
