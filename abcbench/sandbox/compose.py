"""docker-compose projects, for tasks in the Terminal-Bench layout.

The task's compose file is used as written, with an override that adds the project's labels to
every service, so the label sweep finds its containers even if `down` never runs.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from abcbench.errors import UserError
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import remove_container

COMPOSE_PROJECT_LABEL = "com.docker.compose.project"


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
    """Labels on every service; and the build context compose v2 implies but v1 requires."""
    override: dict[str, dict[str, Any]] = {}
    for name, service in _services(compose_file).items():
        entry: dict[str, Any] = {"labels": labels}
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, dict) and "context" not in build:
            entry["build"] = {"context": str(compose_file.parent)}
        override[name] = entry
    dest.write_text(yaml.safe_dump({"services": override}), encoding="utf-8")
    return dest


def _compose(project: str, files: list[Path], env: dict[str, str], args: list[str],
             cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    cmd = [*compose_binary(), "-p", project]
    for f in files:
        cmd += ["-f", str(f)]
    try:
        return subprocess.run(cmd + args, cwd=cwd, env=env, capture_output=True, text=True,
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
    """`down`, then a sweep by the compose project label for whatever survived it."""
    with contextlib.suppress(ComposeError):
        _compose(project, files, env, ["down", "-v", "--remove-orphans", "--rmi", "local"],
                 cwd, timeout=300)
    client = docker_client()
    selector = [f"{COMPOSE_PROJECT_LABEL}={project}"]
    for container in client.containers.list(all=True, filters={"label": selector}):
        remove_container(str(container.id))
    for network in client.networks.list(filters={"label": selector}):
        with contextlib.suppress(Exception):
            network.remove()

