"""The sandbox as an agent holds it: the `Sandbox` protocol and nothing else.

Every exec is clipped to the agent's deadline, and once the agent is stopped (its budget spent,
or the run stopping) every call is refused with `AgentStopped`, so an agent thread that outlives
its phase cannot change the submission or reach the harness's containers.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from abcbench.sandbox.base import DEFAULT_OUTPUT_LIMIT, ExecResult, Sandbox, SandboxUnavailable
from abcbench.sandbox.tty import TerminalRun


class AgentStopped(SandboxUnavailable):
    """The agent's time is up or the run is stopping: its sandbox takes no more calls."""


class GuardedSandbox:
    """Implements `Sandbox` over the trial's sandbox, bounded by a deadline and a stop event."""

    __slots__ = ("_deadline", "_inner", "_stop")

    def __init__(self, inner: Sandbox, stop: threading.Event, deadline: float) -> None:
        self._inner = inner
        self._stop = stop
        self._deadline = deadline

    def _remaining(self) -> float:
        remaining = self._deadline - time.monotonic()
        if self._stop.is_set() or remaining <= 0:
            raise AgentStopped("the agent's time budget is spent: the sandbox takes no more "
                               "calls")
        return remaining

    def exec(
        self,
        command: str | list[str],
        *,
        timeout: float = 600,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
    ) -> ExecResult:
        remaining = self._remaining()
        return self._inner.exec(command, timeout=min(timeout, remaining), cwd=cwd, env=env,
                                output_limit=output_limit)

    def type_command(self, command: str, *, timeout: float,
                     user: str | None = None) -> TerminalRun:
        """The inner sandbox's terminal (Terminal-Bench's pane), within the budget."""
        remaining = self._remaining()
        typer = getattr(self._inner, "type_command", None)
        if typer is None:
            raise NotImplementedError("this sandbox has no terminal")
        run: TerminalRun = typer(command, timeout=min(timeout, remaining), user=user)
        return run

    def read_file(self, path: str) -> bytes:
        self._remaining()
        return self._inner.read_file(path)

    def write_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None:
        self._remaining()
        self._inner.write_file(path, data, mode)

    def copy_in(self, src: Path, dest: str) -> None:
        self._remaining()
        self._inner.copy_in(src, dest)

    def copy_out(self, src: str, dest: Path) -> None:
        self._remaining()
        self._inner.copy_out(src, dest)
