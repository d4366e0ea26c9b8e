"""A task's own image recipe folder: resolution, content addressing, static checks (no Docker)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.images.recipe import RecipeBook, parse_layer_name
from abcbench.images.task_recipe import PLACEHOLDER_BASE, dockerfile_problems
from abcbench.paths import dockerfiles_dir
from abcbench.tasks.lint import lint_task
from abcbench.tasks.loader import TaskLoadError, load_task
from abcbench.tasks.model import Task
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with

TASK = "fx-quotes-recipe"
GOOD_DOCKERFILE = "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN true\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tasks_dir_with(tmp_path, TASK)


def _task(root: Path) -> Task:
    return load_task(root / TASK)


def _recipe_dir(root: Path) -> Path:
    return root / TASK / "environment" / "recipe"


def _edit_task(root: Path, **fields: object) -> None:
    path = root / TASK / "task.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(fields)
    path.write_text(yaml.safe_dump(data))


def test_task_recipe_is_a_content_addressed_child_of_its_harness_recipe(root: Path) -> None:
    task = _task(root)
    assert task.recipe_name == f"task:{TASK}@{_recipe_dir(root).resolve()}"
    assert task.sandbox_image == task.recipe_name
    recipe = RecipeBook(dockerfiles_dir()).get(task.sandbox_image)
    assert [r.name for r in recipe.chain()] == ["base", "tester", "task-fx-quotes-recipe"]
    assert recipe.task is not None and recipe.task.build_network is False
    assert recipe.repository == "abcbench/task-fx-quotes-recipe"
    again = RecipeBook(dockerfiles_dir()).get(task.sandbox_image)
    assert again.ref == recipe.ref
    (_recipe_dir(root) / "quotes_vendor.py").write_text("BANNER = 'changed'\n")
    changed = RecipeBook(dockerfiles_dir()).get(task.sandbox_image)
    assert changed.ref != recipe.ref and changed.repository == recipe.repository
    assert task.sandbox_image not in RecipeBook(dockerfiles_dir()).names()


def test_sandbox_extra_packages_layer_over_the_task_recipe(root: Path) -> None:
    _edit_task(root, sandbox={"extra_packages": ["jq"]})
    task = _task(root)
    assert parse_layer_name(task.sandbox_image) == (task.recipe_name, ["jq"])
    layer = RecipeBook(dockerfiles_dir()).get(task.sandbox_image)
    assert [r.name for r in layer.chain()][:3] == ["base", "tester", "task-fx-quotes-recipe"]
    assert layer.name.startswith("task-fx-quotes-recipe-x")


def test_recipe_packages_come_first_as_the_generated_layer(root: Path) -> None:
    (_recipe_dir(root) / "recipe.yaml").write_text("from: tester\npackages: [jq]\n")
    recipe = RecipeBook(dockerfiles_dir()).get(_task(root).sandbox_image)
    assert [r.name for r in recipe.chain()][1] == "tester"
    assert recipe.parent is not None and recipe.parent.spec.layer
    assert "install -y --no-install-recommends jq" in \
        (recipe.parent.directory / "Dockerfile").read_text()
    (_recipe_dir(root) / "Dockerfile").unlink()  # packages only: the layer is the recipe
    only = RecipeBook(dockerfiles_dir()).get(_task(root).sandbox_image)
    assert only.ref == RecipeBook(dockerfiles_dir()).get("tester[jq]").ref


class _NoDocker(ImageManager):
    """Resolves refs without building: what `ensure_for_dockerfile` rewrites to."""

    def ensure(self, name: str, *, rebuild: bool = False) -> str:
        return self.book.get(name).ref


def test_the_task_recipe_stands_in_for_its_base_in_the_service_build(
        root: Path, tmp_path: Path) -> None:
    task = _task(root)
    staged = tmp_path / "Dockerfile"
    shutil.copy(task.reference_repo / "Dockerfile", staged)
    images = _NoDocker(RecipeBook(dockerfiles_dir()))
    [ref] = images.ensure_for_dockerfile(staged, (), task.recipe_name)
    assert ref == images.book.get(task.recipe_name or "").ref
    assert staged.read_text().splitlines()[0] == f"FROM {ref}"
    with_packages = tmp_path / "Dockerfile2"
    shutil.copy(task.reference_repo / "Dockerfile", with_packages)
    [layered] = images.ensure_for_dockerfile(with_packages, ["jq"], task.recipe_name)
    assert layered == images.book.get(f"{task.recipe_name}[jq]").ref != ref


def test_a_refused_task_dockerfile_never_reaches_the_engine(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (_recipe_dir(root) / "Dockerfile").write_text("FROM abcbench/python\nRUN true\n")
    images = ImageManager(RecipeBook(dockerfiles_dir()))
    recipe = images.book.get(_task(root).sandbox_image)

    def no_engine(*_a: object, **_k: object) -> None:
        raise AssertionError("the engine was asked to build a refused recipe")

    monkeypatch.setattr("abcbench.images.manager.start_build_jail", no_engine)
    monkeypatch.setattr("abcbench.sandbox.images.build_image", no_engine)
    with pytest.raises(UserError, match="builds only on its base"):
        images._build(recipe)


def test_the_fixture_passes_the_static_checks(root: Path) -> None:
    assert lint_task(_task(root)) == []


@pytest.mark.parametrize(("dockerfile", "expected"), [
    ("FROM abcbench/python\n", "builds only on its base"),
    ("FROM ${BASE_IMAGE}\n", "has no value"),  # the ARG is missing
    ("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY --from=abcbench-trial/x:latest /a /b\n",
     "builds only on its base"),
    ("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nADD https://example.invalid/x.tgz /x\n",
     "the engine would download it"),
    ("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY\t--from=abcbench-trial/x:latest /a /b\n",
     "builds only on its base"),
    ("ARG BASE_IMAGE\nFROM\tdebian:trixie\n", "builds only on its base"),
    ("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nLABEL abcbench.recipe=python\n", "LABEL may not"),
    ("ARG BASE_IMAGE OTHER=debian:trixie\nFROM ${OTHER}\n", "builds only on its base"),
    ("RUN true\n", "has no FROM"),
])
def test_task_dockerfile_rules(dockerfile: str, expected: str) -> None:
    problems = dockerfile_problems(dockerfile, PLACEHOLDER_BASE, network=False)
    assert any(expected in p for p in problems), problems


def test_a_sound_task_dockerfile_is_accepted() -> None:
    assert dockerfile_problems(GOOD_DOCKERFILE, PLACEHOLDER_BASE, network=False) == []
    stages = GOOD_DOCKERFILE + "FROM ${BASE_IMAGE} AS two\nCOPY --from=0 /etc/hostname /x\n"
    assert dockerfile_problems(stages, PLACEHOLDER_BASE, network=False) == []
    remote = GOOD_DOCKERFILE + "ADD https://example.invalid/x.tgz /x\n"
    assert dockerfile_problems(remote, PLACEHOLDER_BASE, network=True)  # refused outright


@pytest.mark.parametrize(("recipe_yaml", "expected"), [
    ("from: nosuch\n", "'nosuch' is not a harness recipe"),
    ("from: tester\npackages: [Bad_Name]\n", "'Bad_Name' is not a Debian package name"),
    ("from: tester\nbuild_netwrok: true\n", "field 'build_netwrok'"),
    ("description: no base\n", "field 'from'"),
])
def test_recipe_yaml_faults_are_static_problems(root: Path, recipe_yaml: str,
                                                expected: str) -> None:
    (_recipe_dir(root) / "recipe.yaml").write_text(recipe_yaml)
    problems = lint_task(_task(root))
    assert any(expected in p for p in problems), problems


def test_missing_or_empty_recipe_folders_are_static_problems(root: Path) -> None:
    (_recipe_dir(root) / "recipe.yaml").unlink()
    assert any("recipe.yaml is missing" in p for p in lint_task(_task(root)))
    (_recipe_dir(root) / "recipe.yaml").write_text("from: tester\n")
    (_recipe_dir(root) / "Dockerfile").unlink()
    assert any("adds nothing" in p for p in lint_task(_task(root)))
    _edit_task(root, recipe="environment/nosuch")
    assert any("does not exist" in p for p in lint_task(_task(root)))


def test_sandbox_image_must_agree_with_the_recipe(root: Path) -> None:
    _edit_task(root, sandbox={"image": "python"})
    assert any("sandbox.image is 'python'" in p for p in lint_task(_task(root)))
    _edit_task(root, sandbox={"image": "tester"})
    assert lint_task(_task(root)) == []


def test_a_recipe_may_not_hold_what_the_agent_must_not_see(root: Path) -> None:
    _edit_task(root, recipe="tests")
    problems = lint_task(_task(root))
    assert any("would be copied into the images the agent gets" in p for p in problems), problems
    _edit_task(root, recipe=".")  # the whole task folder: refused as it loads
    with pytest.raises(TaskLoadError, match="names the task folder itself"):
        _task(root)


def test_a_copied_test_file_in_the_recipe_is_a_static_problem(root: Path) -> None:
    shutil.copy(root / TASK / "tests" / "test_functional.py", _recipe_dir(root) / "t.py")
    assert any("hidden test files are copied in the task recipe" in p
               for p in lint_task(_task(root)))


def test_recipe_paths_are_contained(root: Path, tmp_path: Path) -> None:
    _edit_task(root, recipe="../_repos/quotes-recipe")
    with pytest.raises(TaskLoadError, match="recipe"):
        _task(root)
    outside = tmp_path / "elsewhere"
    shutil.copytree(_recipe_dir(root), outside)
    shutil.rmtree(_recipe_dir(root))
    os.symlink(outside, _recipe_dir(root))
    _edit_task(root, recipe="environment/recipe")
    with pytest.raises(TaskLoadError, match=r"field 'recipe'.*outside the task folder"):
        _task(root)


def test_a_link_out_of_the_recipe_folder_is_refused_unread(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "host-file"
    secret.write_text("from: tester\n")
    (_recipe_dir(root) / "recipe.yaml").unlink()
    os.symlink(secret, _recipe_dir(root) / "recipe.yaml")
    problems = lint_task(_task(root))
    assert any("symlink recipe.yaml points outside the folder" in p for p in problems), problems


def test_static_only_check_and_images_show_name_the_task_recipe(root: Path,
                                                                tmp_path: Path) -> None:
    (_recipe_dir(root) / "Dockerfile").write_text("FROM abcbench/python\n")
    out = CliRunner().invoke(app, ["tasks", "check", "--static-only", "--json",
                                   "--tasks-dir", str(root), "-o", str(tmp_path / "runs")])
    assert out.exit_code != 0
    [check] = json.loads(out.stdout)
    assert any("builds only on its base" in p for p in check["static_problems"])
    task = TaskRegistry.from_dir(root).get(TASK)
    assert task.sandbox_image.startswith(f"task:{TASK}@")


def test_export_refuses_a_task_with_its_own_recipe(root: Path, tmp_path: Path) -> None:
    from abcbench.tasks.export import export_task

    with pytest.raises(UserError, match="builds its own image recipe"):
        export_task(_task(root), tmp_path / "exported")
    assert not (tmp_path / "exported" / TASK).exists()
