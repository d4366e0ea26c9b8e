"""Secrets echoed into every channel an agent can reach, through the real CLI and engine.

The agent runs in the harness process (`--agent-import-path`), gets a key with `--agent-env
NAME` (the value from the environment, never on the command line) and two URL credentials
through `--agent-kwarg base_url=...`, and echoes all three everywhere it can: its stdout and
stderr, a log file and a trajectory in its log folder, its message, an exception, an exec in
the sandbox, the repository (a file, the Dockerfile's `RUN echo`, the service printing at start
and answering its health check with the key, so the hidden tests print it on failure).

The rule (docs/security.md, "Secrets on disk"): every file the harness writes passes
`abcbench.redact`; the repository the agent produced (`submission/` and its
`submission.diff`) is kept as the agent wrote it, because it is the graded work a re-grade
rebuilds, and the sandbox never receives a harness secret, so a key there was put there by the
agent code the user chose to hand that key to. Nothing else in the run folder, in what the
harness prints or in Docker may hold a secret (a host-side agent's own prints reach the
console as they are: they are its process's output, not a harness record).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from tests.chaos.conftest import NOTHING, _layers, apply_reference, chaos_tasks

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos, pytest.mark.sweep]

ROOT = Path(__file__).resolve().parents[2]
TASK = "fx-quotes-env"
KEY = "sk-chaos-9Zt8Yx7Wv6Ut5Sr4"
URL_PASSWORD = "urlpass-4Kk3Jj2Hh1"
URL_TOKEN = "urltoken-8Mm7Nn6Bb5"
BASE_URL = f"https://team:{URL_PASSWORD}@gateway.invalid/v1?api-key={URL_TOKEN}"
SECRETS = (KEY, URL_PASSWORD, URL_TOKEN)
# Where the rule lets a secret stay: the agent's own work, kept as written (module docstring).
AGENT_WORK = ("submission", "submission.diff")


class EchoesSecrets(Agent):
    """Writes the working service, then puts every secret it holds into every channel."""

    name = "chaos-echo-secrets"

    def run(self, ctx: AgentContext) -> AgentResult:
        key = self.env["CHAOS_KEY"]
        base_url = self.kwargs["base_url"]
        leak = f"key={key} url={base_url}"
        print(f"agent stdout: {leak}", flush=True)
        print(f"agent stderr: {leak}", file=sys.stderr, flush=True)
        (ctx.logs_dir / "echo.log").write_text(f"agent log: {leak}\n")
        (ctx.logs_dir / "trajectory.json").write_text(json.dumps({"steps": [{"text": leak}]}))
        apply_reference(ctx)
        server = f"{ctx.repo_dir}/server.py"
        code = ctx.sandbox.read_file(server).decode()
        leaky = code.replace('{"status": "ok"}', f'{{"status": "ok", "leak": {key!r}}}', 1)
        leaky = leaky.replace('if __name__ == "__main__":\n', (
            'if __name__ == "__main__":\n'
            f'    print("service start: {leak}", dict(os.environ), flush=True)\n'), 1)
        assert leaky.count(key) == 2, "the fixture's server.py changed: update this probe"
        ctx.sandbox.write_file(server, leaky)
        ctx.sandbox.write_file(f"{ctx.repo_dir}/leak.txt", leak + "\n")
        ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile", (
            "FROM abcbench/tester\nWORKDIR /srv/quotes\n"
            f"RUN echo 'build step: {leak}'\nCOPY . .\nEXPOSE 8000\n"
            'CMD ["python3", "server.py"]\n'))
        echoed = ctx.sandbox.exec(f"echo 'exec: {leak}'", timeout=30)
        assert key in echoed.stdout, "the agent reads its own exec's output"
        raise RuntimeError(f"agent gives up: {leak}")


def _holders(root: Path) -> dict[str, list[str]]:
    """Files under `root` holding a secret (raw or JSON-escaped), with which."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        hits = [s for s in SECRETS if s.encode() in data]
        if hits:
            found[path.relative_to(root).as_posix()] = hits
    return found


def test_secrets_echoed_into_every_channel(tmp_path: Path, run_id: str) -> None:
    tasks = chaos_tasks(tmp_path, {})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHAOS_KEY": KEY}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "abcbench.cli", "run",
         "--agent-import-path", f"{__name__}:EchoesSecrets", "--agent-env", "CHAOS_KEY",
         "--agent-kwarg", f"base_url={BASE_URL}", "--tasks-dir", str(tasks), "--task", TASK,
         "--max-retries", "0", "--run-id", run_id, "--output", str(tmp_path / "runs")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - started
    console = proc.stdout + proc.stderr
    assert proc.returncode == 0, console[-3000:]
    run_dir = tmp_path / "runs" / run_id
    trial = run_dir / "trials" / f"{TASK}__1"
    result = json.loads((trial / "result.json").read_text())
    # Every channel was exercised: each record exists (redacted below).
    channels = ["agent/echo.log", "agent/trajectory.json", "agent/agent-error.log",
                "logs/build.log", "logs/service.log", "logs/tests.log", "result.json"]
    assert [c for c in channels if not (trial / c).is_file()] == []
    # The one place a secret may stay is the agent's own work; nowhere else in the folder.
    holders = _holders(run_dir)
    outside = {p: s for p, s in holders.items() if p.split("/")[2:3] not in
               [[w] for w in AGENT_WORK]}
    assert outside == {}, f"secrets in harness records: {outside}"
    assert KEY in (trial / "submission" / "leak.txt").read_text()
    # Redaction keeps the record readable: the echo is there, minus the secret.
    result = json.loads((trial / "result.json").read_text())
    assert result["failure_class"] == "agent_error", result
    assert "agent gives up: key=***" in result["error"]
    for rel, marker in [("agent/echo.log", "agent log: key=***"),
                        ("agent/agent-error.log", "agent gives up: key=***"),
                        ("logs/build.log", "build step: key=***"),
                        ("logs/service.log", "service start: key=***"),
                        ("logs/tests.log", "'leak': '***'")]:
        assert marker in (trial / rel).read_text(), f"{rel} lacks {marker!r}"
    assert "team:***@gateway.invalid" in (run_dir / "run.json").read_text()
    # The agent's own prints go to the harness's stdout/stderr unchanged (the harness does not
    # record them); every line the harness prints itself is redacted.
    harness_lines = [line for line in console.splitlines()
                     if not line.startswith(("agent stdout:", "agent stderr:"))]
    assert any(line.startswith("agent stdout:") for line in console.splitlines())
    assert not [line for line in harness_lines if any(s in line for s in SECRETS)]
    left = leftovers(run=run_id)
    assert left == NOTHING and _layers(run_id) == []
    api = docker_client().api
    inspected = [json.dumps(api.inspect_container(c)) for c in left["containers"]]
    assert not any(s in text for text in inspected for s in SECRETS)
    print(f"secret channels: {wall:.0f}s; agent work holding a secret: {sorted(holders)}")
    assert wall < 300, f"took {wall:.0f}s"
