"""What the scripted model server answers, request after request.

A script is a list of steps. Each request consumes the next step: an assistant reply (text
and/or tool calls), or an injected fault (an HTTP status with an optional Retry-After), after an
optional delay. Faults are steps of their own, so "429 then the real answer" is two steps, and a
test can say exactly how many requests the client must make.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class ToolCallStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None


def tool(name: str, /, **arguments: Any) -> ToolCallStep:
    return ToolCallStep(name=name, arguments=arguments)


class UsageStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


class Step(BaseModel):
    """One response. `status` other than 200 injects a failure instead of a completion."""

    model_config = ConfigDict(extra="forbid")

    content: str | None = None
    tool_calls: list[ToolCallStep] = Field(default_factory=list)
    status: int = 200
    retry_after: str | None = None
    """Sent verbatim as the Retry-After header: seconds, or an HTTP date."""
    error_message: str = "injected failure"
    delay_sec: float = 0.0
    usage: UsageStep | None = None
    """Reported usage; by default estimated from the request and reply sizes (4 chars/token)."""

    @classmethod
    def say(cls, content: str, **kw: Any) -> Step:
        return cls(content=content, **kw)

    @classmethod
    def call(cls, name: str, /, **arguments: Any) -> Step:
        """A reply that is one tool call; for text, delays or usage build `Step(...)` with
        `tool_calls=[tool(...)]`."""
        return cls(tool_calls=[tool(name, **arguments)])

    @classmethod
    def fail(cls, status: int, retry_after: str | None = None, **kw: Any) -> Step:
        return cls(status=status, retry_after=retry_after, **kw)


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: list[Step]
    when_exhausted: Literal["repeat_last", "error", "say_done"] = "say_done"
    """After the last step: repeat it, answer HTTP 500, or reply with a plain closing text."""

    @classmethod
    def load(cls, path: Path) -> Script:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        if isinstance(data, list):
            data = {"steps": data}
        return cls.model_validate(data)
