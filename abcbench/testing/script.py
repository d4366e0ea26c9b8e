"""What the scripted model server answers, turn after turn of a conversation.

A script is a list of steps: assistant replies (text and/or tool calls) and injected faults (an
HTTP status with an optional Retry-After, a hang, a malformed body, a dropped connection).
Faults are steps of their own, so "429 then the real answer" is two steps, and a test can say
exactly how many requests the client must make. The server picks the reply from the
conversation a request carries (how many assistant turns it holds), so concurrent conversations
and a client's retries of the same turn each get the right answer; each fault fires once, on
the first request(s) for the turn it precedes.
"""

from __future__ import annotations

import hashlib
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
    raw_arguments: Any = None
    """Sent verbatim instead of `arguments` as JSON text: broken JSON, or a JSON object (some
    servers send one) to test how clients cope."""

    def wire_arguments(self) -> Any:
        return json.dumps(self.arguments) if self.raw_arguments is None else self.raw_arguments


def tool(name: str, /, **arguments: Any) -> ToolCallStep:
    return ToolCallStep(name=name, arguments=arguments)


class UsageStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


class ScriptedToken(BaseModel):
    """One token of a reply as served with `logprobs`: text, id and log-probability."""

    model_config = ConfigDict(extra="forbid")

    token: str
    token_id: int
    logprob: float


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
    """Wait before answering; longer than the client's timeout, it is a hang."""
    fault: Literal["malformed", "disconnect"] | None = None
    """`malformed`: status 200 with a body no client can parse (a cut-off JSON document, or
    an event stream that stops mid-event without its final event); `disconnect`: close the
    connection without an answer."""
    omit_usage: bool = False
    """Send the reply without any usage block (some servers do)."""
    usage: UsageStep | None = None
    """Reported usage; by default estimated from the request and reply sizes (4 chars/token)."""
    tokens: list[ScriptedToken] | None = None
    """Served as `logprobs.content` (and `token_ids`) when the request asks for them; by
    default `scripted_tokens` derives them from the reply, deterministically."""

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

    @classmethod
    def hang(cls, seconds: float) -> Step:
        """A fault: no answer for `seconds` (then a 504, if the client is still there)."""
        return cls(status=504, delay_sec=seconds, error_message="hung")

    @property
    def is_fault(self) -> bool:
        return self.status != 200 or self.fault is not None


class Route(BaseModel):
    """Steps for the conversations whose user messages contain `match` (e.g. a task's
    instruction) and, when `seed` is set, whose requests carry that sampling `seed`: one
    server can play a different part for each of several trials, even of the same task."""

    model_config = ConfigDict(extra="forbid")

    match: str = ""
    seed: int | None = None
    steps: list[Step]


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: list[Step] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    """Tried in order before `steps`; the first whose `match` occurs in the request's user
    messages supplies the steps."""
    when_exhausted: Literal["repeat_last", "error", "say_done"] = "say_done"
    """After the last step: repeat it, answer HTTP 500, or reply with a plain closing text."""

    def for_conversation(self, user_text: str, seed: object = None) -> tuple[int, Script]:
        """(route index or -1, the script with that route's steps) for a conversation."""
        for n, route in enumerate(self.routes):
            if route.match in user_text and (route.seed is None or route.seed == seed):
                return n, Script(steps=route.steps, when_exhausted=self.when_exhausted)
        return -1, Script(steps=self.steps, when_exhausted=self.when_exhausted)

    @classmethod
    def load(cls, path: Path) -> Script:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        if isinstance(data, list):
            data = {"steps": data}
        return cls.model_validate(data)

    def turns(self) -> list[tuple[list[Step], Step]]:
        """(faults first answered, reply) per assistant turn; trailing faults form a turn whose
        reply is the `when_exhausted` one."""
        out: list[tuple[list[Step], Step]] = []
        faults: list[Step] = []
        for step in self.steps:
            if step.is_fault:
                faults.append(step)
            else:
                out.append((faults, step))
                faults = []
        if faults:
            out.append((faults, self.exhausted_reply() or Step.fail(500, error_message=(
                "script exhausted"))))
        return out

    def exhausted_reply(self) -> Step | None:
        """What a turn past the script gets (None: HTTP 500)."""
        replies = [s for s in self.steps if not s.is_fault]
        if self.when_exhausted == "repeat_last" and replies:
            return replies[-1]
        if self.when_exhausted == "say_done":
            return Step(content="I have nothing more to add.")
        return None


def scripted_tokens(step: Step) -> list[ScriptedToken]:
    """The tokens a reply is served as: `step.tokens`, or by default its content and tool
    calls as JSON cut in 4-character pieces, each with an id and a log-probability derived
    from a hash (deterministic, so a test can compare what was recorded with what was served)."""
    if step.tokens is not None:
        return step.tokens
    text = json.dumps([step.content, [[c.name, c.wire_arguments()] for c in step.tool_calls]])
    out = []
    for n in range(0, len(text), 4):
        piece = text[n:n + 4]
        digest = hashlib.sha256(f"{n}:{piece}".encode()).digest()
        out.append(ScriptedToken(token=piece, token_id=int.from_bytes(digest[:3], "big"),
                                 logprob=-round(digest[3] / 64, 6)))
    return out
