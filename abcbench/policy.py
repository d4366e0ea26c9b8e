"""The one error policy: for every fault, its failure class, whether the trial is retried, and
whether it stays in the denominator (docs/error-policy.md says the same in prose).

A trial that raises hands the exception and a few facts (stage, whether the agent had started,
the state of the agent's sandbox) to `classify`; the first rule of `RULES` that matches decides.
Three rules hold on every path: a fault caused from inside the sandbox after the agent started
is the agent's; only faults before the agent started or outside the sandbox are retried; a
verdict once reached is never overwritten (the trial records a later fault beside it).

Faults are classified by type, never by text. Only a typed error raised by the harness's own
engine call (`EngineFault`, `EngineUnreachable`, raised in `abcbench.sandbox`) is the engine's;
the message of an agent's exception, of a build step (a Dockerfile can `RUN echo` any engine
phrase) or of a service log is never matched against anything.

Besides the exceptions (`RULES`), the conditions found when the agent phase ends
(`AGENT_END_RULES`) and the question whether a later failure replaces an earlier one
(`replaces`) are decided here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import requests
from docker.errors import APIError, DockerException

from abcbench.errors import (
    Cancelled,
    EngineFault,
    EngineUnreachable,
    InfrastructureFault,
    ModelEndpointUnavailable,
)
from abcbench.grading.deploy import BuildInputError
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox.base import SandboxError, SandboxFileNotFound
from abcbench.sandbox.client import CONNECTION_ERRORS
from abcbench.sandbox.compose import ComposeError
from abcbench.sandbox.images import ImageBuildError

AGENT, INFRA = FailureClass.agent_error, FailureClass.infrastructure

#: Sandbox states that mean the container is no longer running (the agent stopped it).
SANDBOX_DOWN = frozenset({"exited", "dead", "removed", "paused", "created"})


class TrialFailed(Exception):
    """Ends the trial early with a failure class; not an error of the harness."""

    def __init__(self, failure: FailureClass, message: str) -> None:
        super().__init__(message)
        self.failure = failure


class TrialCancelled(Cancelled):
    """The run is stopping: the trial starts no further phase and writes no result."""


class AgentSetupFailed(Exception):
    """An installed agent could not be installed in the sandbox (its bundle is broken, will
    not build, or does not fit the sandbox): the harness's fault, the same on every attempt."""


class NodeLost(InfrastructureFault):
    """The executor lost the node running the trial (it died, or its worker was killed)."""


@dataclass(frozen=True)
class FaultFacts:
    exc: BaseException
    stage: Stage
    agent_started: bool = False
    sandbox_state: str | None = None
    """The agent's sandbox when the fault happened (running, exited, removed, or unknown when
    the engine did not answer); None when it was not in use (not yet created, or already
    exported and removed), so the fault came from a container of the harness."""
    from_agent: bool = False
    """Raised by the agent's own code (its thread), not by the harness."""

    @property
    def text(self) -> str:
        return f"{self.exc.__class__.__name__}: {self.exc}"


@dataclass(frozen=True)
class Rule:
    name: str
    failure: FailureClass | None
    """None: the run was stopped; the trial has no verdict."""
    retryable: bool
    counted: bool
    """Whether the trial stays in the denominator (only a stopped run's trials leave it, and
    a resume runs them again)."""
    matches: Callable[[FaultFacts], bool]
    why: str


@dataclass(frozen=True)
class Decision:
    rule: str
    failure: FailureClass | None
    retryable: bool
    counted: bool
    message: str


def _is(*types: type[BaseException]) -> Callable[[FaultFacts], bool]:
    return lambda f: isinstance(f.exc, types)


def _sandbox_fault_after_start(f: FaultFacts) -> bool:
    return isinstance(f.exc, SandboxError) and f.agent_started and f.sandbox_state is not None


def _engine_unreachable(f: FaultFacts) -> bool:
    """Typed as such by the harness's engine call, or an untyped connection error of the
    harness's own code. The agent's code raising a connection error (its own HTTP call) is its
    own: only the typed one, from the sandbox it was handed, is the engine's."""
    if isinstance(f.exc, EngineUnreachable):
        return True
    untyped = isinstance(f.exc, (requests.Timeout, *CONNECTION_ERRORS)) or (
        isinstance(f.exc, DockerException) and not isinstance(f.exc, APIError))
    return untyped and not f.from_agent


