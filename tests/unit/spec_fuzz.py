"""Hostile task folders for the fuzz tests (hypothesis): the strategies and the invariants.

A case is the fixture tasks copied into a fresh folder, one task then mutated: fields of its
task.yaml set to hostile values (absolute paths, `..`, NUL bytes, newlines, huge strings,
wrong types, deep nesting, unknown keys) or removed, and its files replaced by hostile ones
(symlinks out of the tree, a symlinked task.yaml, FIFOs, link loops, missing folders, bytes
that are not UTF-8, a YAML alias bomb, deeply nested YAML). Beside the tasks lies a `host`
folder standing for the rest of the machine; the invariants say that loading, linting and
laying out the task either work or refuse in one line naming the task, and never touch it.
"""

from __future__ import annotations

import hashlib
import os
import reprlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import NATIVE_FIXTURES

TASK_IDS = ("fx-quotes-logic", "fx-quotes-env")

FIELDS = (
    "id", "title", "language", "framework", "category", "difficulty", "task_type",
    "instruction", "instruction_file", "schema_version", "agent_timeout_sec",
    "estimated_duration_sec", "tags", "notes", "repository", "repository.source",
    "repository.project", "repository.mask", "repository.mask.overlay",
    "repository.mask.remove", "repository.mask.functions", "repository.mask.routes",
    "repository.mask.must_build", "service", "service.port", "service.dockerfile",
    "service.build_context", "service.health_path", "service.startup_timeout_sec",
    "service.build_timeout_sec", "service.build_network", "service.env",
    "service.environment_files", "service.extra_packages", "tests", "tests.directory",
    "tests.timeout_sec", "resources", "resources.cpus", "resources.memory_mb",
    "resources.pids", "resources.disk_mb", "sandbox", "sandbox.image",
    "sandbox.extra_packages", "sandbox.egress", "unknown_key", "service.unknown_key",
)

HOSTILE_PATHS = (
    "/", "/etc/passwd", "{host}", "{host}/precious.txt", "..", "../..", "../../host",
    "../host/precious.txt", "../_repos/../../host", "a/../../b", "./../x", "masked/../..",
    "~", "~root", "$HOME", "${HOME}/x", "\\..\\x", "C:\\x", "", " ", ".", "./", "//etc",
    "a\nb", "a\x00b", "\u202etxt.exe", "\U0001f600", "-rf", "link_out", "link_out/precious.txt",
    "loop", "fifo", "masked", "tests", "Dockerfile", "../_repos/quotes", "x" * 4096,
)

