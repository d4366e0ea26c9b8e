"""`abcbench images export|import`: move the recipe images to Docker hosts that should not
build them (Ray nodes, air-gapped machines) with their content-addressed tags unchanged."""

from __future__ import annotations

from pathlib import Path

import typer

from abcbench.cli.common import console, friendly_errors
from abcbench.cli.output import styled
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.sandbox import image_archive
from abcbench.sandbox import images as docker_images


def _refs(manager: ImageManager, names: list[str]) -> list[str]:
    """The tags of `names` and of every recipe they build on (with their `latest` alias when
    it names the same image); with no names, every current recipe that is built here."""
    refs: list[str] = []
    for name in names or manager.book.names():
        if manager.book.find(name) is None:
            raise UserError(f"no image recipe {name!r}; see `abcbench images list`")
        chain = manager.book.get(name).chain()
        if not names and not all(docker_images.image_exists(r.ref) for r in chain):
            continue
        for recipe in chain:
            if recipe.ref in refs:
                continue
            if not docker_images.image_exists(recipe.ref):
                raise UserError(f"{recipe.ref} is not built here; build it first with "
                                f"`abcbench images build --lang {recipe.name}`")
            refs.append(recipe.ref)
            if (docker_images.image_exists(recipe.alias) and docker_images.image_id(
                    recipe.alias) == docker_images.image_id(recipe.ref)):
                refs.append(recipe.alias)
    if not refs:
        raise UserError("no recipe image is built here; `abcbench images build` first")
    return refs


@friendly_errors
def export_images(
    names: list[str] = typer.Argument(None, help="Recipes (default: every recipe)."),
    output: Path = typer.Option(..., "--output", "-o", help="The archive to write (.tar)."),
) -> None:
    """Save recipe images (with the recipes they build on) into one archive."""
    refs = _refs(ImageManager(), list(names or []))
    image_archive.save(refs, output)
    console.print(f"saved {len(refs)} tag(s) to {output} ({output.stat().st_size / 1e6:.0f} MB)")


@friendly_errors
def import_images(
    archive: Path = typer.Argument(..., help="An archive made by `abcbench images export`."),
) -> None:
    """Load recipe images on this host; says which match the current recipes."""
    loaded = image_archive.load(archive)
    manager = ImageManager()
    current = {manager.book.get(n).ref for n in manager.book.names()}
    for ref in loaded:
        state = ("current", "") if ref in current or ref.endswith(":latest") else ("stale",
                                                                                   "yellow")
        console.print(styled(f"loaded {ref} (", state, ")"))
    console.print(f"{len(loaded)} tag(s) loaded; `abcbench images list` shows what is built")


def register(app: typer.Typer) -> None:
    app.command("export")(export_images)
    app.command("import")(import_images)
