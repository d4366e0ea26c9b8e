"""Which runs' Docker objects `abcbench cleanup` may remove: those whose owner is gone.

Every container, network and trial image carries its run id as a label; a run's owner holds
the run-id lock on this host (`abcbench.run.lock`) while it lives. A run id whose lock nobody
holds was left by a killed or crashed process. The lock is per host: a run driven from another
machine against the same engine is not seen (name it with `cleanup --run` only when it is dead).
"""

from __future__ import annotations

from collections.abc import Iterable

from abcbench import scratch
from abcbench.grading import build_cache
from abcbench.run.executors import ray_scratch
from abcbench.run.lock import LockOwner, live_run_owner
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client


def runs_in_docker() -> set[str]:
    """Run ids on the project's containers, networks and trial images."""
    api = docker_client().api
    flt = {"label": L.selector()}
    found: list[dict[str, str] | None] = [c.get("Labels") for c in
                                          api.containers(all=True, filters=flt)]
    found += [n.get("Labels") for n in api.networks(filters=flt)]
    found += [i.get("Labels") for i in api.images(filters=flt)]
    return {labels[L.RUN] for labels in found if labels and labels.get(L.RUN)}


def split_by_owner(run_ids: Iterable[str]) -> tuple[list[str], dict[str, LockOwner]]:
    """(runs whose owner is gone, live runs with their owner)."""
    dead: list[str] = []
    live: dict[str, LockOwner] = {}
    for run_id in sorted(run_ids):
        owner = live_run_owner(run_id)
        if owner is None:
            dead.append(run_id)
        else:
            live[run_id] = owner
    return dead, live


def remove_dead_process_leftovers() -> tuple[int, int]:
    """What no run's label finds, left by processes that died: reference layers of a cancelled
    build (`build_cache.remove_stray_layers`), temporary folders (`scratch.sweep_dead`) and
    Ray attempt folders, submissions included (`ray_scratch.sweep_dead`). Run at a run's end on
    every engine it used, and by `abcbench cleanup`; returns the counts (layers, folders)."""
    folders = len(scratch.sweep_dead()) + len(ray_scratch.sweep_dead())
    return build_cache.remove_stray_layers(), folders
