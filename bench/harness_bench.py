"""Harness performance figures (prints them; no assertions, no timed tests).

  python bench/harness_bench.py [--task GLOB]... [--skip-cold] [--skip-throughput]

1. Per-phase medians of oracle trials on the bundled tasks with warm images, and the harness's
   own overhead per trial: total minus agent, image build, service start and test run.
2. Cold vs warm image build: a throwaway copy of the tester recipe built from scratch, then
   ensured again (a warm build is a tag lookup).
3. Trials per minute at --n-concurrent 1 and 2, in one run each.
4. Orchestrator memory with 1,000 queued trials (planning and queuing, no Docker).
Quote medians and ratios measured in one run: these machines are noisy.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from abcbench.agents.oracle import OracleAgent
from abcbench.images.manager import ImageManager
from abcbench.images.recipe import RecipeBook
from abcbench.paths import bundled_tasks_dir, dockerfiles_dir
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest, plan_trials
from abcbench.sandbox import images as docker_images
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskFilter, TaskRegistry

PHASES = ("setup", "sandbox", "agent", "export", "build", "start", "tests", "total")
NOT_OVERHEAD = ("agent", "build", "start", "tests")


def run_oracle(tasks: list[Task], out: Path, n_concurrent: int
               ) -> tuple[list[TrialResult], float]:
    request = RunRequest(tasks=tasks, agent_cls=OracleAgent, agent_info=AgentInfo(name="oracle"),
                         output_dir=out, tasks_dir=tasks[0].directory.parent,
                         run_id=f"bench-{uuid.uuid4().hex[:8]}", n_concurrent=n_concurrent)
    started = time.monotonic()
    manifest = Runner(request).execute()
    return RunDir(out / manifest.run_id).results(), time.monotonic() - started


def phase_medians(results: list[TrialResult], what: str) -> None:
    print(f"\n1. {what}: {len(results)} trials, {sum(r.resolved for r in results)} resolved")
    for phase in PHASES:
        values = [r.timings[phase] for r in results if phase in r.timings]
        if values:
            print(f"   {phase:<8} median {statistics.median(values):7.2f} s   "
                  f"(min {min(values):.2f}, max {max(values):.2f})")
    overhead = [r.timings["total"] - sum(r.timings.get(p, 0.0) for p in NOT_OVERHEAD)
                for r in results]
    print(f"   harness overhead per trial: median {statistics.median(overhead):.2f} s "
          "(total - agent - build - start - tests)")


def cold_vs_warm() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "dockerfiles"
        for name in ("base", "tester"):
            shutil.copytree(dockerfiles_dir() / name, root / name)
        # A step right after FROM invalidates every cached layer below it: a really cold build.
        dockerfile = root / "tester" / "Dockerfile"
        text = dockerfile.read_text()
        head, sep, rest = text.partition("FROM ${BASE_IMAGE}\n")
        dockerfile.write_text(f"{head}{sep}RUN echo bench-{uuid.uuid4()}\n{rest}")
        manager = ImageManager(RecipeBook(root))
        recipe = manager.book.get("tester")
        try:
            started = time.monotonic()
            manager.ensure("tester")
            cold = time.monotonic() - started
            started = time.monotonic()
            manager.ensure("tester")
            warm = time.monotonic() - started
        finally:
            throwaway = docker_images.image_id(recipe.ref)
            ImageManager().ensure("tester")  # `abcbench/tester:latest` back on the real recipe
            docker_images.remove_image(throwaway)
    print(f"\n2. tester image: cold build {cold:.1f} s, warm {warm:.3f} s "
          f"(ratio {cold / max(warm, 1e-6):.0f}x)")


def throughput(tasks: list[Task], out: Path) -> None:
    print("\n3. throughput (oracle, warm images)")
    for n in (1, 2):
        results, elapsed = run_oracle(tasks, out, n)
        print(f"   n-concurrent {n}: {len(results)} trials in {elapsed:.0f} s = "
              f"{60 * len(results) / elapsed:.2f} trials/min")


def queued_memory() -> None:
    registry = TaskRegistry.from_dir(bundled_tasks_dir())
    tasks = registry.all()
    attempts = -(-1000 // len(tasks))
    request = RunRequest(tasks=tasks, agent_cls=OracleAgent, agent_info=AgentInfo(name="o"),
                         output_dir=Path(tempfile.gettempdir()), tasks_dir=registry.root,
                         n_attempts=attempts)
    tracemalloc.start()
    specs = plan_trials(request, "bench-memory")[:1000]
    pool = ThreadPoolExecutor(max_workers=2)
    gate = threading.Event()
    futures = [pool.submit(gate.wait) for _ in specs]
    current, peak = tracemalloc.get_traced_memory()
    gate.set()
    for f in futures:
        f.result()
    pool.shutdown()
    tracemalloc.stop()
    print(f"\n4. 1,000 queued trials: {current / 1e6:.2f} MB held, peak {peak / 1e6:.2f} MB "
          f"({current / len(specs) / 1e3:.1f} kB per trial)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", default=[], help="task id glob")
    parser.add_argument("--tasks-dir", type=Path, default=bundled_tasks_dir())
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--from-run", type=Path, help="take the phase figures from this run "
                        "folder instead of running the oracle again")
    args = parser.parse_args()
    registry = TaskRegistry.from_dir(args.tasks_dir)
    tasks = registry.select(TaskFilter(ids=args.task))
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        out = Path(tmp)
        Runner(RunRequest(tasks=tasks, agent_cls=OracleAgent, agent_info=AgentInfo(name="o"),
                          output_dir=out, tasks_dir=registry.root)).prepare_images()
        if args.from_run:
            manifest = RunDir(args.from_run).read_manifest()
            phase_medians(RunDir(args.from_run).results(),
                          f"run {manifest.run_id} (n-concurrent {manifest.settings.n_concurrent})")
        else:
            results, _ = run_oracle(tasks, out, 1)
            phase_medians(results, "oracle trials, warm images, n-concurrent 1")
        if not args.skip_cold:
            cold_vs_warm()
        if not args.skip_throughput:
            throughput(tasks, out)
    queued_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
