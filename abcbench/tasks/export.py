"""Export native tasks to the Terminal-Bench or Harbor task layout (`tb run`, `harbor run`).

Both harnesses test inside the task's own container, with no Docker daemon to build the
submission's image. So the exported task carries, with its hidden tests, a small script
(harness/export/abc_deploy.py) that follows the submission's Dockerfile in place and starts
the service, and `run-tests.sh` runs that, then pytest against `SERVICE_URL`. For logic tasks
the task's own environment files are laid back over the submission first, as the native
trial does. The solution script writes the reference's changed files back (a base64
tarball). Harbor's layout holds the same pieces in its own places (environment/, solution/,
tests/test.sh writing /logs/verifier/reward.txt, task.toml).
"""

from __future__ import annotations

import base64
import filecmp
import io
import json
import shutil
import tarfile
from pathlib import Path

import yaml

from abcbench import scratch
from abcbench.errors import UserError
from abcbench.paths import harness_dir
from abcbench.tasks.materialize import copy_tree, write_reference, write_starting_state
from abcbench.tasks.model import Task

TERMINAL_BENCH = "terminal-bench"
HARBOR = "harbor"
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


def _test_commands(task: Task, test_files: list[str]) -> list[str]:
    """Deploy the submission in place, then the hidden tests (`$TEST_DIR` is the tests dir)."""
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
    return [
        "# Build and start the service from the submission's Dockerfile, then the hidden tests.",
        " ".join(deploy) + " || echo 'the service is not up: the tests will fail'",
        'cd "$TEST_DIR"',
        f"SERVICE_URL=http://127.0.0.1:{service.port} python3 -m pytest -rA "
        f"-p no:cacheprovider {' '.join(test_files)}",
    ]


def _run_tests(task: Task, test_files: list[str]) -> str:
    """Terminal-Bench's `run-tests.sh`: it parses the pytest summary itself."""
    return "\n".join(["#!/bin/bash", *_test_commands(task, test_files)]) + "\n"


def _harbor_test_sh(task: Task, test_files: list[str]) -> str:
    """Harbor's `tests/test.sh`: the reward (1 when every test passed) in reward.txt."""
    return "\n".join([
        "#!/bin/bash", 'TEST_DIR="$(cd "$(dirname "$0")" && pwd)"', "mkdir -p /logs/verifier",
        *_test_commands(task, test_files),
        'if [ "$?" -eq 0 ]; then echo 1 > /logs/verifier/reward.txt; '
        "else echo 0 > /logs/verifier/reward.txt; fi",
    ]) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a TOML basic string is a JSON string


def _harbor_toml(task: Task) -> str:
    spec = task.spec
    tables: dict[str, dict[str, object]] = {
        "metadata": {"author_name": "abcbench", "author_email": "abcbench@localhost",
                     "difficulty": task.difficulty, "category": task.category,
                     "tags": _tags(task),
                     "language": task.language, "framework": task.framework,
                     "task_type": task.task_type},
        "verifier": {"timeout_sec": float(task.test_timeout_sec)},
        "agent": {"timeout_sec": float(task.agent_timeout_sec)},
        "environment": {"build_timeout_sec": float(spec.service.build_timeout_sec),
                        "cpus": spec.resources.cpus, "memory_mb": spec.resources.memory_mb},
    }
    lines = ['version = "1.0"']
    for name, table in tables.items():
        lines += ["", f"[{name}]", *(f"{k} = {_toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


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


def export_task(task: Task, dest_root: Path, layout: str = TERMINAL_BENCH) -> Path:
    """Write native `task` as a `layout` task folder `dest_root/<id>/`; returns it."""
    if task.native is None:
        raise UserError(f"{task.id} is already in the Terminal-Bench layout: copy its folder")
    if task.recipe_name is not None:
        raise UserError(f"{task.id} builds its own image recipe ({task.spec.recipe}), which an "
                        "exported task cannot carry yet; export tasks without `recipe:`")
    dest = dest_root / task.id
    if dest.exists():
        raise UserError(f"{dest} already exists; remove it or export elsewhere")
    with scratch.temporary_dir("abcbench-export-") as tmp:
        start = write_starting_state(task, Path(tmp) / "start")
        reference = write_reference(task, Path(tmp) / "reference")
        partial = dest_root / f".{task.id}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        try:
            _copy_tests(task, reference, partial / "tests")
            if layout == TERMINAL_BENCH:
                copy_tree(start, partial / "repo")
                files = _terminal_bench_files(task, start, reference)
            else:
                copy_tree(start, partial / "environment" / "repo")
                files = _harbor_files(task, start, reference)
            for name, text in files.items():
                (partial / name).parent.mkdir(parents=True, exist_ok=True)
                (partial / name).write_text(text, encoding="utf-8")
                if name.endswith(".sh"):
                    (partial / name).chmod(0o755)
            partial.rename(dest)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return dest


def export_terminal_bench(task: Task, dest_root: Path) -> Path:
    return export_task(task, dest_root, TERMINAL_BENCH)


def _copy_tests(task: Task, reference: Path, tests: Path) -> None:
    """The hidden tests, the deploy script, and (logic tasks) the environment files to restore."""
    copy_tree(task.tests_dir, tests)
    shutil.copy2(harness_dir() / "export" / DEPLOY_SCRIPT, tests / DEPLOY_SCRIPT)
    if task.task_type == "logic":
        for rel in task.spec.service.environment_files:
            if (reference / rel).is_file():
                target = tests / ENV_FILES_DIR / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(reference / rel, target)


def _tags(task: Task) -> list[str]:
    return list(dict.fromkeys([task.language, task.framework, task.task_type, *task.spec.tags]))


def _test_files(task: Task) -> list[str]:
    return sorted(p.name for p in task.tests_dir.glob("test_*.py"))


def _terminal_bench_files(task: Task, start: Path, reference: Path) -> dict[str, str]:
    config = {
        "instruction": task.instruction, "author_email": "abcbench@localhost",
        "difficulty": task.difficulty, "category": task.category,
        "tags": _tags(task),
        "parser_name": "pytest", "max_agent_timeout_sec": task.agent_timeout_sec,
        "max_test_timeout_sec": task.test_timeout_sec, "run_tests_in_same_shell": False,
        "language": task.language, "framework": task.framework, "task_type": task.task_type,
    }
    return {"task.yaml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
            "Dockerfile": _dockerfile(task), "docker-compose.yaml": COMPOSE,
            "run-tests.sh": _run_tests(task, _test_files(task)),
            "solution.sh": _solution(task, start, reference)}


def _harbor_files(task: Task, start: Path, reference: Path) -> dict[str, str]:
    return {"instruction.md": task.instruction.rstrip() + "\n",
            "task.toml": _harbor_toml(task),
            "environment/Dockerfile": _dockerfile(task),
            "tests/test.sh": _harbor_test_sh(task, _test_files(task)),
            "solution/solve.sh": _solution(task, start, reference)}
