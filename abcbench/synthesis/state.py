"""The batch's state on disk (`<work>/state.json`): what is done, so a batch resumes.

One record per repository and per candidate, written after each candidate is decided; a
re-run of the same command with the same `--work` folder skips every decided candidate and
every repository whose candidates are all decided.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from abcbench.results.models import Usage
from abcbench.results.store import write_json_atomic
from abcbench.synthesis.reasons import Rejection

STATE_FILE = "state.json"


class SourceStatus(StrEnum):
    pending = "pending"
    done = "done"
    refused = "refused"
    """Refused as a whole (license, fetch, language): no candidate was explored."""


class CandidateOutcome(BaseModel):
    attempt: int
    task_id: str | None = None
    accepted: bool = False
    folder: str | None = Field(default=None, description="The task folder, or the rejected one.")
    rejections: list[Rejection] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)


class SourceState(BaseModel):
    origin: str
    slug: str | None = None
    status: SourceStatus = SourceStatus.pending
    language: str | None = None
    license: str | None = None
    commit: str | None = None
    refusal: Rejection | None = None
    candidates: list[CandidateOutcome] = Field(default_factory=list)

    def decided(self, attempt: int) -> bool:
        return any(c.attempt == attempt for c in self.candidates)


class BatchState(BaseModel):
    schema_version: int = 1
    run_prefix: str | None = Field(
        default=None, description="Prefix of every run id of the batch (Docker labels), kept "
        "so a resumed exploration continues its own run.")
    sources: list[SourceState] = Field(default_factory=list)

    def source(self, origin: str) -> SourceState:
        for s in self.sources:
            if s.origin == origin:
                return s
        state = SourceState(origin=origin)
        self.sources.append(state)
        return state


def load_state(work: Path) -> BatchState:
    path = work / STATE_FILE
    if not path.is_file():
        return BatchState()
    return BatchState.model_validate_json(path.read_text(encoding="utf-8"))


def save_state(work: Path, state: BatchState) -> None:
    write_json_atomic(work / STATE_FILE, state)
