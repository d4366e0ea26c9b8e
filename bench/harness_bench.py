"""Harness performance figures (prints them; no assertions, no timed tests).

  python bench/harness_bench.py [--task GLOB]... [--skip-cold] [--skip-throughput]
  python bench/harness_bench.py --build-ratio [--task ID]... [--attempts 3]

1. Per-phase medians of oracle trials on the bundled tasks with warm images, and the harness's
   own overhead per trial: total minus agent, image build, service start and test run.
2. Cold vs warm image build: a throwaway copy of the tester recipe built from scratch, then
   ensured again (a warm build is a tag lookup).
3. Trials per minute at --n-concurrent 1 and 2, in one run each.
4. Orchestrator memory with 1,000 queued trials (planning and queuing, no Docker).
5. (--build-ratio, alone) Build time per oracle trial before and after the build cache, side
   by side: "before" is the harness at --baseline-ref (the last commit whose builds ran with no
   reuse), unpacked with `git archive`; "after" is this tree. Per task, alternating, one oracle
   run of --attempts attempts each, in subprocesses. "After" starts with the task's reference
   layers removed, so its first trial pays the reference build (in its median and mean).
Quote medians and ratios measured in one run: these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
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


_HERE = Path(__file__).resolve().parent.parent
BASELINE_REF = "ae23700"
"""The last commit before the build cache: every service build from scratch (`nocache`)."""
BUILD_RATIO_TASKS = ("python-flask-bookshelf-books", "go-gin-eventdesk-events",
                     "java-jdk-httpserver-stockroom-items", "rust-axum-inventory-items",
                     "javascript-express-stockroom-products")
ORACLE_RUN = """
import json, sys, uuid
from pathlib import Path
from abcbench.agents.oracle import OracleAgent
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.registry import TaskRegistry
tasks_dir, task_id, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[4])
attempts = int(sys.argv[3])
task = TaskRegistry.from_dir(tasks_dir).get(task_id)
request = RunRequest(tasks=[task], agent_cls=OracleAgent, agent_info=AgentInfo(name="oracle"),
                     output_dir=out, tasks_dir=tasks_dir, run_id=f"bench-{uuid.uuid4().hex[:8]}",
                     n_attempts=attempts)
manifest = Runner(request).execute()
print(json.dumps([{"build": r.timings.get("build"), "resolved": r.resolved}
                  for r in RunDir(out / manifest.run_id).results()]))
"""


def _oracle_builds(tree: Path, tasks_dir: Path, task_id: str, attempts: int, out: Path
                   ) -> list[float]:
    # Same tasks, recipes and in-container files on both sides: only the harness code differs.
    env = {**os.environ, "PYTHONPATH": str(tree), "ABCBENCH_HOME": str(_HERE)}
    proc = subprocess.run([sys.executable, "-c", ORACLE_RUN, str(tasks_dir), task_id,
                           str(attempts), str(out)], env=env, capture_output=True, text=True,
                          timeout=3600, check=True, cwd=tree)
    rows = json.loads(proc.stdout.strip().splitlines()[-1])
    unresolved = [r for r in rows if not r["resolved"]]
    if unresolved:
        print(f"   ({task_id}: {len(unresolved)} oracle trial(s) not resolved)")
    return [float(r["build"]) for r in rows if r["build"] is not None]


def _forget_reference_layers(task_id: str) -> None:
    from abcbench.sandbox.client import docker_client

    api = docker_client().api
    flt = {"label": [f"abcbench.task={task_id}", "abcbench.kind=build-cache"]}
    for image in api.images(filters=flt):
        for ref in image.get("RepoTags") or []:
            docker_images.remove_image(ref, force=False)


def build_ratio(tasks_dir: Path, task_ids: list[str], attempts: int, baseline_ref: str) -> None:
    here = _HERE
    before: list[float] = []
    after: list[float] = []
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        baseline = Path(tmp) / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "archive", baseline_ref, "abcbench"], cwd=here,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        for task_id in task_ids:
            _forget_reference_layers(task_id)
            b = _oracle_builds(baseline, tasks_dir, task_id, attempts, Path(tmp))
            a = _oracle_builds(here, tasks_dir, task_id, attempts, Path(tmp))
            print(f"   {task_id}: before {' '.join(f'{x:.1f}' for x in b)} s | "
                  f"after {' '.join(f'{x:.1f}' for x in a)} s")
            before += b
            after += a
    print(f"\n5. build time per oracle trial, {len(task_ids)} task(s) x {attempts} attempt(s), "
          f"n-concurrent 1, alternating per task (before = {baseline_ref})")
    for name, values in (("before", before), ("after", after)):
        print(f"   {name:<6} n={len(values):<3} median {statistics.median(values):6.2f} s   "
              f"mean {statistics.mean(values):6.2f} s")
    median = statistics.median(after) / statistics.median(before)
    print(f"   ratio after/before: median {median:.2f}, "
          f"mean {statistics.mean(after) / statistics.mean(before):.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", default=[], help="task id glob")
    parser.add_argument("--tasks-dir", type=Path, default=bundled_tasks_dir())
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--from-run", type=Path, help="take the phase figures from this run "
                        "folder instead of running the oracle again")
    parser.add_argument("--build-ratio", action="store_true",
                        help="only section 5: build time before/after the build cache")
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    args = parser.parse_args()
    if args.build_ratio:
        build_ratio(args.tasks_dir, args.task or list(BUILD_RATIO_TASKS), args.attempts,
                    args.baseline_ref)
        return 0
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
