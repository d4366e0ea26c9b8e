"""One trial's trajectory, read from `agent/trajectory.json` (ATIF) into what its viewer page
shows: each step's message, reasoning, tool calls, outputs, tokens and timing.

The file is hostile input (the model wrote most of it, and run folders can be edited): it is
opened without following links, read up to a size cap, parsed leniently (a field of the wrong
type is dropped, not fatal), and every text is cut to a length cap with the number of
characters left out, so the page can say so where the text ends.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

TRAJECTORY = "agent/trajectory.json"
MAX_FILE_BYTES = 32 * 1024 * 1024
"""Larger files are not embedded; the page links to the file instead."""
MAX_TEXT = 20_000
"""Characters kept of one message, argument list or output."""
MAX_PAGE_TEXT = 2_000_000
"""Characters kept over the whole page: past it, texts show only their truncation marker."""
MAX_STEPS = 2_000


class Text(BaseModel):
    text: str
    omitted: int = Field(default=0, description="Characters cut from the end.")


class ToolCallView(BaseModel):
    call_id: str
    name: str
    arguments: Text


class OutputView(BaseModel):
    call_id: str | None
    content: Text


class StepView(BaseModel):
    step_id: int | None
    source: str
    timestamp: str | None = None
    elapsed_sec: float | None = Field(default=None, description="Since the previous step.")
    model_name: str | None = None
    message: Text
    reasoning: Text | None = None
    tool_calls: list[ToolCallView] = Field(default_factory=list)
    outputs: list[OutputView] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)


class TrajectoryView(BaseModel):
    agent: str | None = None
    agent_version: str | None = None
    model_name: str | None = None
    schema_version: str | None = None
    steps: list[StepView] = Field(default_factory=list)
    omitted_steps: int = 0
    final_metrics: dict[str, float] = Field(default_factory=dict)
    problem: str | None = Field(default=None, description="Why nothing (or not everything) "
                                "could be shown; None when the file read cleanly.")


class _Budget:
    """The page's remaining characters, shared by every text of one trajectory."""

    def __init__(self, total: int) -> None:
        self.left = total

    def text(self, value: object) -> Text:
        try:
            s = value if isinstance(value, str) else json.dumps(value, indent=2,
                                                                  ensure_ascii=False)
        except (ValueError, RecursionError):
            s = repr(value)[:MAX_TEXT]
        keep = max(0, min(len(s), MAX_TEXT, self.left))
        self.left -= keep
        return Text(text=s[:keep], omitted=len(s) - keep)


def read_capped(root: Path, rel: str, limit: int | None = None) -> bytes:
    """The bytes of `root/rel`, no link followed on the way (an `agent` folder linked to a host
    folder is refused); OSError for a link, a non-regular file or one over `limit`."""
    limit = MAX_FILE_BYTES if limit is None else limit
    *folders, name = rel.split("/")
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
    try:
        for folder in folders:
            fds.append(os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                               | os.O_CLOEXEC, dir_fd=fds[-1]))
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=fds[-1])
    finally:
        for opened in fds:
            os.close(opened)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{rel} is not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{rel} is over {limit // (1024 * 1024)} MiB; open it directly")
    return data


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _numbers(value: object) -> dict[str, float]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items()
            if isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)}


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _step(raw: dict[str, Any], budget: _Budget) -> StepView:
    calls = [c for c in raw.get("tool_calls") or [] if isinstance(c, dict)]
    observation = raw.get("observation")
    results = observation.get("results") if isinstance(observation, dict) else None
    reasoning = raw.get("reasoning_content")
    step_id = raw.get("step_id")
    return StepView(
        step_id=step_id if isinstance(step_id, int) and not isinstance(step_id, bool) else None,
        source=_str(raw.get("source")) or "?",
        timestamp=_str(raw.get("timestamp")),
        model_name=_str(raw.get("model_name")),
        message=budget.text(raw.get("message") if raw.get("message") is not None else ""),
        reasoning=budget.text(reasoning) if reasoning else None,
        tool_calls=[ToolCallView(call_id=_str(c.get("tool_call_id")) or "",
                                 name=_str(c.get("function_name")) or "?",
                                 arguments=budget.text(c.get("arguments", {})))
                    for c in calls],
        outputs=[OutputView(call_id=_str(r.get("source_call_id")),
                            content=budget.text(r.get("content") or ""))
                 for r in (results if isinstance(results, list) else [])
                 if isinstance(r, dict)],
        metrics=_numbers(raw.get("metrics")),
    )


def trajectory_view(trial_dir: Path) -> TrajectoryView:
    """The trial's trajectory for the viewer; `problem` says why it is absent or partial."""
    try:
        data = json.loads(read_capped(trial_dir, TRAJECTORY))
    except FileNotFoundError:
        return TrajectoryView(problem=f"no {TRAJECTORY}: the agent never started or wrote none")
    except OSError as exc:
        why = "a link or not a plain file" if exc.errno in (errno.ELOOP, errno.ENOTDIR) else (
            exc.strerror if exc.errno else str(exc))
        return TrajectoryView(problem=f"{TRAJECTORY} not shown: {why}")
    except (ValueError, RecursionError) as exc:
        return TrajectoryView(problem=f"{TRAJECTORY} is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return TrajectoryView(problem=f"{TRAJECTORY} is not an ATIF object")
    raw_agent = data.get("agent")
    agent: dict[str, Any] = raw_agent if isinstance(raw_agent, dict) else {}
    raw_steps = [s for s in data.get("steps") or [] if isinstance(s, dict)]
    budget = _Budget(MAX_PAGE_TEXT)
    steps = [_step(s, budget) for s in raw_steps[:MAX_STEPS]]
    previous: datetime | None = None
    for view in steps:
        now = _when(view.timestamp)
        if now is not None and previous is not None:
            with contextlib.suppress(TypeError):  # one naive, one aware timestamp
                view.elapsed_sec = round((now - previous).total_seconds(), 3)
        previous = now or previous
    final = data.get("final_metrics")
    return TrajectoryView(
        agent=_str(agent.get("name")), agent_version=_str(agent.get("version")),
        model_name=_str(agent.get("model_name")),
        schema_version=_str(data.get("schema_version")), steps=steps,
        omitted_steps=max(0, len(raw_steps) - MAX_STEPS),
        final_metrics=_numbers(final if isinstance(final, dict) else None),
        problem=None if isinstance(data.get("steps"), list) else f"{TRAJECTORY} has no steps",
    )
