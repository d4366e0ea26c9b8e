"""Scripts that make an installed agent solve (or not) a bundled task, for the Docker tests.

The scripted model answers in the agent's own tool vocabulary (Claude Code's `Bash`, Codex's
`exec_command`, ...). "Solve" writes every file in which the reference differs from the masked
starting state, base64-encoded, one command per file; it first dumps the agent's environment
into the repository, so the test can prove no key was in it.
"""

from __future__ import annotations

import base64
import filecmp
import tempfile
from pathlib import Path

from abcbench.tasks.materialize import write_reference, write_starting_state
from abcbench.tasks.model import Task
from abcbench.testing.script import Route, Step, ToolCallStep, UsageStep

USAGE = UsageStep(prompt_tokens=3000, completion_tokens=120, cached_tokens=1000)
ENV_DUMP = "env-dump.txt"


def changed_files(task: Task) -> dict[str, bytes]:
    """Relative path -> reference content, for every file the agent must write."""
    with tempfile.TemporaryDirectory(prefix="wt-agents-") as tmp:
        start = write_starting_state(task, Path(tmp) / "start")
        ref = write_reference(task, Path(tmp) / "ref")
        out: dict[str, bytes] = {}
        for path in sorted(ref.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(ref).as_posix()
            twin = start / rel
            if not twin.is_file() or not filecmp.cmp(path, twin, shallow=False):
                out[rel] = path.read_bytes()
        return out


def write_command(rel: str, data: bytes) -> str:
    payload = base64.b64encode(data).decode()
    parent = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return f"mkdir -p {parent} && echo {payload} | base64 -d > {rel} && echo wrote {rel}"


def shell_step(tool: str, key: str, command: str, **extra: str) -> Step:
    return Step(content="Next.", usage=USAGE,
                tool_calls=[ToolCallStep(name=tool, arguments={key: command, **extra})])


def solving_route(task: Task, tool: str, key: str, **extra: str) -> Route:
    """The conversation about `task`: dump the environment, write the solution, stop."""
    steps = [shell_step(tool, key, f"env > {ENV_DUMP}; ls", **extra)]
    steps += [shell_step(tool, key, write_command(rel, data), **extra)
              for rel, data in changed_files(task).items()]
    steps.append(Step(content="The endpoints are implemented.", usage=USAGE))
    return Route(match=task.instruction.strip().splitlines()[0], steps=steps)
