"""A repository to synthesize from: fetched once into the batch's work folder, with its commit
and its language."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

from pydantic import BaseModel

from abcbench.errors import UserError
from abcbench.tasks.materialize import copy_tree
from abcbench.tasks.scaffold import CLONE_TIMEOUT_SEC, GIT_URL

# Marker files at the repository root, most specific first: the first that exists decides.
LANGUAGE_MARKERS: tuple[tuple[str, str], ...] = (
    ("go.mod", "go"), ("Cargo.toml", "rust"), ("pom.xml", "java"), ("build.gradle", "java"),
    ("composer.json", "php"), ("Gemfile", "ruby"), ("config.ru", "ruby"),
    ("package.json", "javascript"), ("pyproject.toml", "python"),
    ("requirements.txt", "python"), ("setup.py", "python"),
)
SUFFIX_LANGUAGE = {".go": "go", ".rs": "rust", ".java": "java", ".php": "php", ".rb": "ruby",
                   ".js": "javascript", ".py": "python", ".cs": "csharp"}


class Source(BaseModel):
    """Where the repository came from, and the local copy the pipeline works on."""

    origin: str
    """The folder or git URL the user gave."""
    name: str
    """A folder-safe name for it."""
    commit: str | None = None
    dirty: bool = False
    """A local git working tree with uncommitted changes: the commit alone does not name it."""
    folder: str
    """The pristine copy (no .git) every candidate is built from."""


def slug(origin: str) -> str:
    base = re.sub(r"\.git$", "", origin.rstrip("/").split("/")[-1].split(":")[-1])
    base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "repo"
    digest = hashlib.sha256(origin.encode()).hexdigest()[:6]
    return f"{base[:30]}-{digest}"


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def fetch_source(origin: str, work: Path) -> Source:
    """Copy (or clone) `origin` into `work/source`, once; record its commit."""
    name = slug(origin)
    dest = work / "source"
    record = work / "source.json"
    if record.is_file() and dest.is_dir():
        return Source.model_validate_json(record.read_text(encoding="utf-8"))
    shutil.rmtree(dest, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    if GIT_URL.match(origin):
        clone = work / "clone"
        shutil.rmtree(clone, ignore_errors=True)
        try:
            done = subprocess.run(["git", "clone", "--depth", "1", "--quiet", origin, str(clone)],
                                  capture_output=True, text=True, timeout=CLONE_TIMEOUT_SEC,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise UserError(f"{origin}: git clone took over {CLONE_TIMEOUT_SEC}s") from None
        if done.returncode != 0:
            raise UserError(f"{origin}: git clone failed (exit {done.returncode})")
        commit, dirty = _git(["rev-parse", "HEAD"], clone), False
        shutil.rmtree(clone / ".git", ignore_errors=True)
        clone.rename(dest)
    else:
        folder = Path(origin).expanduser()
        if not folder.is_dir():
            raise UserError(f"{origin}: no such folder (give a repository folder or a git URL)")
        folder = folder.resolve()
        commit = None
        dirty = False
        if _git(["rev-parse", "--show-toplevel"], folder) is not None:
            commit = _git(["rev-parse", "HEAD"], folder)
            dirty = bool(_git(["status", "--porcelain", "--", "."], folder))
        copy_tree(folder, dest)
        shutil.rmtree(dest / ".git", ignore_errors=True)
    source = Source(origin=origin, name=name, commit=commit, dirty=dirty, folder=str(dest))
    record.write_text(source.model_dump_json(indent=2), encoding="utf-8")
    return source


def detect_language(repo: Path) -> str | None:
    """The language of the repository's service, from its build files, else its most common
    source suffix; None when nothing says."""
    for marker, found in LANGUAGE_MARKERS:
        if (repo / marker).is_file():
            return found
    counts: dict[str, int] = {}
    for path in repo.rglob("*"):
        language = SUFFIX_LANGUAGE.get(path.suffix)
        if language is not None and path.is_file() and ".git" not in path.parts:
            counts[language] = counts.get(language, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None
