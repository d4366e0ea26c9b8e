"""Which egress a trial's sandbox gets: the run's `--egress` if given, else the task's
`sandbox.egress`; for `archive`, the default archives plus the task's and the run's hosts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from abcbench.egress.allowlist import DEFAULT_ALLOW, AllowList, parse_pattern
from abcbench.errors import UserError

if TYPE_CHECKING:
    from abcbench.tasks.model import Task

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


def egress_mode(value: str | None) -> EgressMode | None:
    """`--egress`'s value, typed; UserError for anything else."""
    if value is None:
        return None
    for mode in get_args(EgressMode):
        if value == mode:
            return mode  # type: ignore[no-any-return]
    raise UserError(f"--egress {value}: choose one of {', '.join(EGRESS_MODES)}")


def check_egress_flags(mode: str | None, allow: Sequence[str]) -> None:
    """`--egress` and `--egress-allow` values, as one line naming the bad one."""
    egress_mode(mode)
    for entry in allow:
        try:
            parse_pattern(entry)
        except ValueError as exc:
            raise UserError(f"--egress-allow {exc}") from None
    if allow and mode not in (None, "archive"):
        raise UserError(f"--egress-allow has no effect with --egress {mode}: it lists hosts "
                        "for --egress archive")


def check_run_egress(mode: str | None, allow: Sequence[str], tasks: Sequence[Task]) -> None:
    """The run's egress flags against its tasks: `--egress` sets the sandboxes the harness
    starts, so it cannot apply to a Terminal-Bench task (its compose file makes its own
    networks); `--egress-allow` must reach some archive sandbox."""
    check_egress_flags(mode, allow)
    if mode is not None:
        compose = [t.id for t in tasks if t.native is None]
        if compose:
            raise UserError(f"--egress {mode}: task {compose[0]} is in the Terminal-Bench "
                            "layout, whose compose file makes its own networks; leave out "
                            "--egress or those tasks")
    if allow and mode is None and not any(
            t.native is not None and t.native.sandbox.egress == "archive" for t in tasks):
        raise UserError("--egress-allow has no effect: no selected task has egress archive; "
                        "add --egress archive")
