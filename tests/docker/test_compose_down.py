"""`compose_down` against the real engine: a client whose `sleep infinity` ignores SIGTERM is
stopped without grace, and the project leaves no container or network behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.compose import (
    COMPOSE_PROJECT_LABEL,
    compose_down,
    compose_up,
    write_label_override,
)
from abcbench.sandbox.images import remove_image
from tests.conftest import TB_FIXTURES

pytestmark = [pytest.mark.docker]


def test_down_removes_a_sigterm_ignoring_client_and_leaves_nothing(
        tmp_path: Path, run_id: str, images: ImageManager) -> None:
    task_dir = TB_FIXTURES / "tb-word-stats"
    images.ensure_for_dockerfile(task_dir / "Dockerfile")
    project, image = run_id.lower(), f"abcbench-trial/{run_id.lower()}-client:latest"
    files = [task_dir / "docker-compose.yaml",
             write_label_override(task_dir / "docker-compose.yaml", tmp_path / "labels.yaml",
                                  L.managed(run=run_id, trial="down"))]
    for sub in ("sessions", "agent-logs"):
        (tmp_path / sub).mkdir()
    env = {**os.environ, "T_BENCH_TASK_DOCKER_CLIENT_IMAGE_NAME": image,
           "T_BENCH_TASK_DOCKER_CLIENT_CONTAINER_NAME": f"{project}-client",
           "T_BENCH_TASK_DOCKER_NAME_PREFIX": project, "T_BENCH_TEST_DIR": "/tests",
           "T_BENCH_TASK_LOGS_PATH": str(tmp_path / "sessions"),
           "T_BENCH_CONTAINER_LOGS_PATH": "/logs",
           "T_BENCH_TASK_AGENT_LOGS_PATH": str(tmp_path / "agent-logs"),
           "T_BENCH_CONTAINER_AGENT_LOGS_PATH": "/agent-logs"}
    api = docker_client().api
    selector = {"label": [f"{COMPOSE_PROJECT_LABEL}={project}"]}
    try:
        compose_up(project, files, env, task_dir, timeout=600)
        running = api.containers(filters=selector)
        assert [c["State"] for c in running] == ["running"]
        # PID 1 is `sh -c "sleep infinity"`: SIGTERM has no handler there, so only a kill ends it.
        top = api.top(running[0]["Id"])
        assert any("sleep infinity" in " ".join(p) for p in top["Processes"]), top
        compose_down(project, files, env, task_dir)
    finally:
        compose_down(project, files, env, task_dir)
        remove_image(image)  # the trial removes its client image (`--rmi local` spares tags)
    assert api.containers(all=True, filters=selector) == []
    assert api.networks(filters=selector) == []
