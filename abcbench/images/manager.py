"""Makes sure recipe images exist: builds what is missing, once, even under concurrency.

Two trials needing the same missing image (threads or processes) serialize on a file lock per
content hash; the second finds the image built and returns at once.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path

from abcbench import scratch
from abcbench.errors import Cancelled, UserError
from abcbench.grading.dockerfile_parse import (
    CANONICAL_DOCKERFILE,
    Dockerfile,
    DockerfileRefused,
    Instruction,
    parse,
    parse_instruction,
)
from abcbench.grading.dockerfile_refs import from_parts
from abcbench.images import wheels
from abcbench.images.recipe import (
    IMAGE_NAMESPACE,
    TASK_RECIPE_NAME,
    Recipe,
    RecipeBook,
    layer_name,
)
from abcbench.images.rootfs import build_rootfs_tar
from abcbench.images.task_recipe import dockerfile_problems, read_task_recipe
from abcbench.paths import cache_dir, dockerfiles_dir
from abcbench.sandbox import images as docker_images
from abcbench.sandbox import labels as L
from abcbench.sandbox.images import BuildLimits, ImageBuildError
from abcbench.sandbox.lifecycle import Limits, remove_container, safe_name, start_build_jail

ROOTFS_TIMEOUT_SEC = 1800
RECIPE_BUILD_TIMEOUT_SEC = 3600
TASK_RECIPE_LIMITS = Limits(cpus=min(2.0, float(os.cpu_count() or 1)), memory_mb=4096, pids=4096)

Notify = Callable[[str], None]


LOCK_POLL_SEC = 0.1
"""How often a wait for another process's build looks at the run's stop."""
RUN_STOP: ContextVar[threading.Event | None] = ContextVar("abcbench_run_stop", default=None)
"""The stop of the run this thread works for (a trial sets it for its thread): every build lock
waited for in that thread, a recipe image's included, gives up when it is set."""


