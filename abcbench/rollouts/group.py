"""Grouped rollouts: G episodes of each task, run concurrently by the ordinary run machinery
(`abcbench.run.runner`: the same trials, budgets, error policy, cleanup, and the local or
Ray executor), then one `EpisodeRecord` per episode read from the run folder.

Each episode of a group gets its own sampling seed (base seed + index), sent with every
model request by the built-in agent; with `logprobs` the requests ask for per-token
log-probabilities, which the gateway records per completion. Infrastructure faults are not
retried by default (`max_retries=0`): the episode is reported invalid for the trainer to drop.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from abcbench.agents.base import Agent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.results.models import AgentInfo, RunManifest, TrialResult
from abcbench.results.store import RunDir
from abcbench.rollouts.models import EpisodeRecord, GroupStats
from abcbench.rollouts.output import write_jsonl, write_parquet, write_stats
from abcbench.rollouts.records import episode_record
from abcbench.rollouts.reward import RewardKind
from abcbench.rollouts.stats import group_stats
from abcbench.run.runner import RunEvents, Runner, RunRequest
from abcbench.tasks.model import Task
from abcbench.trial import TrialSpec

JSONL_FILE = "rollouts.jsonl"
PARQUET_FILE = "rollouts.parquet"
STATS_FILE = "rollout-groups.json"


@dataclass
class GroupRequest:
    tasks: list[Task]
    agent_cls: type[Agent]
    agent_info: AgentInfo
    output_dir: Path
    tasks_dir: Path
    group_size: int = 8
    n_concurrent: int | None = None
    """Episodes at a time (default: the group size)."""
    seed: int = 0
    """Episode i of a group samples with seed `seed + i`."""
    logprobs: bool = True
    top_logprobs: int | None = None
    reward: RewardKind = RewardKind.resolved
    run_id: str | None = None
    agent_env: dict[str, str] = field(default_factory=dict, repr=False)
    agent_timeout_sec: float | None = None
    test_timeout_sec: float | None = None
    max_retries: int = 0
    executor: str = "local"
    ray_address: str | None = None
    formats: tuple[str, ...] = ("jsonl", "parquet")


@dataclass
class GroupOutcome:
    manifest: RunManifest
    run_dir: RunDir
    records: list[EpisodeRecord]
    stats: list[GroupStats]
    files: list[Path]


def sampling_kwargs(req: GroupRequest) -> dict[str, str]:
    """What the built-in agent sends for every episode (besides its seed)."""
    if not issubclass(req.agent_cls, ToolCallingAgent):
        return {}  # another agent's own kwargs decide what it asks for
    out = {"logprobs": "true"} if req.logprobs else {}
    if req.logprobs and req.top_logprobs is not None:
        out["top_logprobs"] = str(req.top_logprobs)
    return out


class GroupRunner(Runner):
    """A `Runner` whose attempt k of a task is episode k - 1 of its group, with its seed."""

    def __init__(self, req: GroupRequest, events: RunEvents | None = None) -> None:
        self.group = req
        info = req.agent_info.model_copy(update={"kwargs": {**req.agent_info.kwargs,
                                                            **sampling_kwargs(req)}})
        super().__init__(RunRequest(
            tasks=req.tasks, agent_cls=req.agent_cls, agent_info=info,
            output_dir=req.output_dir, tasks_dir=req.tasks_dir, run_id=req.run_id,
            n_attempts=req.group_size, n_concurrent=req.n_concurrent or req.group_size,
            agent_timeout_sec=req.agent_timeout_sec, test_timeout_sec=req.test_timeout_sec,
            task_filters=[t.id for t in req.tasks], agent_env=req.agent_env,
            max_retries=req.max_retries, max_infra_rate=1.0, executor=req.executor,
            ray_address=req.ray_address), events)

    def _run_one(self, spec: TrialSpec, run_dir: RunDir) -> TrialResult | None:
        if issubclass(self.group.agent_cls, ToolCallingAgent):
            seed = str(self.group.seed + spec.attempt - 1)
            info = spec.agent_info.model_copy(
                update={"kwargs": {**spec.agent_info.kwargs, "seed": seed}})
            spec = dataclasses.replace(spec, agent_info=info)
        return super()._run_one(spec, run_dir)


def collect(run_dir: RunDir, reward: RewardKind = RewardKind.resolved
            ) -> tuple[list[EpisodeRecord], list[GroupStats]]:
    """The records of a finished run folder, in group order, with their advantages."""
    records = [episode_record(r, run_dir.trial_dir(r.trial_name), reward)
               for r in run_dir.results()]
    records.sort(key=lambda r: (r.task_id, r.index))
    return records, group_stats(records)


def write_outputs(run_dir: RunDir, records: list[EpisodeRecord], stats: list[GroupStats],
                  formats: tuple[str, ...] = ("jsonl", "parquet")) -> list[Path]:
    files = []
    if "jsonl" in formats:
        write_jsonl(records, run_dir.path / JSONL_FILE)
        files.append(run_dir.path / JSONL_FILE)
    if "parquet" in formats:
        write_parquet(records, run_dir.path / PARQUET_FILE)
        files.append(run_dir.path / PARQUET_FILE)
    write_stats(stats, run_dir.path / STATS_FILE)
    files.append(run_dir.path / STATS_FILE)
    return files


def run_groups(req: GroupRequest, events: RunEvents | None = None) -> GroupOutcome:
    """Run `group_size` episodes of every task and write the rollout files into the run
    folder (`rollouts.jsonl`, `rollouts.parquet`, `rollout-groups.json`)."""
    runner = GroupRunner(req, events)
    manifest = runner.execute()
    run_dir = RunDir(req.output_dir / manifest.run_id)
    records, stats = collect(run_dir, req.reward)
    files = write_outputs(run_dir, records, stats, req.formats)
    return GroupOutcome(manifest, run_dir, records, stats, files)
