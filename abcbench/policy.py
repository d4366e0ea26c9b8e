"""The one error policy: for every fault, its failure class, whether the trial is retried, and
whether it stays in the denominator (docs/error-policy.md says the same in prose).

A trial that raises hands the exception and a few facts (stage, whether the agent had started,
the state of the agent's sandbox) to `classify`; the first rule of `RULES` that matches decides.
Three rules hold on every path: a fault caused from inside the sandbox after the agent started
is the agent's; only faults before the agent started or outside the sandbox are retried; a
verdict once reached is never overwritten (the trial records a later fault beside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import requests
from docker.errors import APIError, DockerException

from abcbench.errors import InfrastructureFault, ModelEndpointUnavailable
from abcbench.grading.deploy import BuildInputError
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox.base import SandboxError, SandboxFileNotFound
from abcbench.sandbox.images import ImageBuildError

AGENT, INFRA = FailureClass.agent_error, FailureClass.infrastructure

#: Engine-side faults, whatever call reports them: retried, never the agent's or the task's.
ENGINE_FAULT = re.compile(
    r"failed to get digest|failed to register layer|no space left on device|"
    r"error creating overlay mount|Cannot connect to the Docker daemon|"
    r"/var/lib/docker/.*no such file or directory",
    re.IGNORECASE,
)
#: Sandbox states that mean the container is no longer running (the agent stopped it).
SANDBOX_DOWN = frozenset({"exited", "dead", "removed", "paused", "created"})


class TrialFailed(Exception):
    """Ends the trial early with a failure class; not an error of the harness."""

    def __init__(self, failure: FailureClass, message: str) -> None:
        super().__init__(message)
        self.failure = failure


class TrialCancelled(Exception):
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
    return isinstance(f.exc, requests.ConnectionError | requests.Timeout) or (
        isinstance(f.exc, DockerException) and not isinstance(f.exc, APIError))


RULES: tuple[Rule, ...] = (
    Rule("cancelled", None, False, False, _is(TrialCancelled),
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
    Rule("infrastructure_fault", INFRA, True, True, _is(InfrastructureFault),
         "a fault outside the sandbox reported as such (engine, host, provider)"),
    Rule("sandbox_stopped", AGENT, False, True,
         lambda f: _sandbox_fault_after_start(f) and f.sandbox_state in SANDBOX_DOWN,
         "the sandbox stopped or vanished after the agent started (PID 1 killed, ...)"),
    Rule("engine_unreachable", INFRA, True, True,
         lambda f: _engine_unreachable(f) or (_sandbox_fault_after_start(f)
                                              and f.sandbox_state == "unknown"),
         "the Docker engine did not answer"),
    Rule("engine_fault", INFRA, True, True, lambda f: bool(ENGINE_FAULT.search(f.text)),
         "the engine reported its own fault (disk full, layer store broken)"),
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
    Rule("engine_error", INFRA, True, True, _is(APIError),
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