@contextmanager
def _file_lock(name: str, cancel: threading.Event | None = None) -> Iterator[None]:
    """An exclusive flock shared by every process on this host. Waiting for it (another
    process builds the same thing, for up to its build timeout) polls `cancel`: a stopping run
    gives up within `LOCK_POLL_SEC` (raises `Cancelled`) instead of blocking Ctrl-C."""
    cancel = cancel if cancel is not None else RUN_STOP.get()
    locks = cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{name}.lock").open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if cancel is not None and cancel.wait(LOCK_POLL_SEC):
                    raise Cancelled(f"the run was stopped while waiting for {name}") from None
                if cancel is None:
                    time.sleep(LOCK_POLL_SEC)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ImageManager:
    def __init__(self, book: RecipeBook | None = None, notify: Notify | None = None) -> None:
        self.book = book or RecipeBook(dockerfiles_dir())
        self.notify = notify or (lambda _msg: None)

    def log_path(self, recipe: Recipe) -> Path:
        return cache_dir() / "build-logs" / f"{recipe.name}-{recipe.content_hash}.log"

    def ensure(self, name: str, *, rebuild: bool = False) -> str:
        """The content-addressed ref of recipe `name`, building it and its parents if missing."""
        recipe = self.book.get(name)
        for node in recipe.chain():
            self._ensure_one(node, rebuild=rebuild and node is recipe)
        return recipe.ref

    def _ensure_one(self, recipe: Recipe, *, rebuild: bool) -> None:
        if not rebuild and docker_images.image_exists(recipe.ref):
            self._point_alias(recipe)
            return
        with _file_lock(f"{recipe.name}-{recipe.content_hash}"):
            if rebuild or not docker_images.image_exists(recipe.ref):
                self.notify(f"building image {recipe.ref}")
                self._build(recipe)
            self._point_alias(recipe)

    def _point_alias(self, recipe: Recipe) -> None:
        """Keep `abcbench/<name>:latest` on the current content hash, for task Dockerfiles."""
        try:
            alias_id = docker_images.image_id(recipe.alias)
        except Exception:
            alias_id = ""
        if alias_id != docker_images.image_id(recipe.ref):
            docker_images.tag_image(recipe.ref, recipe.repository, "latest")

    def _labels(self, recipe: Recipe) -> dict[str, str]:
        return L.managed(kind=L.KIND_RECIPE_IMAGE, recipe=recipe.name,
                         recipe_hash=recipe.content_hash)

    def _build(self, recipe: Recipe) -> None:
        log_path = self.log_path(recipe)
        labels = self._labels(recipe)
        if recipe.task is not None:
            self._build_task_recipe(recipe, labels, log_path)
            return
        if recipe.parent is None:
            assert recipe.spec.rootfs is not None
            with scratch.temporary_dir("abcbench-rootfs-") as tmp:
                tarball = Path(tmp) / "rootfs.tar"
                build_rootfs_tar(recipe.spec.rootfs, tarball, log_path, ROOTFS_TIMEOUT_SEC)
                changes = list(recipe.spec.rootfs.changes)
                changes += [f'LABEL "{k}"="{v}"' for k, v in labels.items()]
                docker_images.import_rootfs(tarball, recipe.repository, recipe.content_hash,
                                            changes)
            return
        docker_images.build_image(
            recipe.directory,
            recipe.ref,
            buildargs={"BASE_IMAGE": recipe.parent.ref},
            labels=labels,
            log_path=log_path,
            timeout_sec=RECIPE_BUILD_TIMEOUT_SEC,
        )

    def _build_task_recipe(self, recipe: Recipe, labels: dict[str, str], log_path: Path) -> None:
        """A task's own recipe is task input: built like a submission (checked references, no
        network unless it opts in, limits with a pids cap, no shared layer cache)."""
        assert recipe.task is not None and recipe.parent is not None
        text = (recipe.directory / "Dockerfile").read_text(encoding="utf-8", errors="replace")
        refused = dockerfile_problems(text, recipe.parent.ref, recipe.task.build_network)
        if refused:
            raise UserError(f"task recipe {recipe.directory}: {refused[0]}")
        canonical = parse(text).render()  # what was checked, and nothing else, is built
        jail_labels = L.managed(run=f"image-{recipe.name}-{recipe.content_hash}")
        jail_name = safe_name("abcbench", recipe.name, secrets.token_hex(3), "build-jail")
        jail, cgroup_parent = start_build_jail(self.ensure("base"), jail_name, jail_labels,
                                               TASK_RECIPE_LIMITS)
        try:
            with scratch.temporary_dir("abcbench-recipe-") as tmp:
                context = recipe.directory
                if recipe.task.wheels:  # fetched by the host: the build has no network
                    fetched = wheels.fetch(list(recipe.task.wheels), recipe.task.wheels_python)
                    context = wheels.stage_context(recipe.directory, fetched,
                                                   Path(tmp) / "context")
                docker_images.build_image(
                    context, recipe.ref, buildargs={"BASE_IMAGE": recipe.parent.ref},
                    dockerfile=CANONICAL_DOCKERFILE, dockerfile_text=canonical,
                    labels=labels, log_path=log_path, timeout_sec=recipe.task.build_timeout_sec,
                    nocache=True, network=recipe.task.build_network,
                    limits=BuildLimits(TASK_RECIPE_LIMITS.cpus, TASK_RECIPE_LIMITS.memory_mb,
                                       cgroup_parent))
        except ImageBuildError as exc:
            raise UserError(f"task recipe {recipe.directory} failed to build: {exc}; see "
                            f"{log_path}") from None
        finally:
            remove_container(jail.id)

    def ensure_for_dockerfile(self, dockerfile: Path, extra_packages: Sequence[str] = (),
                              task_recipe: str | None = None) -> list[str]:
        """Build the recipes a Dockerfile file uses and return their refs; with packages or a
        task recipe the file, which must be the harness's staged copy, is rewritten to the
        canonical form with its FROMs pointed at the layers (`ensure_for_parsed`)."""
        try:
            parsed = parse(dockerfile.read_text(encoding="utf-8", errors="replace"))
        except (OSError, DockerfileRefused):
            return []
        refs = self._ensure_refs(parsed, extra_packages, task_recipe)
        if not refs:
            return [self.book.get(name).ref for name in self._names(parsed)]
        dockerfile.write_text(rewrite_from(parsed, refs).render(), encoding="utf-8")
        return list(refs.values())

    def ensure_for_parsed(self, parsed: Dockerfile, extra_packages: Sequence[str] = (),
                          task_recipe: str | None = None) -> Dockerfile:
        """Build the recipes a Dockerfile uses, and return it with each `FROM abcbench/<recipe>`
        pointed at that recipe with `extra_packages` (a task's `service.extra_packages`)
        layered on, a `task_recipe` (the name of the task's own recipe) standing in for the
        recipe it builds on. The FROMs are rewritten in the parse, never in the text."""
        return rewrite_from(parsed, self._ensure_refs(parsed, extra_packages, task_recipe))

    def _ensure_refs(self, parsed: Dockerfile, extra_packages: Sequence[str],
                     task_recipe: str | None) -> dict[str, str]:
        """Recipe name -> the ref its FROMs should name (built now if missing); a name maps
        to `abcbench/<name>`'s own ref when nothing is layered on or stands in."""
        stand_in: dict[str, str] = {}
        named = TASK_RECIPE_NAME.match(task_recipe or "")
        if named is not None:
            stand_in[read_task_recipe(Path(named["folder"])).from_] = named[0]
        if not extra_packages and not stand_in:
            for name in self._names(parsed):
                self.ensure(name)
            return {}
        return {name: self.ensure(layer_name(stand_in.get(name, name), extra_packages))
                for name in self._names(parsed)}

    def recipes_in_dockerfile(self, dockerfile_text: str) -> list[str]:
        """Recipe names a Dockerfile builds FROM (`abcbench/<name>[:tag]`), as parsed."""
        try:
            return self._names(parse(dockerfile_text))
        except DockerfileRefused:
            return []

    def _names(self, parsed: Dockerfile) -> list[str]:
        names: list[str] = []
        for ins in parsed.instructions:
            name = _recipe_of(from_parts_or_empty(ins)[0]) if ins.keyword == "FROM" else ""
            if name and self.book.find(name) is not None and name not in names:
                names.append(name)
        return names

    def task_images(self) -> list[docker_images.ImageInfo]:
        """The images built for tasks, not for the harness's recipes: package layers
        (`extra_packages`) and task recipes. Rebuilt when a task needs them again."""
        harness = set(self.book.names())
        return [info for info in docker_images.list_images(kind=L.KIND_RECIPE_IMAGE)
                if info.labels.get(L.RECIPE, "") not in harness]

    def prune(self, *, all_versions: bool = True) -> list[str]:
        """Remove the project's recipe images (every version, or only stale ones)."""
        removed: list[str] = []
        current = {self.book.get(n).content_hash for n in self.book.names()}
        def depth(name: str) -> int:
            recipe = self.book.find(name)
            return len(recipe.chain()) if recipe else 99  # a task layer: always a leaf

        found = docker_images.list_images(kind=L.KIND_RECIPE_IMAGE)
        # Children before parents: Docker refuses to delete an image that others build on.
        found.sort(key=lambda info: -depth(info.labels.get(L.RECIPE, "")))
        for info in found:
            if not all_versions and info.labels.get(L.RECIPE_HASH) in current:
                continue
            for ref in info.tags or [info.id]:
                if docker_images.remove_image(ref):
                    removed.append(ref)
        return removed


def rewrite_from(parsed: Dockerfile, refs: dict[str, str]) -> Dockerfile:
    """`FROM abcbench/<name>[:tag]` -> the layered ref, for every name in `refs`; the new FROM
    is written from its parsed words and read back by the parser."""
    out: list[Instruction] = []
    for ins in parsed.instructions:
        image, alias = from_parts_or_empty(ins) if ins.keyword == "FROM" else ("", "")
        name = _recipe_of(image)
        if name not in refs:
            out.append(ins)
            continue
        words = ["FROM", *ins.flags, refs[name], *(["AS", alias] if alias else [])]
        out.append(replace(parse_instruction(" ".join(words), parsed.escape),
                           line=ins.line, end=ins.end))
    return parsed.with_instructions(out)


def _recipe_of(image: str) -> str:
    prefix = f"{IMAGE_NAMESPACE}/"
    if not image.startswith(prefix):
        return ""
    return image[len(prefix):].split(":", 1)[0].split("@", 1)[0]


def from_parts_or_empty(ins: Instruction) -> tuple[str, str]:
    try:
        return from_parts(ins)
    except DockerfileRefused:
        return "", ""
