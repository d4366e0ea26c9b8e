"""`abcbench images`: build, list and prune the project's registry-free images."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from abcbench.agents.installed import volumes as bundle_volumes
from abcbench.cli.common import console, echo_json, friendly_errors, load_registry
from abcbench.cli.output import cell, styled
from abcbench.errors import UserError
from abcbench.grading import build_cache
from abcbench.images.manager import ImageManager
from abcbench.run.lock import live_runs
from abcbench.sandbox import images as docker_images
from abcbench.sandbox import labels as L
from abcbench.sandbox.lifecycle import cleanup, remove_trial_images

app = typer.Typer(help="Build, list and remove the project's images (no registry needed).",
                  no_args_is_help=True)


def notify(message: str) -> None:
    """A build's progress line (it may quote build output): printed as written."""
    console.print(message, style="cyan", markup=False, highlight=False, soft_wrap=True)


@app.command("build")
@friendly_errors
def build(
    lang: list[str] = typer.Option(
        [], "--lang", "-l", help="Recipe to build (a language or 'tester'); repeatable."
    ),
    all_: bool = typer.Option(False, "--all", help="Build every recipe in dockerfiles/."),
    for_tasks: bool = typer.Option(
        False, "--for-tasks", help="Build what the selected tasks need (default with no --lang)."
    ),
    tasks_dir: Path | None = typer.Option(None, "--tasks-dir"),
    rebuild: bool = typer.Option(False, "--rebuild", help="Build even if the tag exists."),
) -> None:
    """Build images bottom-up (base, then languages); an unchanged recipe is never rebuilt."""
    manager = ImageManager(notify=notify)
    names: list[str] = list(lang)
    if all_:
        names = manager.book.names()
    elif for_tasks or not names:
        names = ["tester"]
        for task in load_registry(tasks_dir, None).all():
            if task.native is not None and task.sandbox_image not in names:
                names.append(task.sandbox_image)
    for name in names:
        ref = manager.ensure(name, rebuild=rebuild)
        console.print(styled(("ok", "green"), f" {name:<12} {ref}"))


@app.command("list")
@friendly_errors
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every recipe with its current tag and whether it is built."""
    manager = ImageManager()
    sizes = {tag: info.size_bytes for info in docker_images.list_images(kind=L.KIND_RECIPE_IMAGE)
             for tag in info.tags}
    rows: list[dict[str, str | bool | int]] = []
    for name in manager.book.names():
        recipe = manager.book.get(name)
        rows.append({
            "name": name,
            "ref": recipe.ref,
            "from": recipe.spec.from_,
            "built": recipe.ref in sizes,
            "size_mb": round(sizes.get(recipe.ref, 0) / 1e6),
            "description": recipe.spec.description,
        })
    if as_json:
        echo_json(rows)
        return
    table = Table("recipe", "tag", "from", "built", "MB", "description")
    for row in rows:
        table.add_row(cell(row["name"]), cell(row["ref"]), cell(row["from"]),
                      cell("yes", "green") if row["built"] else cell("no", "dim"),
                      cell(row["size_mb"] if row["built"] else ""), cell(row["description"]))
    console.print(table)


@app.command("show")
@friendly_errors
def show(
    name: str | None = typer.Argument(
        None, help="A recipe, or one with packages layered on: 'ruby[ruby-sequel,ruby-bcrypt]'."),
    task: str | None = typer.Option(None, "--task", "-t", help="Show this task's sandbox image."),
    tasks_dir: Path | None = typer.Option(None, "--tasks-dir"),
    build_missing: bool = typer.Option(False, "--build", help="Build the image if missing."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The Debian packages installed in an image (read in a throw-away container)."""
    from abcbench.images.packages import list_packages

    if (name is None) == (task is None):
        raise UserError("give an image NAME or --task ID (not both)")
    if task is not None:
        name = load_registry(tasks_dir, None).get(task).sandbox_image
    assert name is not None
    manager = ImageManager(notify=notify)
    recipe = manager.book.get(name)
    if build_missing:
        manager.ensure(name)
    elif not docker_images.image_exists(recipe.ref):
        build = ("abcbench images build --for-tasks --tasks-dir DIR" if task is not None
                 else f"abcbench images build --lang '{name}'")
        raise UserError(f"image {recipe.ref} ({name}) is not built; add --build, or run "
                        f"`{build}`")
    packages = list_packages(recipe.ref)
    if as_json:
        echo_json({"name": name, "ref": recipe.ref,
                   "packages": [p.model_dump() for p in packages]})
        return
    table = Table("package", "version", title=f"{name}: {recipe.ref}, {len(packages)} packages")
    for package in packages:
        table.add_row(package.name, package.version)
    console.print(table)


@friendly_errors
def cleanup_command(
    run: str | None = typer.Option(None, "--run", help="Only what this run left."),
) -> None:
    """Remove containers, networks and trial images the project left (e.g. after a kill -9)."""
    filters = {"run": run} if run else {}
    removed = cleanup(**filters)
    # Those its containers were made from went with them; the rest are found by label.
    images = removed.get("trial_images", 0) + remove_trial_images(**filters)
    console.print(f"{removed.get('containers', 0)} container(s), "
                  f"{removed.get('networks', 0)} network(s), {images} trial image(s) and build "
                  "layer(s) removed",
                  highlight=False)
    caches, layers = kept_caches()
    if caches or layers:  # shared by every later run of the same tasks: kept, but said
        console.print(f"kept {caches} reference layer(s) and {layers} task image(s) (package "
                      "layers, task recipes) that later runs of these tasks reuse; `abcbench "
                      "images prune --caches` removes them", highlight=False, soft_wrap=True)


def kept_caches() -> tuple[int, int]:
    """How many reference layers and task images the engine holds for later runs."""
    return len(build_cache.cache_image_ids()), len(ImageManager().task_images())


def prune_caches() -> tuple[int, int]:
    """Remove the reference layers and the task images (what authoring sessions pile up),
    keeping the harness's recipe images; refused while a run on this host may build from
    them."""
    live = live_runs()
    if live:
        raise UserError(f"runs {', '.join(live[:5])} are live on this host and may be building "
                        "from these layers: let them finish (or stop them), then prune")
    manager = ImageManager()
    removed = 0
    for info in manager.task_images():
        for ref in info.tags or [info.id]:
            removed += docker_images.remove_image(ref)
    return build_cache.remove_cache_images(), removed


@app.command("prune")
@friendly_errors
def prune(
    stale_only: bool = typer.Option(
        False, "--stale-only", help="Keep the images of the current recipes."
    ),
    caches: bool = typer.Option(
        False, "--caches", help="Remove only what runs of tasks left to reuse: the reference "
        "layers (abcbench-cache/*) and task images (package layers, task recipes); keep the "
        "harness's recipe images."),
) -> None:
    """Remove the project's images (found by label), and dangling layers of its builds."""
    if caches:
        cache_tags, task_images = prune_caches()
        docker_images.prune_dangling_managed()
        console.print(f"removed {cache_tags} reference layer tag(s) and {task_images} task "
                      "image tag(s); the harness's recipe images are kept", highlight=False)
        return
    removed = ImageManager().prune(all_versions=not stale_only)
    cache_tags = 0 if stale_only else build_cache.remove_cache_images()
    docker_images.prune_dangling_managed()
    volumes = [] if stale_only else bundle_volumes.remove_volumes()
    console.print(f"removed {len(removed)} image tag(s), {cache_tags} reference layer tag(s) "
                  f"of the build cache, {len(volumes)} agent bundle volume(s)")
    for ref in removed:
        console.print(f"  {ref}")
