"""The live view of a run: a progress bar with resolved counts and each running trial's phase.

Its callbacks run in the runner's trial threads, so they must never raise into them: trial
names, phases and messages (which quote error text a provider or an agent wrote) are printed
as `Text`, never as markup, and anything that still fails in the view (a closed terminal) is
logged and swallowed (`_contained`): the run goes on without its progress display.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec

from rich.console import Console, Group
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from abcbench.cli.common import console
from abcbench.cli.output import styled
from abcbench.results.models import RunManifest, TrialResult
from abcbench.run.runner import RunEvents, Runner, RunRequest

log = logging.getLogger(__name__)
P = ParamSpec("P")


def _contained(callback: Callable[P, None]) -> Callable[P, None]:
    """The callback, with any exception it raises logged instead of raised."""

    @functools.wraps(callback)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception:  # the view is not the run: never stop a trial for it
            log.warning("the live view failed in %s; the run goes on", callback.__name__,
                        exc_info=True)

    return wrapper


class LiveRunView:
    def __init__(self, n_trials: int, out: Console | None = None) -> None:
        self.console = out or console
        self._lock = threading.Lock()
        self.phases: dict[str, str] = {}
        self.n_resolved = 0
        self.n_done = 0
        self.progress = Progress(
            TextColumn("[bold]trials"), BarColumn(), MofNCompleteColumn(),
            TextColumn("resolved [green]{task.fields[resolved]}"),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=self.console,
        )
        self.bar = self.progress.add_task("trials", total=n_trials, resolved=0)
        self.live = Live(self._render(), console=self.console, refresh_per_second=4,
                         transient=False)

    def _render(self) -> Group:
        table = Table.grid(padding=(0, 2))
        for name, phase in sorted(self.phases.items()):
            table.add_row(styled(("running", "dim"), " ", name), Text(phase, style="cyan"))
        return Group(self.progress, table) if self.phases else Group(self.progress)

    def events(self) -> RunEvents:
        return RunEvents(
            on_message=_contained(self.message),
            on_trial_start=_contained(self._start),
            on_phase=_contained(self._set_phase),
            on_trial_done=_contained(self._done),
            on_plan=_contained(self._plan),
        )

    def _start(self, trial: str) -> None:
        self._set_phase(trial, "starting")

    def _plan(self, total: int, done: int) -> None:
        self.progress.update(self.bar, total=total, completed=done)

    def message(self, text: str) -> None:
        self.console.print(Text(text, style="cyan"), soft_wrap=True)

    def _set_phase(self, trial: str, phase: str) -> None:
        with self._lock:
            self.phases[trial] = phase
            self.live.update(self._render())

    def _done(self, result: TrialResult) -> None:
        with self._lock:
            self.phases.pop(result.trial_name, None)
            self.n_done += 1
            self.n_resolved += result.resolved
            verdict = ("resolved", "green") if result.resolved else (
                f"{result.failure_class.value if result.failure_class else 'unresolved'}", "red")
            why = "" if result.resolved else (result.error or "").strip().split("\n")[0][:200]
            self.console.print(styled((f"{verdict[0]:<16}", verdict[1]), " ", result.trial_name,
                                      "  ", (f"{result.timings.get('total', 0):.0f}s", "dim"),
                                      ("  " + why if why else "", "dim")),
                               highlight=False, soft_wrap=True)
            self.progress.update(self.bar, advance=1, resolved=self.n_resolved)
            self.live.update(self._render())

    def __enter__(self) -> LiveRunView:
        self.live.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.live.__exit__(exc_type, exc, tb)
        if not self.console.is_terminal:  # Live ends its last frame with a newline on a tty only
            self.console.line()


def execute_live(request: RunRequest, out: Console | None = None) -> RunManifest:
    """Validate first (a refused request prints no progress bar), then run with the live view."""
    view = LiveRunView(len(request.tasks) * request.n_attempts, out)
    runner = Runner(request, view.events())
    runner.preflight()
    with view:
        return runner.execute()
