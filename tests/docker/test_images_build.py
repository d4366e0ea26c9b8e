"""Recipe images: built once even when several trials ask at the same time; pruned by label."""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path

import pytest

from abcbench.images.manager import ImageManager
from abcbench.images.recipe import RecipeBook
from abcbench.paths import dockerfiles_dir
from abcbench.sandbox import images as docker_images

pytestmark = pytest.mark.docker


def test_concurrent_ensure_builds_once(tmp_path: Path, tester_image: str) -> None:
    root = tmp_path / "dockerfiles"
    for name in ("base", "tester"):
        shutil.copytree(dockerfiles_dir() / name, root / name)
    name = f"pytest-{uuid.uuid4().hex[:8]}"
    (root / name).mkdir()
    (root / name / "recipe.yaml").write_text("description: test recipe\nfrom: tester\n")
    (root / name / "Dockerfile").write_text(
        "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN echo built > /built.txt\n")
    builds: list[str] = []
    manager = ImageManager(RecipeBook(root), notify=builds.append)
    recipe = manager.book.get(name)
    refs: list[str] = []
    try:
        threads = [threading.Thread(target=lambda: refs.append(manager.ensure(name)))
                   for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert refs == [recipe.ref] * 3
        assert builds == [f"building image {recipe.ref}"], "three requests, one build"
        assert docker_images.image_exists(recipe.alias)
        assert docker_images.image_id(recipe.alias) == docker_images.image_id(recipe.ref)
        labels = {i.labels.get("abcbench.recipe") for i in
                  docker_images.list_images(kind="recipe")}
        assert name in labels
    finally:
        docker_images.remove_image(recipe.alias)
        docker_images.remove_image(recipe.ref)
    assert not docker_images.image_exists(recipe.ref)
