"""`wheels:` in a task recipe: PyPI-only packages, pinned, fetched once by the host and copied
into the build, so the build itself needs no network (and no TLS trust inside the build)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.images import wheels
from abcbench.images.manager import ImageManager
from abcbench.images.recipe import task_recipe_name
from abcbench.images.task_recipe import recipe_problems
from abcbench.sandbox import images as docker_images
from abcbench.sandbox.lifecycle import ContainerRequest, cleanup, start_container

PIN = "humanize==4.9.0"


def _pypi_reachable() -> bool:
    probe = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                            "--only-binary=:all:", "-d", "/tmp/abcbench-pypi-probe", PIN],
                           capture_output=True, timeout=120, check=False)
    return probe.returncode == 0


needs_pypi = pytest.mark.skipif(
    os.environ.get("CI") is None and not _pypi_reachable(),
    reason="needs a package archive (PyPI) to fetch the pinned wheel; CI always has one")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _recipe(folder: Path, yaml_text: str, dockerfile: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "recipe.yaml").write_text(yaml_text)
    if dockerfile is not None:
        (folder / "Dockerfile").write_text(dockerfile)
    return folder


@pytest.mark.parametrize(("pin", "why"), [
    ("humanize", "pin it"), ("humanize>=4", "pin it"), ("humanize==4.*", "pin it"),
    ("humanize[extra]==4.9.0", "extras"), ('humanize==4.9.0; python_version<"3"', "markers"),
    ("humanize @ https://example.invalid/h.whl", "pin it"), ("not a requirement!", "not a"),
])
def test_unpinned_or_odd_wheels_are_static_problems(tmp_path: Path, pin: str, why: str) -> None:
    folder = _recipe(tmp_path / "r", f"from: tester\nwheels: ['{pin}']\n",
                     "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n")
    problems = recipe_problems(folder, ["tester"], None)
    assert any("wheels" in p and why in p for p in problems), problems


@needs_pypi
def test_wheels_are_fetched_once_for_the_sandbox_python(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    first = wheels.fetch([PIN], python="3.13")
    names = sorted(p.name for p in first.iterdir())
    assert [p.name for p in (first / "wheels").iterdir()] == ["humanize-4.9.0-py3-none-any.whl"]
    assert any(n.startswith("installer-") for n in names) and "install" in names
    calls: list[object] = []
    monkeypatch.setattr(wheels.subprocess, "run", lambda *a, **k: calls.append(a))
    assert wheels.fetch([PIN], python="3.13") == first  # cached: pip is not asked again
    assert calls == []


@needs_pypi
def test_a_wheel_that_does_not_exist_is_a_user_error_naming_it() -> None:
    with pytest.raises(UserError, match=re.escape("humanize==0.0.0.1")):
        wheels.fetch(["humanize==0.0.0.1"], python="3.13")


@needs_pypi
@pytest.mark.docker
@pytest.mark.slow
def test_a_task_recipe_installs_a_pypi_wheel_without_build_network(tmp_path: Path,
                                                                    run_id: str) -> None:
    folder = _recipe(tmp_path / "recipe", f"from: tester\nwheels: ['{PIN}']\n", (
        "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n"
        "RUN test \"$(ls /sys/class/net)\" = \"lo\"\n"
        "COPY abcbench-wheels/ /tmp/abcbench-wheels/\n"
        "RUN /tmp/abcbench-wheels/install && rm -rf /tmp/abcbench-wheels\n"))
    manager = ImageManager()
    recipe = manager.book.task_recipe("fx-wheels", folder)
    try:
        manager.ensure(task_recipe_name("fx-wheels", folder))
        box = start_container(ContainerRequest(
            image=recipe.ref, name=f"{run_id}-wheels", command=["sleep", "infinity"],
            labels={"abcbench.managed": "true", "abcbench.run": run_id}))
        done = box.exec(["python3", "-c", "import humanize; print(humanize.intcomma(1234567))"],
                        timeout=60)
        assert done.ok and done.stdout.strip() == "1,234,567", done.stdout + done.stderr
    finally:
        cleanup(run=run_id)
        for ref in (recipe.ref, recipe.alias):
            docker_images.remove_image(ref)
