"""The three-leg `tasks check` without Docker: legs faked at `run_leg`, static checks real."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.base import Agent
from abcbench.cli.main import app
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    TestOutcome,
    TestResult,
    TrialResult,
)
from abcbench.run import task_check
from abcbench.run.check_agents import ReferenceEnvironmentAgent, copy_environment
from abcbench.run.task_check import check_tasks
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with


def _result(task: Task, attempt: int, resolved: bool, agent: str) -> TrialResult:
    no_dockerfile = agent == "nop" and task.task_type == "environment"
    failure = None if resolved else (FailureClass.build_failed if no_dockerfile
                                     else FailureClass.tests_failed)
    tests = [] if failure is FailureClass.build_failed else [
        TestResult(name="test_health", outcome=TestOutcome.passed),
        TestResult(name="test_create", outcome=TestOutcome.passed if resolved
                   else TestOutcome.failed)]
    return TrialResult(run_id="r", trial_name=f"{task.id}__{attempt}", task_id=task.id,
                       task_hash="h", attempt=attempt, agent=AgentInfo(name=agent),
                       language=task.language, framework=task.framework,
                       task_type=task.task_type, category=task.category,
                       resolved=resolved, failure_class=failure, tests=tests,
                       error=None if resolved else "it failed")


def fake_legs(monkeypatch: pytest.MonkeyPatch, resolves: dict[str, bool],
              calls: list[tuple[str, str]]) -> None:
    def run_leg(agent_cls: type[Agent], tasks: list[Task], _tasks_dir: Path, output: Path,
                run_id: str, repeat: int, *_rest: object) -> list[TrialResult]:
        (output / run_id).mkdir(parents=True)
        calls.append((agent_cls.name, run_id))
        return [_result(t, a, resolves[agent_cls.name], agent_cls.name)
                for t in tasks for a in range(1, repeat + 1)]

    monkeypatch.setattr(task_check, "run_leg", run_leg)


def test_environment_task_runs_three_legs_and_fails_when_masked_code_passes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment", "fx-quotes-logic")
    tasks = TaskRegistry.from_dir(root).all()
    calls: list[tuple[str, str]] = []
    fake_legs(monkeypatch, {"oracle": True, "nop": False,
                            ReferenceEnvironmentAgent.name: True}, calls)
    env, logic = check_tasks(tasks, root, tmp_path / "runs", repeat=2, n_concurrent=1,
                             run_prefix="pfx")
    assert [name for name, _ in calls] == ["oracle", "nop", ReferenceEnvironmentAgent.name]
    assert [run for _, run in calls] == ["pfx-reference", "pfx-untouched",
                                         "pfx-masked_with_environment"]
    assert logic.ok and logic.masked_env_resolved is None
    assert [leg.name for leg in logic.legs] == ["reference", "untouched"]
    assert not env.ok
    assert (env.oracle_resolved, env.nop_resolved, env.masked_env_resolved) == (2, 0, 2)
    [problem] = env.problems
    assert "masked code with the reference environment files resolved 2/2" in problem
    assert str(tmp_path / "runs" / "pfx-masked_with_environment") in problem
    untouched = env.legs[1]
    assert untouched.run_dir == str(tmp_path / "runs" / "pfx-untouched")
    assert [f.failure_class for f in untouched.failures] == ["build_failed", "build_failed"]


def test_failing_reference_names_failure_class_and_first_failing_test(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    fake_legs(monkeypatch, {"oracle": False, "nop": False}, [])
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, run_prefix="p")
    assert not check.ok
    assert "tests_failed, first failing test test_create" in check.problems[0]


def test_environment_files_typo_is_a_static_problem(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic-typo")
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, static_only=True)
    assert not check.ok
    assert any("'Dockerfle'" in p for p in check.problems)


def test_static_only_json_reports_legs_as_not_run(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    out = CliRunner().invoke(app, ["tasks", "check", "--static-only", "--json",
                                   "--tasks-dir", str(root), "-o", str(tmp_path / "runs")])
    assert out.exit_code == 0, out.output
    [data] = json.loads(out.stdout)
    assert data["ok"] is True
    assert data["oracle_resolved"] is None and data["nop_resolved"] is None
    assert data["legs"] == []


def test_check_agent_restores_only_environment_files(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")
    task = TaskRegistry.from_dir(root).get("fx-quotes-env-comment")
    copied = copy_environment(task, tmp_path / "env")
    assert copied == ["Dockerfile"]
    assert sorted(p.name for p in (tmp_path / "env").iterdir()) == ["Dockerfile"]


def test_masked_code_that_does_not_build_is_a_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")

    def run_leg(agent_cls: type[Agent], tasks: list[Task], *_a: object) -> list[TrialResult]:
        results = [_result(t, 1, agent_cls.name == "oracle", "oracle") for t in tasks]
        for r in results:
            if not r.resolved:
                r.failure_class, r.tests = FailureClass.build_failed, []
        return results

    monkeypatch.setattr(task_check, "run_leg", run_leg)
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, run_prefix="p")
    assert not check.ok
    assert any("the masked repository does not build" in p for p in check.problems)
    task_yaml = root / "fx-quotes-logic" / "task.yaml"
    task_yaml.write_text(task_yaml.read_text().replace(
        "    overlay: masked", "    overlay: masked\n    must_build: false"))
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, run_prefix="q")
    assert check.ok, check.problems


def test_cli_prints_each_legs_run_folder_and_why_it_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")
    fake_legs(monkeypatch, {"oracle": True, "nop": False,
                            ReferenceEnvironmentAgent.name: False}, [])
    out = CliRunner().invoke(app, ["tasks", "check", "--tasks-dir", str(root), "-o",
                                   str(tmp_path / "runs")], env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    for leg in ("reference", "untouched", "masked_with_environment"):
        [line] = [x for x in lines if f"fx-quotes-env-comment {leg}:" in x]
        assert str(tmp_path / "runs") in line
    assert any("untouched: resolved 0/1" in x and "build_failed" in x for x in lines)
    assert any("masked_with_environment: resolved 0/1" in x and "tests_failed" in x
               and "first failing test test_create" in x for x in lines)


def test_check_agent_refuses_a_context_without_the_task(tmp_path: Path) -> None:
    from types import SimpleNamespace

    ctx = SimpleNamespace(logs_dir=tmp_path, repo_dir="/app/x", sandbox=None)
    result = ReferenceEnvironmentAgent().run(ctx)  # type: ignore[arg-type]
    assert result.exit_status == "error" and "privileged context" in (result.message or "")


def test_a_must_fail_leg_that_failed_in_its_agent_proves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")

    def run_leg(agent_cls: type[Agent], tasks: list[Task], *_a: object) -> list[TrialResult]:
        results = [_result(t, 1, agent_cls.name == "oracle", agent_cls.name) for t in tasks]
        if agent_cls is ReferenceEnvironmentAgent:
            for r in results:
                r.failure_class, r.error = FailureClass.agent_error, "no privileged context"
        return results

    monkeypatch.setattr(task_check, "run_leg", run_leg)
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, run_prefix="p")
    assert not check.ok
    assert any("masked code with the reference environment files" in p and "agent_error" in p
               for p in check.problems), check.problems


def test_check_agent_is_privileged_by_identity_only() -> None:
    from abcbench.agents.registry import is_privileged

    class Imitation(ReferenceEnvironmentAgent):
        pass

    assert is_privileged(ReferenceEnvironmentAgent)
    assert not is_privileged(Imitation)


def test_legs_run_side_by_side_sharing_the_concurrency(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")
    together = threading.Barrier(3, timeout=10)  # broken unless all three legs run at once
    shares: list[int] = []

    def run_leg(agent_cls: type[Agent], tasks: list[Task], _tasks_dir: Path, output: Path,
                run_id: str, repeat: int, n_concurrent: int, *_rest: object,
                ) -> list[TrialResult]:
        together.wait()
        shares.append(n_concurrent)
        return [_result(t, 1, agent_cls.name == "oracle", agent_cls.name) for t in tasks]

    monkeypatch.setattr(task_check, "run_leg", run_leg)
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=3, run_prefix="p")
    assert shares == [1, 1, 1]
    assert [leg.name for leg in check.legs] == ["reference", "untouched",
                                                "masked_with_environment"]
    assert check.ok, check.problems


def test_a_leg_that_fails_stops_the_others(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")
    stopped: list[str] = []

    def run_leg(agent_cls: type[Agent], _tasks: list[Task], *rest: object) -> list[TrialResult]:
        cancelled = rest[-1]
        assert isinstance(cancelled, threading.Event)
        if agent_cls.name == "oracle":
            raise RuntimeError("harness bug in a leg")
        if cancelled.wait(10):
            stopped.append(agent_cls.name)
        return []

    monkeypatch.setattr(task_check, "run_leg", run_leg)
    with pytest.raises(RuntimeError, match="harness bug"):
        check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs", repeat=1,
                    n_concurrent=2, run_prefix="p")
    assert "nop" in stopped  # the leg in flight saw the stop (a queued one may never start)


def test_masked_code_whose_service_does_not_start_is_a_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stub in start-up code (a handler factory, a constructor) makes the untouched leg fail
    before any test runs: that says nothing about the tests, so the check must not pass."""
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")

    def run_leg(agent_cls: type[Agent], tasks: list[Task], *_a: object) -> list[TrialResult]:
        results = [_result(t, 1, agent_cls.name == "oracle", "oracle") for t in tasks]
        for r in results:
            if not r.resolved:
                r.failure_class, r.tests = FailureClass.service_did_not_start, []
        return results

    monkeypatch.setattr(task_check, "run_leg", run_leg)
    [check] = check_tasks(TaskRegistry.from_dir(root).all(), root, tmp_path / "runs",
                          repeat=1, n_concurrent=1, run_prefix="p")
    assert not check.ok
    assert any("the masked service does not start" in p and "handler factory" in p
               for p in check.problems), check.problems
