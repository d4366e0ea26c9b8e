"""Shared test helpers: a host-process sandbox and an AgentContext builder.

`LocalSandbox` is a second real implementation of the Sandbox protocol (subprocesses in a temp
folder that stands for the container's root), so the loop's unit tests exercise real commands,
real files and real timeouts without Docker. Paths inside the "sandbox" are mapped under `root`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from abcbench.agents.base import AgentContext
from abcbench.agents.endpoint import PREFLIGHT_PROMPT
from abcbench.paths import bundled_tasks_dir
from abcbench.sandbox.base import DEFAULT_OUTPUT_LIMIT, ExecResult, SandboxFileNotFound
from abcbench.tasks.loader import load_task
from abcbench.tasks.model import Task
from abcbench.testing.model_server import ModelServer, RecordedRequest
from abcbench.testing.script import UsageStep

REPO = "/app/repo"
TASK_ID = "python-flask-bookshelf-loans"


class LocalSandbox:
    def __init__(self, root: Path) -> None:
        self.root = root

    def host(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def exec(self, command: str | list[str], *, timeout: float = 600, cwd: str | None = None,
             env: dict[str, str] | None = None,
             output_limit: int = DEFAULT_OUTPUT_LIMIT) -> ExecResult:
        argv = ["bash", "-c", command] if isinstance(command, str) else list(command)
        if argv[0] == "stat" and len(argv) == 4:  # the tools' mode probe names a sandbox path
            argv[3] = str(self.host(argv[3]))
        started = time.monotonic()
        proc = subprocess.Popen(argv, cwd=self.host(cwd) if cwd else self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, **env} if env else None,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            timed_out = True
        code = 124 if timed_out else proc.returncode
        truncated = len(out) > output_limit or len(err) > output_limit
        return ExecResult(code, _cap(out, output_limit), _cap(err, output_limit), timed_out,
                          truncated, time.monotonic() - started)

    def read_file(self, path: str) -> bytes:
        target = self.host(path)
        if not target.is_file():
            raise SandboxFileNotFound(f"{path} does not exist")
        return target.read_bytes()

    def write_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None:
        target = self.host(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode() if isinstance(data, str) else data)
        target.chmod(mode)

    def copy_in(self, src: Path, dest: str) -> None:
        shutil.copytree(src, self.host(dest), dirs_exist_ok=True)

    def copy_out(self, src: str, dest: Path) -> None:
        shutil.copytree(self.host(src), dest, dirs_exist_ok=True)


def _cap(data: bytes, limit: int) -> str:
    """Head and tail, like the Docker sandbox's capped buffer."""
    if len(data) > limit:
        data = data[: limit // 2] + b"\n[... truncated ...]\n" + data[-(limit // 2):]
    return data.decode(errors="replace")


def make_context(sandbox: LocalSandbox, logs_dir: Path, budget: float = 120.0,
                 instruction: str = "Fix the bug.") -> AgentContext:
    logs_dir.mkdir(parents=True, exist_ok=True)
    sandbox.host(REPO).mkdir(parents=True, exist_ok=True)
    return AgentContext(instruction=instruction, sandbox=sandbox, repo_dir=REPO,
                        time_budget_sec=budget, logs_dir=logs_dir)


def bundled_task(task_id: str = TASK_ID) -> Task:
    """Loaded alone, so another task folder being edited cannot break these tests."""
    return load_task(bundled_tasks_dir() / task_id)


def agent_requests(server: ModelServer, *, completions: bool = True) -> list[RecordedRequest]:
    """What the agents asked for (whole completions, or every request): the harness's one
    endpoint check before the run (PREFLIGHT_PROMPT) is the run's request, not a trial's."""
    asked = server.completions if completions else server.requests
    return [r for r in asked if PREFLIGHT_PROMPT not in json.dumps(r.body)]


def agent_usage(server: ModelServer) -> UsageStep:
    """What the provider reported for the agents' requests: a trial's tokens must sum to it."""
    used = [r.usage for r in agent_requests(server) if r.usage is not None]
    return UsageStep(prompt_tokens=sum(u.prompt_tokens for u in used),
                     completion_tokens=sum(u.completion_tokens for u in used),
                     cached_tokens=sum(u.cached_tokens for u in used))
