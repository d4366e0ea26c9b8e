"""The agent phase under a hard budget: the agent runs in its own thread against a guarded
sandbox and a log folder it owns; the trial thread watches the deadline and the run's stop.

At the deadline (or when the agent returns, or the run stops) the agent is told to stop, its
sandbox refuses further calls and every process in the sandbox is killed, which also ends a
running exec; the agent then gets a short grace to return. Whatever it does later reaches
neither the submission nor the trial's folder: its log folder is copied once, then deleted.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from abcbench import scratch
from abcbench.agents.base import Agent, AgentContext, AgentResult, OracleContext
from abcbench.agents.guard import GuardedSandbox
from abcbench.redact import redact
from abcbench.sandbox.base import HarnessSandbox
from abcbench.tasks.model import Task
from abcbench.tasks.safepaths import write_text_nofollow

GRACE_SEC = 3.0
"""How long a stopped agent may take to return before the trial moves on without it."""
POLL_SEC = 0.1
"""How often the trial thread looks at the run's stop while the agent works."""


@dataclass
class AgentOutcome:
    result: AgentResult | None = None
    error: BaseException | None = None
    timed_out: bool = False
    """It had not returned by its deadline (a late return counts as not returned)."""
    cancelled: bool = False
    quiesced: bool = True
    """Every process in the sandbox was stopped (False: the sandbox had to be killed)."""


@dataclass
class AgentPhase:
    agent: Agent
    sandbox: HarnessSandbox
    instruction: str
    repo_dir: str
    budget_sec: float
    logs_dir: Path
    """The trial's folder for the agent's logs; the agent itself writes to a private copy."""
    cancelled: threading.Event
    task: Task | None = None
    """Given only for a privileged agent (the built-in oracle): it gets an OracleContext."""
    stop_processes: bool = True
    """Kill the sandbox's processes when the phase ends (False keeps what the agent started
    running, as Terminal-Bench does; its execs still end at the deadline)."""

    def run(self) -> AgentOutcome:
        own = scratch.make_dir("abcbench-agent-")
        try:
            return self._run(own / self.logs_dir.name)
        finally:
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            # Links are copied as links (never followed); a file the agent is still writing
            # is copied as far as it got.
            with contextlib.suppress(OSError, shutil.Error):
                shutil.copytree(own / self.logs_dir.name, self.logs_dir, symlinks=True,
                                dirs_exist_ok=True)
            shutil.rmtree(own, ignore_errors=True)

    def _run(self, own_logs: Path) -> AgentOutcome:
        own_logs.mkdir(parents=True)
        stop = threading.Event()
        started = time.monotonic()
        deadline = started + self.budget_sec
        ctx = self._context(GuardedSandbox(self.sandbox, stop, deadline), own_logs, started,
                            stop)
        box: dict[str, AgentResult | BaseException] = {}
        returned_at: list[float] = []
        done = threading.Event()

        def work() -> None:
            try:
                self.agent.setup(ctx)
                box["result"] = self.agent.run(ctx)
            except BaseException as exc:  # the agent's own failure: recorded, never raised
                box["error"] = exc
                # The agent may have planted a link under this name: never follow it.
                with contextlib.suppress(OSError):
                    write_text_nofollow(own_logs, "agent-error.log", redact(
                        traceback.format_exc(), self.agent.env.values()))
            finally:
                returned_at.append(time.monotonic())
                done.set()

        worker = threading.Thread(target=work, name=f"agent-{self.agent.name}", daemon=True)
        worker.start()
        while not done.is_set() and time.monotonic() < deadline:
            if self.cancelled.is_set():
                stop.set()
                return AgentOutcome(cancelled=True)
            done.wait(min(POLL_SEC, max(deadline - time.monotonic(), 0.0)))
        stop.set()  # from here the guarded sandbox refuses every call
        if self.cancelled.is_set():  # its exec may have returned because the run stopped
            return AgentOutcome(cancelled=True)
        quiesced = self.sandbox.stop_processes() if self.stop_processes else True
        grace_end = time.monotonic() + GRACE_SEC
        while not done.is_set() and time.monotonic() < grace_end:
            if self.cancelled.is_set():
                return AgentOutcome(cancelled=True)
            done.wait(min(POLL_SEC, max(grace_end - time.monotonic(), 0.0)))
        if not done.is_set():  # abandoned: whatever it does later is not looked at
            return AgentOutcome(timed_out=True, quiesced=quiesced)
        result, error = box.get("result"), box.get("error")
        return AgentOutcome(
            result=result if isinstance(result, AgentResult) else None,
            error=error if isinstance(error, BaseException) else None,
            timed_out=returned_at[0] > deadline, quiesced=quiesced,
        )

    def _context(self, sandbox: GuardedSandbox, logs: Path, started: float,
                 stop: threading.Event) -> AgentContext:
        if self.task is not None:
            return OracleContext(instruction=self.instruction, sandbox=sandbox,
                                 repo_dir=self.repo_dir, time_budget_sec=self.budget_sec,
                                 logs_dir=logs, started_monotonic=started, stop=stop,
                                 task=self.task)
        return AgentContext(instruction=self.instruction, sandbox=sandbox,
                            repo_dir=self.repo_dir, time_budget_sec=self.budget_sec,
                            logs_dir=logs, started_monotonic=started, stop=stop)
