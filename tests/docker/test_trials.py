"""Whole trials against the real engine: every phase, every failure class, nothing leaked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.oracle import OracleAgent
from abcbench.cli.main import app
from abcbench.results.models import AgentInfo, FailureClass, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.chaos.conftest import _layers
from tests.conftest import NATIVE_FIXTURES, TB_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.slow]

NOTHING = {"containers": [], "networks": [], "trial_images": []}


def run_one(tmp_path: Path, run_id: str, agent_cls: type[Agent], task_id: str,
            tasks_dir: Path = NATIVE_FIXTURES, **settings: float) -> TrialResult:
    registry = TaskRegistry.from_dir(tasks_dir)
    request = RunRequest(
        tasks=[registry.get(task_id)], agent_cls=agent_cls,
        agent_info=AgentInfo(name=agent_cls.name), output_dir=tmp_path, tasks_dir=tasks_dir,
        run_id=run_id, **settings,  # type: ignore[arg-type]
    )
    Runner(request).execute()
    assert leftovers(run=run_id) == NOTHING
    results = RunDir(tmp_path / run_id).results()
    assert len(results) == 1
    return results[0]


def test_cli_oracle_and_nop_on_both_task_types(tmp_path: Path, run_id: str) -> None:
    cli = CliRunner()
    for agent in ("oracle", "nop"):
        rid = f"{run_id}-{agent}"
        out = cli.invoke(app, ["run", "--agent", agent, "--tasks-dir", str(NATIVE_FIXTURES),
                               "--n-concurrent", "2", "--run-id", rid,
                               "--output", str(tmp_path)])
        assert out.exit_code == 0, out.output
        assert leftovers(run=rid) == NOTHING
        run = json.loads((tmp_path / rid / "run.json").read_text())
        assert run["status"] == "completed"
        assert run["trials"] == ["fx-quotes-env__1", "fx-quotes-logic__1"]
        assert {"n_trials", "n_resolved", "accuracy"} <= set(run["summary"])
        assert run["provenance"]["harness_version"]
        results = {}
        for name in run["trials"]:
            data = json.loads((tmp_path / rid / "trials" / name / "result.json").read_text())
            assert {"task_id", "attempt", "resolved", "failure_class", "tests"} <= set(data)
            results[data["task_id"]] = data
        if agent == "oracle":
            assert run["summary"] == {**run["summary"], "n_trials": 2, "n_resolved": 2,
                                      "accuracy": 1.0}
            for data in results.values():
                assert data["resolved"] and data["failure_class"] is None
                assert data["tests"] and all(t["outcome"] == "passed" for t in data["tests"])
                assert {"sandbox", "agent", "export", "build", "start", "tests"} <= \
                    set(data["timings"])
        else:
            assert run["summary"]["n_resolved"] == 0
            assert results["fx-quotes-logic"]["failure_class"] == "tests_failed"
            assert results["fx-quotes-env"]["failure_class"] == "build_failed"
            logic_dir = tmp_path / rid / "trials" / "fx-quotes-logic__1"
            assert (logic_dir / "logs" / "service.log").is_file()
            assert (logic_dir / "logs" / "junit.xml").is_file()
            assert (logic_dir / "submission" / "server.py").is_file()


class WritesDockerfile(Agent):
    """Writes a given Dockerfile into the repository, then stops."""

    name = "writes-dockerfile"
    dockerfile = ""

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile", self.dockerfile)
        return AgentResult()


class BrokenBuild(WritesDockerfile):
    dockerfile = "FROM abcbench/tester\nWORKDIR /srv\nCOPY . .\nRUN echo compiling && exit 3\n"


class CrashingService(WritesDockerfile):
    dockerfile = 'FROM abcbench/tester\nCMD ["python3", "-c", "raise SystemExit(4)"]\n'


class RaisesAfterFixing(Agent):
    name = "raises"

    def run(self, ctx: AgentContext) -> AgentResult:
        fixed = NATIVE_FIXTURES / "_repos" / "quotes" / "server.py"
        ctx.sandbox.write_file("/app/quotes/server.py", fixed.read_bytes())
        raise RuntimeError("the model API went away")


class IgnoresBudget(Agent):
    name = "sleepy"

    def run(self, ctx: AgentContext) -> AgentResult:
        time.sleep(8)
        return AgentResult()


def test_build_failure(tmp_path: Path, run_id: str) -> None:
    result = run_one(tmp_path, run_id, BrokenBuild, "fx-quotes-env")
    # Every layer a submission's build commits carries the run's label (scoped so that other
    # builds on a shared engine cannot make this fail).
    assert _layers(run_id) == [], "a failed build must not leave its layers behind"
    assert result.failure_class is FailureClass.build_failed
    assert not result.resolved
    assert result.logs.build is not None
    assert "compiling" in (tmp_path / run_id / "trials" / result.trial_name /
                           result.logs.build).read_text()


def test_service_that_exits_did_not_start(tmp_path: Path, run_id: str) -> None:
    result = run_one(tmp_path, run_id, CrashingService, "fx-quotes-env")
    assert result.failure_class is FailureClass.service_did_not_start
    assert result.error is not None and "exit code 4" in result.error


def test_agent_error_still_judges_the_submission(tmp_path: Path, run_id: str) -> None:
    result = run_one(tmp_path, run_id, RaisesAfterFixing, "fx-quotes-logic")
    assert result.resolved, "the fix was made before the agent failed"
    assert (tmp_path / run_id / "trials" / result.trial_name / "agent" /
            "agent-error.log").read_text().endswith("RuntimeError: the model API went away\n")


def test_agent_over_budget(tmp_path: Path, run_id: str) -> None:
    result = run_one(tmp_path, run_id, IgnoresBudget, "fx-quotes-logic", agent_timeout_sec=1)
    assert result.agent_timed_out
    assert result.failure_class is FailureClass.agent_timeout
    assert not result.resolved


def test_test_timeout(tmp_path: Path, run_id: str) -> None:
    result = run_one(tmp_path, run_id, OracleAgent, "fx-quotes-logic", test_timeout_sec=0.3)
    assert result.failure_class is FailureClass.test_timeout
    assert not result.resolved


def test_terminal_bench_layout(tmp_path: Path, run_id: str) -> None:
    from abcbench.agents.nop import NopAgent

    ok = run_one(tmp_path, f"{run_id}-o", OracleAgent, "tb-word-stats", TB_FIXTURES)
    assert ok.resolved and ok.n_tests == 5
    bad = run_one(tmp_path, f"{run_id}-n", NopAgent, "tb-word-stats", TB_FIXTURES)
    assert not bad.resolved
    assert bad.failure_class is FailureClass.tests_failed
    assert 0 < bad.n_passed < bad.n_tests
