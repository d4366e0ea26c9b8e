"""The same scripted trial on an idle host and under synthetic CPU and IO load (prints figures;
no assertions).

  python bench/agent_load_bench.py [--agent claude-code] [--task fx-quotes-logic]
      [--repeat 3] [--cpu-workers 4] [--io-workers 2]

Each round runs one trial of the agent against the scripted model server's solving script for
the task (the reference solution written through the agent's own shell tool), once with the
host as it is and once while bounded load runs beside it: `--cpu-workers` Python processes
spinning, `--io-workers` processes writing and fsyncing 64 MB files in a temporary folder,
all stopped when the trial ends (and killed after `--load-cap-sec` at the latest). It prints,
per condition, the verdicts, the median of `timings.agent_setup` (setup, outside the budget)
and of the agent's run (`timings.agent` less setup: what its budget pays), the tokens the gateway
counted, and the loaded/idle ratio of the agent phase. Every trial is a real one: sandbox,
gateway, build, service and hidden tests. The goal (issue 20): equal verdicts and tokens, and
an agent phase within 10 % under load.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from abcbench.agents.registry import BUILTIN
from abcbench.agents.verify import solving_route
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.loader import load_task
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "native"
KEY_VARS = {"claude-code": "ANTHROPIC_API_KEY"}


def spin(until: float) -> None:
    """CPU load: arithmetic until the monotonic time `until`."""
    x = 0
    while time.monotonic() < until:
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def churn(until: float, folder: str) -> None:
    """IO load: write and fsync 64 MB files, over and over, until `until`."""
    block = os.urandom(1024 * 1024)
    path = Path(folder) / f"churn-{os.getpid()}"
    while time.monotonic() < until:
        with path.open("wb") as out:
            for _ in range(64):
                out.write(block)
                if time.monotonic() >= until:
                    break
            out.flush()
            os.fsync(out.fileno())
        path.unlink()


def trial(agent: str, task_dir: Path, output: Path, prefix: str) -> TrialResult:
    cls = BUILTIN[agent]
    task = load_task(task_dir)
    key_var = KEY_VARS.get(agent, "OPENAI_API_KEY")
    run_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    with ModelServer(Script(routes=[solving_route(task, cls)])) as server:
        Runner(RunRequest(
            tasks=[task], agent_cls=cls,
            agent_info=AgentInfo(name=agent, model="bench-model",
                                 kwargs={"base_url": server.base_url}, env_keys=[key_var]),
            agent_env={key_var: "sk-bench"}, output_dir=output, tasks_dir=task_dir.parent,
            run_id=run_id, n_concurrent=1)).execute()
    [result] = RunDir(output / run_id).results()
    return result


def loaded_trial(args: argparse.Namespace, task_dir: Path, output: Path) -> TrialResult:
    until = time.monotonic() + args.load_cap_sec
    ctx = mp.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="abcbench-load-") as folder:
        workers = [ctx.Process(target=spin, args=(until,)) for _ in range(args.cpu_workers)]
        workers += [ctx.Process(target=churn, args=(until, folder))
                    for _ in range(args.io_workers)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(2)  # the load is on before the trial starts
            return trial(args.agent, task_dir, output, args.name_prefix)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.join(10)


def summary(label: str, results: list[TrialResult]) -> float:
    setup = [r.timings.get("agent_setup", 0.0) for r in results]
    agent = [r.timings.get("agent", 0.0) - s for r, s in zip(results, setup, strict=True)]
    verdicts = ["resolved" if r.resolved else str(r.failure_class) for r in results]
    tokens = sorted({(r.usage.input_tokens, r.usage.output_tokens) for r in results})
    print(f"{label:7} verdicts {verdicts}  agent_setup median {statistics.median(setup):.2f}s  "
          f"agent run median {statistics.median(agent):.2f}s "
          f"(min {min(agent):.2f}, max {max(agent):.2f})  tokens {tokens}", flush=True)
    return statistics.median(agent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agent", default="claude-code")
    parser.add_argument("--task", default="fx-quotes-logic",
                        help="a fixture task (tests/fixtures/native) or a bundled task id")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu-workers", type=int, default=4)
    parser.add_argument("--io-workers", type=int, default=2)
    parser.add_argument("--load-cap-sec", type=float, default=900.0)
    parser.add_argument("--name-prefix", default="abcbench-bench-load")
    args = parser.parse_args()
    task_dir = FIXTURES / args.task
    if not task_dir.is_dir():
        task_dir = bundled_tasks_dir() / args.task
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        output = Path(tmp)
        idle: list[TrialResult] = []
        loaded: list[TrialResult] = []
        for _ in range(args.repeat):  # interleaved, so a drift of the host hits both alike
            idle.append(trial(args.agent, task_dir, output, args.name_prefix))
            loaded.append(loaded_trial(args, task_dir, output))
        print(f"{args.agent} on {args.task}, {args.repeat} rounds; load: {args.cpu_workers} "
              f"CPU spinners + {args.io_workers} fsync writers, {os.cpu_count()} cores")
        base = summary("idle", idle)
        busy = summary("loaded", loaded)
        print(f"agent phase loaded/idle: {busy / base:.2f} ({(busy / base - 1) * 100:+.0f}%)")


if __name__ == "__main__":
    main()
