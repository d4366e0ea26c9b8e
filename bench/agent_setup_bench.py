"""Installed agents' setup time, first start and warm start (prints them; no assertions).

  python bench/agent_setup_bench.py [--agent NAME]... [--skip-cold] [--image python]

First start: the host builds the agent's bundle into an empty cache (pip resolving wheels for
mini-swe-agent; pip installing openhands' locked set of 348 wheels, building its two
source-only packages and compiling its bytecode; downloading the wheel that carries the binary
for claude-code and codex). Warm start: `setup()` in a fresh sandbox of the given language image
with the bundle cached, which is what every trial pays (before its budget starts since issue
20). It is measured twice, side by side: "mounted" (the bundle's read-only volume attached when
the sandbox is created; for a Python bundle only on an image with python3) and "copied" (the
sandbox made without it: the executables copied in, or the bundle copied and unpacked, as
before). The volume is filled once, outside the
timing. Quote medians of several runs (`--repeat`, default 5): these machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from abcbench.agents.base import AgentContext
from abcbench.agents.catalog import INSTALLED
from abcbench.agents.installed.base import InstalledAgent
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import ensure_bundle, ensure_wheel_binaries
from abcbench.images.manager import ImageManager
from abcbench.sandbox.lifecycle import ContainerRequest, remove_container, start_container


def cold_seconds(cls: type[InstalledAgent]) -> float:
    """Bundle build into an empty cache (the user's cache is left alone)."""
    saved = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        try:
            started = time.monotonic()
            if issubclass(cls, BinaryAgent):
                ensure_wheel_binaries(cls.wheel, "x86_64")
            else:
                ensure_bundle(cls.bundle, "3.13", "x86_64")
            return time.monotonic() - started
        finally:
            if saved is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = saved


def warm_seconds(cls: type[InstalledAgent], image: str, prefix: str, mounted: bool) -> float:
    """`setup()` of the agent in a fresh sandbox, with its bundle already cached (and its
    volume filled and attached when `mounted`)."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    mounts = tuple(cls.sandbox_mounts(image)) if mounted else ()
    sandbox = start_container(ContainerRequest(
        image=image, name=name, command=["sleep", "infinity"], mounts=mounts,
        labels={"abcbench.managed": "true", "abcbench.run": name}))
    try:
        with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as logs:
            fields = dict(instruction="bench", sandbox=sandbox, repo_dir="/tmp",
                          time_budget_sec=1800, logs_dir=Path(logs))
            try:
                ctx = AgentContext(**fields)  # type: ignore[arg-type]
            except TypeError:  # while AgentContext still carries `task`
                ctx = AgentContext(**fields, task=None)  # type: ignore[arg-type]
            agent = cls(model="bench-model", env={"OPENAI_API_KEY": "x",
                                                  "ANTHROPIC_API_KEY": "x"})
            started = time.monotonic()
            agent.setup(ctx)
            return time.monotonic() - started
    finally:
        remove_container(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agent", action="append", help="default: every installed agent")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--image", default="python", help="sandbox image recipe (language)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--name-prefix", default="abcbench-bench",
                        help="name (and abcbench.run label) of the sandboxes it creates")
    args = parser.parse_args()
    image = ImageManager().ensure(args.image)
    agents = [c for c in INSTALLED if not args.agent or c.name in args.agent]
    print(f"{'agent':16} {'first start (bundle build)':>28} {'warm: mounted':>14} "
          f"{'warm: copied':>13}   (medians of {args.repeat}; min-max)")
    for cls in agents:
        cold = "skipped" if args.skip_cold else f"{cold_seconds(cls):.1f}s"
        ensure = ensure_wheel_binaries(cls.wheel, "x86_64") if issubclass(cls, BinaryAgent) \
            else ensure_bundle(cls.bundle, "3.13", "x86_64")
        assert ensure.is_dir()
        cols = []
        for mounted in (True, False):
            if mounted and not cls.sandbox_mounts(image):  # a Python bundle, no python3
                cols.append("n/a")
                continue
            runs = [warm_seconds(cls, image, args.name_prefix, mounted)
                    for _ in range(args.repeat)]
            cols.append(f"{statistics.median(runs):.2f}s ({min(runs):.2f}-{max(runs):.2f})")
        print(f"{cls.name:16} {cold:>28} {cols[0]:>14} {cols[1]:>13}", flush=True)


if __name__ == "__main__":
    main()
