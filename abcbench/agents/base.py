"""The agent protocol: an agent gets an instruction, a time budget and a sandbox, nothing else.

`AgentContext` holds only what a participant may know; the reference solution and the hidden
tests are not in it, nor reachable from it (docs/error-policy.md, "What an agent may see"). Only
the built-in oracle, registered as privileged in `abcbench.agents.registry`, gets an
`OracleContext` that carries the task. Agents act only through `AgentContext.sandbox` (exec,
read, write, copy). The harness enforces the budget from outside: at the deadline `stop` is set,
the sandbox refuses further calls, its processes are killed and it is graded as it stood then.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from docker.types import Mount
from pydantic import BaseModel, Field

from abcbench.errors import InfrastructureFault, UserError
from abcbench.results.models import Usage
from abcbench.sandbox.base import Sandbox
from abcbench.tasks.model import Task


class AgentSetupTimedOut(InfrastructureFault):
    """The agent's setup overran its own limit: with bundles mounted, setup is a few execs, so
    only a slow or stalled engine makes it that long (infrastructure: the trial is retried)."""


@dataclass
class AgentContext:
    instruction: str
    sandbox: Sandbox
    repo_dir: str
    time_budget_sec: float
    logs_dir: Path
    """A folder the agent owns for its logs; the trial copies it when the agent phase ends."""
    started_monotonic: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    """Set when the agent must stop (its budget is spent, or the run is stopping)."""

    def remaining_sec(self) -> float:
        if self.stop.is_set():
            return 0.0
        return self.time_budget_sec - (time.monotonic() - self.started_monotonic)

    def should_stop(self) -> bool:
        """Loops check this between steps: true once stopped or out of budget."""
        return self.remaining_sec() <= 0


@dataclass
class OracleContext(AgentContext):
    """The privileged context: the whole task, for the oracle to apply its reference."""

    task: Task = field(kw_only=True, repr=False)


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
    setup_timeout_sec: ClassVar[float] = 300.0
    """The limit of `setup` (`--agent-kwarg setup_timeout=SEC` overrides it)."""

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

    @classmethod
    def sandbox_mounts(cls, image: str) -> list[Mount]:
        """Read-only volumes (its bundle) to attach to the sandbox of `image` when it is
        created, before `setup`; made here if missing. None by default."""
        return []

    def setup_limit_sec(self) -> float:
        """How long `setup` may take; the agent's budget starts only when it returns."""
        raw = self.kwargs.get("setup_timeout")
        try:
            limit = float(raw) if raw is not None else self.setup_timeout_sec
        except ValueError:
            raise UserError(f"--agent-kwarg setup_timeout={raw!r}: give seconds, e.g. "
                            "setup_timeout=300") from None
        if not limit > 0:
            raise UserError(f"--agent-kwarg setup_timeout={raw!r}: give a positive number")
        return limit

    def setup(self, ctx: AgentContext) -> None:  # noqa: B027 - optional hook
        """Install what the agent needs in the sandbox, under its own limit (`ctx` carries
        it as the time budget); the agent's budget starts when it returns. Raise
        `AgentSetupFailed` when the agent cannot be installed (a broken bundle)."""

    @abstractmethod
    def run(self, ctx: AgentContext) -> AgentResult:
        """Work on the task until done, given up, or out of budget."""
