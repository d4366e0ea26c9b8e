"""docker-compose projects, for tasks in the Terminal-Bench layout.

The task's compose file is used as written, with an override that adds the project's labels to
every service, so the label sweep finds its containers even if `down` never runs.

docker-compose fills a value-less `environment`, `env_file` or `build.args` entry from its own
environment, so it runs with a scrubbed one (`compose_environment`): the settings that reach
the engine and the harness's `T_BENCH_*` values, nothing else. A compose file that slipped past
the load-time check (`abcbench.tasks.compose_check`) still gets no key from the host.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import yaml

from abcbench.errors import UserError
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import LOG_MAX_FILES, LOG_MAX_SIZE, remove_container

COMPOSE_PROJECT_LABEL = L.COMPOSE_PROJECT


class ComposeError(Exception):
    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def compose_binary() -> list[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        raise UserError("Terminal-Bench tasks need docker-compose; install it "
                        "(`apt-get install docker-compose`)")
    return [exe]


def _services(compose_file: Path) -> dict[str, Any]:
    data: Any = yaml.safe_load(compose_file.read_text(encoding="utf-8")) or {}
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else {}


def write_label_override(compose_file: Path, dest: Path, labels: dict[str, str]) -> Path:
    """Labels and a capped log on every service; and the build context compose v2 implies but
    v1 requires."""
    override: dict[str, dict[str, Any]] = {}
    logging = {"driver": "json-file",
               "options": {"max-size": LOG_MAX_SIZE, "max-file": LOG_MAX_FILES}}
    for name, service in _services(compose_file).items():
        entry: dict[str, Any] = {"labels": labels, "logging": logging}
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, dict) and "context" not in build:
            entry["build"] = {"context": str(compose_file.parent)}
        override[name] = entry
    dest.write_text(yaml.safe_dump({"services": override}), encoding="utf-8")
    return dest


HOST_SETTINGS = ("PATH", "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
                 "DOCKER_API_VERSION", "DOCKER_BUILDKIT", "COMPOSE_DOCKER_CLI_BUILD",
                 "COMPOSE_HTTP_TIMEOUT", "LANG", "LC_ALL", "TMPDIR")
"""What docker-compose may take from the harness's environment: how to reach the engine and
build, never a credential."""
TASK_VARIABLE_PREFIX = "T_BENCH_"


def compose_environment(env: dict[str, str]) -> dict[str, str]:
    """docker-compose's whole environment: `HOST_SETTINGS` from this process, and the
    `T_BENCH_*` values of `env` (every other key of `env` is dropped)."""
    scrubbed = {k: os.environ[k] for k in HOST_SETTINGS if k in os.environ}
    scrubbed.update({k: v for k, v in env.items() if k.startswith(TASK_VARIABLE_PREFIX)})
    return scrubbed


def _compose(project: str, files: list[Path], env: dict[str, str], args: list[str],
             cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    cmd = [*compose_binary(), "-p", project]
    for f in files:
        cmd += ["-f", str(f)]
    try:
        return subprocess.run(cmd + args, cwd=cwd, env=compose_environment(env),
                              capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        raise ComposeError(f"docker-compose {args[0]} overran {timeout:.0f}s", out) from None


def compose_up(project: str, files: list[Path], env: dict[str, str], cwd: Path,
               timeout: float) -> str:
    proc = _compose(project, files, env, ["up", "-d", "--build"], cwd, timeout)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise ComposeError(f"docker-compose up failed (exit {proc.returncode})", output)
    return output


def compose_down(project: str, files: list[Path], env: dict[str, str], cwd: Path) -> None:
    """`down` with no stop grace (`-t 0`: the containers are discarded, and a `sleep infinity`
    as PID 1 ignores SIGTERM, so the default 10 s would be waited out every trial), then a sweep
    by the compose project label for whatever survived it."""
    with contextlib.suppress(ComposeError):
        _compose(project, files, env,
                 ["down", "-t", "0", "-v", "--remove-orphans", "--rmi", "local"],
                 cwd, timeout=300)
    client = docker_client()
    selector = [f"{COMPOSE_PROJECT_LABEL}={project}"]
    for container in client.containers.list(all=True, filters={"label": selector}):
        remove_container(str(container.id))
    for network in client.networks.list(filters={"label": selector}):
        with contextlib.suppress(Exception):
            network.remove()


def compose_stop(project: str, files: list[Path], env: dict[str, str], cwd: Path) -> None:
    """`stop` (`run --no-cleanup`): the containers, networks and images stay for inspection;
    the label sweep after it stops whatever `stop` missed."""
    with contextlib.suppress(ComposeError):
        _compose(project, files, env, ["stop", "-t", "5"], cwd, timeout=300)


# -- folders the task's containers write into ---------------------------------------------------

COLLECT_MAX_BYTES = 64 * 1024 * 1024
COLLECT_MAX_FILES = 2000


def collect_bind_mount(src: Path, dest: Path, max_bytes: int = COLLECT_MAX_BYTES,
                       max_files: int = COLLECT_MAX_FILES) -> list[str]:
    """Copy what containers left in a bind-mounted folder into a harness folder, no-follow.

    The containers (the agent's among them) wrote `src` as root: only regular files and
    folders are copied, symlinks and special files are skipped and never opened through, every
    file is opened with O_NOFOLLOW and created with O_EXCL under `dest` (which must not exist),
    and the copy stops at `max_bytes` / `max_files`. Returns what was skipped, for the log.
    """
    dest.mkdir(parents=True)
    skipped: list[str] = []
    budget = {"bytes": max_bytes, "files": max_files}
    _collect_dir(src, dest, skipped, budget)
    return skipped


def _collect_dir(src: Path, dest: Path, skipped: list[str], budget: dict[str, int]) -> None:
    with os.scandir(src) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            target = dest / entry.name
            if entry.is_symlink():
                skipped.append(f"{entry.path}: symlink, not followed")
            elif entry.is_dir(follow_symlinks=False):
                target.mkdir()
                _collect_dir(Path(entry.path), target, skipped, budget)
            elif not entry.is_file(follow_symlinks=False):
                skipped.append(f"{entry.path}: not a regular file")
            elif budget["files"] <= 0 or budget["bytes"] <= 0:
                skipped.append(f"{entry.path}: over the copy limit")
            else:
                budget["files"] -= 1
                budget["bytes"] -= _copy_nofollow(Path(entry.path), target, budget["bytes"])


def _copy_nofollow(src: Path, dest: Path, limit: int) -> int:
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else meanwhile
            return 0
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        copied = 0
        with os.fdopen(out, "wb") as sink:
            while copied < limit and (chunk := os.read(fd, min(1 << 20, limit - copied))):
                sink.write(chunk)
                copied += len(chunk)
        return copied
    finally:
        os.close(fd)
