"""How long a build takes to give up when the run stops (prints it; no assertions).

  python bench/build_stop_bench.py [--delays 0,0.05,0.2,0.5] [--rounds 2]

Each build runs `FROM abcbench/tester`, a quick step, then `RUN sleep 300`; the stop (the
`cancel` event a trial passes) is set `delay` seconds after the slow step shows in the log, so
the small delays land while the engine is still creating the step's container. Printed per
build: the time from the stop to `build_image` raising (a stopping run exits within 2 s, the
README says), and whether a layer of the build was left 3 s later (the engine may commit one
after the stop: issue 18, item 8; this script removes it). Builds carry the run label
`bench-build-stop-<hex>`; nothing is left behind.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.images import ImageBuildError, build_image


def one(delay: float, run: str, root: Path) -> tuple[float, int]:
    context = root / "ctx"
    context.mkdir(exist_ok=True)
    log = root / f"build-{uuid.uuid4().hex[:6]}.log"
    text = (f'FROM abcbench/tester\nLABEL "{L.MANAGED}"="true" "{L.RUN}"="{run}"\n'
            "RUN echo one > /one\nRUN echo slow-step && sleep 300\n")
    cancel = threading.Event()
    stopped: list[float] = []

    def stop_later() -> None:
        while "slow-step" not in (log.read_text() if log.exists() else ""):
            time.sleep(0.02)
        time.sleep(delay)
        stopped.append(time.monotonic())
        cancel.set()

    threading.Thread(target=stop_later, daemon=True).start()
    with contextlib.suppress(ImageBuildError):
        build_image(context, f"abcbench-trial/{run}:latest", dockerfile="Dockerfile",
                    dockerfile_text=text, labels=L.managed(run=run), log_path=log,
                    cancel=cancel, nocache=True, network=False, timeout_sec=120)
    took = time.monotonic() - stopped[0]
    time.sleep(3)
    return took, len(_layers(run))


def _layers(run: str) -> list[str]:
    api = docker_client().api
    return [i["Id"] for i in api.images(all=True, filters={"label": [f"{L.RUN}={run}"]})]


def _clean(run: str) -> None:
    api = docker_client().api
    for container in api.containers(all=True, filters={"label": [f"{L.RUN}={run}"]}):
        api.remove_container(container["Id"], force=True)
    for image in _layers(run):
        with contextlib.suppress(Exception):  # a parent removed with its child
            api.remove_image(image, force=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delays", default="0,0.05,0.2,0.5")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    run = f"bench-build-stop-{uuid.uuid4().hex[:8]}"
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="abcbench-bench-") as tmp:
        try:
            for _ in range(args.rounds):
                for delay in (float(d) for d in args.delays.split(",")):
                    took, left = one(delay, run, Path(tmp))
                    times.append(took)
                    print(f"stop {delay:.2f}s after the step showed: gave up in {took:.2f}s; "
                          f"layers left 3 s later: {left}", flush=True)
                    _clean(run)
        finally:
            _clean(run)
    print(f"median {statistics.median(times):.2f}s, max {max(times):.2f}s over {len(times)} "
          "builds")


if __name__ == "__main__":
    main()
