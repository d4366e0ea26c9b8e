"""`abcbench leaderboard`: a static HTML page (sortable, per-language columns, per-task
drill-down with links to each trial's logs) and the same data as JSON.

Labels come from run folders anyone can write, so the data is embedded with every markup
character escaped and the page builds its DOM with text nodes only (no innerHTML)."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from abcbench.results.render import languages
from abcbench.results.report import RunReport

LOG_LINKS = ("result.json", "logs/build.log", "logs/service.log", "logs/tests.log")


def leaderboard_data(reports: list[RunReport], out_dir: Path) -> dict[str, Any]:
    entries = []
    for r in reports:
        tasks = []
        for t in r.tasks:
            attempts = []
            for a in t.attempts:
                links = {}
                if a.trial_dir:
                    for rel in LOG_LINKS:
                        path = Path(a.trial_dir) / rel
                        if path.exists():
                            links[Path(rel).stem] = os.path.relpath(path, out_dir)
                attempts.append({**a.model_dump(mode="json", exclude={"trial_dir"}),
                                 "links": links})
            tasks.append({**t.model_dump(mode="json", exclude={"attempts"}),
                          "attempts": attempts})
        entries.append({
            "label": r.label, "run_id": r.run_id, "agent": r.agent, "model": r.model,
            "overall": r.overall.model_dump(mode="json"),
            "by_language": {k: v.model_dump(mode="json") for k, v in r.by_language.items()},
            "environment": r.environment.model_dump(mode="json") if r.environment else None,
            "n_trials": r.overall.n_trials, "cost_usd": round(r.usage.cost_usd, 4),
            "failures": r.failures, "causes": r.causes, "tasks": tasks,
        })
    return {"languages": languages(reports), "entries": entries}


def embed_json(data: Any) -> str:
    """JSON safe inside `<script type="application/json">`: with no `<`, `>` or `&` left, no
    label can close the block, open a comment or start a tag; JSON.parse reads it unchanged."""
    return (json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def write_leaderboard(reports: list[RunReport], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = leaderboard_data(reports, out_dir)
    (out_dir / "leaderboard.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    embedded = embed_json(data)
    page = out_dir / "index.html"
    template = resources.files("abcbench.results").joinpath("leaderboard.html").read_text("utf-8")
    page.write_text(template.replace("__DATA__", embedded), encoding="utf-8")
    return page
