"""`abcbench cleanup`: remove what killed runs left in Docker, never a live run's objects."""

from __future__ import annotations

import typer

from abcbench import scratch
from abcbench.cli import images as images_cli
from abcbench.cli.common import console, err_console, friendly_errors
from abcbench.errors import UserError
from abcbench.run import orphans
from abcbench.run.executors import ray_scratch
from abcbench.run.lock import live_run_owner
from abcbench.sandbox import labels as L
from abcbench.sandbox.lifecycle import kept


@friendly_errors
def cleanup_command(
    run: str | None = typer.Option(None, "--run", help="Only what this run left."),
) -> None:
    """Remove containers, networks and trial images of runs whose process is gone (e.g. after
    a kill -9, or kept by `run --no-cleanup`), and what dead processes left outside Docker
    (temporary folders, Ray attempt folders); a run still owned by a live process on this host
    is skipped."""
    if run is not None:
        owner = live_run_owner(run)
        if owner is not None:
            raise UserError(f"run {run!r} is live ({owner.describe()}); stop it first, its own "
                            "exit removes its containers")
        images_cli.cleanup_command(run=run)
        _dead_process_leftovers()
        return
    dead, live = orphans.split_by_owner(orphans.runs_in_docker())
    for run_id, owner in live.items():
        console.print(f"skipping run {run_id}: owned by live {owner.describe()}",
                      highlight=False)
    for run_id in dead:
        console.print(f"run {run_id}: ", end="", highlight=False)
        images_cli.cleanup_command(run=run_id)
    if not _dead_process_leftovers() and not dead:
        console.print("nothing left by a dead run")


def _dead_process_leftovers() -> bool:
    """Remove (and say) what no label finds; whether there was any."""
    layers, folders = orphans.remove_dead_process_leftovers()
    if layers or folders:
        console.print(f"removed {layers} stray reference layer(s) and {folders} folder(s) of "
                      f"dead processes (under {scratch.parent()} or "
                      f"{ray_scratch.scratch_root()})", highlight=False, soft_wrap=True)
    return bool(layers or folders)


def print_kept(run_id: str) -> None:
    """After a `--no-cleanup` run (on stderr, beside any summary format): what was kept and how
    to look into it and remove it."""
    found = kept(run=run_id)
    say = err_console.print
    say(f"kept for debugging (--no-cleanup): {len(found['containers'])} container(s), all "
        f"stopped, {len(found['networks'])} network(s), {len(found['images'])} trial "
        f"image(s) of run {run_id}", highlight=False, soft_wrap=True)
    lines = [
        f"docker ps -a --filter label={L.RUN}={run_id}   # the trials' containers",
        "docker logs NAME; docker diff NAME; docker cp NAME:/app ./inspect   # no start needed",
        "docker start NAME && docker exec -it NAME bash   # runs it again (its limits and "
        "network); `docker stop NAME` after",
        f"abcbench cleanup --run {run_id}   # remove them all",
    ]
    for line in lines:
        say(f"  {line}", highlight=False, markup=False, soft_wrap=True)