RULES: tuple[Rule, ...] = (
    Rule("cancelled", None, False, False, _is(Cancelled),
         "the run was stopped (Ctrl-C, SIGTERM): no result is written, --resume reruns it"),
    Rule("verdict", None, False, True, _is(TrialFailed),
         "a stage ended the trial with its own failure class (tests failed, build failed, "
         "...); retried only when that class is infrastructure"),
    Rule("model_endpoint", INFRA, True, True, _is(ModelEndpointUnavailable),
         "the model provider kept failing (5xx, 429, connection errors): an outage"),
    Rule("node_lost", INFRA, True, True, _is(NodeLost),
         "the node running the trial died mid-trial: retried on another node"),
    Rule("agent_setup", INFRA, False, True, _is(AgentSetupFailed),
         "the harness could not install the agent (broken bundle): not the agent's fault, "
         "and a retry would fail the same way; a setup that overran its limit is the "
         "engine's slowness (infrastructure_fault, retried)"),
    Rule("engine_unreachable", INFRA, True, True,
         lambda f: _engine_unreachable(f) or (_sandbox_fault_after_start(f)
                                              and f.sandbox_state == "unknown"),
         "the Docker engine did not answer (typed by the harness's engine call, whichever "
         "thread made it, the agent's included)"),
    Rule("engine_fault", INFRA, True, True, _is(EngineFault),
         "the engine failed a call of the harness's own (5xx on a build, a container or "
         "network it creates), typed at the call with its status: never read from a message"),
    Rule("infrastructure_fault", INFRA, True, True, _is(InfrastructureFault),
         "a fault outside the sandbox reported as such (engine, host, provider)"),
    Rule("environment_not_up", INFRA, True, True, _is(ComposeError),
         "a Terminal-Bench task's own environment (its compose project) did not come up, "
         "before the agent started"),
    Rule("sandbox_stopped", AGENT, False, True,
         lambda f: _sandbox_fault_after_start(f) and f.sandbox_state in SANDBOX_DOWN,
         "the sandbox stopped or vanished after the agent started (PID 1 killed, ...)"),
    Rule("agent_code", AGENT, False, True,
         lambda f: f.from_agent,
         "the agent's own code raised (its bug, or a sandbox call refused after its stop)"),
    Rule("repository_gone", AGENT, False, True,
         lambda f: _sandbox_fault_after_start(f) and isinstance(f.exc, SandboxFileNotFound),
         "the agent deleted the repository it had to submit"),
    Rule("sandbox_after_agent", AGENT, False, True, _sandbox_fault_after_start,
         "the running sandbox refused a call after the agent started"),
    Rule("build_failed", FailureClass.build_failed, False, True,
         _is(ImageBuildError, BuildInputError), "the submission's image did not build"),
    Rule("sandbox_before_agent", INFRA, True, True, _is(SandboxError),
         "a container of the harness failed before the agent started or outside its sandbox"),
    Rule("engine_error", INFRA, True, True,
         lambda f: isinstance(f.exc, APIError) and not f.from_agent,
         "the engine refused a call of the harness"),
    Rule("harness_fault", INFRA, True, True, _is(Exception),
         "anything else is the harness's fault (its traceback is kept): retried"),
)


def classify(facts: FaultFacts) -> Decision:
    """The decision of the first matching rule."""
    for rule in RULES:
        if rule.matches(facts):
            if rule.name == "verdict":
                assert isinstance(facts.exc, TrialFailed)
                failure = facts.exc.failure
                return Decision(rule.name, failure, failure is INFRA, True, str(facts.exc))
            plain = rule.name in ("cancelled", "build_failed")  # a verdict, not a fault
            message = str(facts.exc) if plain else facts.text
            return Decision(rule.name, rule.failure, rule.retryable, rule.counted, message)
    return Decision("harness_fault", INFRA, True, True, facts.text)  # BaseException subclasses


