"""Terminal-Bench itself, installed in a side virtualenv, as the reference for parity checks.

Terminal-Bench needs Python >= 3.12 and brings its own dependencies, so it never enters the
project's environment: a venv under ~/.cache/abcbench/tb-venv (or $ABCBENCH_TB_VENV) is made
with a 3.12+ interpreter on first use and Terminal-Bench's own code is run there in a subprocess.
Nothing of it is copied into the project.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

TB_VERSION = "0.2.18"
"""The Terminal-Bench release the parity tests and `bench/tb_parity.py` compare against."""

INSTALL_TIMEOUT_SEC = 900
#: LiteLLM (imported by Terminal-Bench) fetches a price table over the network unless told not to.
OFFLINE_ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True"}


class ReferenceUnavailable(RuntimeError):
    """No Python >= 3.12 to build the Terminal-Bench venv with, or the install failed."""


def venv_dir() -> Path:
    override = os.environ.get("ABCBENCH_TB_VENV")
    return Path(override) if override else Path.home() / ".cache" / "abcbench" / "tb-venv"


def venv_python() -> Path:
    return venv_dir() / "bin" / "python"


def tb_executable() -> Path:
    return venv_dir() / "bin" / "tb"


def find_interpreter() -> str | None:
    """A Python >= 3.12: $ABCBENCH_TB_PYTHON, pyenv's, or python3.12/3.13 on PATH."""
    explicit = os.environ.get("ABCBENCH_TB_PYTHON")
    if explicit:
        return explicit
    pyenv = sorted(glob.glob(str(Path.home() / ".pyenv" / "versions" / "3.1[2-9]*" / "bin" /
                                 "python")))
    if pyenv:
        return pyenv[0]
    for name in ("python3.12", "python3.13", "python3.14"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    proc = subprocess.run(
        [str(python), "-c",
         "import importlib.metadata as m; print(m.version('terminal-bench'))"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_venv() -> Path:
    """The venv's python with terminal-bench==TB_VERSION, installing it once (file-locked)."""
    python = venv_python()
    if _installed_version(python) == TB_VERSION:
        return python
    interpreter = find_interpreter()
    if interpreter is None:
        raise ReferenceUnavailable(
            "Terminal-Bench needs Python >= 3.12: install one (pyenv install 3.12) or set "
            "ABCBENCH_TB_PYTHON to its path")
    root = venv_dir()
    root.parent.mkdir(parents=True, exist_ok=True)
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be installing it right now
        if _installed_version(python) == TB_VERSION:
            return python
        steps = [[interpreter, "-m", "venv", str(root)],
                 [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                  f"terminal-bench=={TB_VERSION}"]]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT_SEC, check=False)
            if proc.returncode != 0:
                raise ReferenceUnavailable(
                    f"{' '.join(step[:4])} failed (exit {proc.returncode}): "
                    f"{(proc.stderr or proc.stdout).strip()[-500:]}")
    return python


_PARSE_SCRIPT = """
import json, sys
from terminal_bench.parsers.pytest_parser import PytestParser
answers = []
for text in json.load(sys.stdin):
    try:
        parsed = PytestParser().parse(text)
    except Exception as exc:
        answers.append({"error": f"{type(exc).__name__}: {exc}"})
    else:
        answers.append({"tests": [[name, status.value] for name, status in parsed.items()]})
json.dump(answers, sys.stdout)
"""


def reference_parse(outputs: list[str], timeout_sec: float = 180) -> list[list[tuple[str, str]]
                                                                           | None]:
    """Terminal-Bench's own pytest parser on each output: (name, "passed"|"failed") pairs in
    its order, or None where it raises (its harness records that as a parse error)."""
    python = ensure_venv()
    proc = subprocess.run(
        [str(python), "-c", _PARSE_SCRIPT], input=json.dumps(outputs), capture_output=True,
        text=True, timeout=timeout_sec, check=False, env={**os.environ, **OFFLINE_ENV},
    )
    if proc.returncode != 0:
        raise ReferenceUnavailable(f"Terminal-Bench's parser crashed: {proc.stderr[-800:]}")
    answers = json.loads(proc.stdout)
    return [None if "error" in a else [(str(n), str(s)) for n, s in a["tests"]]
            for a in answers]
