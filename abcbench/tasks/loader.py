"""Reads one task directory, in either layout, into a `Task`, or says exactly what is wrong."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from abcbench.errors import UserError
from abcbench.hashing import hash_tree
from abcbench.tasks.compose_check import compose_problems
from abcbench.tasks.containment import path_problems, resolve_paths
from abcbench.tasks.model import Task, TaskFormat
from abcbench.tasks.spec import TaskSpec
from abcbench.tasks.terminal_bench import TB_REQUIRED_FILES, TerminalBenchSpec

TASK_FILE = "task.yaml"
MAX_TEXT_BYTES = 1 << 20
"""task.yaml, an instruction file, a compose file: a larger one is not a task spec (and YAML
parsing in pure Python takes about a second per MB)."""
TB_USED_FILES = ("docker-compose.yaml", "run-tests.sh", "solution.sh", "Dockerfile", "tests")


class TaskLoadError(UserError):
    """A task directory that cannot be loaded; the message names the file and field."""


def _format_validation(path: Path, err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{path}: field '{loc}': {first['msg']}{more}"


def read_text(path: Path, task_file: Path, what: str) -> str:
    """A text file of a task, or one line saying why it cannot be read."""
    where = f"{task_file}" if path == task_file else f"{task_file}: {what}: {path}"
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise TaskLoadError(f"{where} is {size} bytes, over the {MAX_TEXT_BYTES >> 20} MiB "
                                "a task's text file may have; shorten it")
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TaskLoadError(f"{where} is not valid UTF-8 (byte {exc.start}); save it as "
                            "UTF-8") from None
    except OSError as exc:
        raise TaskLoadError(f"{where} cannot be read: {exc.strerror or exc}") from None


MAX_FLOW_DEPTH = 64
"""PyYAML's scanner takes quadratic time in the depth of `[`/`{` nesting (4 KB of `[` took
5 s) before its composer overflows the stack, so deeper text is refused unparsed."""


def _flow_depth_over(text: str, limit: int) -> bool:
    """Whether unclosed `[`/`{` ever exceed `limit` (a bound, not a parse: brackets in
    quoted text count too, which only matters for text no spec holds)."""
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}" and depth:
            depth -= 1
    return False


def _read_yaml(path: Path) -> dict[str, Any]:
    text = read_text(path, path, TASK_FILE)
    if _flow_depth_over(text, MAX_FLOW_DEPTH):
        raise TaskLoadError(f"{path}: nested more than {MAX_FLOW_DEPTH} levels of [ or {{; a "
                            "task spec is a few levels of fields")
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise TaskLoadError(f"{path}: nested too deeply to read; a task spec is a few levels "
                            "of fields") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise TaskLoadError(f"{path}: not valid YAML{where}: fix the syntax") from exc
    if not isinstance(data, dict):
        raise TaskLoadError(f"{path}: expected a mapping of fields, found {type(data).__name__}")
    return data


def is_task_dir(path: Path) -> bool:
    return (path / TASK_FILE).is_file()


def load_task(directory: Path) -> Task:
    directory = directory.resolve()
    task_file = directory / TASK_FILE
    if not task_file.is_file():
        raise TaskLoadError(f"{directory}: no {TASK_FILE}; is this a task directory?")
    if not task_file.resolve().is_relative_to(directory):
        raise TaskLoadError(f"{task_file} is a symlink out of the task folder (to "
                            f"{task_file.resolve()}); a task may not reach the host")
    data = _read_yaml(task_file)
    if "repository" in data or "schema_version" in data:
        return _load_native(directory, task_file, data)
    if any((directory / name).exists() for name in TB_REQUIRED_FILES):
        return _load_terminal_bench(directory, task_file, data)
    raise TaskLoadError(
        f"{task_file}: neither a native task (no 'repository' field) nor a Terminal-Bench task "
        f"(no {' or '.join(TB_REQUIRED_FILES)}); see `abcbench tasks schema`"
    )


def _require(path: Path, what: str, task_file: Path, *, directory: bool = False) -> None:
    ok = path.is_dir() if directory else path.is_file()
    if not ok:
        kind = "directory" if directory else "file"
        raise TaskLoadError(f"{task_file}: {what}: {kind} {path} does not exist")


def _load_native(directory: Path, task_file: Path, data: dict[str, Any]) -> Task:
    try:
        spec = TaskSpec.model_validate(data)
    except ValidationError as exc:
        raise TaskLoadError(_format_validation(task_file, exc)) from None
    if spec.id != directory.name:
        raise TaskLoadError(
            f"{task_file}: field 'id' is {spec.id!r} but the directory is {directory.name!r}; "
            "make them the same"
        )
    escapes = path_problems(spec, directory)
    if escapes:
        more = f" (and {len(escapes) - 1} more)" if len(escapes) > 1 else ""
        raise TaskLoadError(f"{task_file}: {escapes[0]}{more}")
    contained = resolve_paths(spec, directory)
    if spec.instruction_file is not None:
        instruction_path = directory / spec.instruction_file
        _require(instruction_path, "field 'instruction_file'", task_file)
        instruction = read_text(instruction_path, task_file, "field 'instruction_file'")
    else:
        instruction = spec.instruction or ""
    repo = contained.repository
    _require(repo, "field 'repository.source'", task_file, directory=True)
    mask = spec.repository.mask
    if mask.overlay is not None:
        _require(directory / mask.overlay, "field 'repository.mask.overlay'", task_file,
                 directory=True)
    for removed in mask.remove:
        if not os.path.lexists(repo / removed):
            raise TaskLoadError(
                f"{task_file}: field 'repository.mask.remove': {removed!r} is not in the "
                f"reference repository {repo}"
            )
    _require(repo / spec.service.dockerfile, "field 'service.dockerfile'", task_file)
    tests = contained.tests
    _require(tests, "field 'tests.directory'", task_file, directory=True)
    if not any(tests.glob("test_*.py")):
        raise TaskLoadError(
            f"{task_file}: field 'tests.directory': {tests} holds no test_*.py file; the hidden "
            "tests are pytest files"
        )
    h = hashlib.sha256()
    h.update(hash_tree(directory).encode())
    if not repo.is_relative_to(directory):
        h.update(hash_tree(repo).encode())
    return Task(
        id=spec.id,
        directory=directory,
        format=TaskFormat.native,
        language=spec.language.value,
        framework=spec.framework,
        category=spec.category,
        task_type=spec.task_type.value,
        difficulty=spec.difficulty.value,
        title=spec.title,
        instruction=instruction,
        agent_timeout_sec=spec.agent_timeout_sec,
        test_timeout_sec=spec.tests.timeout_sec,
        content_hash=h.hexdigest(),
        estimated_duration_sec=spec.estimated_duration_sec,
        native=spec,
    )


def _load_terminal_bench(directory: Path, task_file: Path, data: dict[str, Any]) -> Task:
    try:
        spec = TerminalBenchSpec.model_validate(data)
    except ValidationError as exc:
        raise TaskLoadError(_format_validation(task_file, exc)) from None
    for name in TB_USED_FILES:  # the harness reads these and copies them into containers
        if os.path.lexists(directory / name) and \
                not (directory / name).resolve().is_relative_to(directory):
            raise TaskLoadError(f"{task_file}: {name} is a symlink out of the task folder (to "
                                f"{(directory / name).resolve()}); a task may not reach the host")
    for name in TB_REQUIRED_FILES:
        _require(directory / name, "Terminal-Bench layout", task_file)
    _require(directory / "tests", "Terminal-Bench layout", task_file, directory=True)
    _check_compose(directory / "docker-compose.yaml")
    if spec.parser_name != "pytest":
        raise TaskLoadError(
            f"{task_file}: field 'parser_name' is {spec.parser_name!r}; only 'pytest' is supported"
        )
    tags = [t.lower() for t in spec.tags]
    language = spec.language or _guess(tags, _LANGUAGE_TAGS) or "unknown"
    task_type = spec.task_type or (
        "environment" if "environment" in tags or not (directory / "Dockerfile").exists()
        else "logic"
    )
    return Task(
        id=directory.name,
        directory=directory,
        format=TaskFormat.terminal_bench,
        language=language,
        framework=spec.framework or "unknown",
        category=spec.category,
        task_type=task_type,
        difficulty=spec.difficulty,
        title=spec.instruction.strip().splitlines()[0][:80],
        instruction=spec.instruction,
        agent_timeout_sec=spec.max_agent_timeout_sec,
        test_timeout_sec=spec.max_test_timeout_sec,
        content_hash=hash_tree(directory),
        estimated_duration_sec=spec.estimated_duration_sec,
        terminal_bench=spec,
    )


def _check_compose(compose_file: Path) -> None:
    text = read_text(compose_file, compose_file, "compose file")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise TaskLoadError(f"{compose_file}: not valid YAML: fix the syntax") from None
    problems = compose_problems(data, text, compose_file.parent)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise TaskLoadError(f"{compose_file}: {problems[0]}{more}; a task may not reach the "
                            "host")


_LANGUAGE_TAGS = {
    "python": "python", "javascript": "javascript", "js": "javascript", "node": "javascript",
    "typescript": "javascript", "java": "java", "go": "go", "golang": "go", "ruby": "ruby",
    "php": "php", "rust": "rust", "c#": "csharp", "csharp": "csharp", "dotnet": "csharp",
}


def _guess(tags: list[str], table: dict[str, str]) -> str | None:
    for tag in tags:
        if tag in table:
            return table[tag]
    return None
