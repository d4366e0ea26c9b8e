"""The sandbox interface agents act through, and its typed error contract.

Every backend must pass the conformance suite in tests/docker/test_sandbox_conformance.py:
exec honours its timeout and caps output; files round-trip byte for byte; a
missing file raises SandboxFileNotFound; a dead sandbox raises SandboxUnavailable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

DEFAULT_OUTPUT_LIMIT = 1024 * 1024


class SandboxError(Exception):
    """Base of the sandbox error contract."""


class SandboxUnavailable(SandboxError):
    """The sandbox is gone (removed, crashed) or the engine refused the call."""


class SandboxFileNotFound(SandboxError, FileNotFoundError):
    """A path read from the sandbox does not exist."""


class ExportTooLarge(SandboxError):
    """A tree copied out of the sandbox exceeded its size or file-count cap: the agent's doing."""


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    truncated: bool = False
    duration_sec: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@runtime_checkable
class Sandbox(Protocol):
    """What an agent may do to its environment: run commands, read and write files."""

    def exec(
        self,
        command: str | list[str],
        *,
        timeout: float = 600,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
    ) -> ExecResult:
        """Run `command` (a string runs under `bash -c`). Killed, with children, at `timeout`;
        whatever it leaves running in its process group is killed when it returns."""
        ...

    def read_file(self, path: str) -> bytes: ...

    def write_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None:
        """Write a file, creating parent folders."""
        ...

    def copy_in(self, src: Path, dest: str) -> None:
        """Copy a host folder's contents into folder `dest` (created if missing)."""
        ...

    def copy_out(self, src: str, dest: Path) -> None:
        """Copy folder `src`'s contents to the host folder `dest`."""
        ...


@runtime_checkable
class HarnessSandbox(Sandbox, Protocol):
    """What the harness (never the agent) may also do to a sandbox: see whether it still
    runs, and stop everything in it at the end of the agent's phase."""

    def status(self) -> tuple[str, int | None]:
        """(state, exit code if exited): running, exited, removed, ..."""
        ...

    def stop_processes(self) -> bool:
        """Kill every process but the container's init and main process, so the agent's
        running execs end and nothing it started keeps changing files. False when that was
        not possible and the container was killed instead (its files stay readable)."""
        ...
