"""One trial of a native task, phase by phase: sandbox -> agent -> export -> build -> start
-> tests -> record and clean. Every container, network and image of the trial is removed in
`finally`, found by its labels."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from docker.types import Mount

from abcbench import scratch
from abcbench.egress.sandbox import SandboxEgress
from abcbench.egress.settings import effective_egress
from abcbench.grading.deploy import (
    ServiceDidNotStart,
    build_service_image,
    install_probe,
    stage_build_context,
    wait_until_ready,
)
from abcbench.grading.tester import run_hidden_tests
from abcbench.images.manager import ImageManager
from abcbench.results.models import (
    FailureClass,
    Stage,
)
from abcbench.results.store import RunDir
from abcbench.sandbox import images as docker_images
from abcbench.sandbox import labels as L
from abcbench.sandbox.base import SandboxError
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    Limits,
    create_internal_network,
    start_container,
)
from abcbench.tasks.materialize import write_starting_state
from abcbench.trial.base import (
    GIT_IDENTITY,
    PhaseCallback,
    Trial,
    TrialFailed,
    TrialSpec,
)

DISK_WATCH_JOIN_SEC = 2.0
"""How long a trial waits for its disk watcher's poll in flight to end."""


class NativeTrial(Trial):
    """A task in the native format: the full two-container protocol."""

    def __init__(self, spec: TrialSpec, run_dir: RunDir, images: ImageManager,
                 on_phase: PhaseCallback | None = None,
                 cancelled: threading.Event | None = None) -> None:
        super().__init__(spec, run_dir, images, on_phase, cancelled)
        self._service_image = f"abcbench-trial/{self.key}:latest"
        self._service: DockerContainer | None = None
        self._egress: SandboxEgress | None = None
        self._disk_watch: tuple[DockerContainer, threading.Thread] | None = None

    def _release(self, **role: str) -> None:
        """Stop the sandbox's disk watcher before its container goes: a watcher left to notice
        by itself polls the engine once more after the trial has ended."""
        if self._disk_watch is not None and role.get("role", "sandbox") == "sandbox":
            sandbox, thread = self._disk_watch
            sandbox.stop_watching()
            thread.join(timeout=DISK_WATCH_JOIN_SEC)
            self._disk_watch = None
        super()._release(**role)

    def _execute(self) -> None:
        with self._phase(Stage.setup):
            sandbox_ref = self.images.ensure(self.task.sandbox_image)
            tester_ref = self.images.ensure("tester")
            mounts = self.spec.agent_cls.sandbox_mounts(sandbox_ref)  # its bundle, read-only
        with self._phase(Stage.sandbox):
            sandbox = self._start_sandbox(sandbox_ref, mounts)
        with self._phase(Stage.agent):
            self._run_agent(sandbox, self.task.spec.repo_dir_in_sandbox)
        with self._phase(Stage.export):
            submission = self._export(sandbox)
        self._release(role="sandbox")  # the agent's container runs nothing from here on
        self._close_egress()
        self._sandbox = None  # later faults are the harness containers' or the submission's
        self._deploy_and_test(submission, tester_ref)

    def _start_sandbox(self, image_ref: str, mounts: list[Mount]) -> DockerContainer:
        """The agent's container, on a bridge of its own (no other trial is reachable) whose
        way out is the egress in effect (`abcbench.egress.sandbox`), with the task's limits,
        no spare capabilities, and a disk budget checked while it runs (`violation` says why
        it was stopped)."""
        spec = self.task.spec
        sandbox_labels = {**self.labels, L.ROLE: "sandbox"}
        egress = SandboxEgress(
            effective_egress(spec.sandbox.egress, spec.sandbox.egress_allow,
                             self.spec.egress, self.spec.egress_allow),
            source="run" if self.spec.egress else "task")
        self._egress = egress
        self.result.egress = egress.record
        network = egress.open_network(self._name("sandbox-net"), sandbox_labels)
        sandbox = start_container(ContainerRequest(
            image=image_ref,
            name=self._name("sandbox"),
            labels=sandbox_labels,
            command=["sleep", "infinity"],
            limits=Limits(spec.resources.cpus, spec.resources.memory_mb, spec.resources.pids,
                          file_mb=spec.resources.disk_mb),
            environment=egress.environment,
            working_dir="/app",
            hostname="sandbox",
            network=network.name,
            mounts=tuple(mounts),
        ))
        egress.configure(sandbox)
        self._disk_watch = (sandbox, sandbox.watch_disk(spec.resources.disk_mb * 1024 * 1024))
        with scratch.temporary_dir("abcbench-start-") as tmp:
            start = write_starting_state(self.task, Path(tmp) / "repo")
            sandbox.copy_in(start, spec.repo_dir_in_sandbox)
        init = sandbox.exec(
            ["git", *GIT_IDENTITY, "init", "-q"], cwd=spec.repo_dir_in_sandbox, timeout=60
        )
        if init.ok:  # a baseline commit lets the agent (and us) diff its work
            sandbox.exec(
                f"git add -A && git {' '.join(GIT_IDENTITY)} commit -qm 'starting state' "
                "--no-verify", cwd=spec.repo_dir_in_sandbox, timeout=120,
            )
        return sandbox

    def _export(self, sandbox: DockerContainer) -> Path:
        """The repository as the agent phase left it (its processes all stopped). The diff is
        a convenience: a sandbox the agent stopped still has its files copied out."""
        repo = self.task.spec.repo_dir_in_sandbox
        try:
            diff = sandbox.exec("git add -A >/dev/null 2>&1; git diff --cached --binary HEAD",
                                cwd=repo, timeout=120, output_limit=16 * 1024 * 1024)
        except SandboxError:
            diff = None
        if diff is not None and diff.exit_code == 0:
            (self.dir / "submission.diff").write_text(diff.stdout, encoding="utf-8")
            self.result.logs.submission_diff = "submission.diff"
        submission = self.dir / "submission"
        sandbox.copy_out(repo, submission)
        shutil.rmtree(submission / ".git", ignore_errors=True)
        self.result.logs.submission = "submission"
        return submission

    def _deploy_and_test(self, submission: Path, tester_ref: str) -> None:
        task = self.task
        with scratch.temporary_dir("abcbench-build-") as tmp:
            staging = Path(tmp) / "context"
            with self._phase(Stage.build):
                stage_build_context(task, submission, staging)
                build_log = self.logs / "build.log"
                self.result.logs.build = self._rel(build_log)
                # A build error is the submission's or the engine's: the policy tells which.
                build_service_image(
                    task, staging, self._service_image,
                    {**self.labels, L.KIND: L.KIND_TRIAL_IMAGE}, build_log, self.images,
                    self.cancelled,
                )
        network = create_internal_network(self._name("net"), self.labels)
        port = task.spec.service.port
        service_url = f"http://service:{port}"
        with self._phase(Stage.start):
            limits = task.spec.resources
            service = start_container(ContainerRequest(
                image=self._service_image,
                name=self._name("service"),
                labels={**self.labels, L.ROLE: "service"},
                limits=Limits(limits.cpus, limits.memory_mb, limits.pids),
                environment=dict(task.spec.service.env),
                network=network.name,
                aliases=("service",),
                hostname="service",
            ))
            self._service = service
            tester = start_container(ContainerRequest(
                image=tester_ref,
                name=self._name("tester"),
                labels={**self.labels, L.ROLE: "tester"},
                command=["sleep", "infinity"],
                network=network.name,
                environment={"SERVICE_URL": service_url},
                hostname="tester",
            ))
            install_probe(tester)
            try:
                wait_until_ready(task, service, tester, service_url)
            except ServiceDidNotStart as exc:
                raise TrialFailed(FailureClass.service_did_not_start, str(exc)) from None
        with self._phase(Stage.tests):
            timeout = self.spec.test_timeout_sec or task.test_timeout_sec
            tests_log, junit = self.logs / "tests.log", self.logs / "junit.xml"
            run = run_hidden_tests(tester, task.tests_dir, service_url, timeout, tests_log, junit)
            self.result.logs.tests = self._rel(tests_log)
            if junit.exists():
                self.result.logs.junit = self._rel(junit)
            self._judge_tests(run.tests, run.timed_out, timeout, run.exit_code)

    def _close_egress(self) -> None:
        """Stop the sandbox's proxy and keep its decisions (logs/egress.log)."""
        if self._egress is None:
            return
        egress, self._egress = self._egress, None
        text = egress.close()
        if text is not None:
            log = self.logs / "egress.log"
            log.write_text(text, encoding="utf-8")
            self.result.logs.egress = self._rel(log)

    def _collect_and_clean(self) -> None:
        try:
            self._close_egress()
            if self._service is not None:
                log = self.logs / "service.log"
                log.write_text(self._service.logs(), encoding="utf-8")
                self.result.logs.service = self._rel(log)
        finally:
            self._release()
            if not self.spec.keep_containers:
                docker_images.remove_image(self._service_image)
