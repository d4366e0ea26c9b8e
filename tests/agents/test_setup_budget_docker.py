"""A real claude-code trial with `--agent-timeout 60` (issue 20): its bundle is a read-only
volume mounted when the sandbox is created, setup is timed apart (`timings.agent_setup`, a
second or two) and none of it is taken from the 60 s: the agent is told the whole budget less
the stop margin. The volume carries the project's labels; the test removes it if it made it."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docker.errors import NotFound

from abcbench.agents.installed.base import STOP_MARGIN_SEC
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import ensure_wheel_binaries
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.volumes import KIND_AGENT_BUNDLE, engine_machine, volume_name
from abcbench.agents.verify import solving_route
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.tasks.loader import load_task
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script
from tests.agents.agent_helpers import agent_requests, bundled_task
from tests.agents.test_installed_agents_docker import (
    AGENTS,
    SECRET,
    assert_clean,
    assert_no_secret,
    run,
)

pytestmark = [pytest.mark.docker, pytest.mark.slow]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "native"
TASK = "fx-quotes-logic"
"""The small fixture task: its build and tests take seconds, so the trial is mostly the agent."""


@pytest.fixture
def fresh_volume() -> Iterator[str]:
    """The agent's bundle volume, removed afterwards when this test made it."""
    cls: type[BinaryAgent] = ClaudeCodeAgent
    machine = engine_machine()
    ensure_wheel_binaries(cls.wheel, machine)
    name = volume_name(cls.name, cls.wheel.key(machine))
    client = docker_client()
    try:
        client.volumes.get(name)
        existed = True
    except NotFound:
        existed = False
    yield name
    if not existed:
        with contextlib.suppress(NotFound):
            client.volumes.get(name).remove(force=True)


def test_claude_code_setup_is_outside_its_60s_budget(
        tmp_path: Path, run_id: str, fresh_volume: str) -> None:
    case = AGENTS["claude-code"]
    task = load_task(FIXTURES / TASK)
    with ModelServer(Script(routes=[solving_route(task, case.cls)])) as server:
        Runner(RunRequest(
            tasks=[task], agent_cls=case.cls,
            agent_info=AgentInfo(name=case.cls.name, model=case.model,
                                 kwargs={"base_url": server.base_url}, env_keys=[case.key_var]),
            agent_env={case.key_var: SECRET}, output_dir=tmp_path / "runs",
            tasks_dir=FIXTURES, run_id=run_id, agent_timeout_sec=60)).execute()
    run_dir = RunDir(tmp_path / "runs" / run_id)
    [result] = run_dir.results()
    assert result.resolved, (result.failure_class, result.error)
    # setup: timed apart, one exec on the mounted volume
    assert result.timings["agent_setup"] < 5, result.timings
    setup_log = (run_dir.trial_dir(result.trial_name) / "agent" / "setup.log").read_text()
    assert "mounted read-only" in setup_log
    # none of it was taken from the budget: the agent was told 60 s less the stop margin
    prompt = str(agent_requests(server)[0].body)
    told = int(re.search(r"\((\d+) seconds\)", prompt)[1])  # type: ignore[index]
    assert told == round(60 - STOP_MARGIN_SEC) or told == round(60 - STOP_MARGIN_SEC) - 1, told
    volume = docker_client().volumes.get(fresh_volume)
    assert volume.attrs["Labels"][L.KIND] == KIND_AGENT_BUNDLE
    assert_no_secret(run_dir)
    assert_clean(run_id)


@pytest.mark.sweep
def test_mini_swe_agent_mounts_its_python_bundle(tmp_path: Path, run_id: str) -> None:
    """A Python bundle (mini-swe-agent) on an image with python3: mounted, not unpacked; the
    volume is this test's to remove when it made it."""
    from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
    from abcbench.agents.installed.volumes import image_python
    from abcbench.images.manager import ImageManager
    task = "python-flask-bookshelf-loans"
    found = image_python(ImageManager().ensure(bundled_task(task).sandbox_image))
    assert found is not None
    name = volume_name(MiniSweAgent.name, MiniSweAgent.bundle.key(*found))
    client = docker_client()
    existed = bool(client.volumes.list(filters={"name": name}))
    try:
        case = AGENTS["mini-swe-agent"]
        script = Script(routes=[solving_route(bundled_task(task), case.cls)])
        [result], _server, run_dir = run(tmp_path, run_id, case, script, tasks=(task,),
                                         agent_timeout=300)
        assert result.resolved, (result.failure_class, result.error)
        log = (run_dir.trial_dir(result.trial_name) / "agent" / "setup.log").read_text()
        assert "is mounted read-only" in log, log
        assert result.timings["agent_setup"] < 30, result.timings
        assert_clean(run_id)
    finally:
        if not existed:
            with contextlib.suppress(NotFound):
                client.volumes.get(name).remove(force=True)
