"""Export native tasks to the Terminal-Bench task layout, to run them with `tb run`.

Terminal-Bench tests inside the task's own container, with no Docker daemon to build the
submission's image. So the exported task carries, with its hidden tests, a small script
(harness/export/abc_deploy.py) that follows the submission's Dockerfile in place and starts
the service, and `run-tests.sh` runs that, then pytest against `SERVICE_URL`. For logic tasks
the task's own environment files are laid back over the submission first, as the native
trial does. `solution.sh` writes the reference's changed files back (a base64 tarball).
"""

from __future__ import annotations

import base64
import filecmp
import io
import shutil
import tarfile
import tempfile
from pathlib import Path

import yaml

from abcbench.errors import UserError
from abcbench.paths import harness_dir
from abcbench.tasks.materialize import copy_tree, write_reference, write_starting_state
from abcbench.tasks.model import Task

DEPLOY_SCRIPT = "abc_deploy.py"
ENV_FILES_DIR = "abc_environment"
#: What the task container needs beyond the language image: Python with pytest and httpx for
#: the hidden tests, tmux and asciinema for Terminal-Bench's session and its recording.
TEST_PACKAGES = ("python3", "python3-pytest", "python3-httpx", "tmux", "asciinema")

COMPOSE = """\
services:
  client:
    build:
      context: .
      dockerfile: Dockerfile
    image: ${T_BENCH_TASK_DOCKER_CLIENT_IMAGE_NAME}
    container_name: ${T_BENCH_TASK_DOCKER_CLIENT_CONTAINER_NAME}
    command: ["sh", "-c", "sleep infinity"]
    environment:
      - TEST_DIR=${T_BENCH_TEST_DIR}
    volumes:
      - ${T_BENCH_TASK_LOGS_PATH}:${T_BENCH_CONTAINER_LOGS_PATH}
      - ${T_BENCH_TASK_AGENT_LOGS_PATH}:${T_BENCH_CONTAINER_AGENT_LOGS_PATH}
"""


def _changed_files(start: Path, reference: Path) -> list[str]:
    """Files of the reference that are new or different from the starting state."""
    out = []
    for path in sorted(p for p in reference.rglob("*") if p.is_file()):
        rel = path.relative_to(reference)
        other = start / rel
        if not other.is_file() or not filecmp.cmp(path, other, shallow=False):
            out.append(rel.as_posix())
    return out


def _solution(task: Task, start: Path, reference: Path) -> str:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for rel in _changed_files(start, reference):
            tar.add(reference / rel, arcname=rel)
    removed = sorted(p.relative_to(start).as_posix() for p in start.rglob("*")
                     if p.is_file() and not (reference / p.relative_to(start)).exists())
    payload = base64.encodebytes(buf.getvalue()).decode()
    repo = task.spec.repo_dir_in_sandbox
    lines = ["#!/bin/bash", "# The reference solution: its changed files written back.",
             "set -euo pipefail", f"cd {repo}"]
    lines += [f"rm -f -- '{rel}'" for rel in removed]
    lines += ["base64 -d <<'ABC_SOLUTION' | tar -xzf - -C .", payload.rstrip(), "ABC_SOLUTION"]
    return "\n".join(lines) + "\n"


def _run_tests(task: Task, test_files: list[str]) -> str:
    spec = task.spec
    service = spec.service
    deploy = [f'python3 "$TEST_DIR/{DEPLOY_SCRIPT}"', f"--repo {spec.repo_dir_in_sandbox}",
              f"--dockerfile '{service.dockerfile}'", f"--context '{service.build_context}'",
              f"--port {service.port}", f"--startup-timeout {service.startup_timeout_sec:g}"]
    if service.health_path:
        deploy.append(f"--health '{service.health_path}'")
    if task.task_type == "logic":
        deploy.append(f'--restore "$TEST_DIR/{ENV_FILES_DIR}"')
    deploy += [f"--env '{k}={v}'" for k, v in sorted(service.env.items())]
    return "\n".join([
        "#!/bin/bash",
        "# Build and start the service from the submission's Dockerfile, then the hidden tests.",
        " ".join(deploy) + " || echo 'the service is not up: the tests will fail'",
        'cd "$TEST_DIR"',
        f"SERVICE_URL=http://127.0.0.1:{service.port} python3 -m pytest -rA "
        f"-p no:cacheprovider {' '.join(test_files)}",
    ]) + "\n"


def _dockerfile(task: Task) -> str:
    spec = task.spec
    repo = spec.repo_dir_in_sandbox
    return "\n".join([
        f"FROM abcbench/{spec.sandbox_image}:latest",
        "RUN apt-get update && apt-get install -y --no-install-recommends "
        f"{' '.join(TEST_PACKAGES)} && rm -rf /var/lib/apt/lists/*",
        f"COPY repo/ {repo}/",
        f"WORKDIR {repo}",
        "RUN git init -q && git add -A && git -c user.name=abcbench "
        "-c user.email=abcbench@localhost commit -qm 'starting state' --no-verify",
    ]) + "\n"


def export_terminal_bench(task: Task, dest_root: Path) -> Path:
    """Write `task` as a Terminal-Bench task folder `dest_root/<id>/`; returns it."""
    if task.native is None:
        raise UserError(f"{task.id} is already in the Terminal-Bench layout: copy its folder")
    spec = task.spec
    dest = dest_root / task.id
    if dest.exists():
        raise UserError(f"{dest} already exists; remove it or export elsewhere")
    with tempfile.TemporaryDirectory(prefix="abcbench-export-") as tmp:
        start = write_starting_state(task, Path(tmp) / "start")
        reference = write_reference(task, Path(tmp) / "reference")
        scratch = dest_root / f".{task.id}.partial"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            _write(task, start, reference, scratch)
            scratch.rename(dest)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return dest


def _write(task: Task, start: Path, reference: Path, scratch: Path) -> None:
    spec = task.spec
    copy_tree(start, scratch / "repo")
    copy_tree(task.tests_dir, scratch / "tests")
    shutil.copy2(harness_dir() / "export" / DEPLOY_SCRIPT, scratch / "tests" / DEPLOY_SCRIPT)
    if task.task_type == "logic":
        for rel in spec.service.environment_files:
            if (reference / rel).is_file():
                target = scratch / "tests" / ENV_FILES_DIR / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(reference / rel, target)
    test_files = sorted(p.name for p in task.tests_dir.glob("test_*.py"))
    config = {
        "instruction": task.instruction, "author_email": "abcbench@localhost",
        "difficulty": task.difficulty, "category": task.category,
        "tags": [task.language, task.framework, task.task_type, *spec.tags],
        "parser_name": "pytest", "max_agent_timeout_sec": task.agent_timeout_sec,
        "max_test_timeout_sec": task.test_timeout_sec, "run_tests_in_same_shell": False,
        "language": task.language, "framework": task.framework,
        "task_type": task.task_type,
    }
    files = {"task.yaml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
             "Dockerfile": _dockerfile(task), "docker-compose.yaml": COMPOSE,
             "run-tests.sh": _run_tests(task, test_files),
             "solution.sh": _solution(task, start, reference)}
    for name, text in files.items():
        (scratch / name).write_text(text, encoding="utf-8")
        if name.endswith(".sh"):
            (scratch / name).chmod(0o755)
