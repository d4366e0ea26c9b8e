"""`abcbench runs list`: the runs in an output folder, newest first, with their state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from abcbench.cli.common import console, echo_json, err_console, friendly_errors
from abcbench.cli.output import cell, styled
from abcbench.errors import UserError
from abcbench.results.store import RunDir

app = typer.Typer(help="Runs in an output folder.", no_args_is_help=True)


def run_rows(output: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per run folder (newest first), and the folders whose run.json is unreadable."""
    if not output.is_dir():
        raise UserError(f"{output} is not a folder of runs; pass --output DIR (the folder "
                        "`abcbench run -o` wrote to)")
    rows: list[dict[str, Any]] = []
    broken: list[str] = []
    for child in sorted(output.iterdir()):
        run_dir = RunDir(child)
        if not run_dir.exists():
            continue
        try:
            m = run_dir.read_manifest()
        except UserError as exc:
            broken.append(str(exc).splitlines()[0])
            continue
        results = run_dir.results()
        n_resolved = sum(r.resolved for r in results)
        rows.append({
            "run_id": m.run_id, "status": m.status.value, "agent": m.agent.name,
            "model": m.agent.model, "created_at": m.created_at.isoformat(),
            "n_planned": len(m.trials), "n_done": len(results), "n_resolved": n_resolved,
            "accuracy": n_resolved / len(m.trials) if m.trials else 0.0,
            "tasks_dir": m.settings.tasks_dir, "path": str(child),
        })
    rows.sort(key=lambda r: r["created_at"], reverse=True)
    return rows, broken


@app.command("list")
@friendly_errors
def list_(
    output: Path = typer.Option(Path("runs"), "--output", "-o", help="Parent of run folders."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Each run: status, agent and model, trials done of planned, resolved, when, where."""
    rows, broken = run_rows(output.resolve())
    for problem in broken:
        err_console.print(styled(("skipped:", "yellow"), f" {problem}"), highlight=False)
    if as_json:
        echo_json(rows)
        return
    table = Table("run", "status", "agent", "model", "done", "resolved", "created (UTC)",
                  title=Text(f"{len(rows)} run(s) in {output.resolve()}"))
    for r in rows:
        colour = {"completed": "green", "running": "cyan"}.get(r["status"], "yellow")
        table.add_row(cell(r["run_id"]), cell(r["status"], colour), cell(r["agent"]),
                      cell(r["model"] or ""), cell(f"{r['n_done']}/{r['n_planned']}"),
                      cell(f"{r['n_resolved']} ({100 * r['accuracy']:.1f}%)"),
                      cell(r["created_at"][:19].replace("T", " ")))
    console.print(table)
