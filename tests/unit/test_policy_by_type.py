"""Faults are classified by type, never by text (issue 18, items 2, 3 and 10).

Every rule is attacked with text that imitates an engine fault: an agent's exception, a build
stream's error line, a sandbox refusal, a verdict's message. The decision must be the same as
for a neutral message. Only the typed faults the harness's own engine calls raise
(`EngineFault`, `EngineUnreachable`) are the engine's; one test makes a real docker-py client
meet a dead engine socket in the agent's thread, as a first call would.
"""

from __future__ import annotations

import threading
import types
from pathlib import Path

import pytest
import requests
from docker.errors import APIError

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.errors import EngineFault, EngineUnreachable
from abcbench.grading.deploy import BuildInputError
from abcbench.policy import RULES, FaultFacts, TrialFailed, classify
from abcbench.results.models import FailureClass, Stage
from abcbench.sandbox import client as docker_client_module
from abcbench.sandbox.base import SandboxError, SandboxFileNotFound, SandboxUnavailable
from abcbench.sandbox.compose import ComposeError
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import ImageBuildError
from tests.unit.trial_fakes import agent_trial

AGENT, INFRA = FailureClass.agent_error, FailureClass.infrastructure

#: What the removed regular expression matched, and more an engine says when it fails.
ENGINE_PHRASES = [
    "no space left on device",
    "failed to register layer: open /var/lib/docker/overlay2/x: no such file or directory",
    "failed to get digest sha256:f61a",
    "error creating overlay mount to /var/lib/docker/overlay2/x/merged",
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock",
    "/var/lib/docker/image/overlay2/layerdb: no such file or directory",
    "OCI runtime exec failed: exec failed: unable to start container process",
    "500 Server Error: Internal Server Error",
    "connection reset by peer",
]

# (exception type, stage, agent started, sandbox state, from agent)
CARRIERS: list[tuple[type[BaseException], Stage, bool, str | None, bool]] = [
    (RuntimeError, Stage.agent, True, "running", True),           # the agent's own raise
    (ValueError, Stage.agent, True, "running", True),
    (ImageBuildError, Stage.build, True, None, False),            # a build stream's error line
    (BuildInputError, Stage.build, True, None, False),
    (SandboxUnavailable, Stage.export, True, "running", False),   # the running sandbox refused
    (SandboxUnavailable, Stage.agent, True, "running", True),
    (SandboxError, Stage.export, True, "running", False),
    (SandboxFileNotFound, Stage.export, True, "running", False),
    (SandboxUnavailable, Stage.export, True, "exited", False),
]


@pytest.mark.parametrize("phrase", ENGINE_PHRASES)
@pytest.mark.parametrize(("kind", "stage", "started", "state", "from_agent"), CARRIERS)
def test_engine_phrases_in_a_message_change_nothing(
        phrase: str, kind: type[BaseException], stage: Stage, started: bool,
        state: str | None, from_agent: bool) -> None:
    """Was: `engine_fault` matched these phrases in any message, before `agent_code` and
    `build_failed`, so a Dockerfile's `RUN echo` or an agent's raise got a retry."""
    def decide(message: str) -> tuple[str, FailureClass | None, bool]:
        d = classify(FaultFacts(kind(message), stage, agent_started=started,
                                sandbox_state=state, from_agent=from_agent))
        return d.rule, d.failure, d.retryable

    assert decide(f"step 3: {phrase}") == decide("step 3: something went wrong")
    assert decide(phrase) == decide("something went wrong")


@pytest.mark.parametrize("phrase", ENGINE_PHRASES)
def test_a_verdicts_message_is_never_read(phrase: str) -> None:
    for failure in (FailureClass.tests_failed, FailureClass.build_failed,
                    FailureClass.service_did_not_start):
        decision = classify(FaultFacts(TrialFailed(failure, phrase), Stage.tests, True))
        assert (decision.failure, decision.retryable) == (failure, False)


