"""What the user asked of `abcbench run`, before it becomes a `RunRequest`, and the checks of
its values: a bad number or output folder is one line and exit 2 before anything is built.

`RunOptions` holds every run flag as given (None or empty = not given), so that `--resume`
can tell a repeated flag from a changed one, and a job file can fill the same fields.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from abcbench.egress.settings import check_egress_flags
from abcbench.errors import UserError
from abcbench.tasks.registry import TaskFilter

MIN_TIMEOUT_SEC = 1.0
"""Shorter budgets cannot even start a container: they are typos, not settings."""


@dataclass
class RunOptions:
    agent: str | None = None
    model: str | None = None
    agent_import_path: str | None = None
    agent_kwargs: dict[str, str] = field(default_factory=dict)
    agent_env: dict[str, str] = field(default_factory=dict, repr=False)
    task_filter: TaskFilter = field(default_factory=TaskFilter)
    tasks_dir: Path | None = None
    dataset: Path | None = None
    n_attempts: int | None = None
    n_concurrent: int | None = None
    agent_timeout_sec: float | None = None
    test_timeout_sec: float | None = None
    max_retries: int | None = None
    max_infra_rate: float | None = None
    run_id: str | None = None
    output: Path = Path("runs")
    resume: str | None = None
    break_lock: bool = False
    executor: str = "local"
    """Where trials run; not part of what a run measures, so a resume may change it."""
    ray_address: str | None = None
    exclude_tasks: list[str] = field(default_factory=list)
    n_tasks: int | None = None
    timeout_multiplier: float | None = None
    egress: str | None = None
    egress_allow: list[str] = field(default_factory=list)
    no_cleanup: bool = False
    """Keep the trials' containers, stopped, for debugging; a resume may change it."""

    def check(self) -> None:
        check_numbers(n_attempts=self.n_attempts, n_concurrent=self.n_concurrent,
                      agent_timeout_sec=self.agent_timeout_sec,
                      test_timeout_sec=self.test_timeout_sec, max_retries=self.max_retries,
                      max_infra_rate=self.max_infra_rate)
        from abcbench.run.executors.base import EXECUTORS

        if self.executor not in EXECUTORS:
            raise UserError(f"--executor {self.executor}: choose one of {', '.join(EXECUTORS)}")
        if self.ray_address is not None and self.executor != "ray":
            raise UserError("--ray-address needs --executor ray")
        check_egress_flags(self.egress, self.egress_allow)


def _refuse(flag: str, value: float, what: str) -> UserError:
    return UserError(f"{flag} {value:g}: must be {what}")


def check_numbers(*, n_attempts: int | None = None, n_concurrent: int | None = None,
                  agent_timeout_sec: float | None = None, test_timeout_sec: float | None = None,
                  max_retries: int | None = None, max_infra_rate: float | None = None) -> None:
    """Each given value is in range (None = not given)."""
    for flag, count, least in (("--n-attempts", n_attempts, 1),
                               ("--n-concurrent", n_concurrent, 1),
                               ("--max-retries", max_retries, 0)):
        if count is not None and count < least:
            raise _refuse(flag, count, f"a whole number >= {least}")
    for flag, sec in (("--agent-timeout", agent_timeout_sec),
                      ("--test-timeout", test_timeout_sec)):
        if sec is not None and not (math.isfinite(sec) and sec >= MIN_TIMEOUT_SEC):
            raise _refuse(flag, sec, f"a number of seconds >= {MIN_TIMEOUT_SEC:g}")
    if max_infra_rate is not None and not (math.isfinite(max_infra_rate)
                                           and 0.0 <= max_infra_rate <= 1.0):
        raise _refuse("--max-infra-rate", max_infra_rate, "a share between 0 and 1")


def check_output_dir(output: Path) -> None:
    """`output` is, or can become, a folder this process can write runs into. Probed by
    creating (and removing) a temporary folder in its nearest existing ancestor: permission
    bits alone do not tell root that /proc or a read-only mount refuses writes."""
    path = output.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    if not path.is_dir():
        raise UserError(f"--output {output}: {path} is not a directory; pass a folder to keep "
                        "runs in")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".abcbench-probe-", dir=path))
    except OSError as exc:
        raise UserError(f"--output {output}: cannot write in {path} "
                        f"({exc.strerror or exc}); pass a writable folder") from None
