"""What `abcbench tasks check` costs: seconds per task, by language and type (prints them).

  python bench/task_check_bench.py [--mode check-per-language] [--task ID]... [--repeat 1]
                                   [--together N] [--output DIR] [--run-prefix NAME]

Each task is checked on its own (all its legs, `--repeat` runs each, one trial at a time), so
its time is the time one more task adds to a serial check. `--together N` then checks the same
tasks in one call with N trials at a time (what CI's ABCBENCH_BUNDLED mode does) and prints
the ratio of its wall time to the sum of the single times. The suite estimate scales the
median of each task type to the whole bundled suite and to `--repeat 3`. Images must be built
(`abcbench images build`); the machine is shared, so quote medians of quiet runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from abcbench.run.task_check import check_tasks
from abcbench.tasks.model import Task
from tests.bundled.test_bundled_tasks import REGISTRY, TASKS, selected


def _check(tasks: list[Task], output: Path, repeat: int, n: int,
           prefix: str) -> tuple[float, list[str]]:
    started = time.monotonic()
    checks = check_tasks(tasks, REGISTRY.root, output, repeat=repeat, n_concurrent=n,
                         run_prefix=f"{prefix}-{uuid.uuid4().hex[:8]}")
    return time.monotonic() - started, [f"{c.task_id}: {c.problems[0]}" for c in checks
                                        if not c.ok]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="check-per-language",
                        help="an ABCBENCH_BUNDLED mode (default: check-per-language)")
    parser.add_argument("--task", action="append", default=[], help="task ids instead")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--together", type=int, default=0, metavar="N",
                        help="also check all of them in one call, N trials at a time")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--run-prefix", default="check-bench", help="names the legs' runs")
    args = parser.parse_args()
    tasks = [REGISTRY.get(t) for t in args.task] if args.task else selected(args.mode)
    output = args.output or Path(tempfile.mkdtemp(prefix="abcbench-check-bench-"))
    seconds: dict[str, float] = {}
    failed: list[str] = []
    for task in tasks:
        took, problems = _check([task], output, args.repeat, 1, args.run_prefix)
        seconds[task.id] = took
        failed += problems
        print(f"{task.id:<46} {task.language:<11} {task.task_type:<12} {took:7.1f} s"
              f"{'  FAILED' if problems else ''}", flush=True)
    by_type: dict[str, list[float]] = {}
    for task in tasks:
        by_type.setdefault(task.task_type, []).append(seconds[task.id])
    total = sum(seconds.values())
    print(f"\n{len(tasks)} task(s), --repeat {args.repeat}, one at a time: {total:.0f} s "
          f"({total / 60:.1f} min); mean {total / max(len(tasks), 1):.1f} s per task")
    estimate = 0.0
    for kind, values in sorted(by_type.items()):
        median = statistics.median(values)
        n_suite = sum(t.task_type == kind for t in TASKS)
        estimate += median * n_suite
        print(f"  {kind:<12} median {median:6.1f} s over {len(values)} "
              f"(suite has {n_suite})")
    per_repeat = estimate / args.repeat
    print(f"whole suite ({len(TASKS)} tasks), one at a time: ~{per_repeat / 60:.0f} min per "
          f"repeat; --repeat 3 ~{3 * per_repeat / 60:.0f} min")
    if args.together:
        took, problems = _check(tasks, output, args.repeat, args.together, args.run_prefix)
        failed += problems
        print(f"together, -n {args.together}: {took:.0f} s ({took / 60:.1f} min), "
              f"{took / total:.2f} of the one-at-a-time sum")
    for line in failed:
        print(f"FAILED {line}")
    print(f"run folders: {output}")


if __name__ == "__main__":
    main()
