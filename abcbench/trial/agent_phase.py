"""The agent phase under a hard budget: the agent runs in its own thread against a guarded
sandbox and a log folder it owns; the trial thread watches the deadline and the run's stop.

The phase has two parts. Setup (`Agent.setup`: installing the agent) runs under its own limit
(`Agent.setup_limit_sec`), and the budget starts when it returns, so the agent's time measures
the agent, not how fast this host copies or unpacks: a setup that overruns its limit is the
engine's slowness (`AgentSetupTimedOut`, infrastructure, retried). Terminal-Bench's `tb run`
installs its agents inside `max_agent_timeout_sec`; a trial that follows it sets
`setup_in_budget` and setup then spends the budget as it does there.

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
from dataclasses import dataclass, field
from pathlib import Path

from abcbench import scratch
from abcbench.agents.base import (
    Agent,
    AgentContext,
    AgentResult,
    AgentSetupTimedOut,
    OracleContext,
)
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
    """The agent's own failure while it ran (after setup)."""
    setup_error: BaseException | None = None
    """Setup failed or overran its limit: the policy decides whose fault (never the agent's
    budget)."""
    setup_sec: float | None = None
    """How long setup took (None: it never finished)."""
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
    setup_in_budget: bool = False
    """Setup spends the agent's budget (Terminal-Bench's `tb run` does so); by default it has
    its own limit and the budget starts when it returns."""
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    """Set when the agent must stop; its guarded sandbox then refuses every call."""

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
        stop = self._stop
        started = time.monotonic()
        setup_limit = self.budget_sec if self.setup_in_budget else self.agent.setup_limit_sec()
        setup_ctx = self._context(GuardedSandbox(self.sandbox, stop, started + setup_limit),
                                  own_logs, started, stop, setup_limit)
        box: dict[str, AgentResult | BaseException] = {}
        # `setup_done`: when setup returned (the budget starts then); `returned`: when the
        # agent's thread ended.
        marks: dict[str, float] = {}
        setup_done, done = threading.Event(), threading.Event()

        def work() -> None:
            try:
                try:
                    self.agent.setup(setup_ctx)
                except BaseException as exc:  # recorded, never raised in this thread
                    box["setup_error"] = exc
                    self._log_traceback(own_logs, "agent-setup-error.log")
                    return
                now = time.monotonic()
                run_start = started if self.setup_in_budget else now
                marks["setup_done"] = now
                setup_done.set()
                ctx = self._context(
                    GuardedSandbox(self.sandbox, stop, run_start + self.budget_sec), own_logs,
                    run_start, stop, self.budget_sec)
                box["result"] = self.agent.run(ctx)
            except BaseException as exc:  # the agent's own failure: recorded, never raised
                box["error"] = exc
                self._log_traceback(own_logs, "agent-error.log")
            finally:
                marks["returned"] = time.monotonic()
                setup_done.set()
                done.set()

        worker = threading.Thread(target=work, name=f"agent-{self.agent.name}", daemon=True)
        worker.start()
        if not self._wait(setup_done, started + setup_limit):
            return AgentOutcome(cancelled=True)
        if "setup_done" not in marks:  # setup failed, or overran its limit
            setup_error = box.get("setup_error")
            if setup_error is None:
                stop.set()
                quiesced = self.sandbox.stop_processes() if self.stop_processes else True
                if not self._wait(done, time.monotonic() + GRACE_SEC):
                    return AgentOutcome(cancelled=True)
                if self.setup_in_budget:  # as in `tb run`: the budget is spent
                    return AgentOutcome(timed_out=True, quiesced=quiesced)
                setup_error = AgentSetupTimedOut(
                    f"the {self.agent.name} agent's setup did not finish within its "
                    f"{setup_limit:.0f}s limit (the engine is slow or stalled; the agent's "
                    "budget was not started)")
                return AgentOutcome(setup_error=setup_error, quiesced=quiesced)
            assert isinstance(setup_error, BaseException)
            return AgentOutcome(setup_error=setup_error)
        setup_sec = marks["setup_done"] - started
        deadline = (started if self.setup_in_budget else marks["setup_done"]) + self.budget_sec
        if not self._wait(done, deadline):
            return AgentOutcome(cancelled=True, setup_sec=setup_sec)
        stop.set()  # from here the guarded sandbox refuses every call
        if self.cancelled.is_set():  # its exec may have returned because the run stopped
            return AgentOutcome(cancelled=True, setup_sec=setup_sec)
        quiesced = self.sandbox.stop_processes() if self.stop_processes else True
        if not self._wait(done, time.monotonic() + GRACE_SEC):
            return AgentOutcome(cancelled=True, setup_sec=setup_sec)
        if not done.is_set():  # abandoned: whatever it does later is not looked at
            return AgentOutcome(timed_out=True, quiesced=quiesced, setup_sec=setup_sec)
        result, error = box.get("result"), box.get("error")
        return AgentOutcome(
            result=result if isinstance(result, AgentResult) else None,
            error=error if isinstance(error, BaseException) else None,
            timed_out=marks["returned"] > deadline, quiesced=quiesced, setup_sec=setup_sec,
        )

    def _wait(self, event: threading.Event, until: float) -> bool:
        """Wait for `event` until the monotonic time `until`; False if the run was stopped
        meanwhile (then the agent is not waited for)."""
        while not event.is_set() and time.monotonic() < until:
            if self.cancelled.is_set():
                self._stop.set()
                return False
            event.wait(min(POLL_SEC, max(until - time.monotonic(), 0.0)))
        return not self.cancelled.is_set() or event.is_set()

    def _log_traceback(self, own_logs: Path, name: str) -> None:
        # The agent may have planted a link under this name: never follow it.
        with contextlib.suppress(OSError):
            write_text_nofollow(own_logs, name, redact(traceback.format_exc(),
                                                       self.agent.env.values()))

    def _context(self, sandbox: GuardedSandbox, logs: Path, started: float,
                 stop: threading.Event, budget: float) -> AgentContext:
        if self.task is not None:
            return OracleContext(instruction=self.instruction, sandbox=sandbox,
                                 repo_dir=self.repo_dir, time_budget_sec=budget,
                                 logs_dir=logs, started_monotonic=started, stop=stop,
                                 task=self.task)
        return AgentContext(instruction=self.instruction, sandbox=sandbox,
                            repo_dir=self.repo_dir, time_budget_sec=budget,
                            logs_dir=logs, started_monotonic=started, stop=stop)
