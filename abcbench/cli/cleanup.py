"""`abcbench cleanup`: remove what killed runs left in Docker, never a live run's objects."""

from __future__ import annotations

import typer

from abcbench.cli import images as images_cli
from abcbench.cli.common import console, friendly_errors
from abcbench.errors import UserError
from abcbench.run import orphans
from abcbench.run.lock import live_run_owner


@friendly_errors
def cleanup_command(
    run: str | None = typer.Option(None, "--run", help="Only what this run left."),
) -> None:
    """Remove containers, networks and trial images of runs whose process is gone (e.g. after
    a kill -9); a run still owned by a live process on this host is skipped."""
    if run is not None:
        owner = live_run_owner(run)
        if owner is not None:
            raise UserError(f"run {run!r} is live ({owner.describe()}); stop it first, its own "
                            "exit removes its containers")
        images_cli.cleanup_command(run=run)
        return
    dead, live = orphans.split_by_owner(orphans.runs_in_docker())
    for run_id, owner in live.items():
        console.print(f"skipping run {run_id}: owned by live {owner.describe()}",
                      highlight=False)
    for run_id in dead:
        console.print(f"run {run_id}: ", end="", highlight=False)
        images_cli.cleanup_command(run=run_id)
    if not dead:
        console.print("nothing left by a dead run")
