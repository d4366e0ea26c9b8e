"""`abcbench agents`: which agents exist, whether they run here, and prebuilding their bundles."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from abcbench.agents.catalog import UNAVAILABLE
from abcbench.agents.installed.base import InstalledAgent
from abcbench.agents.installed.bundle import bundle_manifest, ensure_bundle
from abcbench.agents.registry import BUILTIN
from abcbench.cli.common import console, echo_json, friendly_errors
from abcbench.errors import UserError

app = typer.Typer(help="List agents; prebuild installed agents' bundles.", no_args_is_help=True)


def agent_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name, cls in sorted(BUILTIN.items()):
        installed = issubclass(cls, InstalledAgent)
        rows.append({"name": name, "available": True, "verified": cls.verified,
                     "runs_in": "sandbox" if installed else "host",
                     "description": cls.description, "reason": None})
    for entry in UNAVAILABLE:
        rows.append({"name": entry.name, "available": False, "verified": "no",
                     "runs_in": "sandbox", "description": entry.description,
                     "reason": entry.reason})
    return rows


@app.command("list")
@friendly_errors
def list_(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Every known agent: where it runs, whether it is available and verified on this machine."""
    rows = agent_rows()
    if as_json:
        echo_json(rows)
        return
    table = Table("agent", "runs in", "available", "verified", "description",
                  title="agents (--agent NAME)")
    for row in rows:
        description = row["description"]
        if row["reason"]:
            description += f"\n[yellow]not available: {row['reason']}[/]"
        table.add_row(row["name"], row["runs_in"],
                      "[green]yes[/]" if row["available"] else "[red]no[/]",
                      row["verified"], description)
    console.print(table)


@app.command("prepare")
@friendly_errors
def prepare(
    name: str = typer.Argument(..., help="An installed agent, e.g. mini-swe-agent."),
    python: str = typer.Option("3.13", "--python", help="The sandboxes' python3 version."),
    machine: str = typer.Option("x86_64", "--machine", help="The sandboxes' architecture."),
) -> None:
    """Build (or find) an installed agent's bundle now, so no trial pays for the build."""
    cls = BUILTIN.get(name)
    if cls is None or not issubclass(cls, InstalledAgent):
        known = [n for n, c in BUILTIN.items() if issubclass(c, InstalledAgent)]
        raise UserError(f"{name!r} is not an installed agent; choose one of {', '.join(known)}")
    folder = ensure_bundle(cls.bundle, python, machine)
    installed = bundle_manifest(folder).get("installed")
    count = len(installed) if isinstance(installed, list) else 0
    console.print(f"[green]ready:[/] {folder} ({count} packages)")
