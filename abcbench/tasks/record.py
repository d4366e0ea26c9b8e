"""`abcbench tasks record TASK scenario.yaml`: draft functional tests from the reference's
answers.

The reference service is built and started exactly as a trial deploys a submission (same
build, same internal network, same tester image); the scenario's requests are sent from the
tester container, twice (the second round in reverse order, so values that depend on other
tests' data show), and their answers become `tests/test_functional.py` (`scenario.py`). When
the task names no health path, the usual ones are probed and the first that answers 200 is
written to task.yaml and to the connectivity test.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from abcbench import scratch
from abcbench.errors import HarnessError, UserError
from abcbench.grading.deploy import (
    DeployError,
    build_service_image,
    install_probe,
    stage_build_context,
    wait_until_ready,
)
from abcbench.images.manager import ImageManager
from abcbench.sandbox import images as docker_images
from abcbench.sandbox import labels as L
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.images import ImageBuildError
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    Limits,
    cleanup,
    create_internal_network,
    start_container,
)
from abcbench.tasks import record_client
from abcbench.tasks.materialize import write_reference
from abcbench.tasks.model import Task
from abcbench.tasks.scaffold import CONNECTIVITY_TEST
from abcbench.tasks.scenario import load_scenario, plan_for, render_tests, unstable_steps

HEALTH_CANDIDATES = ("/health", "/healthz", "/api/health", "/status", "/ping", "/")
CLIENT_PATH = "/tmp/abcbench-record/record_client.py"
PLAN_PATH = "/tmp/abcbench-record/plan.json"
PROBE_SNIPPET = """import json, sys, httpx
out = {}
for path in sys.argv[2:]:
    try:
        out[path] = httpx.get(sys.argv[1] + path, timeout=5).status_code
    except httpx.HTTPError:
        out[path] = None
print(json.dumps(out))
"""


@dataclass
class Recording:
    tests_file: Path
    n_tests: int
    health_path: str | None
    health_written: bool = False
    unanswered: list[str] = field(default_factory=list)
    unstable: list[str] = field(default_factory=list)
    """Requests whose status differed between the two rounds (order- or data-dependent)."""


def record(task: Task, scenario_file: Path, *, force: bool = False,
           images: ImageManager | None = None,
           notify: Callable[[str], None] = lambda _m: None) -> Recording:
    """Record the scenario against the reference and write the draft tests."""
    scenario = load_scenario(scenario_file)
    tests = scenario.all_tests()
    tests_file = task.tests_dir / "test_functional.py"
    if tests_file.exists() and not force:
        raise UserError(f"{tests_file} exists; pass --force to replace it with a new draft")
    images = images or ImageManager(notify=notify)
    run = f"record-{secrets.token_hex(4)}"
    labels = L.managed(run=run, trial=run)
    tag = f"abcbench-trial/{run}:latest"
    try:
        with scratch.temporary_dir("abcbench-record-") as tmp:
            _build_reference(task, Path(tmp), tag, labels, images, notify)
        tester_ref = images.ensure("tester")
        service, tester, url = _start(task, tag, tester_ref, labels, run)
        notify("waiting for the reference service")
        try:
            wait_until_ready(task, service, tester, url)
        except DeployError as exc:
            raise UserError(f"the reference service did not start: {exc}\n"
                            f"{service.logs()[-1500:]}") from None
        health = task.spec.service.health_path or _probe_health(tester, url)
        answers = _send(tester, plan_for(tests, url), len(tests))
        repeat = _send(tester, plan_for(tests[::-1], url), len(tests))[::-1]
    finally:
        cleanup(run=run)
        docker_images.remove_image(tag)
    tests_file.parent.mkdir(parents=True, exist_ok=True)
    tests_file.write_text(render_tests(tests, answers, scenario_file.name, repeat=repeat),
                          encoding="utf-8")
    recording = Recording(tests_file, len(tests), health, unanswered=[
        a["name"] for a in answers if any(s.get("status") is None for s in a["steps"])],
        unstable=unstable_steps(tests, answers, repeat))
    if task.spec.service.health_path is None and health is not None:
        recording.health_written = _write_health_path(task, health)
    return recording


def _build_reference(task: Task, tmp: Path, tag: str, labels: dict[str, str],
                     images: ImageManager, notify: Callable[[str], None]) -> None:
    reference = write_reference(task, tmp / "reference")
    staging = tmp / "context"
    stage_build_context(task, reference, staging)
    log = tmp / "build.log"
    notify(f"building the reference service of {task.id}")
    try:
        build_service_image(task, staging, tag, {**labels, L.KIND: L.KIND_TRIAL_IMAGE}, log,
                            images)
    except (DeployError, ImageBuildError) as exc:
        tail = log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.exists() else ""
        raise UserError(f"the reference does not build: {exc}\n{tail}") from None


def _start(task: Task, image: str, tester_ref: str, labels: dict[str, str],
           run: str) -> tuple[DockerContainer, DockerContainer, str]:
    network = create_internal_network(f"abcbench-{run}-net", labels)
    res = task.spec.resources
    service = start_container(ContainerRequest(
        image=image, name=f"abcbench-{run}-service", labels={**labels, L.ROLE: "service"},
        limits=Limits(res.cpus, res.memory_mb, res.pids), environment=dict(task.spec.service.env),
        network=network.name, aliases=("service",), hostname="service"))
    url = f"http://service:{task.spec.service.port}"
    tester = start_container(ContainerRequest(
        image=tester_ref, name=f"abcbench-{run}-tester", labels={**labels, L.ROLE: "tester"},
        command=["sleep", "infinity"], network=network.name,
        environment={"SERVICE_URL": url}, hostname="tester"))
    install_probe(tester)
    return service, tester, url


def _probe_health(tester: DockerContainer, url: str) -> str | None:
    tester.write_file("/tmp/abcbench-record/probe_paths.py", PROBE_SNIPPET)
    done = tester.exec(["python3", "/tmp/abcbench-record/probe_paths.py", url,
                        *HEALTH_CANDIDATES], timeout=60)
    try:
        statuses: dict[str, int | None] = json.loads(done.stdout)
    except ValueError:
        return None
    return next((p for p in HEALTH_CANDIDATES if statuses.get(p) == 200), None)


def _send(tester: DockerContainer, plan: str, n_tests: int) -> list[dict[str, Any]]:
    tester.write_file(CLIENT_PATH, Path(record_client.__file__).read_bytes())
    tester.write_file(PLAN_PATH, plan)
    done = tester.exec(["python3", CLIENT_PATH, PLAN_PATH], timeout=60 + 15 * n_tests)
    try:
        answers: list[dict[str, Any]] = json.loads(done.stdout)
    except ValueError:
        raise HarnessError(f"the recording client failed (exit {done.exit_code}): "
                           f"{(done.stderr or done.stdout)[-800:]}") from None
    return answers


def _write_health_path(task: Task, health: str) -> bool:
    """Record the discovered readiness path in task.yaml; refresh an untouched scaffold test."""
    task_file = task.directory / "task.yaml"
    data = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    data.setdefault("service", {})["health_path"] = health
    task_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
    connectivity = task.tests_dir / "test_connectivity.py"
    if connectivity.is_file() and connectivity.read_text(encoding="utf-8") == \
            CONNECTIVITY_TEST.format(path="/", check="< 500"):
        connectivity.write_text(CONNECTIVITY_TEST.format(path=health, check="== 200"),
                                encoding="utf-8")
    return True
