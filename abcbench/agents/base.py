"""The agent protocol: an agent gets an instruction, a time budget and a sandbox, nothing else.

Agents act only through `AgentContext.sandbox` (exec, read, write, copy). The harness enforces
the budget from outside as well: an agent that overruns is abandoned and its sandbox graded as
it stands at the deadline.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, Field

from abcbench.results.models import Usage
from abcbench.sandbox.base import Sandbox
from abcbench.tasks.model import Task


@dataclass
class AgentContext:
    instruction: str
    sandbox: Sandbox
    repo_dir: str
    time_budget_sec: float
    logs_dir: Path
    task: Task
    """The whole task. Only the oracle may look past `instruction`: it applies the reference."""
    started_monotonic: float = field(default_factory=time.monotonic)

    def remaining_sec(self) -> float:
        return self.time_budget_sec - (time.monotonic() - self.started_monotonic)


class AgentResult(BaseModel):
    exit_status: str = Field(
        default="finished", description="finished, gave_up, turn_limit, budget, error"
    )
    usage: Usage = Field(default_factory=Usage)
    n_steps: int = 0
    trajectory_file: str | None = Field(
        default=None, description="Path relative to the trial directory."
    )
    message: str | None = None


class Agent(ABC):
    """Subclass and register in `abcbench.agents.registry`, or pass --agent-import-path."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: Whether the agent has been run end to end on this machine by the project's tests.
    verified: ClassVar[str] = "no"

    def __init__(
        self, model: str | None = None, env: dict[str, str] | None = None, **kwargs: str
    ) -> None:
        self.model = model
        #: --agent-env values (API keys among them): never write them to a log or result.
        self.env = dict(env or {})
        self.kwargs = kwargs

    def validate(self) -> None:  # noqa: B027 - optional hook
        """Refuse a bad --model / --agent-kwarg / --agent-env with a UserError; the run calls
        it before any container exists, so bad settings cost nothing."""

    def setup(self, ctx: AgentContext) -> None:  # noqa: B027 - optional hook
        """Install what the agent needs in the sandbox; counts against the time budget."""

    @abstractmethod
    def run(self, ctx: AgentContext) -> AgentResult:
        """Work on the task until done, given up, or out of budget."""
