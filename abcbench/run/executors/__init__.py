"""Where the attempts at trials run: local threads (default) or a Ray cluster."""

from __future__ import annotations

from collections.abc import Callable

from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.run.executors.base import EXECUTORS, Executor, recipe_names
from abcbench.run.executors.local import LocalExecutor

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "make_executor", "recipe_names"]


def make_executor(name: str, images: ImageManager, *, ray_address: str | None = None,
                  notify: Callable[[str], None] | None = None) -> Executor:
    if name == "local":
        if ray_address is not None:
            raise UserError("--ray-address needs --executor ray")
        return LocalExecutor(images)
    if name == "ray":
        from abcbench.run.executors.ray_cluster import RayExecutor

        return RayExecutor(ray_address, notify)
    raise UserError(f"--executor {name!r}: choose one of {', '.join(EXECUTORS)}")
