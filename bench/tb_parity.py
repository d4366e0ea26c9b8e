"""Terminal-Bench parity, end to end: `tb run` and `abcbench run --dataset` on the same
Terminal-Bench-layout tasks, with the oracle and nop, verdicts side by side.

  python bench/tb_parity.py [--task ID]... [--agent oracle|nop]... [--keep]
                            [--abcbench-src DIR] [--skip-tb FILE]

It prints each harness's wall time and their ratio (abcbench / tb run, both one trial at a
time). `--abcbench-src` runs another revision's abcbench (e.g. `git archive` of main unpacked
into DIR) against the same tasks, to show what that revision got wrong. `--save FILE` keeps tb
run's verdicts as JSON and `--tb-verdicts FILE` reuses them instead of running tb again.

Terminal-Bench (`abcbench.testing.tb_reference.TB_VERSION`) runs from its side venv, made on
first use. Its local runtime needs two things this machine lacks, supplied only to the `tb`
process through a `docker` wrapper first on its PATH:
- `docker compose` (v2): the wrapper hands `docker compose ...` to the installed docker-compose v1;
- tmux in the task's client image (Terminal-Bench drives the agent and the tests through tmux
  sessions): after each compose build the wrapper adds tmux, from .deb files fetched once into
  ~/.cache/abcbench/tb-tmux-debs by a throwaway container of the project's tester image.
The wrapper also turns Terminal-Bench's `docker buildx prune` (part of its cleanup) into a
no-op: the engine's build cache is shared.
The tasks' images build FROM the project's local images (no registry here). Exit status 1 when
any verdict differs. Run it alone: Terminal-Bench's cleanup (`down --rmi all`) removes its client
images, and a concurrent build of the same Dockerfile that reuses one of their cached layers then
fails with "unknown parent image ID".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from abcbench.testing import tb_reference

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO / "tests" / "fixtures" / "terminal_bench"
DEBS = Path.home() / ".cache" / "abcbench" / "tb-tmux-debs"
TESTER_IMAGE = "abcbench/tester:latest"
RUN_TIMEOUT_SEC = 3600

WRAPPER = """#!/bin/bash
# `docker compose` for Terminal-Bench, on docker-compose v1; tmux added to the client image.
if [ "$1" = "compose" ]; then
  shift
  docker-compose "$@"; rc=$?
  image="$T_BENCH_TASK_DOCKER_CLIENT_IMAGE_NAME"
  if [ $rc -eq 0 ] && [[ " $* " == *" build"* ]] && [ -n "$image" ]; then
    {{ echo "FROM $image"; echo "COPY *.deb /tmp/tmux-debs/"
       echo "RUN dpkg -i /tmp/tmux-debs/*.deb >/dev/null && rm -rf /tmp/tmux-debs"; }} |
      {real} build -q -t "$image" -f - {debs} >/dev/null || rc=$?
  fi
  exit $rc
fi
if [ "$1" = "buildx" ]; then
  exit 0  # Terminal-Bench's --cleanup prunes the engine's build cache: not on a shared engine
