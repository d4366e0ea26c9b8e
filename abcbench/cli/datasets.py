"""`abcbench datasets`: the registered datasets, and pulling one into the cache."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from abcbench.cli.common import console, echo_json, err_console, friendly_errors
from abcbench.datasets.cache import pull, read_pulled, version_dir
from abcbench.datasets.pin import pinned, refuse_installed_target, write_pin
from abcbench.datasets.registry import DatasetRef, DatasetRegistry

app = typer.Typer(help="Registered datasets: list them, pull one into the cache, pin one.",
                  no_args_is_help=True)


def _notify(message: str) -> None:
    err_console.print(message, highlight=False, markup=False, soft_wrap=True)


def _row(ref: DatasetRef) -> dict[str, object]:
    pulled = read_pulled(ref)
    release = ref.release
    return {
        "name": ref.entry.name, "version": release.version,
        "default": release.version == ref.entry.default_version,
        "source": release.source.describe(), "revision": release.source.revision,
        "sha256": release.sha256, "metadata_sha256": release.metadata_sha256,
        "unpinned": release.unpinned_reason(), "n_tasks": release.n_tasks,
        "pulled": pulled is not None, "path": str(version_dir(ref)) if pulled else None,
        "pulled_commit": pulled.commit if pulled else None,
        "pulled_sha256": pulled.archive_sha256 if pulled else None,
        "description": ref.entry.description,
    }


@app.command("list")
@friendly_errors
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every registered dataset version: source, revision, checksum, and whether pulled."""
    registry = DatasetRegistry.default()
    rows = [_row(DatasetRef(entry=e, release=v))
            for e in registry.entries.values() for v in e.versions]
    if as_json:
        echo_json(rows)
        return
    table = Table("dataset", "tasks", "source", "sha256", "pulled")
    for r in rows:
        pin = f"{str(r['sha256'])[:16]}…" if not r["unpinned"] else f"not pinned: {r['unpinned']}"
        pulled = f"yes, {str(r['pulled_sha256'])[:16]}… in {r['path']}" if r["pulled"] else "no"
        table.add_row(f"{r['name']}@{r['version']}" + (" (default)" if r["default"] else ""),
                      str(r["n_tasks"] or "?"), str(r["source"]), pin, pulled)
    console.print(table)


@app.command("pull")
@friendly_errors
def pull_(
    spec: str = typer.Argument(..., help="NAME or NAME@VERSION, e.g. abc-bench@1.0."),
    force: bool = typer.Option(False, "--force", help="Fetch and unpack again."),
    allow_unpinned: bool = typer.Option(
        False, "--allow-unpinned", help="Pull a version the registry does not pin (a branch, "
        "no sha256): checked only against the hub's declared sha256."),
) -> None:
    """Fetch, verify (sha256) and unpack a dataset into the cache; `--dataset NAME` uses it."""
    ref = DatasetRegistry.default().resolve(spec)
    if not force and (done := read_pulled(ref)) is not None:
        console.print(f"{ref.label} already pulled: {done.n_tasks} task(s) in "
                      f"{version_dir(ref)} (--force to pull again)", highlight=False)
        return
    pulled = pull(ref, force=force, allow_unpinned=allow_unpinned, notify=_notify)
    console.print(f"{ref.label}: {pulled.n_tasks} task(s), commit {pulled.commit or '?'}, "
                  f"sha256 {pulled.archive_sha256}", highlight=False)


@app.command("pin")
@friendly_errors
def pin_(
    spec: str = typer.Argument(..., help="NAME or NAME@VERSION, e.g. abc-bench@1.0."),
    registry_file: Path | None = typer.Option(
        None, "--registry", help="The registry file to write (default: the one the entry "
        "comes from, e.g. abcbench/datasets/registry.yaml in a checkout)."),
) -> None:
    """Fetch a version once at its revision and write the commit it resolved to and the sha256
    of its files into the registry: later pulls get these bytes or nothing."""
    registry = DatasetRegistry.default()
    ref = registry.resolve(spec)
    target = registry_file or registry.origin(ref.entry.name)
    if registry_file is None:
        refuse_installed_target(target)
    pulled = pull(ref, force=True, allow_unpinned=True, notify=_notify)
    version = pinned(ref.release, pulled)
    if ref.release.n_tasks is not None and ref.release.n_tasks != pulled.n_tasks:
        _notify(f"warning: the registry said {ref.release.n_tasks} task(s), the archive holds "
                f"{pulled.n_tasks}; the pin records {pulled.n_tasks}: check it is the release "
                "you meant")
    write_pin(target, ref.entry, version)
    console.print(f"{ref.label} pinned in {target}: revision {version.source.revision}, "
                  f"sha256 {version.sha256}, {version.n_tasks} task(s)", highlight=False,
                  soft_wrap=True)
