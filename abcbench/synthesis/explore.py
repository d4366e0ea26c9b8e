"""Explore: the agent under the normal trial machinery writes candidates.

The repository becomes an ordinary native task (`synth-explore-<slug>`) whose instruction is the
synthesis instruction, so the agent runs exactly as in `abcbench run`: in a sandbox of the
language image holding a copy of the repository, through the model gateway, with the task's
budget, limits and egress. Each attempt is one candidate. The trial's own grading builds the
candidate's Dockerfile (hostile-build limits, no network) and waits for the service to answer,
so a candidate that cannot start is known before any task is built. The exported repository
(`<trial>/submission/`) holds the candidate files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from abcbench.agents.base import Agent
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import RunEvents, Runner, RunRequest
from abcbench.synthesis.candidate import CANDIDATE_DIR, DOCKERFILE
from abcbench.synthesis.instruction import SERVICE_PORT, synthesis_instruction
from abcbench.synthesis.source import Source
from abcbench.tasks.loader import load_task
from abcbench.tasks.materialize import copy_tree
from abcbench.tasks.scaffold import DOCKERFILE_TEMPLATE

SMOKE_TEST = '''import os

import httpx


def test_service_answers():
    r = httpx.get(os.environ["SERVICE_URL"] + "/", timeout=10)
    assert r.status_code < 600
'''


@dataclass(frozen=True)
class AgentChoice:
    """The agent that explores, as `abcbench run` takes it."""

    cls: type[Agent]
    info: AgentInfo
    env: dict[str, str]
    timeout_sec: float | None = None


@dataclass(frozen=True)
class Exploration:
    attempt: int
    result: TrialResult
    submission: Path | None


def project_name(source: Source) -> str:
    return source.name.rsplit("-", 1)[0] or "repo"


def exploration_task(source: Source, language: str, work: Path) -> Path:
    """Write the exploration task folder (and its `_repos/` copy) under `work/explore/tasks`."""
    tasks_dir = work / "explore" / "tasks"
    task_id = f"synth-explore-{source.name}"
    task_dir = tasks_dir / task_id
    if task_dir.is_dir():
        return tasks_dir
    repo = tasks_dir / "_repos" / source.name
    shutil.rmtree(repo, ignore_errors=True)
    copy_tree(Path(source.folder), repo)
    # An environment task (the agent writes the Dockerfile): the loader wants the file it
    # will build to exist in the reference, and the starting state removes it.
    template = repo / CANDIDATE_DIR / DOCKERFILE
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(DOCKERFILE_TEMPLATE.format(language=language, port=SERVICE_PORT),
                        encoding="utf-8")
    project = project_name(source)
    dockerfile = f"{CANDIDATE_DIR}/{DOCKERFILE}"
    spec = {
        "id": task_id, "title": f"Explore {source.origin}", "language": language,
        "framework": "unknown", "category": "synthesis", "task_type": "environment",
        "instruction": synthesis_instruction(project, language),
        "repository": {"source": f"../_repos/{source.name}", "project": project,
                       "mask": {"remove": [dockerfile]}},
        "service": {"port": SERVICE_PORT, "dockerfile": dockerfile,
                    "environment_files": [dockerfile]},
        "tests": {"timeout_sec": 120},
    }
    (task_dir / "tests").mkdir(parents=True)
    (task_dir / "tests" / "test_smoke.py").write_text(SMOKE_TEST, encoding="utf-8")
    (task_dir / "task.yaml").write_text(yaml.safe_dump(spec, sort_keys=False),
                                        encoding="utf-8")
    return tasks_dir


def explore(source: Source, language: str, work: Path, agent: AgentChoice, candidates: int,
            n_concurrent: int, run_id: str,
            events: RunEvents | None = None) -> list[Exploration]:
    """Run (or resume) the exploration `run_id`: one attempt per candidate."""
    tasks_dir = exploration_task(source, language, work)
    task = load_task(tasks_dir / f"synth-explore-{source.name}")
    output = (work / "explore" / "runs").resolve()
    run_dir = RunDir(output / run_id)
    done = {r.attempt for r in run_dir.results()} if run_dir.exists() else set()
    if len(done) < candidates:
        Runner(RunRequest(
            tasks=[task], agent_cls=agent.cls, agent_info=agent.info, agent_env=agent.env,
            output_dir=output, tasks_dir=tasks_dir.resolve(), run_id=run_id,
            n_attempts=candidates, n_concurrent=n_concurrent,
            agent_timeout_sec=agent.timeout_sec, resume=run_dir.exists()), events).execute()
    out = []
    for result in sorted(run_dir.results(), key=lambda r: r.attempt):
        submission = run_dir.trial_dir(result.trial_name) / "submission"
        out.append(Exploration(result.attempt, result,
                               submission if submission.is_dir() else None))
    return out
