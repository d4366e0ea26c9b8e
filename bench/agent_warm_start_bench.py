"""An installed agent's warm start: from the start of its agent phase to its first model
request, with its bundle cached (prints figures; no assertions).

  python bench/agent_warm_start_bench.py [--agent openhands] [--task python-flask-bookshelf-loans]
      [--repeat 1]

One real trial per round against the scripted model's solving script for the task; printed:
the verdict, `timings.agent_setup` (setup, outside the budget) and the seconds from the agent
phase's start to the first request the gateway forwarded (its `agent/gateway.jsonl`). The
phase starts after the trial's `setup` and `sandbox` stages, taken from result.json's
`started_at` and timings (the sandbox's start includes copying the task's repository in).
Issue 20's goal for OpenHands: 60 s on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from abcbench.agents.registry import BUILTIN
from abcbench.agents.verify import solving_route
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.loader import load_task
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script

MODELS = {"claude-code": ("anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY"),
          "codex": ("openai/gpt-5", "OPENAI_API_KEY")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agent", default="openhands")
    parser.add_argument("--task", default="python-flask-bookshelf-loans")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--agent-timeout", type=float, default=1200)
    parser.add_argument("--name-prefix", default="abcbench-bench-warm")
    args = parser.parse_args()
    cls = BUILTIN[args.agent]
    task = load_task(bundled_tasks_dir() / args.task)
    model, key_var = MODELS.get(args.agent, ("openai/gpt-4o-mini", "OPENAI_API_KEY"))
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        for _ in range(args.repeat):
            run_id = f"{args.name_prefix}-{uuid.uuid4().hex[:8]}"
            with ModelServer(Script(routes=[solving_route(task, cls)])) as server:
                Runner(RunRequest(
                    tasks=[task], agent_cls=cls,
                    agent_info=AgentInfo(name=args.agent, model=model,
                                         kwargs={"base_url": server.base_url},
                                         env_keys=[key_var]),
                    agent_env={key_var: "sk-bench"}, output_dir=Path(tmp),
                    tasks_dir=bundled_tasks_dir(), run_id=run_id, n_concurrent=1,
                    agent_timeout_sec=args.agent_timeout)).execute()
            run_dir = RunDir(Path(tmp) / run_id)
            [result] = run_dir.results()
            log = run_dir.trial_dir(result.trial_name) / "agent" / "gateway.jsonl"
            lines = log.read_text().splitlines() if log.is_file() else []
            first = datetime.fromisoformat(json.loads(lines[0])["started_at"]) if lines else None
            phase = result.started_at.timestamp() + result.timings.get("setup", 0.0) + \
                result.timings.get("sandbox", 0.0)
            warm = f"{first.timestamp() - phase:.1f}s" if first else "no request"
            print(f"{args.agent} on {args.task}: "
                  f"{'resolved' if result.resolved else result.failure_class}, agent_setup "
                  f"{result.timings.get('agent_setup', 0.0):.1f}s, first model request after "
                  f"{warm}, agent phase {result.timings.get('agent', 0.0):.1f}s, retries "
                  f"{result.retries}", flush=True)


if __name__ == "__main__":
    main()