def _facts_for(rule: str, message: str) -> FaultFacts:
    """A fault that the rule `rule` decides, carrying `message`."""
    from abcbench.errors import InfrastructureFault, ModelEndpointUnavailable
    from abcbench.policy import AgentSetupFailed, NodeLost, TrialCancelled

    running = {"agent_started": True, "sandbox_state": "running"}
    cases = {
        "cancelled": FaultFacts(TrialCancelled(message), Stage.agent),
        "verdict": FaultFacts(TrialFailed(FailureClass.tests_failed, message), Stage.tests),
        "model_endpoint": FaultFacts(ModelEndpointUnavailable(message), Stage.agent, **running,
                                     from_agent=True),
        "node_lost": FaultFacts(NodeLost(message), Stage.agent),
        "agent_setup": FaultFacts(AgentSetupFailed(message), Stage.agent, **running,
                                  from_agent=True),
        "engine_unreachable": FaultFacts(EngineUnreachable(message), Stage.agent, **running,
                                         from_agent=True),
        "engine_fault": FaultFacts(EngineFault(message, status_code=500), Stage.build),
        "infrastructure_fault": FaultFacts(InfrastructureFault(message), Stage.tests),
        "environment_not_up": FaultFacts(ComposeError(message, ""), Stage.sandbox),
        "sandbox_stopped": FaultFacts(SandboxUnavailable(message), Stage.export,
                                      agent_started=True, sandbox_state="exited"),
        "agent_code": FaultFacts(RuntimeError(message), Stage.agent, **running,
                                 from_agent=True),
        "repository_gone": FaultFacts(SandboxFileNotFound(message), Stage.export, **running),
        "sandbox_after_agent": FaultFacts(SandboxError(message), Stage.export, **running),
        "build_failed": FaultFacts(ImageBuildError(message), Stage.build, True),
        "sandbox_before_agent": FaultFacts(SandboxUnavailable(message), Stage.sandbox),
        "engine_error": FaultFacts(APIError(message), Stage.setup),
        "harness_fault": FaultFacts(KeyError(message), Stage.build),
    }
    if rule not in cases:
        pytest.fail(f"rule {rule!r} has no adversarial case: add one to _facts_for")
    return cases[rule]


@pytest.mark.parametrize("rule", [rule.name for rule in RULES])
def test_no_rule_reads_the_message(rule: str) -> None:
    """Every rule of the table, met with a neutral message and with each engine phrase,
    decides the same: the message is never read. (A rule added to RULES needs a case in
    `_facts_for`: this test says so until it has one.)"""
    import abcbench.policy as policy

    assert not hasattr(policy, "ENGINE_FAULT"), "the text regex is gone"
    neutral = classify(_facts_for(rule, "something went wrong"))
    assert neutral.rule == rule
    for phrase in ENGINE_PHRASES:
        decided = classify(_facts_for(rule, phrase))
        assert (decided.rule, decided.failure, decided.retryable) == (
            neutral.rule, neutral.failure, neutral.retryable), phrase


@pytest.mark.parametrize("exc", [
    EngineFault("the engine failed the build (HTTP 500)", status_code=500, operation="build"),
    EngineUnreachable("the engine stopped answering", operation="exec"),
])
@pytest.mark.parametrize("from_agent", [False, True])
def test_typed_engine_faults_are_infrastructure_from_any_thread(exc: Exception,
                                                                from_agent: bool) -> None:
    decision = classify(FaultFacts(exc, Stage.agent, agent_started=True,
                                   sandbox_state="running", from_agent=from_agent))
    assert (decision.failure, decision.retryable) == (INFRA, True), decision.rule


@pytest.mark.parametrize("exc", [
    requests.ConnectionError("Cannot connect to the Docker daemon"),
    ConnectionResetError("connection reset by peer"),
    APIError("500 Server Error: no space left on device"),
])
def test_untyped_engine_like_errors_raised_by_the_agents_code_are_its_own(
        exc: Exception) -> None:
    """An agent's own HTTP call (or a docker-py call of its own) failing is its bug, not the
    engine's: only the harness's typed faults are. The harness's own untyped ones still are."""
    agents = classify(FaultFacts(exc, Stage.agent, agent_started=True, sandbox_state="running",
                                 from_agent=True))
    assert (agents.failure, agents.retryable) == (AGENT, False), agents.rule
    harness = classify(FaultFacts(exc, Stage.build, agent_started=True))
    assert (harness.failure, harness.retryable) == (INFRA, True), harness.rule


def test_a_terminal_bench_environment_that_does_not_come_up_is_classified_by_the_policy() -> None:
    decision = classify(FaultFacts(ComposeError("docker-compose up failed (exit 1)", "out"),
                                   Stage.sandbox))
    assert (decision.rule, decision.failure, decision.retryable) == (
        "environment_not_up", INFRA, True)


