"""Which egress a trial's sandbox gets: the run's `--egress` if given, else the task's
`sandbox.egress`; for `archive`, the default archives plus the task's and the run's hosts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from abcbench.egress.allowlist import DEFAULT_ALLOW, AllowList, parse_pattern
from abcbench.errors import UserError

EgressMode = Literal["none", "archive", "full"]
EGRESS_MODES: tuple[str, ...] = get_args(EgressMode)


@dataclass(frozen=True)
class Egress:
    mode: EgressMode
    allow: tuple[str, ...] = ()
    """The proxy's allow-list (`archive` only)."""

    def allow_list(self) -> AllowList:
        return AllowList(self.allow)


def effective_egress(task_mode: EgressMode, task_allow: Iterable[str],
                     run_mode: EgressMode | None = None,
                     run_allow: Iterable[str] = ()) -> Egress:
    mode = run_mode or task_mode
    if mode != "archive":
        return Egress(mode)
    return Egress(mode, tuple(AllowList([*DEFAULT_ALLOW, *task_allow, *run_allow]).entries()))


def check_egress_flags(mode: str | None, allow: Sequence[str]) -> None:
    """`--egress` and `--egress-allow` values, as one line naming the bad one."""
    if mode is not None and mode not in EGRESS_MODES:
        raise UserError(f"--egress {mode}: choose one of {', '.join(EGRESS_MODES)}")
    for entry in allow:
        try:
            parse_pattern(entry)
        except ValueError as exc:
            raise UserError(f"--egress-allow {exc}") from None
    if allow and mode not in (None, "archive"):
        raise UserError(f"--egress-allow has no effect with --egress {mode}: it lists hosts "
                        "for --egress archive")
