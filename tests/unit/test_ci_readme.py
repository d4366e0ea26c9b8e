"""CI runs the README's set-up commands as written (read by `.ci/readme_commands.py`), so it
cannot be greener than the README: no install of its own, no extra extras."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parents[2]


def _readme_commands() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_commands",
                                                  ROOT / ".ci" / "readme_commands.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_has_two_commands_and_ci_runs_them() -> None:
    found = _readme_commands().commands((ROOT / "README.md").read_text())
    assert found["apt"].startswith("apt-get install -y ")
    assert found["pip"] == "pip install -e '.[dev]'"
    assert found["run"].startswith("abcbench run --agent oracle")
    assert found["test"] == "make test"
    for part in ("apt", "pip", "test"):
        out = subprocess.run([sys.executable, ".ci/readme_commands.py", part], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        assert out == found[part]


def test_ci_installs_nothing_with_pip_but_the_readmes_command() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in script.splitlines())
    assert "pip install" not in code and ".[" not in code, "CI installs only what README does"
    for part in ("apt", "pip", "test"):
        assert f"readme {part}" in code


def test_the_dev_extra_holds_the_tools_make_test_runs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev = {re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower()
           for d in project["optional-dependencies"]["dev"]}
    assert {"pytest", "ruff", "mypy", "ray", "hypothesis"} <= dev
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: lint typecheck pytest$", makefile, re.M)
    assert re.search(r"^test-fast: lint typecheck$", makefile, re.M)


SETUP = "intro\n\n## Set up\n\ntext\n\n```bash\n{block}```\n\n## Running\n"


@pytest.mark.parametrize("block", [
    "# 1.\napt-get install -y a && pip install -e . && abcbench run\n",  # one command
    "apt-get install -y a && pip install -e .\nmake test\n",              # no oracle run
    "apt-get update && pip install -e . && abcbench run\nmake test\n",    # no apt install
    "apt-get install -y a && pip install -e . && pip install x && abcbench run\nmake test\n",
])
def test_a_set_up_block_of_another_shape_is_refused(block: str) -> None:
    with pytest.raises(SystemExit):
        _readme_commands().commands(SETUP.format(block=block))


def test_comments_and_blank_lines_are_not_commands() -> None:
    block = ("# 1. install\napt-get install -y a b && pip install -e '.[dev]' && abcbench run"
             "\n\n# 2. test\nmake test\n")
    found = _readme_commands().commands(SETUP.format(block=block))
    assert found == {"apt": "apt-get install -y a b", "pip": "pip install -e '.[dev]'",
                     "run": "abcbench run", "test": "make test"}
