"""The built-in agent's tools: their JSON schemas, and executors that act through the sandbox.

Tools never raise on the agent's mistakes (a missing file, an ambiguous replacement): the error
goes back to the model as the tool's output so it can correct course. Only a dead sandbox
propagates. Output is cut to a head and a tail, because the end of a build log or a traceback
matters as much as its start.
"""

from __future__ import annotations

import json
import posixpath
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from abcbench.errors import InfrastructureFault
from abcbench.sandbox.base import Sandbox, SandboxError, SandboxUnavailable
from abcbench.sandbox.client import CONNECTION_ERRORS

ENDS_EPISODE: tuple[type[BaseException], ...] = (
    SandboxUnavailable, InfrastructureFault, *CONNECTION_ERRORS)
"""What a tool call re-raises: a sandbox gone or stopped, an engine that stopped answering."""

DEFAULT_COMMAND_TIMEOUT = 180.0
MAX_COMMAND_TIMEOUT = 1800.0
DEFAULT_OUTPUT_CHARS = 16_000
FINISH = "finish"


def _fn(name: str, description: str, properties: dict[str, Any],
        required: list[str]) -> dict[str, Any]:
    return {"type": "function", "function": {
        "name": name, "description": description,
        "parameters": {"type": "object", "properties": properties, "required": required,
                       "additionalProperties": False},
    }}


TOOL_SCHEMAS: list[dict[str, Any]] = [
    _fn("bash", "Run a bash command in the repository folder (a fresh shell each time: cd and "
        "exports do not persist). Output is stdout+stderr, truncated in the middle when long. "
        "Background servers must be started with nohup/& and their output redirected.",
        {"command": {"type": "string"},
         "timeout_sec": {"type": "number", "description": "Default 180, max 1800."}},
        ["command"]),
    _fn("read_file", "Read a text file (path absolute or relative to the repository), "
        "optionally a range of lines (1-based, inclusive).",
        {"path": {"type": "string"}, "start_line": {"type": "integer"},
         "end_line": {"type": "integer"}}, ["path"]),
    _fn("write_file", "Create or overwrite a file with the given content (folders are created).",
        {"path": {"type": "string"}, "content": {"type": "string"}}, ["path", "content"]),
    _fn("str_replace", "Replace `old` by `new` in a file. `old` must occur exactly once unless "
        "replace_all is true; include surrounding lines to make it unique.",
        {"path": {"type": "string"}, "old": {"type": "string"}, "new": {"type": "string"},
         "replace_all": {"type": "boolean"}}, ["path", "old", "new"]),
    _fn(FINISH, "Call when the task is complete (or you cannot make further progress). "
        "Your work is graded as the repository stands.",
        {"summary": {"type": "string"}}, []),
]


TOOL_NAMES: tuple[str, ...] = tuple(t["function"]["name"] for t in TOOL_SCHEMAS)


def truncate_middle(text: str, limit: int) -> tuple[str, bool]:
    """Keep the head and the tail of `text` (at line boundaries when close), drop the middle."""
    if len(text) <= limit:
        return text, False
    keep = max(limit, 200)
    head, tail = text[: keep * 2 // 5], text[len(text) - keep * 3 // 5:]
    cut = head.rfind("\n")
    if cut > len(head) // 2:
        head = head[: cut + 1]
    cut = tail.find("\n")
    if 0 <= cut < len(tail) // 2:
        tail = tail[cut + 1:]
    omitted = len(text) - len(head) - len(tail)
    return f"{head}\n[... {omitted} characters omitted ...]\n{tail}", True


@dataclass
class ToolOutcome:
    output: str
    ok: bool = True
    truncated: bool = False
    finished: bool = False
    timed_out: bool = False
    duration_sec: float = 0.0
    malformed: bool = False
    """The call itself was broken (arguments not a JSON object, unknown tool, wrong
    arguments): the model's output, not the command, failed."""


RawArguments = str | dict[str, Any] | None
"""A tool call's `arguments`: JSON text per the API, but some servers send the object."""


def parse_arguments(raw: object) -> dict[str, Any]:
    """The arguments as a dict; ValueError saying what is wrong otherwise."""
    if isinstance(raw, dict):
        return raw
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, str):
        raise ValueError(f"arguments must be a JSON object, got {type(raw).__name__}")
    args = json.loads(raw)
    if not isinstance(args, dict):
        raise ValueError("arguments must be a JSON object")
    return args


