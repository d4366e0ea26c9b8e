"""The installed-agent path through the gateway, with a stand-in agent process on the host:
the agent holds the trial token only, usage is the gateway's, a provider outage at the end is
`ModelEndpointUnavailable`, a spent cap ends with `cost_limit`, and an ATIF trajectory is
written in every case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest

from abcbench.agents.atif import Builder
from abcbench.agents.base import AgentContext, AgentResult
from abcbench.agents.installed.base import ReadBack
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import WheelBinarySpec
from abcbench.errors import ModelEndpointUnavailable
from abcbench.gateway.session import TrialSession
from abcbench.results.models import Usage
from abcbench.sandbox.base import ExecResult
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep
from tests.agents.agent_helpers import LocalSandbox, make_context
from tests.agents.atif_check import validate_atif

KEY = "sk-installed-gateway-test-SECRET-31337"
CLIENT = r"""
import json, os, sys, httpx
for turn in range(int(sys.argv[1])):
    messages = [{"role": "user", "content": "task"}]
    messages += [{"role": "assistant", "content": "x"}, {"role": "user", "content": "go"}] * turn
    r = httpx.post(os.environ["BASE"] + "/v1/chat/completions", json={"model": "gpt-4o-mini",
                   "messages": messages}, headers={"Authorization": "Bearer "
                   + os.environ["OPENAI_API_KEY"]}, timeout=60)
    rest = {k: v for k, v in os.environ.items() if k != "SECRET_PROBE"}
    print(json.dumps({"status": r.status_code,
                      "key_seen": os.environ["SECRET_PROBE"] in json.dumps(rest)}), flush=True)
    if r.status_code != 200:
        break
"""


class StandIn(BinaryAgent):
    """An installed agent whose "sandbox process" is a Python client on this host."""

    name = "stand-in"
    wire = "chat"
    wheel: ClassVar[WheelBinarySpec] = WheelBinarySpec("stand-in", "none", ())
    log_name: ClassVar[str] = "stand-in.jsonl"
    model_prefix: ClassVar[str] = ""
    turns = 2

    def _install(self, ctx: AgentContext) -> None:
        """Nothing to install."""

    def argv(self, config: dict[str, Any], session: TrialSession) -> list[str]:
        return [sys.executable, "-c", CLIENT, str(self.turns)]

    def _execute(self, ctx: AgentContext, session: TrialSession) -> ExecResult:
        env = {**os.environ, **self.agent_env(session), "BASE": session.base_url,
               "SECRET_PROBE": KEY}
        started = time.monotonic()
        proc = subprocess.run(self.argv({}, session), env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        ctx.sandbox.write_file(self.trajectory_path, proc.stdout)
        return ExecResult(proc.returncode, proc.stdout, proc.stderr, False, False,
                          time.monotonic() - started)

    def read_back(self, text: str) -> ReadBack:
        lines = [json.loads(line) for line in text.splitlines()]
        assert not any(line["key_seen"] for line in lines), "the provider key reached the agent"
        ok = bool(lines) and lines[-1]["status"] == 200
        return ReadBack("finished" if ok else "error", Usage(), len(lines),
                        f"statuses {[line['status'] for line in lines]}")

    def to_atif(self, text: str) -> Builder:
        builder = Builder(self.name, "1", self.model)
        for line in text.splitlines():
            builder.add("agent", line)
        return builder


def run(tmp_path: Path, script: Script, **kwargs: str) -> tuple[AgentResult, ModelServer]:
    sandbox = LocalSandbox(tmp_path / "root")
    ctx = make_context(sandbox, tmp_path / "agent", budget=60)
    with ModelServer(script) as server:
        agent = StandIn(model="gpt-4o-mini", env={"OPENAI_API_KEY": KEY},
                        base_url=server.base_url, gateway_host="127.0.0.1",
                        retry_base_sec="0.01", retry_max_sec="0.02", **kwargs)
        agent.setup(ctx)
        try:
            return agent.run(ctx), server
        finally:
            validate_atif(tmp_path / "agent" / "trajectory.json")
            for path in tmp_path.rglob("*"):
                if path.is_file():
                    assert KEY not in path.read_text(errors="replace"), path


def test_usage_is_the_gateways_and_the_key_stays_out(tmp_path: Path) -> None:
    usage = UsageStep(prompt_tokens=500, completion_tokens=40, cached_tokens=100)
    result, server = run(tmp_path, Script(steps=[Step.say("a", usage=usage),
                                                 Step.say("b", usage=usage)]))
    assert result.exit_status == "finished", result.message
    assert (result.usage.input_tokens, result.usage.output_tokens,
            result.usage.cached_tokens, result.usage.n_requests) == (1000, 80, 200, 2)
    assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {KEY}"}
    atif = json.loads((tmp_path / "agent" / "trajectory.json").read_text())
    assert [s["metrics"]["prompt_tokens"] for s in atif["steps"]] == [500, 500]


def test_an_outage_at_the_end_is_model_endpoint_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ModelEndpointUnavailable, match="unavailable after 3 attempt"):
        run(tmp_path, Script(steps=[Step.say("a"), *[Step.fail(503)] * 10]),
            retry_attempts="3")
    summary = json.loads((tmp_path / "agent" / "gateway.json").read_text())
    assert summary["outage"] and summary["usage"]["n_requests"] == 1


def test_a_spent_cap_is_cost_limit(tmp_path: Path) -> None:
    usage = UsageStep(prompt_tokens=900, completion_tokens=200)
    result, server = run(tmp_path, Script(steps=[Step.say("a", usage=usage)] * 3),
                         max_total_tokens="1000")
    assert result.exit_status == "cost_limit"
    assert "token cap of 1000" in (result.message or "")
    assert len(server.requests) == 1
