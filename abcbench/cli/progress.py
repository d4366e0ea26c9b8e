"""The live view of a run: a progress bar with resolved counts and each running trial's phase."""

from __future__ import annotations

import threading
from types import TracebackType

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

from abcbench.cli.common import console
from abcbench.results.models import RunManifest, TrialResult
from abcbench.run.runner import RunEvents, Runner, RunRequest


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
            table.add_row(f"[dim]running[/] {name}", f"[cyan]{phase}[/]")
        return Group(self.progress, table) if self.phases else Group(self.progress)

    def events(self) -> RunEvents:
        return RunEvents(
            on_message=self.message,
            on_trial_start=lambda t: self._set_phase(t, "starting"),
            on_phase=self._set_phase,
            on_trial_done=self._done,
            on_plan=self._plan,
        )

    def _plan(self, total: int, done: int) -> None:
        self.progress.update(self.bar, total=total, completed=done)

    def message(self, text: str) -> None:
        self.console.print(f"[cyan]{text}[/]")

    def _set_phase(self, trial: str, phase: str) -> None:
        with self._lock:
            self.phases[trial] = phase
            self.live.update(self._render())

    def _done(self, result: TrialResult) -> None:
        with self._lock:
            self.phases.pop(result.trial_name, None)
            self.n_done += 1
            self.n_resolved += result.resolved
            verdict = "[green]resolved[/]" if result.resolved else \
                f"[red]{result.failure_class.value if result.failure_class else 'unresolved'}[/]"
            self.console.print(f"{verdict:<30} {result.trial_name}  "
                               f"[dim]{result.timings.get('total', 0):.0f}s[/]")
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
