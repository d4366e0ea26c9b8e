"""Hostile services: one that never listens, one that crashes, one that hangs a handler."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.results.models import FailureClass
from tests.chaos.conftest import apply_reference, chaos_run

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

ENV, LOGIC = "fx-quotes-env", "fx-quotes-logic"
QUICK = {"service": {"startup_timeout_sec": 10}, "tests": {"timeout_sec": 30}}


def serving(cmd: str) -> type[Agent]:
    class Serves(Agent):
        name = "chaos-service"

        def run(self, ctx: AgentContext) -> AgentResult:
            apply_reference(ctx)
            ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile", (
                f"FROM abcbench/tester\nCOPY . /srv/quotes\nWORKDIR /srv/quotes\nCMD {cmd}\n"))
            return AgentResult()

    return Serves


@pytest.mark.parametrize(("cmd", "what"), [
    ('["sleep", "infinity"]', "never listens"),
    ('["python3", "-c", "raise SystemExit(4)"]', "crashes at start"),
])
@pytest.mark.sweep
def test_service_that_does_not_come_up(chaos_dir: Path, run_id: str, cmd: str,
                                       what: str) -> None:
    out = chaos_run(chaos_dir, run_id, serving(cmd), [ENV], overrides={ENV: QUICK},
                    wall_limit_sec=150, probe=f"service {what}")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.service_did_not_start
    assert out.wall_sec < 150


class HangsAHandler(Agent):
    """The real fix, except that creating a quote never answers."""

    name = "chaos-hang"

    def run(self, ctx: AgentContext) -> AgentResult:
        apply_reference(ctx)
        path = f"{ctx.repo_dir}/server.py"
        code = ctx.sandbox.read_file(path).decode()
        hung = code.replace("def create_quote(", "def create_quote(*_a, **_k):\n"
                            "    import time\n    time.sleep(3600)\n\n\ndef _unused(", 1)
        assert hung != code, "the fixture's server.py changed: update this probe"
        ctx.sandbox.write_file(path, hung)
        return AgentResult()


@pytest.mark.sweep
def test_service_that_hangs_a_handler(chaos_dir: Path, run_id: str) -> None:
    out = chaos_run(chaos_dir, run_id, HangsAHandler, [LOGIC], overrides={LOGIC: QUICK},
                    wall_limit_sec=150, probe="service hangs the create handler")
    result = out.results[LOGIC]
    assert result.failure_class in (FailureClass.tests_failed, FailureClass.test_timeout)
    assert not result.resolved
