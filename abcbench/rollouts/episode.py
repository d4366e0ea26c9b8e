"""The episode API: `reset(task_id, seed)` -> instruction and tool schema, `step(action)` ->
observation, `finish()` -> reward report, for a trainer that samples actions itself.

An episode is an ordinary trial (`abcbench.trial`) run in a background thread, whose agent is
the trainer (`SteppedAgent`): the same sandbox, isolation, budget, tools, grading and error
policy as `abcbench run`, and the trial's own cleanup in `finally`. `close()` (or leaving the
`with` block) stops a live episode and removes every container and network of the episode's
run, whatever state it was in.

    with Episode(output_dir=Path("rollouts")) as env:
        first = env.reset("python-flask-bookshelf-loans", seed=7)
        obs = env.step(Action("bash", {"command": "ls"}))
        record = env.finish()          # record.reward, record.report.tests, record.valid
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, Field

from abcbench.agents.tools import TOOL_SCHEMAS, ToolOutcome
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.paths import bundled_tasks_dir
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.rollouts.models import EpisodeRecord, RewardReport
from abcbench.rollouts.records import episode_record
from abcbench.rollouts.reward import RewardKind, reward_report
from abcbench.rollouts.stepped_agent import END, Channel, SteppedAgent
from abcbench.sandbox.lifecycle import cleanup
from abcbench.tasks.registry import TaskRegistry
from abcbench.trial import Trial, TrialSpec, make_trial

REPLY_POLL_SEC = 0.1


@dataclass(frozen=True)
class Action:
    """One tool call: a name from the tool schema and its arguments (a dict, or JSON text as
    a model wrote it)."""

    name: str
    arguments: dict[str, Any] | str | None = None


class ResetResult(BaseModel):
    episode_id: str
    task_id: str
    seed: int | None
    instruction: str
    tools: list[dict[str, Any]] = Field(description="OpenAI function-calling tool schema.")
    repo_dir: str
    time_budget_sec: float
    startup_sec: float = Field(description="reset() call to sandbox ready (seconds).")


class Observation(BaseModel):
    output: str
    ok: bool = True
    truncated: bool = False
    timed_out: bool = False
    malformed: bool = False
    done: bool = Field(False, description="No further step runs: call finish().")
    duration_sec: float = 0.0
    remaining_sec: float = 0.0


class EpisodeFault(RuntimeError):
    """The episode could not start (an infrastructure fault before the sandbox was ready):
    `report` says why; a trainer drops the episode."""

    def __init__(self, report: RewardReport) -> None:
        super().__init__(report.error or "the episode could not start")
        self.report = report


class Episode:
    """One episode at a time over the tasks of `tasks_dir` (default: the bundled tasks)."""

    def __init__(self, *, output_dir: Path, tasks_dir: Path | None = None,
                 run_id: str | None = None, agent_timeout_sec: float | None = None,
                 test_timeout_sec: float | None = None,
                 reward: RewardKind = RewardKind.resolved,
                 max_output_chars: int = 16_000, images: ImageManager | None = None) -> None:
        self.registry = TaskRegistry.from_dir(tasks_dir or bundled_tasks_dir())
        self.run_id = run_id or f"episodes-{secrets.token_hex(4)}"
        self.run_dir = RunDir(output_dir.resolve() / self.run_id)
        self.agent_timeout_sec, self.test_timeout_sec = agent_timeout_sec, test_timeout_sec
        self.reward, self.max_output_chars = reward, max_output_chars
        self.images = images or ImageManager()
        self._n = 0
        self._trial: Trial | None = None
        self._thread: threading.Thread | None = None
        self._channel: Channel | None = None
        self._cancelled = threading.Event()
        self._result: TrialResult | None = None
        self._transcript: list[dict[str, Any]] = []
        self._seed: int | None = None

    # -- the API ---------------------------------------------------------------------------

    def reset(self, task_id: str, seed: int | None = None) -> ResetResult:
        """Start a new episode (a live one is stopped first); returns once its sandbox is
        ready. Raises `EpisodeFault` when it could not start (infrastructure)."""
        self._stop_live()
        task = self.registry.get(task_id)
        self._n += 1
        self._seed, self._result, self._cancelled = seed, None, threading.Event()
        channel = Channel(output_chars=self.max_output_chars)
        kwargs = {} if seed is None else {"seed": str(seed)}
        spec = TrialSpec(run_id=self.run_id, task=task, attempt=self._n,
                         agent_cls=SteppedAgent.bind(channel),
                         agent_info=AgentInfo(name=SteppedAgent.name, kwargs=kwargs),
                         agent_timeout_sec=self.agent_timeout_sec,
                         test_timeout_sec=self.test_timeout_sec)
        started = time.monotonic()
        self._trial = make_trial(spec, self.run_dir, self.images, cancelled=self._cancelled)
        self._channel = channel
        self._thread = threading.Thread(target=self._run_trial, name=f"episode-{spec.name}",
                                        daemon=True)
        self._thread.start()
        while not channel.ready.wait(REPLY_POLL_SEC):
            if not self._thread.is_alive():
                self._thread.join()
                assert self._result is not None
                raise EpisodeFault(reward_report(self._result, self.reward))
        ctx = channel.context
        assert ctx is not None
        self._transcript = [{"role": "user", "content": ctx.instruction}]
        return ResetResult(episode_id=spec.name, task_id=task.id, seed=seed,
                           instruction=ctx.instruction, tools=TOOL_SCHEMAS,
                           repo_dir=ctx.repo_dir, time_budget_sec=ctx.time_budget_sec,
                           startup_sec=round(time.monotonic() - started, 3))

    def step(self, action: Action) -> Observation:
        """Run one tool call in the episode's sandbox; `done` once no further call runs."""
        channel = self._live()
        if channel.closed.is_set():
            return self._over(channel)
        call_id = f"call_{len(self._transcript)}"
        self._transcript.append({"role": "assistant", "content": None, "tool_calls": [
            {"id": call_id, "type": "function", "function": {
                "name": action.name, "arguments": action.arguments
                if isinstance(action.arguments, str) else _json(action.arguments)}}]})
        channel.actions.put((action.name, action.arguments))
        while True:
            try:
                reply = channel.replies.get(timeout=REPLY_POLL_SEC)
                break
            except queue.Empty:
                if channel.closed.is_set() and channel.replies.empty():
                    return self._over(channel)
        ctx = channel.context
        remaining = max(ctx.remaining_sec(), 0.0) if ctx is not None else 0.0
        if isinstance(reply, BaseException):
            obs = Observation(output=f"error: {reply}", ok=False, done=True,
                              remaining_sec=remaining)
        else:
            obs = _observation(reply, remaining, done=reply.finished or remaining <= 0)
        self._transcript.append({"role": "tool", "tool_call_id": call_id,
                                 "content": obs.output})
        return obs

    def finish(self) -> EpisodeRecord:
        """End the agent phase (if the policy has not called `finish`), then export, build,
        deploy and run the hidden tests; the record holds the reward report."""
        channel = self._live()
        channel.actions.put(END)
        assert self._thread is not None
        self._thread.join()
        result = self._result
        assert result is not None and self._trial is not None
        record = episode_record(result, self._trial.dir, self.reward)
        record.messages = self._transcript
        record.tools = TOOL_SCHEMAS
        self._channel = self._trial = self._thread = None
        return record

    def close(self) -> None:
        """Stop a live episode and remove every container and network of this run."""
        try:
            self._stop_live()
        finally:
            cleanup(run=self.run_id)

    def __enter__(self) -> Episode:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------------

    def _run_trial(self) -> None:
        assert self._trial is not None
        self._result = self._trial.run()

    def _live(self) -> Channel:
        if self._channel is None:
            raise UserError("no live episode: call reset(task_id, seed) first")
        return self._channel

    def _over(self, channel: Channel) -> Observation:
        return Observation(output=f"the episode is over ({channel.end_reason}); call finish()",
                           ok=False, done=True)

    def _stop_live(self) -> None:
        if self._thread is not None:
            self._cancelled.set()
            self._thread.join()
        self._channel = self._trial = self._thread = None


def _json(arguments: dict[str, Any] | None) -> str:
    return json.dumps(arguments or {})


def _observation(outcome: ToolOutcome, remaining: float, done: bool) -> Observation:
    return Observation(output=outcome.output, ok=outcome.ok, truncated=outcome.truncated,
                       timed_out=outcome.timed_out, malformed=outcome.malformed, done=done,
                       duration_sec=outcome.duration_sec, remaining_sec=remaining)
