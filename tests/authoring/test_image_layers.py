"""Task-local image layers: Debian packages over a recipe, content-addressed (no Docker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.grading.dockerfile_parse import parse
from abcbench.images.manager import rewrite_from
from abcbench.images.recipe import RecipeBook, layer_name, parse_layer_name
from abcbench.paths import dockerfiles_dir
from abcbench.run.task_check import authoring_problems
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_layer_names_round_trip_and_sort() -> None:
    name = layer_name("ruby", ["ruby-sequel", "ruby-bcrypt", "ruby-sequel"])
    assert name == "ruby[ruby-bcrypt,ruby-sequel]"
    assert parse_layer_name(name) == ("ruby", ["ruby-bcrypt", "ruby-sequel"])
    assert layer_name("ruby", []) == "ruby"
    assert parse_layer_name("ruby") is None


def test_layer_is_a_content_addressed_child_of_its_recipe() -> None:
    book = RecipeBook(dockerfiles_dir())
    layer = book.get("python[libstdc++6,jq]")
    assert layer.parent is not None and layer.parent.name == "python"
    assert [r.name for r in layer.chain()][:2] == ["base", "python"]
    assert "apt-get install -y --no-install-recommends jq libstdc++6" in \
        (layer.directory / "Dockerfile").read_text()
    again = RecipeBook(dockerfiles_dir()).get("python[jq,libstdc++6]")
    assert again.ref == layer.ref
    other = RecipeBook(dockerfiles_dir()).get("python[jq]")
    assert other.ref != layer.ref and other.repository != layer.repository
    assert "python[jq]" not in book.names() and "python" in book.names()


def test_bad_package_names_are_user_errors() -> None:
    with pytest.raises(UserError, match="not a Debian package name"):
        RecipeBook(dockerfiles_dir()).layer("python", ["Bad_Name"])
    with pytest.raises(UserError, match="no image recipe"):
        RecipeBook(dockerfiles_dir()).get("nosuch[jq]")


def test_task_sandbox_image_names_the_layer(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-jq", "fx-quotes-logic")
    registry = TaskRegistry.from_dir(root)
    assert registry.get("fx-quotes-jq").spec.sandbox_image == "tester[jq]"
    assert registry.get("fx-quotes-logic").spec.sandbox_image == "tester"
    assert authoring_problems(registry.get("fx-quotes-jq")) == []


def test_from_lines_are_pointed_at_the_layer() -> None:
    text = ("ARG V\nFROM abcbench/ruby AS build\nRUN make\n"
            "FROM --platform=linux/amd64 abcbench/ruby:latest\nFROM debian:trixie\n")
    out = rewrite_from(parse(text), {"ruby": "abcbench/ruby-x1:abc"}).render()
    assert out == ("ARG V\nFROM abcbench/ruby-x1:abc AS build\nRUN make\n"
                   "FROM --platform=linux/amd64 abcbench/ruby-x1:abc\nFROM debian:trixie\n")
    tabbed = rewrite_from(parse("FROM\tabcbench/ruby\n"), {"ruby": "abcbench/ruby-x1:abc"})
    assert tabbed.render() == "FROM abcbench/ruby-x1:abc\n"  # the parse decides, not a regex
