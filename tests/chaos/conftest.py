"""The chaos suite: hostile agents and Dockerfiles against the real engine.

Each probe runs whole trials of the tiny fixture tasks (tests/fixtures/native) with a small
custom agent, and `chaos_run` asserts what every probe must show: a result for every planned
trial, nothing of the run left in Docker (containers, networks, image layers, new dangling
images), the host's disk back near its level, and the wall time bounded. Every probe is
bounded (timeouts, sizes) and sends traffic only to the containers it creates.
Set ABCBENCH_CHAOS_REPORT=file.jsonl to collect the measured figures (docs/security.md).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from abcbench.agents.base import Agent, AgentContext
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES
from tests.docker.conftest import images, tester_image

__all__ = ["images", "tester_image"]  # the recipe-image fixtures, shared with tests/docker

NOTHING = {"containers": [], "networks": [], "trial_images": []}
# Free space on the engine's disk moves with everything else the machine does; on a shared
# machine raise the slack (the measured delta is in the report either way).
DISK_SLACK_MB = float(os.environ.get("ABCBENCH_CHAOS_DISK_SLACK_MB", "512"))
DOCKER_ROOT = "/var/lib/docker" if os.path.isdir("/var/lib/docker") else "/"


def apply_reference(ctx: AgentContext) -> None:
    """The fix a probe makes after its abuse: the fixture's reference repository, written as
    any agent would (agents other than the built-in oracle never see the task)."""
    ctx.sandbox.copy_in(NATIVE_FIXTURES / "_repos" / "quotes", ctx.repo_dir)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def chaos_tasks(root: Path, overrides: dict[str, dict[str, Any]]) -> Path:
    """A copy of the fixture tasks with `overrides` merged into their task.yaml (per task id)."""
    tasks = root / "tasks"
    if not tasks.exists():
        shutil.copytree(NATIVE_FIXTURES, tasks)
    for task_id, extra in overrides.items():
        path = tasks / task_id / "task.yaml"
        spec = _merge(yaml.safe_load(path.read_text()), extra)
        path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return tasks


def _dangling() -> dict[str, dict[str, str]]:
    api = docker_client().api
    return {i["Id"]: i.get("Labels") or {} for i in api.images(filters={"dangling": True})}


def _layers(run_id: str) -> list[str]:
    api = docker_client().api
    return [i["Id"] for i in api.images(all=True, filters={"label": [f"abcbench.run={run_id}"]})]


@dataclass
class ChaosOutcome:
    results: dict[str, TrialResult]
    wall_sec: float
    disk_delta_mb: float
    run_dir: Path


def chaos_run(tmp_path: Path, run_id: str, agent_cls: type[Agent], task_ids: list[str], *,
              overrides: dict[str, dict[str, Any]] | None = None, n_concurrent: int = 1,
              wall_limit_sec: float = 180, probe: str = "",
              max_retries: int = 0) -> ChaosOutcome:
    tasks_dir = chaos_tasks(tmp_path, overrides or {})
    registry = TaskRegistry.from_dir(tasks_dir)
    dangling_before = _dangling()
    free_before = shutil.disk_usage(DOCKER_ROOT).free
    started = time.monotonic()
    Runner(RunRequest(
        tasks=[registry.get(t) for t in task_ids], agent_cls=agent_cls,
        agent_info=AgentInfo(name=agent_cls.name), output_dir=tmp_path / "runs",
        tasks_dir=tasks_dir, run_id=run_id, n_concurrent=n_concurrent,
        max_retries=max_retries,
    )).execute()
    wall = time.monotonic() - started
    run_dir = tmp_path / "runs" / run_id
    results = {r.task_id: r for r in RunDir(run_dir).results()}
    left = leftovers(run=run_id)
    layers = _layers(run_id)
    # Every layer our builds commit carries the run's label (one LABEL after each FROM), so a
    # dangling image without it is another process's build in progress on this shared engine.
    new_dangling = {i: labels for i, labels in _dangling().items() if i not in dangling_before}
    ours = [i for i, labels in new_dangling.items() if labels.get("abcbench.run") == run_id]
    disk_delta = (free_before - shutil.disk_usage(DOCKER_ROOT).free) / 2**20
    report = os.environ.get("ABCBENCH_CHAOS_REPORT")
    if report:  # before the asserts: a failing probe is measured too
        with open(report, "a", encoding="utf-8") as out:
            out.write(json.dumps({
                "probe": probe or agent_cls.name, "wall_sec": round(wall, 1),
                "disk_delta_mb": round(disk_delta, 1), "leftovers": left, "layers": layers,
                "dangling": ours,
                "trials": {t: {"failure_class": r.failure_class and r.failure_class.value,
                               "resolved": r.resolved, "error": (r.error or "")[:200]}
                           for t, r in results.items()}}) + "\n")
    assert sorted(results) == sorted(task_ids), "a result for every planned trial"
    assert left == NOTHING
    assert layers == [], "every layer the run's builds committed is gone"
    assert ours == [], "no dangling layers left by the run"
    assert disk_delta < DISK_SLACK_MB, f"host disk not back near its level: {disk_delta:.0f} MiB"
    assert wall < wall_limit_sec, f"took {wall:.0f}s"
    outcome = ChaosOutcome(results, wall, disk_delta, run_dir)
    return outcome


@pytest.fixture
def chaos_dir(tmp_path: Path) -> Path:
    return tmp_path
