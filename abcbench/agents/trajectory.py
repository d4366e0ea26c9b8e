"""The built-in agent's trajectory on disk: every request, reply, tool call and result.

Written after every step (atomically), so a trial abandoned at its deadline still leaves the
steps it took. Secrets (the API key, every --agent-env value) are replaced by `***` in the
serialized text, whatever field they ended up in (`abcbench.redact`, re-exported here).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from abcbench.llm.client import AttemptRecord
from abcbench.llm.pricing import ModelPrice
from abcbench.redact import MIN_SECRET_LEN as MIN_SECRET_LEN
from abcbench.redact import REDACTED as REDACTED
from abcbench.redact import redact as redact
from abcbench.results.models import Usage, utcnow

TRAJECTORY_SCHEMA = 1


class ToolCallRecord(BaseModel):
    id: str
    name: str
    arguments: str
    output: str = Field(description="What the model was sent back (after truncation).")
    ok: bool
    truncated: bool = False
    timed_out: bool = False
    duration_sec: float = 0.0
    malformed: bool = False


class ModelCallRecord(BaseModel):
    duration_sec: float
    attempts: list[AttemptRecord]
    finish_reason: str | None = None
    usage: Usage
    usage_missing: bool = False
    priced: bool
    response_id: str | None = None


class FailedCallRecord(BaseModel):
    """A model request that never got an answer the agent could use, with every attempt."""

    started_sec: float
    error: str
    attempts: list[AttemptRecord]


class StepRecord(BaseModel):
    index: int
    started_sec: float = Field(description="Seconds since the agent started.")
    model_call: ModelCallRecord
    assistant: dict[str, Any] = Field(description="The assistant message as the model sent it.")
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    note: str | None = Field(default=None, description="What the loop told the model, if any.")


class Trajectory(BaseModel):
    schema_version: int = TRAJECTORY_SCHEMA
    agent: str
    model: str
    base_url: str
    time_budget_sec: float
    max_turns: int
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    system_prompt: str
    instruction: str
    steps: list[StepRecord] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    n_unmetered: int = Field(default=0, description="Replies that carried no usage block.")
    failed_call: FailedCallRecord | None = None
    price: ModelPrice | None = None
    exit_status: str | None = None
    message: str | None = None


def write_redacted(path: Path, text: str, secrets: Iterable[str]) -> None:
    """Atomic write of `text` with every secret replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(redact(text, secrets))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_trajectory(path: Path, trajectory: Trajectory, secrets: Iterable[str]) -> None:
    write_redacted(path, trajectory.model_dump_json(indent=2) + "\n", secrets)
