"""One trial of a task in the Terminal-Bench layout, with that format's own semantics.

compose project up (the task's Dockerfile and docker-compose.yaml) -> agent in `client` ->
`tests/` and `run-tests.sh` copied to /tests and run -> `pytest -rA` summary parsed; resolved
when at least one test was parsed and every parsed test passed -> compose project down.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from abcbench.grading.pytest_summary import parse_pytest_summary
from abcbench.images.manager import ImageManager
from abcbench.results.models import FailureClass, Stage
from abcbench.results.store import RunDir
from abcbench.sandbox.compose import (
    ComposeError,
    compose_down,
    compose_up,
    write_label_override,
)
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import remove_image
from abcbench.sandbox.lifecycle import attach, safe_name
from abcbench.trial.base import PhaseCallback, Trial, TrialFailed, TrialSpec

CLIENT_SERVICE = "client"
CONTAINER_TEST_DIR = "/tests"
CONTAINER_LOGS = "/logs"
CONTAINER_AGENT_LOGS = "/agent-logs"
COMPOSE_UP_TIMEOUT_SEC = 1800


class TerminalBenchTrial(Trial):
    # The tests run in the agent's container: what it started (a server) must keep running.
    stop_agent_processes = False

    def __init__(self, spec: TrialSpec, run_dir: RunDir, images: ImageManager,
                 on_phase: PhaseCallback | None = None,
                 cancelled: threading.Event | None = None) -> None:
        super().__init__(spec, run_dir, images, on_phase, cancelled)
        self.project = safe_name("abcbench", self.key).lower()
        self.client_image = f"abcbench-trial/{self.key}-client:latest"
        self.client_name = safe_name("abcbench", self.key, "client")
        self._compose_files: list[Path] = []
        self._env: dict[str, str] = {}

    def _compose_env(self) -> dict[str, str]:
        sessions = self.logs / "sessions"
        sessions.mkdir(parents=True, exist_ok=True)
        agent_logs = self.dir / "agent"
        agent_logs.mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "T_BENCH_TASK_DOCKER_CLIENT_IMAGE_NAME": self.client_image,
            "T_BENCH_TASK_DOCKER_CLIENT_CONTAINER_NAME": self.client_name,
            "T_BENCH_TASK_DOCKER_NAME_PREFIX": self.project,
            "T_BENCH_TEST_DIR": CONTAINER_TEST_DIR,
            "T_BENCH_TASK_LOGS_PATH": str(sessions),
            "T_BENCH_CONTAINER_LOGS_PATH": CONTAINER_LOGS,
            "T_BENCH_TASK_AGENT_LOGS_PATH": str(agent_logs),
            "T_BENCH_CONTAINER_AGENT_LOGS_PATH": CONTAINER_AGENT_LOGS,
        }

    def _execute(self) -> None:
        task = self.task
        compose_file = task.directory / "docker-compose.yaml"
        with self._phase(Stage.setup):
            self.images.ensure_for_dockerfile(task.directory / "Dockerfile")
            override = write_label_override(compose_file, self.dir / "compose.labels.yaml",
                                            self.labels)
            self._compose_files = [compose_file, override]
            self._env = self._compose_env()
        with self._phase(Stage.sandbox):
            build_log = self.logs / "build.log"
            self.result.logs.build = self._rel(build_log)
            try:
                output = compose_up(self.project, self._compose_files, self._env,
                                    task.directory, COMPOSE_UP_TIMEOUT_SEC)
                build_log.write_text(output, encoding="utf-8")
            except ComposeError as exc:
                build_log.write_text(exc.output, encoding="utf-8")
                raise TrialFailed(FailureClass.infrastructure,
                                  f"{exc}; the task's environment did not come up") from None
            client = attach(self.client_name)
        with self._phase(Stage.agent):
            self._run_agent(client, _workdir(client))
        with self._phase(Stage.tests):
            self._run_tests(client)

    def _run_tests(self, client: DockerContainer) -> None:
        task = self.task
        client.copy_in(task.tests_dir, CONTAINER_TEST_DIR)
        client.write_file(f"{CONTAINER_TEST_DIR}/run-tests.sh",
                          (task.directory / "run-tests.sh").read_bytes(), mode=0o755)
        timeout = self.spec.test_timeout_sec or task.test_timeout_sec
        run = client.exec(["bash", f"{CONTAINER_TEST_DIR}/run-tests.sh"], timeout=timeout,
                          cwd=_workdir(client), env={"TEST_DIR": CONTAINER_TEST_DIR},
                          output_limit=8 * 1024 * 1024)
        log = self.logs / "tests.log"
        log.write_text(f"$ bash run-tests.sh (exit {run.exit_code})\n{run.stdout}\n{run.stderr}",
                       encoding="utf-8")
        self.result.logs.tests = self._rel(log)
        self._judge_tests(parse_pytest_summary(run.stdout), run.timed_out, timeout,
                          run.exit_code)

    def _collect_and_clean(self) -> None:
        try:
            if self._compose_files:
                compose_down(self.project, self._compose_files, self._env, self.task.directory)
        finally:
            remove_image(self.client_image)
            super()._collect_and_clean()


def _workdir(container: DockerContainer) -> str:
    config = container.container.attrs.get("Config", {})
    return str(config.get("WorkingDir") or "/")
