"""Provenance of a synthesized task, written next to its task.yaml as `synthesis.json`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from abcbench.redact import add_secrets, redact_model, secrets_in_kwargs
from abcbench.results.models import AgentInfo, Usage, utcnow
from abcbench.results.store import write_json_atomic
from abcbench.synthesis.filter import FilterResult
from abcbench.synthesis.license import LicenseInfo
from abcbench.synthesis.reasons import Rejection

PROVENANCE_FILE = "synthesis.json"
REJECTION_FILE = "rejection.json"


class SourceRecord(BaseModel):
    origin: str
    commit: str | None = None
    dirty: bool = False


class Provenance(BaseModel):
    """Where a task came from and how it was made and checked."""

    schema_version: int = 1
    task_id: str
    source: SourceRecord
    license: LicenseInfo
    agent: AgentInfo
    prompt_version: str
    candidate: int = Field(description="The exploration attempt that wrote the candidate.")
    exploration_trial: str
    usage: Usage = Field(description="Tokens and cost of the exploration that wrote it.")
    repeat: int
    filter: FilterResult | None = None
    rejections: list[Rejection] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)


def write_provenance(folder: Path, record: Provenance, name: str = PROVENANCE_FILE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    add_secrets(secrets_in_kwargs(record.agent.kwargs))
    write_json_atomic(folder / name, redact_model(record))
