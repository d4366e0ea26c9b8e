"""`abcbench tasks synthesize` end to end: the `abc` agent, driven by the scripted model server,
explores a fixture repository in a real sandbox and writes a candidate; the authoring tools
build the task; the three-leg check and the per-handler legs filter it.

CI runs Python (a good and a bad candidate); Go is a `sweep` (run by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.grading import build_cache
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.model_server import ModelServer
from tests.synthesis.scripts import FIXTURES, exploring_script

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SECRET = "sk-synthesis-test-NEVER-ON-DISK-0a1b2c"


def runs_left(prefix: str) -> set[str]:
    """Runs of this batch (its run ids start with the prefix) that left anything in Docker."""
    api = docker_client().api
    labelled = [*api.containers(all=True, filters={"label": L.RUN}),
                *api.networks(filters={"label": L.RUN})]
    runs = {(x.get("Labels") or {}).get(L.RUN, "") for x in labelled}
    return {r for r in runs if r.startswith(prefix) and any(leftovers(run=r).values())}


def synthesize(tmp_path: Path, run_id: str, language: str, *, exercised: bool,
               repeat: int = 1) -> tuple[dict, Path, Path]:
    tasks_dir, work = tmp_path / "tasks", tmp_path / "work"
    with ModelServer(exploring_script(language, exercised=exercised)) as server:
        outcome = CliRunner().invoke(app, [
            "tasks", "synthesize", "--from", str(FIXTURES / f"{language}-notes"),
            "--agent", "abc", "--model", "gpt-4o-mini",
            "--agent-kwarg", f"base_url={server.base_url}",
            "--agent-env", f"OPENAI_API_KEY={SECRET}", "--agent-timeout", "300",
            "--repeat", str(repeat), "-n", "2", "--tasks-dir", str(tasks_dir),
            "--work", str(work), "--run-prefix", run_id, "--json"])
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    assert not runs_left(run_id)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"API key written to {path}"
    return report, tasks_dir, work


def assert_checked_task(report: dict, tasks_dir: Path, language: str, repeat: int) -> None:
    assert report["candidates"] == 1 and report["checked"] == 1, report
    assert report["yield_rate"] == 1.0
    assert report["cost_per_checked_usd"] > 0  # the gateway priced the scripted tokens
    [task_id] = report["tasks"]
    framework = {"python": "flask", "go": "net-http"}[language]
    assert task_id == f"{language}-{framework}-notes-crud"
    provenance = json.loads((tasks_dir / task_id / "synthesis.json").read_text())
    assert provenance["license"]["spdx"] == "MIT"
    assert provenance["source"]["origin"].endswith(f"{language}-notes")
    assert provenance["prompt_version"] == "synthesis-v1"
    assert provenance["agent"]["name"] == "abc" and provenance["agent"]["model"] == "gpt-4o-mini"
    assert provenance["usage"]["input_tokens"] > 0 and provenance["usage"]["cost_usd"] > 0
    check = provenance["filter"]["check"]
    assert check["ok"] and check["oracle_resolved"] == repeat and check["nop_resolved"] == 0
    handlers = provenance["filter"]["handlers"]
    assert [h["resolved"] for h in handlers] == [False, False]
    # the per-handler tasks were transient: their reference layers are gone with them
    api = docker_client().api
    for h in handlers:
        assert h["variant"].startswith(f"{task_id}--handler-")
        assert api.images(filters={"label": build_cache.selector(h["variant"])}) == []
    # the task stands alone in the tasks folder and passes an independent check
    registry = TaskRegistry.from_dir(tasks_dir)
    assert [t.id for t in registry.all()] == [task_id]
    task = registry.get(task_id)
    assert (task.directory / "masked").is_dir()
    assert (task.tests_dir / "test_functional.py").is_file()
    assert task.instruction.startswith("# Note endpoints")


def test_python_repository_becomes_a_checked_task(tmp_path: Path, run_id: str) -> None:
    report, tasks_dir, _work = synthesize(tmp_path, run_id, "python", exercised=True)
    assert_checked_task(report, tasks_dir, "python", 1)


def test_python_candidate_whose_tests_miss_a_masked_handler_is_rejected(tmp_path: Path,
                                                                run_id: str) -> None:
    report, tasks_dir, _work = synthesize(tmp_path, run_id, "python", exercised=False)
    assert report["candidates"] == 1 and report["checked"] == 0 and report["yield_rate"] == 0
    assert report["reasons"] == {"handler_not_exercised": 1}
    [folder] = (tasks_dir / "rejected").glob("*/candidate-1")
    rejection = json.loads((folder / "rejection.json").read_text())
    [why] = rejection["rejections"]
    assert why["reason"] == "handler_not_exercised"
    assert "notes/app.py:delete_note" in why["detail"]
    # the three legs alone pass: only the per-handler legs see the unexercised handler
    assert rejection["filter"]["check"]["ok"]
    legs = {h["handler"]: h["resolved"] for h in rejection["filter"]["handlers"]}
    assert legs == {"notes/app.py:create_note": False, "notes/app.py:delete_note": True}
    assert sorted(p.name for p in (folder / "candidate").iterdir()) == [
        "Dockerfile", "candidate.yaml", "instruction.md", "scenario.yaml"]
    assert not [p for p in tasks_dir.iterdir() if p.name not in {"rejected", "_repos"}]


@pytest.mark.sweep
def test_go_repository_becomes_a_checked_task_repeat_3(tmp_path: Path, run_id: str) -> None:
    report, tasks_dir, _work = synthesize(tmp_path, run_id, "go", exercised=True, repeat=3)
    assert_checked_task(report, tasks_dir, "go", 3)
    # a second run of the same command resumes: nothing is explored or checked again
    again, _tasks, _work = synthesize(tmp_path, run_id, "go", exercised=True, repeat=3)
    assert again["tasks"] == report["tasks"] and again["candidates"] == 1


@pytest.mark.sweep
def test_go_candidate_whose_tests_miss_a_masked_handler_is_rejected(tmp_path: Path,
                                                                    run_id: str) -> None:
    report, _tasks_dir, _work = synthesize(tmp_path, run_id, "go", exercised=False)
    assert report["reasons"] == {"handler_not_exercised": 1}