scalars = st.one_of(
    st.sampled_from(HOSTILE_PATHS),
    st.text(max_size=40),
    st.just("x" * 200_000),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def _deep(depth: int) -> str:
    """`notes:` as block mappings `depth` levels deep (written as text: dumping it would
    overflow the test's own stack)."""
    lines = [f"{'  ' * (i + 1)}k{i}:" for i in range(depth)]
    return "notes:\n" + "\n".join(lines) + f"\n{'  ' * (depth + 1)}bottom\n"


# What a mutation does to the task folder (besides setting fields).
FILE_MUTATIONS = (
    "link_out",            # link_out -> host folder, inside the task folder
    "masked_to_host",      # the overlay folder replaced by a link to the host folder
    "tests_to_host",       # the tests folder replaced by a link to the host folder
    "repo_link_to_host",   # the reference repository holds lib -> host folder
    "repo_file_to_host",   # the reference repository holds precious.txt -> host file
    "task_yaml_link",      # task.yaml is a link to a valid spec outside the tasks folder
    "task_yaml_dir",       # task.yaml is a folder
    "fifo",                # a FIFO in the task folder, the repository and the tests
    "loop",                # loop -> loop in the task folder and the repository
    "no_tests",            # the tests folder removed
    "no_overlay",          # the overlay folder removed
    "no_repo",             # the reference repository removed
    "not_utf8",            # task.yaml bytes that are not UTF-8
    "alias_bomb",          # a YAML billion-laughs in an unknown field
    "deep_yaml",           # 2,000 nested flow sequences
    "huge_yaml",           # 5 MB of comment before the spec
)


@dataclass
class Case:
    task_id: str
    sets: list[tuple[str, Any]] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    deep: int = 0

    def describe(self) -> str:
        short = reprlib.Repr()
        short.maxstring = short.maxother = 60
        shown = ", ".join(f"{k}={short.repr(v)}" for k, v in self.sets)
        return f"{self.task_id} sets=[{shown}] removes={self.removes} files={self.files}"

    def __repr__(self) -> str:  # hypothesis prints falsifying examples with repr
        return f"Case<{self.describe()}>"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    case = Case(task_id=draw(st.sampled_from(TASK_IDS)))
    for _ in range(draw(st.integers(0, 3))):
        case.sets.append((draw(st.sampled_from(FIELDS)), draw(values)))
    case.removes = draw(st.lists(st.sampled_from(FIELDS), max_size=2))
    case.files = draw(st.lists(st.sampled_from(FILE_MUTATIONS), max_size=3, unique=True))
    if draw(st.booleans()) and not case.sets:
        case.deep = draw(st.sampled_from([50, 900]))
    return case


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    node: Any = data
    *parents, leaf = dotted.split(".")
    for key in parents:
        if not isinstance(node, dict):
            return
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if isinstance(node, dict):
        node[leaf] = value


def _remove(data: dict[str, Any], dotted: str) -> None:
    node: Any = data
    *parents, leaf = dotted.split(".")
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(leaf, None)


def _fill(value: Any, host: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{host}", str(host))
    if isinstance(value, list):
        return [_fill(v, host) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, host) for k, v in value.items()}
    return value


def _replace_with_link(path: Path, target: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.symlink_to(target)


def build(case: Case, root: Path) -> tuple[Path, Path]:
    """Lay the case out under `root`: (tasks folder, host folder)."""
    tasks = root / "tasks"
    shutil.copytree(NATIVE_FIXTURES, tasks, ignore=shutil.ignore_patterns("_check"))
    host = root / "host"
    host.mkdir()
    (host / "precious.txt").write_text("host data\n")
    (host / "test_host.py").write_text("def test_host():\n    pass\n")
    task = tasks / case.task_id
    repo = tasks / "_repos" / "quotes"
    data = yaml.safe_load((task / "task.yaml").read_text())
    for dotted, value in case.sets:
        _set(data, dotted, _fill(value, host))
    for dotted in case.removes:
        _remove(data, dotted)
    if case.deep:
        data.pop("notes", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if case.deep:
        text += _deep(case.deep)
    files = set(case.files)
    if "alias_bomb" in files:
        bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
        text += "bomb:\n" + "\n".join("  " + line for line in bomb) + "\n"
    if "deep_yaml" in files:
        text += "deep: " + "[" * 2000 + "]" * 2000 + "\n"
    if "huge_yaml" in files:
        text = ("# " + "x" * 1000 + "\n") * 5000 + text
    (task / "task.yaml").write_text(text, encoding="utf-8")
    if "not_utf8" in files:
        (task / "task.yaml").write_bytes(b"id: caf\xe9\n" + text.encode())
    if "task_yaml_link" in files:
        outside = host / "spec.yaml"
        shutil.copy2(NATIVE_FIXTURES / case.task_id / "task.yaml", outside)
        _replace_with_link(task / "task.yaml", outside)
    if "task_yaml_dir" in files:
        (task / "task.yaml").unlink()
        (task / "task.yaml").mkdir()
    if "link_out" in files:
        (task / "link_out").symlink_to(host)
    if "masked_to_host" in files:
        _replace_with_link(task / "masked", host)
    if "tests_to_host" in files:
        _replace_with_link(task / "tests", host)
    if "repo_link_to_host" in files:
        (repo / "lib").symlink_to(host)
    if "repo_file_to_host" in files:
        (repo / "precious.txt").symlink_to(host / "precious.txt")
    if "fifo" in files:
        for folder in (task, repo, task / "tests"):
            if folder.is_dir() and not folder.is_symlink():
                os.mkfifo(folder / "fifo")
    if "loop" in files:
        for folder in (task, repo):
            (folder / "loop").symlink_to("loop")
    if "no_tests" in files and (task / "tests").is_dir() and not (task / "tests").is_symlink():
        shutil.rmtree(task / "tests")
    if "no_overlay" in files and (task / "masked").is_dir() \
            and not (task / "masked").is_symlink():
        shutil.rmtree(task / "masked")
    if "no_repo" in files:
        shutil.rmtree(repo)
    return tasks, host


UNREAD_ATIME = 1000.0


def set_tripwire(host: Path) -> None:
    """Date every file in `host` as last read long before its last change: reading it then
    moves its access time (relatime updates an atime older than the mtime), which
    `tripped` reports. Set after the last `snapshot`, which reads everything."""
    for path in host.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (UNREAD_ATIME, path.stat().st_mtime))


def tripped(host: Path) -> list[str]:
    """Files of `host` read since `set_tripwire`."""
    return sorted(p.name for p in host.rglob("*") if p.is_file() and not p.is_symlink()
                  and p.stat().st_atime != UNREAD_ATIME)


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry under `root` (links not followed) with its type, mode and content hash,
    minus `skip`: what a run of the harness must leave exactly as it was."""
    state: dict[str, str] = {}
    for current, dirs, files in os.walk(root):
        here = Path(current)
        if skip is not None and (here == skip or skip in here.parents):
            dirs[:] = []
            continue
        for name in sorted([*dirs, *files]):
            path = here / name
            if skip is not None and path == skip:
                continue
            st_ = path.lstat()
            kind = oct(st_.st_mode)
            if path.is_symlink():
                digest = os.readlink(path)
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest = ""
            state[path.relative_to(root).as_posix()] = f"{kind} {digest}"
    return state
