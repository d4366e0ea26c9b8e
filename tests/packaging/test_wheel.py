"""The built wheel is a working tool on its own: installed into a fresh venv outside the
checkout, it lists the bundled tasks and runs the oracle to resolution from another folder.

Building pulls setuptools and the dependencies from the package index, so the whole module is
`slow`; the oracle run also needs Docker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from abcbench.hashing import hash_tree
from abcbench.tasks.registry import TaskRegistry

pytestmark = [pytest.mark.slow, pytest.mark.sweep]

CHECKOUT = Path(__file__).resolve().parents[2]
DATA_DIRS = ("tasks", "dockerfiles", "harness")
SMALL_TASK = "python-flask-bookshelf-loans"


def _clean_env() -> dict[str, str]:
    """The environment of a user who never saw the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "ABCBENCH_HOME"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then the wheel built from that sdist (what `python -m build` does)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(CHECKOUT)],
                   check=True, capture_output=True, timeout=600, env=_clean_env())
    return out


@pytest.fixture(scope="module")
def venv_bin(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=True)
    wheel = next(dist.glob("abcbench-*.whl"))
    subprocess.run([str(root / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=600, env=_clean_env())
    return root / "bin"


def _abcbench(venv_bin: Path, cwd: Path, *args: str, timeout: float = 120,
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv_bin / "abcbench"), *args], cwd=cwd, env=_clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def test_sdist_carries_the_data_folders(dist: Path) -> None:
    sdist = next(dist.glob("abcbench-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {Path(n).parts[1] for n in tar.getnames() if len(Path(n).parts) > 1}
    assert set(DATA_DIRS) <= names


def test_installed_data_is_identical_to_the_checkout(venv_bin: Path) -> None:
    """Same bytes and executable bits: image tags and task hashes match a checkout's."""
    site = subprocess.run([str(venv_bin / "python"), "-c",
                           "import abcbench, os; print(os.path.dirname(abcbench.__file__))"],
                          check=True, capture_output=True, text=True, env=_clean_env(),
                          cwd="/").stdout.strip()
    assert not site.startswith(str(CHECKOUT))
    for name in DATA_DIRS:
        assert hash_tree(Path(site) / "_data" / name) == hash_tree(CHECKOUT / name), name


def test_tasks_list_from_another_folder(venv_bin: Path, tmp_path: Path) -> None:
    proc = _abcbench(venv_bin, tmp_path, "tasks", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = {t["id"] for t in json.loads(proc.stdout)}
    assert listed == {t.id for t in TaskRegistry.from_dir(CHECKOUT / "tasks").all()}
    datasets = _abcbench(venv_bin, tmp_path, "datasets", "list", "--json")
    assert datasets.returncode == 0, datasets.stderr
    assert json.loads(datasets.stdout)[0]["name"] == "abc-bench"  # registry.yaml is shipped


@pytest.mark.docker
def test_oracle_resolves_from_the_installed_wheel(venv_bin: Path, tmp_path: Path,
                                                  run_id: str) -> None:
    proc = _abcbench(venv_bin, tmp_path, "run", "--agent", "oracle", "-t", SMALL_TASK,
                     "--run-id", run_id, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.loads((tmp_path / "runs" / run_id / "run.json").read_text())
    assert manifest["summary"]["n_resolved"] == manifest["summary"]["n_trials"] == 1
    assert "/site-packages/abcbench/_data/tasks" in manifest["settings"]["tasks_dir"]


def test_editable_install_uses_the_checkout(tmp_path: Path) -> None:
    """The README's set-up command: `pip install -e .` still finds the checkout's folders."""
    root = tmp_path / "venv"
    venv.create(root, with_pip=True)
    subprocess.run([str(root / "bin" / "python"), "-m", "pip", "install", "-q", "-e",
                    str(CHECKOUT)], check=True, capture_output=True, timeout=600,
                   env=_clean_env())
    proc = subprocess.run([str(root / "bin" / "python"), "-c",
                           "from abcbench.paths import bundled_tasks_dir; "
                           "print(bundled_tasks_dir())"],
                          cwd=tmp_path, env=_clean_env(), capture_output=True, text=True,
                          check=True)
    assert Path(proc.stdout.strip()) == CHECKOUT / "tasks"
    assert not (CHECKOUT / "abcbench" / "_data").exists()