# -- what the agent phase left -------------------------------------------------------------------

@dataclass(frozen=True)
class AgentEnd:
    """What the agent phase left, checked when it ends rather than raised."""

    budget_sec: float
    timed_out: bool = False
    """It had not returned by its deadline."""
    violation: str | None = None
    """A sandbox limit the sandbox reports as broken (its disk budget)."""
    sandbox_state: str | None = None
    exit_status: str | None = None
    """What the agent's own result says (`AgentResult.exit_status`)."""
    message: str | None = None
    recorded_timeout: bool = False
    """A re-grade of a trial whose agent overran its budget."""


@dataclass(frozen=True)
class EndRule:
    name: str
    failure: FailureClass
    matches: Callable[[AgentEnd], bool]
    message: Callable[[AgentEnd], str]
    why: str


AGENT_TIMEOUT = FailureClass.agent_timeout

AGENT_END_RULES: tuple[EndRule, ...] = (
    EndRule("agent_timeout", AGENT_TIMEOUT, lambda e: e.timed_out,
            lambda e: f"the agent did not finish within its {e.budget_sec:.0f}s budget",
            "the agent had not returned at its deadline (a late return counts as none)"),
    EndRule("recorded_timeout", AGENT_TIMEOUT, lambda e: e.recorded_timeout,
            lambda e: "the agent overran its budget (as recorded by the original trial)",
            "a re-grade keeps the original trial's overrun"),
    EndRule("sandbox_limit", AGENT, lambda e: bool(e.violation), lambda e: str(e.violation),
            "the sandbox reports a broken limit (its disk budget): never resolved"),
    EndRule("sandbox_stopped", AGENT,
            lambda e: e.sandbox_state not in (None, "running", "unknown"),
            lambda e: f"the sandbox was {e.sandbox_state} at the end of the agent phase (its "
                      "main process was stopped from inside)",
            "the sandbox is no longer running when the agent phase ends"),
    EndRule("agent_out_of_budget", AGENT_TIMEOUT, lambda e: e.exit_status == "budget",
            lambda e: e.message or "the agent ran out of its time budget",
            "the agent's own result says its budget ran out"),
    EndRule("agent_reported_error", AGENT, lambda e: e.exit_status == "error",
            lambda e: e.message or "agent error",
            "the agent's own result says it failed (the submission is still judged)"),
)


def agent_end(end: AgentEnd) -> list[Decision]:
    """Every end-of-phase condition that holds, in table order (the trial keeps the first)."""
    return [Decision(rule.name, rule.failure, False, True, rule.message(end))
            for rule in AGENT_END_RULES if rule.matches(end)]


# -- which failure stands ------------------------------------------------------------------------

PROVISIONAL: frozenset[FailureClass] = frozenset({AGENT})
"""Classes after which the submission is still judged: a later infrastructure fault replaces
them (and is retried), because it kept the verdict from being reached."""
PROVISIONAL_TESTS_DECIDE: frozenset[FailureClass] = frozenset({AGENT, AGENT_TIMEOUT})
"""Terminal-Bench mode: the tests run and decide even after an agent timeout, so an
infrastructure fault after one must be retried, not recorded as the agent's timeout."""


def replaces(current: FailureClass | None, new: FailureClass, *, verdict_reached: bool,
             provisional: frozenset[FailureClass] = PROVISIONAL) -> bool:
    """Whether failure `new` is recorded over `current`. The first cause wins and a verdict
    once reached is never overwritten; only a provisional class gives way, and only to an
    infrastructure fault."""
    if verdict_reached or (current is not None and current not in provisional):
        return False
    return current is None or new is INFRA


# -- re-grades -----------------------------------------------------------------------------------

def not_regradable(source_failure: FailureClass | None) -> Decision:
    """A re-grade of a trial that left nothing to deploy: counted, unresolved and never
    retried (a re-grade re-tests a submission; it does not run the agent again). Its class is
    the source trial's own when it recorded one, else `no_tests` (no test could run)."""
    return Decision("not_regradable", source_failure or FailureClass.no_tests, False, True, "")
