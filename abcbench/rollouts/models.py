"""The records a rollout writes, as pydantic models: `abcbench schema rollout` prints their
JSON Schema, and JSON Lines files hold one `EpisodeRecord` per line.

A record is read from what the trial already wrote (its result, the gateway's per-completion
token records); nothing in it is recomputed. `valid` is False when the episode ended in an
infrastructure fault: a trainer drops it instead of scoring it (its reward is None).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from abcbench.gateway.logprobs import CompletionTokens
from abcbench.results.models import Usage

SCHEMA_VERSION = 1


class TestOutcomeRecord(BaseModel):
    __test__ = False  # not a pytest test class

    name: str
    outcome: str = Field(description="passed, failed, error or skipped, as the grader read it.")
    passed: bool = Field(description="Whether the grader counts this outcome as passed.")


class RewardReport(BaseModel):
    """What grading said about one episode, and the reward derived from it."""

    model_config = ConfigDict(extra="forbid")

    resolved: bool
    reward: float | None = Field(
        description="1.0/0.0 for resolved (or the share of tests passed, with "
        "reward=pass_rate); None when the episode is invalid (infrastructure).")
    valid: bool = Field(description="False: an infrastructure fault; drop, do not punish.")
    infrastructure: bool
    n_passed: int = 0
    n_tests: int = 0
    tests: list[TestOutcomeRecord] = Field(default_factory=list)
    failure_class: str | None = None
    failure_rule: str | None = Field(default=None, description="The error-policy rule.")
    error: str | None = None
    stage_reached: str
    agent_exit_status: str | None = None


class EpisodeRecord(BaseModel):
    """One episode of a group: conversation, per-completion tokens, reward, timing, usage."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    run_id: str
    group_id: str = Field(description="Episodes of one group share it: run id + task id.")
    episode_id: str = Field(description="The trial's name in the run folder (task__attempt).")
    index: int = Field(description="Position in the group, from 0, in launch order.")
    seed: int | None = Field(description="The sampling seed sent with every model request.")
    task_id: str
    task_hash: str
    agent: str
    model: str | None
    messages: list[dict[str, Any]] = Field(
        default_factory=list, description="The conversation as the model last saw it (the "
        "last request's messages) plus its last reply, in OpenAI chat format.")
    tools: list[dict[str, Any]] = Field(default_factory=list,
                                        description="The tool schema the requests carried.")
    completions: list[CompletionTokens] = Field(
        default_factory=list, description="Every chat completion in order, with the token "
        "ids and log-probabilities the server returned (None where it returned none).")
    n_unreadable_completions: int = Field(
        default=0, description="Token-record lines that could not be read (left out).")
    report: RewardReport
    reward: float | None
    valid: bool
    advantage: float | None = Field(
        default=None, description="GRPO group-normalised advantage; None when invalid.")
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict,
                                      description="Seconds per phase, and total.")
    started_at: str
    finished_at: str | None = None


class GroupStats(BaseModel):
    """Statistics of one group's valid rewards (docs/rollouts.md, "Group statistics")."""

    group_id: str
    task_id: str
    n_episodes: int
    n_valid: int
    mean: float | None
    std: float | None = Field(description="Sample standard deviation (divides by n - 1), "
                              "as verl and TRL compute it; 0.0 for one valid episode.")
    eps: float
    advantages: list[float | None]