fi
exec {real} "$@"
"""


@dataclass(frozen=True)
class Verdict:
    resolved: bool
    detail: str
    tests: tuple[tuple[str, str], ...]
    """(name, passed|failed) as each harness parsed them, sorted."""


def tmux_debs() -> Path:
    """tmux and the libraries the tester image lacks for it, as .deb files (fetched once)."""
    if any(DEBS.glob("tmux_*.deb")):
        return DEBS
    DEBS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["docker", "run", "--rm", "--name", f"abcbench-tbparity-debs-{uuid.uuid4().hex[:8]}",
         "-v", f"{DEBS}:/var/cache/apt/archives", TESTER_IMAGE, "sh", "-c",
         "apt-get update -qq && apt-get install -y -qq --download-only tmux >/dev/null"],
        check=True, timeout=600)
    return DEBS


def wrapper_dir(tmp: Path) -> Path:
    real = shutil.which("docker")
    if real is None:
        sys.exit("docker is not on PATH")
    folder = tmp / "bin"
    folder.mkdir(exist_ok=True)
    script = folder / "docker"
    script.write_text(WRAPPER.format(real=real, debs=tmux_debs()), encoding="utf-8")
    script.chmod(0o755)
    return folder


def run_tb(tasks: list[str], agent: str, out: Path, tmp: Path) -> dict[str, Verdict]:
    tb_reference.ensure_venv()
    run_id = f"tbparity-{agent}-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, **tb_reference.OFFLINE_ENV,
           "PATH": f"{wrapper_dir(tmp)}{os.pathsep}{os.environ['PATH']}"}
    cmd = [str(tb_reference.tb_executable()), "run", "--dataset-path", str(DATASET),
           "--agent", agent, "--output-path", str(out), "--run-id", run_id,
           "--n-concurrent", "1", "--no-upload-results", "--cleanup"]
    for task in tasks:
        cmd += ["--task-id", task]
    with (out / f"{run_id}.console.log").open("w") as console:
        subprocess.run(cmd, env=env, stdout=console, stderr=subprocess.STDOUT,
                       timeout=RUN_TIMEOUT_SEC, check=False)
    results_file = out / run_id / "results.json"
    if not results_file.exists():
        sys.exit(f"tb run wrote no results; see {out / f'{run_id}.console.log'}")
    verdicts: dict[str, Verdict] = {}
    for trial in json.loads(results_file.read_text())["results"]:
        parsed = trial.get("parser_results") or {}
        passed = sum(1 for s in parsed.values() if s == "passed")
        verdicts[trial["task_id"]] = Verdict(
            bool(trial.get("is_resolved")),
            f"{trial.get('failure_mode')} {passed}/{len(parsed)}",
            tuple(sorted((str(k), str(v)) for k, v in parsed.items())))
    return verdicts


def run_abcbench(tasks: list[str], agent: str, out: Path,
                 src: Path = REPO) -> dict[str, Verdict]:
    run_id = f"tbparity-{agent}-{uuid.uuid4().hex[:8]}"
    cmd = [sys.executable, "-c", "from abcbench.cli.main import app; app()", "run",
           "--dataset", str(DATASET), "--agent", agent, "--output", str(out),
           "--run-id", run_id, "-n", "1"]
    for task in tasks:
        cmd += ["--task", task]
    env = {**os.environ, "PYTHONPATH": str(src)}
    with (out / f"{run_id}.console.log").open("w") as console:
        # cwd=src: `python -c` puts the working directory first on sys.path.
        subprocess.run(cmd, env=env, stdout=console, stderr=subprocess.STDOUT, cwd=src,
                       timeout=RUN_TIMEOUT_SEC, check=False)
    verdicts: dict[str, Verdict] = {}
    for result_file in sorted((out / run_id / "trials").glob("*/result.json")):
        result = json.loads(result_file.read_text())
        verdicts[result["task_id"]] = Verdict(
            bool(result["resolved"]),
            f"{result.get('failure_class') or 'ok'} {result['n_passed']}/{result['n_tests']}"
            f"{' agent_timed_out' if result.get('agent_timed_out') else ''}",
            tuple(sorted((t["name"], "passed" if t["outcome"] == "passed" else "failed")
                         for t in result["tests"])))
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", help="task id (default: every fixture)")
    parser.add_argument("--agent", action="append", choices=["oracle", "nop"])
    parser.add_argument("--keep", action="store_true", help="keep both harnesses' run folders")
    parser.add_argument("--abcbench-src", type=Path, default=REPO,
                        help="the abcbench source tree to run (default: this one)")
    parser.add_argument("--save", type=Path, help="write tb run's verdicts to this JSON file")
    parser.add_argument("--tb-verdicts", type=Path,
                        help="tb run's verdicts saved with --save: do not run tb again")
    args = parser.parse_args()
    tasks = args.task or sorted(p.name for p in DATASET.iterdir() if (p / "task.yaml").exists())
    agents = args.agent or ["oracle", "nop"]
    tmp = Path(tempfile.mkdtemp(prefix="abcbench-tbparity-"))
    rows: list[tuple[str, str, Verdict | None, Verdict | None]] = []
    saved = json.loads(args.tb_verdicts.read_text()) if args.tb_verdicts else None
    tb_all: dict[str, dict[str, list[object]]] = {}
    tb_sec = ours_sec = 0.0
    try:
        for agent in agents:
            started = time.monotonic()
            if saved is not None:
                tb = {t: Verdict(v[0], v[1], tuple(tuple(x) for x in v[2]))  # type: ignore[misc]
                      for t, v in saved[agent].items() if t in tasks}
            else:
                tb = run_tb(tasks, agent, tmp, tmp)
            tb_sec += time.monotonic() - started
            tb_all[agent] = {t: [v.resolved, v.detail, [list(x) for x in v.tests]]
                             for t, v in tb.items()}
            started = time.monotonic()
            ours = run_abcbench(tasks, agent, tmp, args.abcbench_src.resolve())
            ours_sec += time.monotonic() - started
            rows += [(task, agent, tb.get(task), ours.get(task)) for task in tasks]
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"run folders kept in {tmp}")
    if args.save:
        args.save.write_text(json.dumps(tb_all, indent=1) + "\n")
    source = "" if args.abcbench_src.resolve() == REPO else f" from {args.abcbench_src}"
    print(f"terminal-bench {tb_reference.TB_VERSION} (`tb run`) vs abcbench run --dataset"
          f"{source} ({DATASET.relative_to(REPO)})")
    print(f"{'task':<18} {'agent':<6} {'tb run':<30} {'abcbench':<40} verdict tests")
    differ = 0
    for task, agent, tb_v, ours_v in rows:
        same = tb_v is not None and ours_v is not None and tb_v.resolved == ours_v.resolved
        same_tests = tb_v is not None and ours_v is not None and tb_v.tests == ours_v.tests
        differ += not same
        print(f"{task:<18} {agent:<6} {_cell(tb_v):<30} {_cell(ours_v):<40} "
              f"{'same' if same else 'DIFF':<7} {'same' if same_tests else 'DIFF'}")
        if not same_tests and tb_v is not None and ours_v is not None:
            print(f"    tb run:   {list(tb_v.tests)}\n    abcbench: {list(ours_v.tests)}")
    print(f"{len(rows) - differ} of {len(rows)} verdicts agree")
    if saved is None:
        print(f"wall time: tb run {tb_sec:.0f} s, abcbench {ours_sec:.0f} s, "
              f"ratio {ours_sec / tb_sec:.2f}")
    return 1 if differ else 0


def _cell(verdict: Verdict | None) -> str:
    if verdict is None:
        return "(no result)"
    return f"{'resolved' if verdict.resolved else 'unresolved'} ({verdict.detail})"


if __name__ == "__main__":
    sys.exit(main())
