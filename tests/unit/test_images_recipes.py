"""Image recipes: content-addressed tags that move with their inputs and their parents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.images.recipe import RecipeBook
from abcbench.images.rootfs import apt_sources_for
from abcbench.paths import dockerfiles_dir


@pytest.fixture
def book_dir(tmp_path: Path) -> Path:
    root = tmp_path / "dockerfiles"
    shutil.copytree(dockerfiles_dir() / "base", root / "base")
    shutil.copytree(dockerfiles_dir() / "tester", root / "tester")
    return root


def test_tags_are_content_addressed(book_dir: Path) -> None:
    first = RecipeBook(book_dir).get("tester")
    assert first.ref == f"abcbench/tester:{first.content_hash}"
    assert first.alias == "abcbench/tester:latest"
    assert [r.name for r in first.chain()] == ["base", "tester"]
    assert RecipeBook(book_dir).get("tester").ref == first.ref, "same inputs, same tag"
    (book_dir / "base" / "recipe.yaml").write_text(
        (book_dir / "base" / "recipe.yaml").read_text() + "\n# touched\n")
    changed = RecipeBook(book_dir).get("tester")
    assert changed.ref != first.ref, "a parent's change must move the child's tag"


def test_unknown_parent_and_cycles(book_dir: Path) -> None:
    (book_dir / "tester" / "recipe.yaml").write_text("description: x\nfrom: nowhere\n")
    with pytest.raises(UserError, match="no recipe 'nowhere'"):
        RecipeBook(book_dir)
    (book_dir / "tester" / "recipe.yaml").write_text("description: x\nfrom: tester\n")
    with pytest.raises(UserError, match="cycle"):
        RecipeBook(book_dir)


def test_unknown_recipe_lists_known(book_dir: Path) -> None:
    with pytest.raises(UserError, match="known: base, tester"):
        RecipeBook(book_dir).get("cobol")


def test_recipes_named_in_a_dockerfile(book_dir: Path) -> None:
    manager = ImageManager(RecipeBook(book_dir))
    text = ("ARG X\nFROM abcbench/tester AS build\n"
            "FROM --platform=linux/amd64 abcbench/base:latest\n"
            "FROM python:3.12-slim\nFROM abcbench/unknown\n")
    assert manager.recipes_in_dockerfile(text) == ["tester", "base"]


def test_apt_sources_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = tmp_path / "s.sources"
    sources.write_text("Types: deb\nSuites: trixie\n")
    monkeypatch.setenv("ABCBENCH_APT_SOURCES", str(sources))
    assert apt_sources_for("trixie") == sources.read_text()
