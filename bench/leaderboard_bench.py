"""Leaderboard pages at full size: one page per trial against every trajectory in index.html.

  python bench/leaderboard_bench.py [--tasks 224] [--attempts 3] [--steps 40] [--repeat 3]

Builds a synthetic run (tasks x attempts trials, each with an ATIF trajectory of `--steps`
agent steps of about 2 KB of output), writes the leaderboard, and prints the sizes and the
median time headless Chromium takes to load index.html as written (trajectories on their own
pages) and a variant with every trajectory embedded in index.html; prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from abcbench.agents.atif import AtifObservation, AtifResult, AtifToolCall, Builder, save_atif
from abcbench.results.charts import charts_html
from abcbench.results.leaderboard import (
    leaderboard_data,
    trial_page_data,
    trial_page_name,
    write_leaderboard,
)
from abcbench.results.models import (
    AgentInfo,
    Provenance,
    RunManifest,
    RunSettings,
    RunStatus,
    TaskRef,
    TrialResult,
    Usage,
)
from abcbench.results.pages import render
from abcbench.results.report import build_report
from abcbench.results.store import RunDir
from abcbench.results.trajectory_view import TRAJECTORY

LANGS = ("python", "go", "rust", "java", "javascript", "csharp", "php", "ruby")


def synthetic_run(root: Path, n_tasks: int, n_attempts: int, n_steps: int) -> RunDir:
    run_dir = RunDir(root / "bench-run")
    tasks = [f"{LANGS[i % len(LANGS)]}-task-{i}" for i in range(n_tasks)]
    trials = [f"{t}__{a}" for t in tasks for a in range(1, n_attempts + 1)]
    run_dir.write_manifest(RunManifest(
        run_id="bench-run", status=RunStatus.completed, agent=AgentInfo(name="abc", model="m"),
        settings=RunSettings(n_attempts=n_attempts, tasks_dir="/nowhere"),
        tasks=[TaskRef(id=t, hash="h") for t in tasks], trials=trials,
        provenance=Provenance(harness_version="0", python="3")))
    output = "PASSED tests/test_api.py::test_case\n" * 55  # about 2 KB
    for n, name in enumerate(trials):
        task_id, _, attempt = name.rpartition("__")
        b = Builder("abc", "1", "m")
        b.add("user", "Implement the endpoint described in the README.")
        for s in range(n_steps):
            b.add("agent", f"Step {s}: running the tests", model_name="m",
                  tool_calls=[AtifToolCall(tool_call_id=f"c{s}", function_name="bash",
                                           arguments={"command": "pytest -q"})],
                  observation=AtifObservation(results=[AtifResult(source_call_id=f"c{s}",
                                                                  content=output)]))
        usage = Usage(input_tokens=50_000, output_tokens=4_000, cost_usd=0.2, n_requests=n_steps)
        save_atif(run_dir.trial_dir(name) / TRAJECTORY, b.finish(usage, []), [])
        run_dir.write_result(TrialResult(
            run_id="bench-run", trial_name=name, task_id=task_id, task_hash="h",
            attempt=int(attempt), agent=AgentInfo(name="abc", model="m"),
            language=task_id.split("-")[0], framework="x", task_type="logic",
            category="crud", resolved=n % 3 == 0, usage=usage))
    return run_dir


def load_seconds(page: Path, repeat: int) -> float:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "needs chromium"
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                        page.as_uri()], capture_output=True, timeout=600, check=True)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=224)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="viewer-bench-") as tmp:
        root = Path(tmp)
        report = build_report(synthetic_run(root, args.tasks, args.attempts, args.steps))
        out = root / "board"
        writes = []
        for _ in range(args.repeat):
            started = time.monotonic()
            index = write_leaderboard([report], out)
            writes.append(time.monotonic() - started)
        pages = sorted((out / "trials").iterdir())
        sizes = [p.stat().st_size for p in pages]
        # the alternative: every trajectory inside index.html
        data = leaderboard_data([report], out)
        data["trajectories"] = {
            trial_page_name(report.run_id, a.trial_name or ""): trial_page_data(
                report, t, a, out, "index.html")
            for t in report.tasks for a in t.attempts if a.trial_dir}
        embedded = out / "all-in-one.html"
        embedded.write_text(render("leaderboard.html", data, CHARTS=charts_html([report])))
        mib = 1024 * 1024
        print(f"trials: {len(pages)} ({args.tasks} tasks x {args.attempts} attempts, "
              f"{args.steps} agent steps each)")
        print(f"write_leaderboard: median {statistics.median(writes):.2f} s")
        print(f"index.html: {index.stat().st_size / 1024:.0f} KiB; trial pages: median "
              f"{statistics.median(sizes) / 1024:.0f} KiB, total {sum(sizes) / mib:.1f} MiB")
        print(f"all trajectories in index.html: {embedded.stat().st_size / mib:.1f} MiB")
        page_load = load_seconds(index, args.repeat)
        one_trial = load_seconds(pages[0], args.repeat)
        all_in_one = load_seconds(embedded, args.repeat)
        print(f"chromium load, median of {args.repeat}: index.html {page_load:.2f} s, "
              f"one trial page {one_trial:.2f} s, all-in-one {all_in_one:.2f} s "
              f"(ratio all-in-one / index {all_in_one / page_load:.1f}x)")


if __name__ == "__main__":
    main()