# -- through a real agent thread ------------------------------------------------------------------

class RaisesEnginePhrase(Agent):
    name = "raises-engine-phrase"

    def run(self, ctx: AgentContext) -> AgentResult:
        raise RuntimeError("write /var/lib/docker/overlay2/x: no space left on device")


def test_an_agent_raising_engine_text_is_agent_error_not_retried(tmp_path: Path) -> None:
    """Was: infrastructure, retried (a re-roll for any agent that prints the phrase)."""
    result = agent_trial(tmp_path, RaisesEnginePhrase).run()
    assert [(f.rule, f.failure_class, f.retryable) for f in result.faults] == [
        ("agent_code", AGENT, False)], result.error
    assert not result.retryable  # the (fake) tests still judge the submission: it resolves


class FirstCallAtADeadEngine(Agent):
    """Its first sandbox call is the thread's first engine call (a new docker-py client)."""

    name = "first-call-dead-engine"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec("true", timeout=10)
        return AgentResult()


def test_the_engine_down_at_the_agent_threads_first_call_is_infrastructure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: `agent_code` (the client's UserError, raised in the agent's thread). A real
    docker-py client meets a socket nobody listens on."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-engine.sock'}")
    # No thread may reuse a client an earlier test made (a pooled thread keeps its own).
    monkeypatch.setattr(docker_client_module, "_local", threading.local())
    trial = agent_trial(tmp_path, FirstCallAtADeadEngine)
    trial.sandbox = DockerContainer(  # type: ignore[attr-defined]
        types.SimpleNamespace(id="0" * 64, name="sandbox"))  # type: ignore[arg-type]
    result = trial.run()
    assert result.failure_class is INFRA and result.retryable, result.error
    assert result.failure_rule == "engine_unreachable"


# -- Terminal-Bench: the tests decide after an agent timeout ---------------------------------------

def test_terminal_bench_infrastructure_fault_after_an_agent_timeout_is_retried(
        tmp_path: Path) -> None:
    """Was: recorded as `agent_timeout`, not retried, although in Terminal-Bench mode the tests
    still decide after a timeout and the engine kept them from running."""
    from tests.unit.test_tb_trial import PASSING, RunsOutOfTime, trial

    made = trial(tmp_path, PASSING, agent=RunsOutOfTime)

    def engine_gone(*_args: object, **_kwargs: object) -> None:
        raise EngineUnreachable("the Docker engine stopped answering", operation="exec")

    made.client.exec = engine_gone  # type: ignore[method-assign]
    made.client.type_command = engine_gone  # type: ignore[method-assign]  (how tests run now)
    result = made.run()
    assert result.agent_timed_out
    assert (result.failure_class, result.retryable) == (INFRA, True), result.error
    assert result.failure_rule == "engine_unreachable"


def test_terminal_bench_tests_failing_after_an_agent_timeout_keep_the_timeout(
        tmp_path: Path) -> None:
    """Only an infrastructure fault replaces the provisional timeout: a verdict does not."""
    from tests.unit.test_tb_trial import HEADER, RunsOutOfTime, trial

    result = trial(tmp_path, f"{HEADER}\nFAILED t.py::test_a - assert 1\n",
                   agent=RunsOutOfTime).run()
    assert result.failure_class is FailureClass.agent_timeout and not result.retryable
    assert result.tests and not result.resolved


def test_a_trial_a_regrade_cannot_retest_is_never_retried() -> None:
    """Even when its source trial ended in an infrastructure fault: a re-grade re-tests a
    submission, it does not run the agent again."""
    from abcbench.policy import not_regradable

    for source in (INFRA, AGENT, FailureClass.agent_timeout):
        decision = not_regradable(source)
        assert (decision.rule, decision.failure, decision.retryable, decision.counted) == (
            "not_regradable", source, False, True)
    assert not_regradable(None).failure is FailureClass.no_tests


@pytest.mark.parametrize("phrase", ENGINE_PHRASES)
def test_an_agents_own_error_result_is_its_own_whatever_it_says(phrase: str) -> None:
    from abcbench.policy import AgentEnd, agent_end

    decided = agent_end(AgentEnd(budget_sec=60, exit_status="error", message=phrase,
                                 sandbox_state="running"))
    assert [(d.rule, d.failure, d.retryable) for d in decided] == [
        ("agent_reported_error", AGENT, False)]
