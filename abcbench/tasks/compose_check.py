"""A Terminal-Bench task's docker-compose.yaml is input from a dataset, not trusted config.

The harness runs it with its own environment, so the file could mount the host's disk, join the
host's network or namespaces, gain privileges, or interpolate a host variable (an API key) into
the agent's container. The published format needs none of that: services built from the task
folder, the harness's `T_BENCH_*` variables, named volumes and the log mounts. Anything else is
refused at load time, with one line naming the service and field.

A variable named without a value (`environment: [OPENAI_API_KEY]`, `HF_TOKEN:` with nothing
after it, a bare `NAME` line in an `env_file`, a value-less `build.args` entry) is filled by
compose from its own environment, so it is refused too, in every form compose reads. (And
docker-compose runs with a scrubbed environment, `abcbench.sandbox.compose`, so nothing of the
host's could be filled in anyway.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ALLOWED_VAR_PREFIX = "T_BENCH_"
_VAR = re.compile(r"(?<!\$)\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}|(?P<bare>[A-Za-z_]"
                  r"[A-Za-z0-9_]*))")
_HOST_VALUES = {"network_mode": ("host",), "pid": ("host",), "ipc": ("host",),
                "userns_mode": ("host",), "uts": ("host",), "cgroup": ("host",)}
_FORBIDDEN = ("cap_add", "devices", "security_opt", "volumes_from", "cgroup_parent",
              "device_cgroup_rules", "extends", "sysctls")
_HARNESS_MOUNT = re.compile(r"^\$\{T_BENCH_[A-Z0-9_]+\}$")
MAX_ENV_FILE_BYTES = 1024 * 1024
_FILLED_FROM_HOST = ("has no value: compose would fill it from the harness's environment; "
                     "give it a value (NAME=value)")


def _inside(base: Path, rel: str) -> bool:
    if rel.startswith(("/", "~")) or "\\" in rel:
        return False
    target = (base / rel).resolve()
    return target == base or target.is_relative_to(base)


def _mount_source(entry: Any) -> str | None:
    """The host side of a `volumes` entry; None for an anonymous volume."""
    if isinstance(entry, dict):
        source = entry.get("source")
        return str(source) if source else None
    parts = str(entry).split(":")
    return parts[0] if len(parts) > 1 else None


def _source_problem(source: str, base: Path) -> str | None:
    if _HARNESS_MOUNT.match(source):
        return None
    if not source.startswith((".", "/", "~", "$")) and "/" not in source:
        return None  # a named volume
    if "$" in source or not _inside(base, source):
        return f"bind mount {source!r} is outside the task folder"
    return None


def _valueless(entries: Any) -> list[str]:
    """Names in an `environment` or `build.args` value (list or mapping form) without a
    value."""
    if isinstance(entries, dict):
        return [str(k) for k, v in entries.items() if v is None]
    if isinstance(entries, list):
        return [str(e).strip() for e in entries if "=" not in str(e)]
    return []


def _env_file_valueless(path: Path) -> list[str]:
    """Bare names in an env file (compose reads `NAME` alone as "take it from my
    environment"); comments and blank lines skipped, as compose does."""
    try:
        with path.open("rb") as f:
            text = f.read(MAX_ENV_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return []  # a missing file fails at `up`, naming it
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#") and "=" not in line]


def _variable_problems(where: str, service: dict[str, Any], base: Path) -> list[str]:
    problems = [f"{where}: 'environment' {name!r} {_FILLED_FROM_HOST}"
                for name in _valueless(service.get("environment"))]
    build = service.get("build")
    if isinstance(build, dict):
        problems += [f"{where}: 'build.args' {name!r} {_FILLED_FROM_HOST}"
                     for name in _valueless(build.get("args"))]
    env_files = service.get("env_file") or []
    for env_file in [env_files] if isinstance(env_files, str) else env_files:
        path = env_file.get("path") if isinstance(env_file, dict) else env_file
        if _inside(base, str(path)):
            problems += [f"{where}: 'env_file' {path} names {name!r}, which "
                         f"{_FILLED_FROM_HOST}" for name in _env_file_valueless(base / str(path))]
    return problems


def _service_problems(name: str, service: dict[str, Any], base: Path) -> list[str]:
    where = f"service {name!r}"
    problems: list[str] = []
    if service.get("privileged"):
        problems.append(f"{where}: 'privileged' is not allowed")
    for key, bad in _HOST_VALUES.items():
        value = str(service.get(key, ""))
        if value in bad or value.startswith(("container:", "service:")):
            problems.append(f"{where}: '{key}: {value}' shares the host's or another "
                            "container's namespace")
    problems += [f"{where}: '{key}' is not allowed" for key in _FORBIDDEN if key in service]
    for entry in service.get("volumes") or []:
        source = _mount_source(entry)
        problem = _source_problem(source, base) if source else None
        if problem:
            problems.append(f"{where}: 'volumes': {problem}")
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    if context is not None and not _inside(base, str(context)):
        problems.append(f"{where}: 'build.context' {context!r} is outside the task folder")
    env_files = service.get("env_file") or []
    for env_file in [env_files] if isinstance(env_files, str) else env_files:
        path = env_file.get("path") if isinstance(env_file, dict) else env_file
        if not _inside(base, str(path)):
            problems.append(f"{where}: 'env_file' {path!r} is outside the task folder")
    return problems + _variable_problems(where, service, base)


def compose_problems(data: Any, text: str, task_dir: Path) -> list[str]:
    """Sentences naming what in the compose file could reach the host; empty when it is safe."""
    base = task_dir.resolve()
    problems = [f"uses ${{{name}}}: compose would fill it from the harness's environment (only "
                f"{ALLOWED_VAR_PREFIX}* variables are set for tasks)"
                for name in sorted({m["braced"] or m["bare"] for m in _VAR.finditer(text)})
                if not name.startswith(ALLOWED_VAR_PREFIX)]
    if not isinstance(data, dict):
        return [*problems, "expected a mapping with 'services'"]
    if "include" in data:
        problems.append("'include' is not allowed")
    for section in ("configs", "secrets"):
        for name, item in (data.get(section) or {}).items():
            if isinstance(item, dict) and "file" in item and not _inside(base, str(item["file"])):
                problems.append(f"{section} {name!r}: file {item['file']!r} is outside the task "
                                "folder")
            if isinstance(item, dict) and "environment" in item:
                problems.append(f"{section} {name!r}: reads the harness's environment")
    for name, volume in (data.get("volumes") or {}).items():
        if isinstance(volume, dict) and volume.get("driver_opts"):
            problems.append(f"volume {name!r}: 'driver_opts' is not allowed (it can bind a "
                            "host folder)")
    services = data.get("services")
    if not isinstance(services, dict):
        return [*problems, "expected a mapping under 'services'"]
    for name, service in services.items():
        if isinstance(service, dict):
            problems += _service_problems(str(name), service, base)
    return problems
