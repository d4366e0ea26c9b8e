"""`abcbench images export/import` carry the recipe images (and the recipes under them) to a
Docker host that should not build, with their content-addressed tags."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from abcbench.images.manager import ImageManager

pytestmark = [pytest.mark.docker, pytest.mark.slow]
CLI = [sys.executable, "-m", "abcbench.cli"]


def test_export_then_import_the_tester_and_its_base(tmp_path: Path) -> None:
    manager = ImageManager()
    manager.ensure("tester")
    chain = [recipe.ref for recipe in manager.book.get("tester").chain()]
    archive = tmp_path / "images.tar"
    out = subprocess.run([*CLI, "images", "export", "tester", "-o", str(archive)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    with tarfile.open(archive) as tar:
        manifest_file = tar.extractfile("manifest.json")
        assert manifest_file is not None
        tags = {tag for image in json.load(manifest_file) for tag in image["RepoTags"] or []}
    assert set(chain) <= tags and len(chain) >= 2  # the base image travels with the tester

    loaded = subprocess.run([*CLI, "images", "import", str(archive)], capture_output=True,
                            text=True, timeout=600)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    for ref in chain:
        assert f"loaded {ref} (current)" in loaded.stdout


def test_unknown_or_missing_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = subprocess.run([*CLI, "images", "export", "no-such-recipe", "-o",
                          str(tmp_path / "x.tar")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "no image recipe 'no-such-recipe'" in bad.stderr
    gone = subprocess.run([*CLI, "images", "import", str(tmp_path / "none.tar")],
                          capture_output=True, text=True, timeout=120)
    assert gone.returncode == 2 and "no such file" in gone.stderr
    assert not (tmp_path / "x.tar").exists()
