"""Build hook: the wheel carries the bundled tasks, image recipes and in-container files.

They live at the top of the checkout (tasks/, dockerfiles/, harness/) so task authors and the
image recipes see one plain tree. `build_py` copies them into `abcbench/_data/` of the built
package, where `abcbench.paths` finds them in an installed copy. Editable installs skip the
copy: there the checkout itself is found. The sdist carries them through MANIFEST.in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("tasks", "dockerfiles", "harness")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache",
                                 ".ruff_cache", ".git")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "abcbench" / "_data"
        for name in DATA_DIRS:
            source = root / name
            if not source.is_dir():
                raise SystemExit(f"cannot build abcbench: {source} is missing")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=IGNORED, symlinks=False)


setup(cmdclass={"build_py": BuildPyWithData})
