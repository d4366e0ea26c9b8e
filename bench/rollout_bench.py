"""Rollout figures: episode start-up (reset -> sandbox ready -> first observation) and one
group of G episodes of the built-in agent against the scripted server (prints; no asserts).

  python bench/rollout_bench.py [--task ID] [--starts 5] [--group 8] [--skip-group]

Start-up is measured warm (images built; the first reset of the process is reported apart, as
it also loads the task registry and checks the images). The group runs G episodes at once on
this host (`--n-concurrent G`) with a policy that looks and finishes without solving, so each
episode pays sandbox, agent, export, the service build (reference layers come from the
build cache, grading/build_cache.py), deploy and the hidden tests; the per-phase medians show
where a group's time goes. Quote medians: these machines are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo
from abcbench.rollouts.episode import Action, Episode
from abcbench.rollouts.group import GroupRequest, run_groups
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step


def _fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):.2f}s  min {min(values):.2f}s  "
            f"max {max(values):.2f}s  (n={len(values)})")


def startups(task: str, n: int, out: Path) -> None:
    ready, first_obs = [], []
    with Episode(output_dir=out, run_id=f"bench-rollout-{uuid.uuid4().hex[:8]}") as env:
        for k in range(n + 1):
            env.close()  # the previous episode's containers go first, outside the timing
            t0 = time.monotonic()
            reset = env.reset(task, seed=k)
            obs = env.step(Action("bash", {"command": "true"}))
            elapsed = time.monotonic() - t0
            assert obs.ok, obs.output
            if k == 0:
                print(f"first reset of the process: ready {reset.startup_sec:.2f}s, first "
                      f"observation {elapsed:.2f}s")
                continue
            ready.append(reset.startup_sec)
            first_obs.append(elapsed)
    print(f"warm reset -> sandbox ready:     {_fmt(ready)}")
    print(f"warm reset -> first observation: {_fmt(first_obs)}")


def group(task: str, size: int, out: Path) -> None:
    steps = [Step.call("bash", command="ls"), Step.call("finish", summary="done")]
    with ModelServer(Script(steps=steps)) as server:
        t0 = time.monotonic()
        outcome = run_groups(GroupRequest(
            tasks=[TaskRegistry.from_dir(bundled_tasks_dir()).get(task)],
            agent_cls=ToolCallingAgent,
            agent_info=AgentInfo(name="abc", model="bench", kwargs={
                "base_url": server.base_url}, env_keys=["OPENAI_API_KEY"]),
            agent_env={"OPENAI_API_KEY": "bench"}, output_dir=out,
            tasks_dir=bundled_tasks_dir(), group_size=size,
            run_id=f"bench-rollout-group-{uuid.uuid4().hex[:8]}"))
        wall = time.monotonic() - t0
    records = outcome.records
    print(f"group of {size} at once: {wall:.1f}s wall, {sum(r.valid for r in records)}/{size} "
          f"valid, rewards {[r.reward for r in records]}")
    for phase in ("setup", "sandbox", "agent", "export", "build", "start", "tests", "total"):
        values = [r.timings[phase] for r in records if phase in r.timings]
        if values:
            print(f"  {phase:<8} {_fmt(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="python-flask-bookshelf-loans")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--skip-group", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="abcbench-rollout-bench-") as tmp:
        startups(args.task, args.starts, Path(tmp))
        if not args.skip_group:
            group(args.task, args.group, Path(tmp))


if __name__ == "__main__":
    main()
