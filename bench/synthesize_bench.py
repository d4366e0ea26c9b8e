"""`tasks synthesize` on the fixture repositories with the scripted agent: yield, cost, time.

  python bench/synthesize_bench.py [--language python|go]... [--repeat 3] [-n 2]

For each language, two copies of the fixture (tests/fixtures/synthesis/<language>-notes) go
through one batch: one explored by a script that writes a sound candidate, one by a script whose
scenario never calls a masked handler. Prints the batch report (yield = checked / candidates,
tokens, cost per checked task, rejection reasons) and the wall time. The scripted model's
tokens are priced as gpt-4o-mini by the gateway, so the cost is what those tokens would cost,
not what a real model would spend exploring.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.results.models import AgentInfo
from abcbench.synthesis.explore import AgentChoice
from abcbench.synthesis.pipeline import SynthesisOptions, synthesize
from abcbench.testing.model_server import ModelServer
from tests.synthesis.scripts import FIXTURES, exploring_script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", action="append", choices=["python", "go"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-n", type=int, default=2)
    args = parser.parse_args()
    prefix = f"bench-synth-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="abcbench-synth-bench-") as tmp:
        root = Path(tmp)
        for language in args.language or ["python", "go"]:
            started = time.monotonic()
            for kind, exercised in (("good", True), ("bad", False)):
                origin = root / f"{language}-{kind}" / f"{language}-notes"
                shutil.copytree(FIXTURES / f"{language}-notes", origin)
                with ModelServer(exploring_script(language, exercised=exercised)) as server:
                    info = AgentInfo(name="abc", model="gpt-4o-mini",
                                     kwargs={"base_url": server.base_url})
                    opts = SynthesisOptions(
                        tasks_dir=root / language / "tasks", work=root / language / "work",
                        agent=AgentChoice(ToolCallingAgent, info, {"OPENAI_API_KEY": "sk-bench"},
                                          300),
                        repeat=args.repeat, n_concurrent=args.n, run_prefix=f"{prefix}-{kind}")
                    report = synthesize([str(origin)], opts)
            elapsed = time.monotonic() - started
            cost = report.cost_per_checked_usd
            print(f"{language}: {report.candidates} candidates, {report.checked} checked "
                  f"(yield {report.yield_rate:.0%}), tokens {report.usage.input_tokens} in / "
                  f"{report.usage.output_tokens} out, cost ${report.usage.cost_usd:.5f}, "
                  f"per checked task {'-' if cost is None else f'${cost:.5f}'}, "
                  f"reasons {report.reasons}, {elapsed:.0f}s (--repeat {args.repeat} "
                  f"-n {args.n})")


if __name__ == "__main__":
    main()
