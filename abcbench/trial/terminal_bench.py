"""One trial of a task in the Terminal-Bench layout, with Terminal-Bench's own semantics.

compose project up (the task's Dockerfile and docker-compose.yaml) -> agent in `client` ->
`tests/` and `run-tests.sh` copied to /tests and `bash /tests/run-tests.sh` typed into a fresh
login shell on a 160x40 terminal, as root (`abcbench.sandbox.tty`) -> what Terminal-Bench's
tmux pane would show (`abcbench.grading.tb_pane`) parsed as Terminal-Bench parses -> compose
project down -> what the containers left in their bind mounts copied into the trial, no-follow.

Terminal-Bench's rules, kept on purpose (docs/terminal-bench.md has the native differences):
- the tests run even after the agent timed out or failed, and their verdict stands;
- resolved iff a summary header was found and every parsed status passed (XFAIL and SKIPPED
  pass; a header with nothing parsed passes);
- a test timeout is unresolved, unless the agent had already failed: then the partial output is
  parsed as usual.

The bind-mounted log folders belong to the containers (the agent is root there and may plant
symlinks): they live in a private temporary folder, and the harness's own files are never written
into them.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

from abcbench import policy, scratch
from abcbench.grading.pytest_summary import TbParse, parse_tb_pytest
from abcbench.grading.tb_pane import render_pane
from abcbench.images.manager import ImageManager
from abcbench.results.models import FailureClass, Stage
from abcbench.results.store import RunDir
from abcbench.sandbox.compose import (
    ComposeError,
    collect_bind_mount,
    compose_down,
    compose_stop,
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
#: The tail of the terminal's bytes kept in tests.raw.log (the pane itself is rendered whole).
TEST_OUTPUT_LIMIT = 8 * 1024 * 1024
#: Where the mounts' contents land in the trial folder, under logs/.
SESSIONS_COPY = "sessions"
AGENT_LOGS_COPY = "agent-logs"
#: What Terminal-Bench types into its "tests" pane (harness.py `_run_tests`).
TEST_COMMAND = f"bash {CONTAINER_TEST_DIR}/run-tests.sh"
_AGENT_FAILURES = (FailureClass.agent_timeout, FailureClass.agent_error)


class TerminalBenchTrial(Trial):
    # The tests run in the agent's container: what it started (a server) must keep running.
    stop_agent_processes = False
    # The tests decide even after an agent timeout: a later infrastructure fault is retried.
    provisional = policy.PROVISIONAL_TESTS_DECIDE
    agent_setup_in_budget = True  # tb 0.2.18 installs agents inside max_agent_timeout_sec

    def __init__(self, spec: TrialSpec, run_dir: RunDir, images: ImageManager,
                 on_phase: PhaseCallback | None = None,
                 cancelled: threading.Event | None = None) -> None:
        super().__init__(spec, run_dir, images, on_phase, cancelled)
        self.project = safe_name("abcbench", self.key).lower()
        self.client_image = f"abcbench-trial/{self.key}-client:latest"
        self.client_name = safe_name("abcbench", self.key, "client")
        self._compose_files: list[Path] = []
        self._env: dict[str, str] = {}
        self._mounts: Path | None = None
        self._tb_parse: TbParse | None = None

    def _compose_env(self) -> dict[str, str]:
        self._mounts = scratch.make_dir(f"abcbench-tb-{self.key}-")
        sessions, agent_logs = self._mounts / "sessions", self._mounts / "agent-logs"
        sessions.mkdir()
        agent_logs.mkdir()
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
            except ComposeError as exc:  # the error policy classifies it (by its type)
                build_log.write_text(exc.output, encoding="utf-8")
                raise ComposeError(f"{exc}; the task's environment did not come up",
                                   exc.output) from None
            client = attach(self.client_name)
        with self._phase(Stage.agent):
            # An agent timeout is recorded, not raised: Terminal-Bench runs the tests after it,
            # and counts them (`provisional` lets a later infrastructure fault replace it).
            self._run_agent(client, _workdir(client))
        with self._phase(Stage.tests):
            self._run_tests(client)

    def _run_tests(self, client: DockerContainer) -> None:
        task = self.task
        client.copy_in(task.tests_dir, CONTAINER_TEST_DIR)
        client.write_file(f"{CONTAINER_TEST_DIR}/run-tests.sh",
                          (task.directory / "run-tests.sh").read_bytes(), mode=0o755)
        timeout = self.spec.test_timeout_sec or task.test_timeout_sec
        # Typed into a fresh login shell on a 160x40 terminal, as Terminal-Bench types it into
        # its "tests" tmux pane (as root), or into the agent's pane (as the image's user) when
        # the task asks for the same shell; judged on what that pane shows.
        same_shell = task.terminal_bench is not None and task.terminal_bench.run_tests_in_same_shell
        run = client.type_command(TEST_COMMAND, timeout=timeout,
                                  user=None if same_shell else "root", pane=0 if same_shell else 1)
        pane = render_pane(run.output, history_limit=run.history_limit)
        (self.logs / "tests.raw.log").write_bytes(run.output[-TEST_OUTPUT_LIMIT:])
        log = self.logs / "tests.log"
        status = "timed out" if run.timed_out else f"exit {run.exit_code}"
        log.write_text(f"$ {TEST_COMMAND} ({status}; the terminal pane Terminal-Bench parses "
                       f"follows, the raw bytes are in tests.raw.log)\n{pane}",
                       encoding="utf-8")
        self.result.logs.tests = self._rel(log)
        self._judge_terminal_bench(pane, run.timed_out, timeout)

    def _judge_terminal_bench(self, output: str, timed_out: bool, timeout: float) -> None:
        agent_failed = self.result.failure_class in _AGENT_FAILURES
        if timed_out and not agent_failed:
            raise TrialFailed(FailureClass.test_timeout,
                              f"the tests did not finish within {timeout:.0f}s")
        parsed = parse_tb_pytest(output)
        if parsed is None:
            raise TrialFailed(FailureClass.no_tests,
                              "no 'short test summary info' in the test output "
                              "(Terminal-Bench: parse error, unresolved)")
        self._tb_parse = parsed
        self._record_tests(parsed.tests)
        if not parsed.resolved:
            failed = self.result.n_tests - self.result.n_passed
            raise TrialFailed(FailureClass.tests_failed,
                              f"{failed} of {self.result.n_tests} test(s) did not pass "
                              "(Terminal-Bench statuses: XFAIL and SKIPPED pass)")
        self.result.stage_reached = Stage.done

    def _verdict(self) -> bool:
        """Terminal-Bench's verdict in place of the native one: its parse alone decides,
        whatever the agent did, an empty parse included."""
        return (
            self._tb_parse is not None and self._tb_parse.resolved
            and self._violation is None  # a broken sandbox limit is never a pass, here too
            and self.result.failure_class in (None, *_AGENT_FAILURES)
        )

    def _collect_and_clean(self) -> None:
        try:
            if self._compose_files:
                end = compose_stop if self.spec.keep_containers else compose_down
                end(self.project, self._compose_files, self._env, self.task.directory)
        finally:
            try:
                self._collect_mounts()
            finally:
                if not self.spec.keep_containers:
                    remove_image(self.client_image)
                super()._collect_and_clean()

    def _collect_mounts(self) -> None:
        """After `down`: copy what the containers wrote, no-follow, into logs/; drop the rest."""
        if self._mounts is None:
            return
        try:
            skipped: list[str] = []
            for name, dest in (("sessions", SESSIONS_COPY), ("agent-logs", AGENT_LOGS_COPY)):
                skipped += collect_bind_mount(self._mounts / name, self.logs / dest)
            if skipped:
                (self.logs / "mounts-skipped.log").write_text("\n".join(skipped) + "\n",
                                                              encoding="utf-8")
        finally:
            shutil.rmtree(self._mounts, ignore_errors=True)
            self._mounts = None


def _config(container: DockerContainer) -> dict[str, Any]:
    config = container.container.attrs.get("Config") or {}
    return config if isinstance(config, dict) else {}


def _workdir(container: DockerContainer) -> str:
    return str(_config(container).get("WorkingDir") or "/")
