"""A real local Ray cluster of slot nodes for the tests that need one, isolated from any other
cluster on the machine: Ray's own files (sessions, the `ray_current_cluster` address file) and
the nodes' scratch folders live in a fresh folder, and only this cluster's processes are
stopped at the end (never `ray stop`, which would stop every cluster of the host)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NODE_ARGS: dict[str, Any] = {"num_cpus": 1, "resources": {"abcbench_slots": 1},
                             "object_store_memory": 80 * 2**20}


@contextmanager
def local_cluster(n_nodes: int = 3, *, drop_env: tuple[str, ...] = ()) -> Iterator[Any]:
    """`n_nodes` nodes of one slot each, started without the variables `drop_env` (as hosts
    that never had them); yields `(cluster, scratch)`. The folder's path stays short: Ray's
    socket paths under it must fit in 108 bytes."""
    from ray.cluster_utils import Cluster

    home = Path(tempfile.mkdtemp(prefix="abcray-", dir="/tmp"))
    scratch = home / "scratch"
    names = ("ABCBENCH_RAY_SCRATCH", "RAY_TMPDIR", *drop_env)
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ["ABCBENCH_RAY_SCRATCH"] = str(scratch)  # the nodes' workers inherit both
    os.environ["RAY_TMPDIR"] = str(home)
    cluster = None
    try:
        cluster = Cluster(initialize_head=True, head_node_args={
            **NODE_ARGS, "temp_dir": str(home / "ray"), "include_dashboard": False})
        for _ in range(n_nodes - 1):
            cluster.add_node(**NODE_ARGS, temp_dir=str(home / "ray"))
        cluster.wait_for_nodes(timeout=120)
        yield cluster, scratch
    finally:
        if cluster is not None:
            cluster.shutdown()
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
        shutil.rmtree(home, ignore_errors=True)
