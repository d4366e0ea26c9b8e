#!/usr/bin/env python3
"""Build and start a service from its Dockerfile inside this container, without Docker.

Exported tasks (`abcbench tasks export`) run where there is no Docker daemon to build the
submission's image: the Terminal-Bench and Harbor harnesses test inside the task container
itself. This script follows the Dockerfile's instructions in place (WORKDIR, COPY/ADD of local
files, ENV, ARG, RUN, CMD/ENTRYPOINT; FROM, EXPOSE, USER, LABEL and the like are no-ops here),
starts the service in the background and waits until it answers. Exit 0 when it answers.

Every stage of a multi-stage Dockerfile runs in this one filesystem, so `COPY --from=<stage>`
copies from the absolute path the earlier stage wrote; each FROM starts afresh (working
directory, environment, command) as a new stage does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

IGNORED = {"EXPOSE", "USER", "LABEL", "MAINTAINER", "HEALTHCHECK", "STOPSIGNAL",
           "VOLUME", "SHELL", "ONBUILD"}
VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def logical_lines(text: str) -> list[tuple[str, str]]:
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        if current:
            word, _, rest = current.partition(" ")
            lines.append((word.upper(), rest.strip()))
        current = ""
    return lines


def expand(value: str, env: dict[str, str]) -> str:
    return VAR.sub(lambda m: env.get(m.group(1) or m.group(2), ""), value)


def command(rest: str) -> list[str]:
    if rest.startswith("["):
        return [str(x) for x in json.loads(rest)]
    return ["/bin/sh", "-c", rest]


def assignments(rest: str, env: dict[str, str]) -> dict[str, str]:
    parts = shlex.split(rest)
    if parts and "=" not in parts[0]:  # legacy `ENV KEY value with spaces`
        return {parts[0]: expand(rest.partition(" ")[2].strip(), env)}
    out = {}
    for part in parts:
        key, _, value = part.partition("=")
        out[key] = expand(value, {**env, **out})
    return out


def copy(sources: list[str], dest: str, context: Path, workdir: str,
         from_stage: bool = False) -> None:
    """Docker's COPY: from the build context, or (`--from`) from this same filesystem."""
    target = Path(dest if dest.startswith("/") else os.path.join(workdir, dest))
    into = dest.endswith("/") or len(sources) > 1
    for src in sources:
        origin = Path(src) if from_stage else (context / src).resolve()
        if not from_stage and not str(origin).startswith(str(context.resolve())):
            raise SystemExit(f"COPY {src}: outside the build context")
        if origin.is_dir():
            if origin != target.resolve():
                shutil.copytree(origin, target, dirs_exist_ok=True, symlinks=True)
        else:
            final = target / origin.name if into or target.is_dir() else target
            final.parent.mkdir(parents=True, exist_ok=True)
            if origin != final.resolve():
                shutil.copy2(origin, final)


def build(dockerfile: Path, context: Path, env: dict[str, str]) -> tuple[list[str], str]:
    workdir, cmd, entrypoint = "/", [], []
    initial = dict(env)
    for word, rest in logical_lines(dockerfile.read_text(encoding="utf-8")):
        if word in IGNORED:
            continue
        if word == "FROM":  # a new stage: what the last one set does not carry over
            workdir, cmd, entrypoint = "/", [], []
            env.clear()
            env.update(initial)
        elif word == "ARG":
            name, _, default = rest.partition("=")
            env.setdefault(name.strip(), expand(default.strip().strip('"'), env))
        elif word == "ENV":
            env.update(assignments(rest, env))
        elif word == "WORKDIR":
            workdir = os.path.join(workdir, expand(rest.strip('"'), env))
            os.makedirs(workdir, exist_ok=True)
        elif word in {"COPY", "ADD"}:
            words = shlex.split(rest)
            from_stage = any(a.startswith("--from=") for a in words)
            args = [a for a in words if not a.startswith("--")]
            if rest.startswith("["):
                args = json.loads(rest)
            copy([expand(a, env) for a in args[:-1]], expand(args[-1], env), context, workdir,
                 from_stage)
        elif word == "RUN":
            print(f"+ RUN {rest}", flush=True)
            subprocess.run(command(rest), cwd=workdir, env=env, check=True)
        elif word == "CMD":
            cmd = command(rest)
        elif word == "ENTRYPOINT":
            entrypoint = command(rest)
        else:
            raise SystemExit(f"Dockerfile instruction {word} is not supported here")
    return entrypoint + cmd, workdir


def ready(port: int, health: str | None) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{health or '/'}", timeout=2) as r:
            return r.status < 500 or health is None
    except urllib.error.HTTPError as exc:
        return health is None or exc.code < 500
    except OSError:
        return False


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repo", required=True)
    p.add_argument("--dockerfile", default="Dockerfile")
    p.add_argument("--context", default=".")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--health")
    p.add_argument("--startup-timeout", type=float, default=120)
    p.add_argument("--restore", help="Environment files laid over the repository first.")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for the service.")
    a = p.parse_args()
    repo = Path(a.repo)
    if a.restore and Path(a.restore).is_dir():
        shutil.copytree(a.restore, repo, dirs_exist_ok=True)
    env = {**os.environ, **dict(kv.split("=", 1) for kv in a.env)}
    dockerfile = repo / a.dockerfile
    if not dockerfile.is_file():
        print(f"no {a.dockerfile} in the submission", flush=True)
        return 1
    try:
        argv, workdir = build(dockerfile, repo / a.context, env)
    except (subprocess.CalledProcessError, OSError, ValueError) as exc:
        print(f"build failed: {exc}", flush=True)
        return 1
    if not argv:
        print("the Dockerfile has no CMD or ENTRYPOINT", flush=True)
        return 1
    log = open("/tmp/abc-service.log", "ab")  # noqa: SIM115 - the service keeps it open
    service = subprocess.Popen(argv, cwd=workdir, env=env, stdout=log, stderr=log,
                               start_new_session=True)
    deadline = time.monotonic() + a.startup_timeout
    while time.monotonic() < deadline:
        if ready(a.port, a.health):
            print(f"service answers on port {a.port}", flush=True)
            return 0
        if service.poll() is not None:
            print(f"service exited with {service.returncode}; see /tmp/abc-service.log",
                  flush=True)
            return 1
        time.sleep(0.5)
    print(f"service did not answer within {a.startup_timeout:.0f}s", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
