"""A task's starting state for a human: the sandbox an agent would get, and a shell in it.

For debugging a task (or an agent's view of it): the same image, limits, egress, masked
repository and baseline git commit as a trial's sandbox (native tasks), or the task's compose
project with a shell in its `client` container (Terminal-Bench layout). No tests are copied
in. Everything is labelled with a run id of its own and removed when the shell exits, whatever
happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from abcbench import scratch
from abcbench.egress.sandbox import SandboxEgress
from abcbench.egress.settings import effective_egress
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.sandbox.compose import compose_down, compose_up, write_label_override
from abcbench.sandbox.images import remove_image
from abcbench.sandbox.lifecycle import ContainerRequest, Limits, cleanup, safe_name
from abcbench.sandbox.lifecycle import start_container as start
from abcbench.tasks.materialize import write_starting_state
from abcbench.tasks.model import Task
from abcbench.trial.base import GIT_IDENTITY

SHELL = "command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l"


@contextmanager
def _native(task: Task, session: str, images: ImageManager) -> Iterator[tuple[str, str]]:
    spec = task.spec
    name = safe_name("abcbench", session, "sandbox")
    labels = L.managed(run=session, role="sandbox")
    egress = SandboxEgress(effective_egress(spec.sandbox.egress, spec.sandbox.egress_allow),
                           source="task")
    try:
        network = egress.open_network(safe_name("abcbench", session, "sandbox-net"), labels)
        sandbox = start(ContainerRequest(
            image=images.ensure(task.sandbox_image), name=name, labels=labels,
            command=["sleep", "infinity"],
            limits=Limits(spec.resources.cpus, spec.resources.memory_mb, spec.resources.pids),
            environment=egress.environment, working_dir="/app", hostname="sandbox",
            network=network.name))
        egress.configure(sandbox)
        with scratch.temporary_dir("abcbench-shell-") as tmp:
            sandbox.copy_in(write_starting_state(task, Path(tmp) / "repo"),
                            spec.repo_dir_in_sandbox)
        sandbox.exec(f"git {' '.join(GIT_IDENTITY)} init -q && git add -A && "
                     f"git {' '.join(GIT_IDENTITY)} commit -qm 'starting state' --no-verify",
                     cwd=spec.repo_dir_in_sandbox, timeout=120)
        yield name, spec.repo_dir_in_sandbox
    finally:
        try:
            egress.close()
        finally:
            cleanup(run=session)


@contextmanager
def _terminal_bench(task: Task, session: str, images: ImageManager,
                    ) -> Iterator[tuple[str, str]]:
    project = safe_name("abcbench", session).lower()
    client = safe_name("abcbench", session, "client")
    client_image = f"abcbench-trial/{session}-client:latest"
    compose_file = task.directory / "docker-compose.yaml"
    with scratch.temporary_dir("abcbench-shell-") as tmp:
        files = [compose_file, write_label_override(
            compose_file, Path(tmp) / "labels.yaml", L.managed(run=session))]
        env = {**os.environ,
               "T_BENCH_TASK_DOCKER_CLIENT_IMAGE_NAME": client_image,
               "T_BENCH_TASK_DOCKER_CLIENT_CONTAINER_NAME": client,
               "T_BENCH_TASK_DOCKER_NAME_PREFIX": project, "T_BENCH_TEST_DIR": "/tests",
               "T_BENCH_TASK_LOGS_PATH": tmp, "T_BENCH_CONTAINER_LOGS_PATH": "/logs",
               "T_BENCH_TASK_AGENT_LOGS_PATH": tmp,
               "T_BENCH_CONTAINER_AGENT_LOGS_PATH": "/agent-logs"}
        try:
            images.ensure_for_dockerfile(task.directory / "Dockerfile")
            compose_up(project, files, env, task.directory, timeout=1800)
            workdir = subprocess.run(
                ["docker", "inspect", "-f", "{{.Config.WorkingDir}}", client],
                capture_output=True, text=True, check=False).stdout.strip()
            yield client, workdir or "/"
        finally:
            try:
                compose_down(project, files, env, task.directory)
            finally:
                remove_image(client_image)  # tagged by the compose file: `down` keeps it
                cleanup(run=session)


def open_shell(task: Task, session: str, command: str | None = None,
               images: ImageManager | None = None) -> int:
    """Start the task's sandbox, run a shell (or `command`) in it, remove it; the exit code."""
    docker = shutil.which("docker")
    if docker is None:
        raise UserError("`abcbench tasks shell` needs the docker command line client")
    opener = _native if task.native is not None else _terminal_bench
    with opener(task, session, images or ImageManager()) as (container, workdir):
        interactive = ["-i", "-t"] if command is None and os.isatty(0) else ["-i"]
        argv = [docker, "exec", *interactive, "-w", workdir, container,
                "sh", "-c", command if command is not None else SHELL]
        return subprocess.run(argv, check=False).returncode