_PROPERTIES: dict[str, dict[str, Any]] = {
    t["function"]["name"]: t["function"]["parameters"]["properties"] for t in TOOL_SCHEMAS}


def coerce_arguments(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a known tool, each of its schema's type: a number or a boolean sent as
    text ("12", "true") is taken for what it says; anything else of the wrong type (text for
    a number, an object for a string, null) is a ValueError naming the field, for the model."""
    out = dict(args)
    for field, spec in _PROPERTIES.get(name, {}).items():
        if field not in out:
            continue
        value, kind = out[field], spec.get("type")
        try:
            out[field] = _coerce(value, kind)
        except (TypeError, ValueError, OverflowError):
            shown = json.dumps(value)[:80] if _jsonable(value) else type(value).__name__
            raise ValueError(f"`{field}` must be a {kind}, got {shown}") from None
    return out


def _coerce(value: object, kind: object) -> object:
    if kind == "string":
        if not isinstance(value, str):
            raise TypeError
        return value
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError  # True is not a line number; a list is not a timeout
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    if kind == "integer":
        if not number.is_integer():
            raise ValueError
        return int(number)
    return int(number) if isinstance(value, int) else number


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def arguments_text(raw: object) -> str:
    """The arguments as they are recorded: JSON text."""
    return raw if isinstance(raw, str) else json.dumps(raw)


class ToolExecutor:
    """Runs tool calls against one sandbox, with commands clipped to the remaining budget."""

    def __init__(self, sandbox: Sandbox, repo_dir: str, remaining_sec: Callable[[], float],
                 output_chars: int = DEFAULT_OUTPUT_CHARS) -> None:
        self.sandbox = sandbox
        self.repo_dir = repo_dir
        self.remaining_sec = remaining_sec
        self.output_chars = output_chars

    def execute(self, name: str, raw_arguments: object) -> ToolOutcome:
        started = time.monotonic()
        try:
            args = parse_arguments(raw_arguments)
        except ValueError as exc:
            outcome = ToolOutcome(f"error: arguments are not valid JSON ({exc})", ok=False,
                                  malformed=True)
        else:
            handler = getattr(self, f"_tool_{name}", None)
            if handler is None or name not in TOOL_NAMES:
                outcome = ToolOutcome(f"error: unknown tool {name!r}; use one of "
                                      f"{', '.join(TOOL_NAMES)}", ok=False, malformed=True)
            else:
                outcome = self._call(name, handler, args)
        outcome.output, cut = truncate_middle(outcome.output, self.output_chars)
        outcome.truncated = outcome.truncated or cut
        outcome.duration_sec = round(time.monotonic() - started, 3)
        return outcome

    def _call(self, name: str, handler: Callable[..., ToolOutcome],
              args: dict[str, Any]) -> ToolOutcome:
        """One tool call; whatever goes wrong comes back to the model as the tool's error,
        except a sandbox that is gone or stopped, or an engine that stopped answering (the
        episode cannot go on: the error policy decides whose fault it was)."""
        try:
            args = coerce_arguments(name, args)
        except ValueError as exc:
            return ToolOutcome(f"error: bad arguments for {name}: {exc}", ok=False,
                               malformed=True)
        try:
            return handler(**args)
        except TypeError as exc:
            return ToolOutcome(f"error: bad arguments for {name}: {exc}", ok=False,
                               malformed=True)
        except ENDS_EPISODE:
            raise  # the sandbox or the engine is gone: no tool error the model could act on
        except SandboxError as exc:  # a missing file, a refused write: the model can fix it
            return ToolOutcome(f"error: {exc}", ok=False)
        except Exception as exc:  # never the end of the episode (issue 20)
            return ToolOutcome(f"error: {name} failed: {exc.__class__.__name__}: {exc}",
                               ok=False)

    def _path(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.repo_dir, path))

    def _tool_bash(self, command: str, timeout_sec: float | None = None) -> ToolOutcome:
        asked = min(float(timeout_sec or DEFAULT_COMMAND_TIMEOUT), MAX_COMMAND_TIMEOUT)
        remaining = self.remaining_sec()
        timeout = max(min(asked, remaining), 1.0)
        result = self.sandbox.exec(command, timeout=timeout, cwd=self.repo_dir,
                                   output_limit=max(self.output_chars * 4, 65536))
        text = result.stdout
        if result.stderr:
            text += ("\n" if text and not text.endswith("\n") else "") + result.stderr
        if result.timed_out:
            why = "the agent's time budget" if remaining < asked else f"{timeout:.0f}s"
            text += f"\n[command killed: it ran past {why}]"
        text += f"\n[exit code {result.exit_code}]"
        return ToolOutcome(text, ok=result.ok, truncated=result.truncated,
                           timed_out=result.timed_out)

    def _tool_read_file(self, path: str, start_line: int | None = None,
                        end_line: int | None = None) -> ToolOutcome:
        text = self.sandbox.read_file(self._path(path)).decode("utf-8", errors="replace")
        if start_line is not None or end_line is not None:
            lines = text.splitlines(keepends=True)
            first = max(int(start_line or 1), 1)
            last = min(int(end_line or len(lines)), len(lines))
            text = "".join(lines[first - 1: last])
        return ToolOutcome(text)

    def _file_mode(self, path: str) -> int:
        """Keep an existing file's permission bits when rewriting it."""
        result = self.sandbox.exec(["stat", "-c", "%a", path], timeout=30)
        try:
            return int(result.stdout.strip(), 8) if result.ok else 0o644
        except ValueError:
            return 0o644

    def _tool_write_file(self, path: str, content: str) -> ToolOutcome:
        target = self._path(path)
        self.sandbox.write_file(target, content.encode(), mode=self._file_mode(target))
        return ToolOutcome(f"wrote {len(content.encode())} bytes to {target}")

    def _tool_str_replace(self, path: str, old: str, new: str,
                          replace_all: bool = False) -> ToolOutcome:
        target = self._path(path)
        # Bytes that are not UTF-8 (a latin-1 file) survive the round trip unchanged.
        text = self.sandbox.read_file(target).decode("utf-8", errors="surrogateescape")
        count = text.count(old) if old else 0
        if count == 0:
            return ToolOutcome(f"error: `old` was not found in {target}; read the file and copy "
                               "the exact text, whitespace included", ok=False)
        if count > 1 and not replace_all:
            return ToolOutcome(f"error: `old` occurs {count} times in {target}; add surrounding "
                               "lines to make it unique, or set replace_all", ok=False)
        updated = text.replace(old, new) if replace_all else text.replace(old, new, 1)
        self.sandbox.write_file(target, updated.encode("utf-8", errors="surrogateescape"),
                                mode=self._file_mode(target))
        return ToolOutcome(f"replaced {count if replace_all else 1} occurrence(s) in {target}")

    def _tool_finish(self, summary: str = "") -> ToolOutcome:
        return ToolOutcome(f"finished: {summary}".strip(), finished=True)


def describe_call(name: str, raw_arguments: object) -> str:
    """A one-line summary for logs: `bash: ls -la` rather than the raw JSON."""
    try:
        args = parse_arguments(raw_arguments)
    except ValueError:
        return f"{name}: {raw_arguments}"[:200]
    if name == "bash" and isinstance(args, dict):
        return f"bash: {args.get('command', '')}"[:200]
    if isinstance(args, dict) and "path" in args:
        return f"{name}: {shlex.quote(str(args['path']))}"
    return name
