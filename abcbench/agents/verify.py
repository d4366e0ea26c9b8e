"""`abcbench agents verify NAME`: run an agent end to end here and record what happened.

"Verified" is a fact about a machine, not a property of a class: the agent runs through the
whole harness (sandbox, gateway, build, hidden tests) on bundled tasks in different languages.
An LLM agent is driven by the scripted model server in its own protocol and tool vocabulary,
twice: a script that writes the reference solution must resolve every task, a script that
does nothing must resolve none. The oracle must resolve every task, nop none. The outcome
(agent version, date, tasks, verdicts) is kept in the user cache, where `agents list` reads it.
"""

from __future__ import annotations

import base64
import filecmp
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from abcbench import __version__, scratch
from abcbench.agents.base import Agent
from abcbench.errors import UserError
from abcbench.paths import bundled_tasks_dir, cache_dir
from abcbench.results.models import AgentInfo, TrialResult, utcnow
from abcbench.tasks.loader import load_task
from abcbench.tasks.materialize import write_reference, write_starting_state
from abcbench.tasks.model import Task
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Route, Script, Step, ToolCallStep, UsageStep

VERIFY_TASKS = ("python-flask-bookshelf-loans", "go-chi-linkvault-bookmarks")
USAGE = UsageStep(prompt_tokens=3000, completion_tokens=120, cached_tokens=1000)
ENV_DUMP = "env-dump.txt"
SCRIPTED_MODEL = "scripted-model"


class VerificationRecord(BaseModel):
    agent: str
    agent_version: str
    harness_version: str = __version__
    verified_at: datetime = Field(default_factory=utcnow)
    tasks: list[str]
    verdicts: dict[str, dict[str, bool]] = Field(
        description="task -> scenario (solve, nothing, or the agent's own run) -> resolved")
    passed: bool
    runs: list[str] = Field(default_factory=list)


def record_path(name: str) -> Path:
    return cache_dir() / "agents" / "verified" / f"{name}.json"


def load_record(name: str) -> VerificationRecord | None:
    path = record_path(name)
    try:
        return VerificationRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def changed_files(task: Task) -> dict[str, bytes]:
    """Relative path -> reference content, for every file the agent must write."""
    with scratch.temporary_dir("abcbench-verify-") as tmp:
        start = write_starting_state(task, Path(tmp) / "start")
        ref = write_reference(task, Path(tmp) / "ref")
        out: dict[str, bytes] = {}
        for path in sorted(ref.rglob("*")):
            rel = path.relative_to(ref).as_posix()
            twin = start / rel
            if path.is_file() and (not twin.is_file()
                                   or not filecmp.cmp(path, twin, shallow=False)):
                out[rel] = path.read_bytes()
        return out


def write_command(rel: str, data: bytes) -> str:
    payload = base64.b64encode(data).decode()
    parent = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return f"mkdir -p {parent} && echo {payload} | base64 -d > {rel} && echo wrote {rel}"


def shell_step(agent: type[Agent], command: str) -> Step:
    tool: tuple[str, str, dict[str, str]] = getattr(agent, "shell_tool",
                                                    ("bash", "command", {}))
    name, key, extra = tool
    return Step(content="Next.", usage=USAGE,
                tool_calls=[ToolCallStep(name=name, arguments={key: command, **extra})])


def closing_step(agent: type[Agent], text: str) -> Step:
    """The model's last reply: plain text, or a call of the agent's finish tool for agents
    that take a reply without one as a question to the user (OpenHands)."""
    finish: tuple[str, str] | None = getattr(agent, "finish_tool", None)
    if finish is None:
        return Step(content=text, usage=USAGE)
    name, key = finish
    return Step(content=text, usage=USAGE,
                tool_calls=[ToolCallStep(name=name, arguments={key: text})])


def solving_route(task: Task, agent: type[Agent]) -> Route:
    """The conversation about `task`: dump the environment, write the solution, stop."""
    steps = [shell_step(agent, f"env > {ENV_DUMP}; ls")]
    steps += [shell_step(agent, write_command(rel, data))
              for rel, data in changed_files(task).items()]
    steps.append(closing_step(agent, "The endpoints are implemented."))
    return Route(match=task.instruction.strip().splitlines()[0], steps=steps)


def doing_nothing() -> Script:
    return Script(steps=[Step(content="I will not change anything.", usage=USAGE)])


def verify_agent(cls: type[Agent], output_dir: Path, task_ids: tuple[str, ...] = VERIFY_TASKS,
                 n_concurrent: int = 2) -> VerificationRecord:
    from abcbench.run.runner import Runner, RunRequest  # the runner imports the registry

    tasks = [load_task(bundled_tasks_dir() / t) for t in task_ids]
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")

    def run(scenario: str, script: Script | None) -> list[TrialResult]:
        run_id = f"verify-{cls.name}-{scenario}-{stamp}"
        kwargs: dict[str, Any] = {}
        server = ModelServer(script).start() if script is not None else None
        try:
            if server is not None:
                kwargs["base_url"] = server.base_url
            Runner(RunRequest(
                tasks=tasks, agent_cls=cls, output_dir=output_dir,
                agent_info=AgentInfo(name=cls.name, kwargs=kwargs,
                                     model=SCRIPTED_MODEL if server else None),
                tasks_dir=bundled_tasks_dir(), run_id=run_id,
                n_concurrent=n_concurrent)).execute()
        finally:
            if server is not None:
                server.stop()
        runs.append(run_id)
        from abcbench.results.store import RunDir

        return RunDir(output_dir / run_id).results()

    runs: list[str] = []
    verdicts: dict[str, dict[str, bool]] = {t: {} for t in task_ids}
    scripts: dict[str, Script | None]
    if getattr(cls, "wire", None):
        expected = {"solve": True, "nothing": False}
        scripts = {"solve": Script(routes=[solving_route(t, cls) for t in tasks]),
                   "nothing": doing_nothing()}
    elif cls.name in ("oracle", "nop"):
        expected = {cls.name: cls.name == "oracle"}
        scripts = {cls.name: None}
    else:
        raise UserError(f"agent {cls.name!r} cannot be verified: it is neither an LLM agent "
                        "(no `wire`) nor oracle/nop")
    for scenario, script in scripts.items():
        for result in run(scenario, script):
            verdicts[result.task_id][scenario] = result.resolved
    passed = all(verdicts[t].get(s) is want for t in task_ids for s, want in expected.items())
    record = VerificationRecord(agent=cls.name, agent_version=agent_version(cls),
                                tasks=list(task_ids), verdicts=verdicts, passed=passed,
                                runs=runs)
    path = record_path(cls.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return record


def agent_version(cls: type[Agent]) -> str:
    return str(getattr(cls, "version", __version__))
