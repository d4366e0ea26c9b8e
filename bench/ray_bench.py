"""Ray executor figures (prints them; no assertions): trials per minute for the local executor
and for Ray at 1, 2 and 4 slots, and the Ray path's overhead per trial against the local one.

  python bench/ray_bench.py [--n-attempts 2] [--slots 1,2,4] [--local 1]

Every configuration runs the same oracle trials (the small native fixture tasks, tasks x
attempts) on a fresh local Ray cluster (all nodes on this host's Docker engine: 1 slot = one
node, 2 = two nodes of one slot, 4 = two nodes of two). A run's wall time counts from the
runner's start (cluster connection and image checks included; cluster start-up excluded).
Overhead per trial = wall time per trial minus the median trial's own `total`, i.e. what the
executor adds around the trial code (dispatch, task files, folder transfer, landing). Quote the
ratios from one run: these machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from abcbench.agents.oracle import OracleAgent
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "native"
NODE = {"num_cpus": 1, "object_store_memory": 80 * 2**20}


@dataclass
class Figure:
    label: str
    trials: int
    resolved: int
    wall_sec: float
    median_trial_sec: float
    nodes: int

    @property
    def per_min(self) -> float:
        return 60.0 * self.trials / self.wall_sec

    @property
    def wall_per_trial(self) -> float:
        return self.wall_sec / self.trials

    @property
    def overhead_per_trial(self) -> float:
        """What the executor adds per trial, if the trials had run one at a time."""
        return self.wall_per_trial - self.median_trial_sec


def run(label: str, tasks: list[Task], out: Path, n_attempts: int, *, executor: str,
        n_concurrent: int = 1, address: str | None = None) -> Figure:
    request = RunRequest(tasks=tasks, agent_cls=OracleAgent, agent_info=AgentInfo(name="oracle"),
                         output_dir=out, tasks_dir=FIXTURES, n_attempts=n_attempts,
                         n_concurrent=n_concurrent, executor=executor, ray_address=address,
                         run_id=f"wt-ray-bench-{uuid.uuid4().hex[:8]}")
    started = time.monotonic()
    manifest = Runner(request).execute()
    wall = time.monotonic() - started
    results = RunDir(out / manifest.run_id).results()
    figure = Figure(label, len(results), sum(r.resolved for r in results), wall,
                    statistics.median(r.timings["total"] for r in results),
                    len({r.node for r in results}))
    print(f"   {label:<22} {figure.trials} trials ({figure.resolved} resolved) on "
          f"{figure.nodes} node(s) in {wall:6.1f} s: {figure.per_min:5.2f} trials/min, "
          f"median trial {figure.median_trial_sec:5.1f} s", flush=True)
    return figure


def ray_cluster(slots: int) -> object:
    from ray.cluster_utils import Cluster

    per_node = 1 if slots <= 2 else slots // 2
    cluster = Cluster(initialize_head=True, head_node_args={
        **NODE, "include_dashboard": False, "resources": {"abcbench_slots": per_node}})
    for _ in range(slots // per_node - 1):
        cluster.add_node(**NODE, resources={"abcbench_slots": per_node})
    cluster.wait_for_nodes(timeout=180)
    return cluster


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-attempts", type=int, default=2)
    parser.add_argument("--slots", default="1,2,4", help="Ray slot counts, comma-separated")
    parser.add_argument("--local", default="1", help="local --n-concurrent values")
    args = parser.parse_args()
    tasks = TaskRegistry.from_dir(FIXTURES).all()
    print(f"oracle on {', '.join(t.id for t in tasks)} x {args.n_attempts} attempt(s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} core(s)", flush=True)
    figures: dict[str, Figure] = {}
    with tempfile.TemporaryDirectory(prefix="wt-ray-bench-") as tmp:
        out = Path(tmp)
        os.environ["ABCBENCH_RAY_SCRATCH"] = str(out / "scratch")
        for n in [int(v) for v in args.local.split(",") if v]:
            figures[f"local {n}"] = run(f"local, {n} at a time", tasks, out, args.n_attempts,
                                        executor="local", n_concurrent=n)
        for slots in [int(v) for v in args.slots.split(",") if v]:
            cluster = ray_cluster(slots)
            try:
                figures[f"ray {slots}"] = run(f"ray, {slots} slot(s)", tasks, out,
                                              args.n_attempts, executor="ray",
                                              address=cluster.address)  # type: ignore[attr-defined]
            finally:
                cluster.shutdown()  # type: ignore[attr-defined]
    local, ray1 = figures.get("local 1"), figures.get("ray 1")
    print("\nratios (one run)")
    for key, figure in figures.items():
        if local is not None and key != "local 1":
            print(f"   throughput {figure.label:<22} / local 1 at a time: "
                  f"{figure.per_min / local.per_min:5.2f}")
    for key, figure in figures.items():
        same = figures.get(key.replace("ray", "local"))
        if key.startswith("ray") and same is not None:
            print(f"   throughput {figure.label:<22} / {same.label}: "
                  f"{figure.per_min / same.per_min:5.2f}")
    if local is not None and ray1 is not None:
        print(f"   wall time per trial, ray 1 slot / local 1 at a time: "
              f"{ray1.wall_per_trial / local.wall_per_trial:5.2f} "
              f"({ray1.wall_per_trial - local.wall_per_trial:+.1f} s per trial)")
        print(f"   executor overhead per trial (wall per trial - median trial): local "
              f"{local.overhead_per_trial:.1f} s, ray {ray1.overhead_per_trial:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
