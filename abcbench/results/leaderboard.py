"""`abcbench leaderboard`: a static HTML page (sortable, per-language columns, charts, cost,
per-trial drill-down with links to each trial's logs and trajectory) and the same data as JSON.

Each trial with a result also gets its own page, `trials/<id>.html`, that shows its trajectory
step by step. One page per trial rather than every trajectory inside index.html: a full run
(224 tasks x 3 attempts x several agents) of trajectories is hundreds of megabytes that the
browser would parse before showing the table, while a page per trial is loaded only when opened,
works from `file://` (where a page cannot fetch JSON beside it) and can be linked to.

Labels come from run folders anyone can write: see `abcbench.results.pages` for how they stay
inert."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from abcbench.results.charts import charts_html
from abcbench.results.costs import run_cost, unmetered_note
from abcbench.results.pages import embed_json as embed_json
from abcbench.results.pages import render
from abcbench.results.render import languages
from abcbench.results.report import AttemptRow, RunReport, TaskRow
from abcbench.results.trajectory_view import TRAJECTORY, trajectory_view

LOG_LINKS = ("result.json", "logs/build.log", "logs/service.log", "logs/tests.log",
             TRAJECTORY)
TRIAL_PAGES = "trials"
PAGE_FILE = re.compile(r"[0-9a-f]{24}\.html")


def trial_page_name(run_id: str, trial_name: str) -> str:
    """A file name made of hex only: run ids and trial names never reach the file system."""
    digest = hashlib.sha256(f"{run_id}\0{trial_name}".encode()).hexdigest()[:24]
    return f"{TRIAL_PAGES}/{digest}.html"


def _links(trial_dir: str | None, base: Path) -> dict[str, str]:
    links: dict[str, str] = {}
    if trial_dir:
        for rel in LOG_LINKS:
            path = Path(trial_dir) / rel
            if path.exists():
                links[Path(rel).stem] = os.path.relpath(path, base)
    return links


def _attempt(r: RunReport, a: AttemptRow, out_dir: Path) -> dict[str, Any]:
    row = {**a.model_dump(mode="json", exclude={"trial_dir"}),
           "links": _links(a.trial_dir, out_dir)}
    if a.trial_dir and a.trial_name:
        row["page"] = trial_page_name(r.run_id, a.trial_name)
    return row


def leaderboard_data(reports: list[RunReport], out_dir: Path) -> dict[str, Any]:
    entries = []
    for r in reports:
        tasks = [{**t.model_dump(mode="json", exclude={"attempts"}),
                  "attempts": [_attempt(r, a, out_dir) for a in t.attempts]} for t in r.tasks]
        cost = run_cost(r)
        entries.append({
            "label": r.label, "run_id": r.run_id, "agent": r.agent, "model": r.model,
            "overall": r.overall.model_dump(mode="json"),
            "by_language": {k: v.model_dump(mode="json") for k, v in r.by_language.items()},
            "environment": r.environment.model_dump(mode="json") if r.environment else None,
            "n_trials": r.overall.n_trials, "cost_usd": round(r.usage.cost_usd, 4),
            "usage": r.usage.model_dump(mode="json"), "cost": cost.model_dump(mode="json"),
            "unmetered_note": unmetered_note(cost),
            "failures": r.failures, "causes": r.causes, "tasks": tasks,
        })
    return {"languages": languages(reports), "entries": entries}


def trial_page_data(r: RunReport, task: TaskRow, a: AttemptRow, page_dir: Path,
                    index: str) -> dict[str, Any]:
    """What one trial's page shows: its verdict, usage and timings, and its trajectory."""
    assert a.trial_dir is not None
    return {
        "label": r.label, "run_id": r.run_id, "trial_name": a.trial_name,
        "task_id": task.task_id, "language": task.language, "task_type": task.task_type,
        "attempt": a.attempt, "resolved": a.resolved, "failure_class": a.failure_class,
        "cause": a.cause, "agent_exit_status": a.agent_exit_status,
        "n_passed": a.n_passed, "n_tests": a.n_tests,
        "usage": a.usage.model_dump(mode="json"), "timings": a.timings,
        "links": {"leaderboard": index, **_links(a.trial_dir, page_dir)},
        "trajectory": trajectory_view(Path(a.trial_dir)).model_dump(mode="json"),
    }


def write_trial_pages(reports: list[RunReport], out_dir: Path) -> int:
    """One viewer page per trial that has a result; pages of an earlier leaderboard written
    to the same folder that no trial has now are removed. Returns how many were written."""
    page_dir = out_dir / TRIAL_PAGES
    page_dir.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for r in reports:
        for task in r.tasks:
            for a in task.attempts:
                if not (a.trial_dir and a.trial_name):
                    continue
                data = trial_page_data(r, task, a, page_dir, "../index.html")
                name = trial_page_name(r.run_id, a.trial_name)
                (out_dir / name).write_text(render("trajectory.html", data), encoding="utf-8")
                written.add(Path(name).name)
    for stale in page_dir.iterdir():
        if PAGE_FILE.fullmatch(stale.name) and stale.name not in written:
            stale.unlink()
    return len(written)


def write_leaderboard(reports: list[RunReport], out_dir: Path) -> Path:
    """index.html, leaderboard.json and trials/*.html in `out_dir`; returns index.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = leaderboard_data(reports, out_dir)
    (out_dir / "leaderboard.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    write_trial_pages(reports, out_dir)
    page = out_dir / "index.html"
    page.write_text(render("leaderboard.html", data, CHARTS=charts_html(reports)),
                    encoding="utf-8")
    return page
