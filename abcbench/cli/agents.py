"""`abcbench agents`: which agents exist, whether they run and were verified here, prebuilding
their bundles, and verifying them end to end."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from abcbench.agents.catalog import UNAVAILABLE
from abcbench.agents.installed.base import InstalledAgent
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import (
    built_bundle,
    built_wheel_binaries,
    bundle_manifest,
    ensure_bundle,
    ensure_wheel_binaries,
)
from abcbench.agents.registry import BUILTIN, agent_class
from abcbench.agents.verify import VERIFY_TASKS, agent_version, load_record, verify_agent
from abcbench.cli.common import console, echo_json, friendly_errors
from abcbench.cli.output import cell, styled
from abcbench.errors import UserError

app = typer.Typer(help="List agents; prebuild installed agents' bundles; verify agents.",
                  no_args_is_help=True)
NOT_VERIFIED = "not verified on this machine"


def verification(name: str) -> str:
    """What `agents verify` recorded here, in one line."""
    record = load_record(name)
    if record is None:
        return NOT_VERIFIED
    verdict = "passed" if record.passed else "FAILED"
    return (f"{verdict} {record.verified_at:%Y-%m-%d} ({name} {record.agent_version}, "
            f"{len(record.tasks)} tasks)")


SANDBOX_PYTHON, SANDBOX_MACHINE = "3.13", platform.machine() or "x86_64"
"""What `agents prepare` builds for by default: the sandboxes' Python, this host's machine."""


def bundle_state(cls: type[Any]) -> tuple[bool | None, str]:
    """Whether the installed agent's bundle is built in this machine's cache (None: the agent
    runs on the host and needs none), and what to show."""
    if not issubclass(cls, InstalledAgent):
        return None, "-"
    folder = built_wheel_binaries(cls.wheel, SANDBOX_MACHINE) if issubclass(cls, BinaryAgent) \
        else built_bundle(cls.bundle, SANDBOX_PYTHON, SANDBOX_MACHINE)
    if folder is not None:
        return True, "built"
    return False, f"installable: `abcbench agents prepare {cls.name}`"


def agent_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name, cls in sorted(BUILTIN.items()):
        installed = issubclass(cls, InstalledAgent)
        record = load_record(name)
        built, bundle = bundle_state(cls)
        rows.append({"name": name, "available": True, "bundle_built": built, "bundle": bundle,
                     "verified": verification(name),
                     "verification": record.model_dump(mode="json") if record else None,
                     "version": agent_version(cls),
                     "runs_in": "sandbox" if installed else "host",
                     "description": cls.description, "reason": None})
    for entry in UNAVAILABLE:
        rows.append({"name": entry.name, "available": False, "bundle_built": None,
                     "bundle": "not installable", "verified": NOT_VERIFIED,
                     "verification": None, "version": None,
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
    table = Table("agent", "runs in", "available", "bundle", "verified", "description",
                  title="agents (--agent NAME)")
    for row in rows:
        description = Text(row["description"])
        if row["reason"]:
            description.append(f"\nnot available: {row['reason']}", style="yellow")
        bundle = cell(row["bundle"], "green") if row["bundle_built"] else cell(row["bundle"])
        table.add_row(cell(row["name"]), cell(row["runs_in"]),
                      cell("yes", "green") if row["available"] else cell("no", "red"),
                      bundle, cell(row["verified"]), description)
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
    if issubclass(cls, BinaryAgent):
        folder = ensure_wheel_binaries(cls.wheel, machine)
        console.print(styled(("ready:", "green"),
                             f" {folder} ({bundle_manifest(folder).get('wheel')})"))
        return
    folder = ensure_bundle(cls.bundle, python, machine)
    installed = bundle_manifest(folder).get("installed")
    count = len(installed) if isinstance(installed, list) else 0
    console.print(styled(("ready:", "green"), f" {folder} ({count} packages)"))


@app.command("verify")
@friendly_errors
def verify(
    name: str = typer.Argument(..., help="An agent, e.g. claude-code."),
    output: Path = typer.Option(Path("runs"), "--output", "-o",
                                help="Where the verification runs are kept."),
    task: list[str] = typer.Option(list(VERIFY_TASKS), "--task", "-t",
                                   help="Bundled tasks to run (default: two languages)."),
    n_concurrent: int = typer.Option(2, "--n-concurrent"),
) -> None:
    """Run an agent end to end here against the scripted model of its protocol (a solving
    script must resolve every task, a do-nothing script none) and record the outcome."""
    cls = agent_class(name)
    record = verify_agent(cls, output, tuple(task), n_concurrent)
    for task_id, verdicts in record.verdicts.items():
        shown = ", ".join(f"{k}: {'resolved' if v else 'unresolved'}"
                          for k, v in verdicts.items())
        console.print(f"  {task_id}: {shown}")
    console.print(styled(("verified", "green") if record.passed else ("not verified", "red"),
                         f": {verification(name)}"))
    if not record.passed:
        raise typer.Exit(1)
