"""docker-compose never fills a container's variable from the harness's environment (issue 18,
item 6), with the real docker-compose and engine.

The load-time check refuses value-less `environment`/`env_file`/`build.args` entries; this is
the second wall: even a compose file that skipped the check (here `compose_up` is called
directly) gets nothing from the host, because docker-compose runs with a scrubbed
environment (the Docker connection settings and the harness's `T_BENCH_*` values only).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.compose import (
    COMPOSE_PROJECT_LABEL,
    compose_down,
    compose_up,
    write_label_override,
)

pytestmark = [pytest.mark.docker]

SECRET = "sk-host-only-compose-4f3e2d1c"


def test_a_host_variable_never_reaches_a_compose_container(
        tmp_path: Path, run_id: str, images: ImageManager, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    base = images.ensure("base")
    task = tmp_path / "task"
    task.mkdir()
    (task / "passthrough.env").write_text("FROM_ENV_FILE\nPLAIN=1\n")
    (task / "docker-compose.yaml").write_text(yaml.safe_dump({"services": {"client": {
        "image": base, "command": ["sleep", "120"],
        "environment": ["FROM_LIST", "TEST_DIR=${T_BENCH_TEST_DIR}"],
        "env_file": ["passthrough.env"]}, "other": {
        "image": base, "command": ["sleep", "120"], "environment": {"FROM_MAPPING": None}}}}))
    for name in ("FROM_LIST", "FROM_MAPPING", "FROM_ENV_FILE"):
        monkeypatch.setenv(name, SECRET)
    project = run_id.lower()
    files = [task / "docker-compose.yaml",
             write_label_override(task / "docker-compose.yaml", tmp_path / "labels.yaml",
                                  L.managed(run=run_id, trial="env"))]
    env = {**os.environ, "T_BENCH_TEST_DIR": "/tests"}
    api = docker_client().api
    selector = {"label": [f"{COMPOSE_PROJECT_LABEL}={project}"]}
    try:
        compose_up(project, files, env, task, timeout=300)
        inspected = [api.inspect_container(c["Id"]) for c in api.containers(filters=selector)]
    finally:
        compose_down(project, files, env, task)
    assert len(inspected) == 2
    for container in inspected:
        assert SECRET not in json.dumps(container["Config"]["Env"]), container["Config"]["Env"]
    client = next(c for c in inspected if c["Config"]["Labels"].get(
        "com.docker.compose.service") == "client")
    assert "TEST_DIR=/tests" in client["Config"]["Env"] and "PLAIN=1" in client["Config"]["Env"]
    assert api.containers(all=True, filters=selector) == []
