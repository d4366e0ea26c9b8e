"""The agent a trainer drives from outside, one tool call at a time (the episode API).

It runs inside an ordinary trial's agent phase, so it gets the same guarded sandbox, budget
and tools as the built-in `abc` agent (`abcbench.agents.tools`), and the trial does the rest
(export, build, deploy, hidden tests, error policy, cleanup). The trainer's thread hands it
actions through a `Channel`; it hands back each tool's outcome. A fault of the sandbox is
raised from the agent so that the trial classifies it by the error policy, by its type.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.guard import AgentStopped
from abcbench.agents.tools import DEFAULT_OUTPUT_CHARS, ToolExecutor, ToolOutcome

POLL_SEC = 0.05


class _End:
    """Sent by `finish()`: the policy is done; grade the repository as it stands."""


END = _End()


@dataclass
class Channel:
    """The two queues between the trainer's thread and the agent's thread."""

    output_chars: int = DEFAULT_OUTPUT_CHARS
    ready: threading.Event = field(default_factory=threading.Event)
    closed: threading.Event = field(default_factory=threading.Event)
    """Set when the agent has returned: no further action is executed."""
    actions: queue.Queue[tuple[str, Any] | _End] = field(default_factory=queue.Queue)
    replies: queue.Queue[ToolOutcome | BaseException] = field(default_factory=queue.Queue)
    context: AgentContext | None = None
    end_reason: str = ""


class SteppedAgent(Agent):
    """Bound to one `Channel` by `bind`; the trial instantiates the bound subclass."""

    name = "policy"
    description = "An external policy driving the built-in tools one call at a time."
    channel: ClassVar[Channel]

    @classmethod
    def bind(cls, channel: Channel) -> type[SteppedAgent]:
        return type("BoundSteppedAgent", (cls,), {"channel": channel})

    def run(self, ctx: AgentContext) -> AgentResult:
        ch = self.channel
        tools = ToolExecutor(ctx.sandbox, ctx.repo_dir, ctx.remaining_sec, ch.output_chars)
        ch.context = ctx
        ch.ready.set()
        steps = 0
        try:
            while True:
                try:
                    item = ch.actions.get(timeout=POLL_SEC)
                except queue.Empty:
                    if ctx.should_stop():
                        ch.end_reason = "the time budget ran out"
                        return AgentResult(exit_status="budget", n_steps=steps,
                                           message=ch.end_reason)
                    continue
                if isinstance(item, _End):
                    ch.end_reason = "the policy finished"
                    return AgentResult(exit_status="finished", n_steps=steps)
                steps += 1
                try:
                    outcome = tools.execute(*item)
                except AgentStopped as exc:
                    ch.end_reason = str(exc)
                    ch.replies.put(exc)
                    return AgentResult(exit_status="budget", n_steps=steps, message=str(exc))
                except BaseException as exc:  # the trial classifies it (error policy)
                    ch.end_reason = f"{exc.__class__.__name__}: {exc}"
                    ch.replies.put(exc)
                    raise
                ch.replies.put(outcome)
                if outcome.finished:
                    ch.end_reason = "the policy called finish"
                    return AgentResult(exit_status="finished", n_steps=steps,
                                       message=outcome.output)
        finally:
            ch.closed.set()
