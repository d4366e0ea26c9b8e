"""The error policy table: every fault's class, retry and denominator, in one place."""

from __future__ import annotations

import pytest
import requests
from docker.errors import APIError

from abcbench.errors import (
    EngineFault,
    EngineUnreachable,
    InfrastructureFault,
    ModelEndpointUnavailable,
)
from abcbench.grading.deploy import BuildInputError
from abcbench.policy import RULES, FaultFacts, TrialCancelled, TrialFailed, classify
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox.base import SandboxError, SandboxFileNotFound, SandboxUnavailable
from abcbench.sandbox.images import ImageBuildError

AGENT, INFRA = FailureClass.agent_error, FailureClass.infrastructure

CASES = [
    # (exception, stage, agent started, sandbox state) -> (class, retryable, counted)
    (ModelEndpointUnavailable("5xx after 8 attempts"), Stage.agent, True, "running", INFRA, True),
    (InfrastructureFault("host lost"), Stage.tests, True, None, INFRA, True),
    (SandboxUnavailable("exec refused: container is not running"), Stage.export, True,
     "exited", AGENT, False),
    (SandboxUnavailable("container abc is gone"), Stage.agent, True, "removed", AGENT, False),
    (SandboxFileNotFound("/app/repo does not exist"), Stage.export, True, "running", AGENT, False),
    (SandboxError("cannot create /x"), Stage.agent, True, "running", AGENT, False),
    # Text never decides: an engine phrase in a sandbox refusal is still the sandbox's state's
    (SandboxUnavailable("exec refused: no space left on device"), Stage.export, True,
     "running", AGENT, False),
    (EngineFault("build failed", status_code=500), Stage.build, True, None, INFRA, True),
    (EngineUnreachable("engine gone"), Stage.export, True, "running", INFRA, True),
    (SandboxUnavailable("engine did not answer"), Stage.export, True, "unknown", INFRA, True),
    (SandboxUnavailable("container abc is gone"), Stage.sandbox, False, "removed", INFRA, True),
    (SandboxUnavailable("client gone"), Stage.tests, True, "exited", AGENT, False),
    (SandboxUnavailable("tester gone"), Stage.tests, True, None, INFRA, True),
    (ImageBuildError("failed to register layer: no such file"), Stage.build, True, None,
     FailureClass.build_failed, False),  # a build stream's error: a RUN step can print it
    (ImageBuildError("RUN javac Main.java returned 1"), Stage.build, True, None,
     FailureClass.build_failed, False),
    (BuildInputError("no Dockerfile"), Stage.build, True, None, FailureClass.build_failed,
     False),
    (requests.ConnectionError("Connection refused"), Stage.export, True, None, INFRA, True),
    (APIError("500 Server Error"), Stage.setup, False, None, INFRA, True),
    (KeyError("harness bug"), Stage.build, True, None, INFRA, True),
    (OSError(28, "No space left on device"), Stage.tests, True, None, INFRA, True),
    (TrialFailed(FailureClass.tests_failed, "1 failed"), Stage.tests, True, None,
     FailureClass.tests_failed, False),
    (TrialFailed(INFRA, "compose up failed"), Stage.sandbox, False, None, INFRA, True),
]


@pytest.mark.parametrize(("exc", "stage", "started", "state", "failure", "retryable"), CASES)
def test_table(exc: BaseException, stage: Stage, started: bool, state: str | None,
               failure: FailureClass, retryable: bool) -> None:
    decision = classify(FaultFacts(exc, stage, agent_started=started, sandbox_state=state))
    assert (decision.failure, decision.retryable) == (failure, retryable), decision.rule
    assert decision.counted


def test_cancellation_has_no_verdict_and_leaves_the_denominator() -> None:
    decision = classify(FaultFacts(TrialCancelled("stopped"), Stage.agent, agent_started=True))
    assert decision.failure is None and not decision.retryable and not decision.counted


def test_every_rule_is_documented_and_unique() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.why for rule in RULES)
    assert all(not rule.retryable or rule.failure is INFRA for rule in RULES), \
        "only infrastructure faults are ever retried"


def test_an_exception_raised_by_agent_code_is_the_agents() -> None:
    agent = classify(FaultFacts(RuntimeError("bug"), Stage.agent, agent_started=True,
                                from_agent=True))
    outage = classify(FaultFacts(ModelEndpointUnavailable("down"), Stage.agent,
                                 agent_started=True, from_agent=True))
    assert (agent.failure, agent.retryable) == (AGENT, False)
    assert (outage.failure, outage.retryable) == (INFRA, True)


def test_the_docs_name_every_rule() -> None:
    from pathlib import Path

    from abcbench.policy import AGENT_END_RULES

    docs = (Path(__file__).parents[2] / "docs" / "error-policy.md").read_text()
    names = [rule.name for rule in RULES] + [rule.name for rule in AGENT_END_RULES]
    missing = [name for name in names if f"`{name}`" not in docs]
    assert not missing, f"docs/error-policy.md does not describe {missing}"
