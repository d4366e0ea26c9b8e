"""Faults by type, never by text, against the real engine (issue 18, item 2): text that imitates
an engine fault, written by the submission's Dockerfile or raised by the agent, gets no retry.
Each run allows two retries, so a text-triggered re-roll would show in `retries`."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.results.models import FailureClass
from tests.chaos.conftest import chaos_run
from tests.chaos.test_build_probes import ENV, build_log, writes

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

LOGIC = "fx-quotes-logic"
PHRASES = ("no space left on device; failed to register layer; "
           "Cannot connect to the Docker daemon; error creating overlay mount")


def test_a_dockerfile_printing_engine_faults_is_build_failed_not_retried(
        chaos_dir: Path, run_id: str) -> None:
    """Was: `infrastructure`, retried twice (the regex matched the step's error line)."""
    agent = writes(f'FROM abcbench/tester\nRUN echo "{PHRASES}" >&2 && '
                   f'echo "write /var/lib/docker/tmp/x: no space left on device" && false\n')
    out = chaos_run(chaos_dir, run_id, agent, [ENV], max_retries=2,
                    probe="Dockerfile RUN prints engine-fault phrases and fails")
    result = out.results[ENV]
    assert (result.failure_class, result.retries, result.retryable) == (
        FailureClass.build_failed, 0, False), result.error
    assert result.failure_rule == "build_failed"
    assert "no space left on device" in build_log(out.run_dir)


class RaisesEngineText(Agent):
    name = "chaos-raises-engine-text"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec("true", timeout=10)
        raise RuntimeError(f"docker: {PHRASES}: /var/lib/docker/overlay2/x: "
                           "no such file or directory")


@pytest.mark.sweep
def test_an_agent_raising_engine_fault_text_is_agent_error_not_retried(
        chaos_dir: Path, run_id: str) -> None:
    """Was: `infrastructure`, retried (a re-roll for any agent that raises the phrase)."""
    out = chaos_run(chaos_dir, run_id, RaisesEngineText, [LOGIC], max_retries=2,
                    probe="agent raises engine-fault text")
    result = out.results[LOGIC]
    assert (result.failure_class, result.retries, result.retryable) == (
        FailureClass.agent_error, 0, False), result.error
    assert [f.rule for f in result.faults] == ["agent_code"]
