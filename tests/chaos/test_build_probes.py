"""Hostile Dockerfiles: memory, forks, overruns, the network, other images on the engine."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.results.models import FailureClass
from abcbench.sandbox.client import docker_client
from tests.chaos.conftest import apply_reference, chaos_run

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

ENV = "fx-quotes-env"
TIGHT = {ENV: {"resources": {"memory_mb": 256, "pids": 128, "cpus": 1.0},
               "service": {"build_timeout_sec": 20}}}
SERVE = 'COPY . /srv/quotes\nWORKDIR /srv/quotes\nEXPOSE 8000\nCMD ["python3", "server.py"]\n'


def writes(dockerfile: str, fix: bool = False) -> type[Agent]:
    """An agent that writes this Dockerfile (and, with `fix`, the reference code)."""

    class WritesDockerfile(Agent):
        name = "chaos-dockerfile"

        def run(self, ctx: AgentContext) -> AgentResult:
            if fix:
                apply_reference(ctx)
            ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile", dockerfile)
            return AgentResult()

    return WritesDockerfile


def build_log(run_dir: Path) -> str:
    return (run_dir / "trials" / f"{ENV}__1" / "logs" / "build.log").read_text()


@pytest.mark.sweep
def test_build_memory_hog_is_capped(chaos_dir: Path, run_id: str) -> None:
    agent = writes("FROM abcbench/tester\n"
                   "RUN python3 -c 'b = bytearray(2 << 30); print(\"got\", len(b))'\n" + SERVE)
    out = chaos_run(chaos_dir, run_id, agent, [ENV], overrides=TIGHT,
                    probe="build RUN allocates 2 GiB (task memory 256 MB)")
    assert out.results[ENV].failure_class is FailureClass.build_failed
    assert "got 2147483648" not in build_log(out.run_dir)


def test_build_fork_bomb_is_capped(chaos_dir: Path, run_id: str) -> None:
    agent = writes("FROM abcbench/tester\n"
                   # builtins only once the bomb runs: a fork would fail
                   "RUN bash -c 'bomb() { bomb | bomb & }; bomb; end=$((SECONDS + 4)); "
                   "while [ $SECONDS -lt $end ]; do :; done; n=0; "
                   "for p in /proc/[0-9]*; do n=$((n + 1)); done; echo procs=$n'; exit 3\n"
                   + SERVE)
    out = chaos_run(chaos_dir, run_id, agent, [ENV], overrides=TIGHT,
                    probe="build RUN fork bomb (task pids 128)")
    assert out.results[ENV].failure_class is FailureClass.build_failed
    log = build_log(out.run_dir)
    procs = [int(n) for n in re.findall(r"procs=(\d+)", log)]
    assert procs and procs[0] <= 128, log[-800:]


def _build_containers(run_id: str) -> list[str]:
    api = docker_client().api
    return [c["Id"] for c in api.containers(all=True, filters={"label": f"abcbench.run={run_id}"})]


@pytest.mark.sweep
def test_build_past_its_timeout_is_stopped(chaos_dir: Path, run_id: str) -> None:
    agent = writes("FROM abcbench/tester\nRUN echo started; sleep 600\n" + SERVE)
    started = time.monotonic()
    out = chaos_run(chaos_dir, run_id, agent, [ENV], overrides=TIGHT, wall_limit_sec=120,
                    probe="build RUN sleeps past a 20 s build timeout")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.build_failed
    assert result.error is not None and "exceeded 20s" in result.error
    assert time.monotonic() - started < 120
    assert _build_containers(run_id) == [], "the step container was killed and removed"


@pytest.mark.sweep
def test_build_has_no_network_by_default(chaos_dir: Path, run_id: str) -> None:
    agent = writes("FROM abcbench/tester\n"
                   "RUN if grep -q eth0 /proc/net/dev; then echo HAS-NETWORK; exit 9; fi\n"
                   + SERVE, fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV],
                    probe="build RUN looks for a network interface")
    assert out.results[ENV].resolved, out.results[ENV].error


@pytest.fixture
def foreign_image(run_id: str) -> Iterator[str]:
    """A local image that is not the project's, holding a secret."""
    tag = f"wt-chaos-secret:{run_id}"
    subprocess.run(["docker", "build", "-q", "-t", tag, "--label", f"abcbench.run={run_id}-x",
                    "-"], input=b"FROM abcbench/tester\nRUN echo s3cret > /secret\n",
                   check=True, capture_output=True, env={"DOCKER_BUILDKIT": "0",
                                                         "PATH": "/usr/bin:/bin"})
    try:
        yield tag
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, check=False)


def test_copy_from_a_foreign_local_image_is_refused(chaos_dir: Path, run_id: str,
                                                    foreign_image: str) -> None:
    agent = writes(f"FROM abcbench/tester\nCOPY --from={foreign_image} /secret /srv/secret\n"
                   + SERVE, fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV],
                    probe="COPY --from a local image that is not the project's")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.build_failed
    assert result.error is not None and "not one of the project's" in result.error


@pytest.mark.sweep
def test_build_step_writing_past_disk_mb_fails_the_build(chaos_dir: Path, run_id: str) -> None:
    """ffadfa6: a step wrote 2-3 GB with `disk_mb: 512` (no file-size limit in a step)."""
    agent = writes("FROM abcbench/tester\nRUN head -c 200000000 /dev/zero > /big\n" + SERVE,
                   fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV],
                    overrides={ENV: {"resources": {"disk_mb": 64}}},
                    probe="build RUN writes 200 MB (task disk_mb 64)")
    assert out.results[ENV].failure_class is FailureClass.build_failed, out.results[ENV].error
    assert "File size limit exceeded" in build_log(out.run_dir)


@pytest.mark.sweep
def test_timed_out_build_commits_no_layer_after_the_trial(chaos_dir: Path, run_id: str) -> None:
    """ffadfa6: a timeout that fired before the engine answered shut nothing, and the build
    went on committing layers labelled with the run after the trial's cleanup."""

    class BigContext(Agent):
        name = "chaos-late-layer"

        def run(self, ctx: AgentContext) -> AgentResult:
            apply_reference(ctx)
            ctx.sandbox.exec(["sh", "-c", f"head -c 48000000 /dev/urandom > {ctx.repo_dir}/blob"],
                             timeout=60)
            ctx.sandbox.write_file(f"{ctx.repo_dir}/Dockerfile",
                                   "FROM abcbench/tester\nCOPY blob /blob\nRUN sleep 20\n"
                                   "RUN echo late > /late\n" + SERVE)
            return AgentResult()

    out = chaos_run(chaos_dir, run_id, BigContext, [ENV],
                    overrides={ENV: {"service": {"build_timeout_sec": 0.05}}},
                    probe="build times out before the engine answers (0.05 s, 48 MB context)")
    assert out.results[ENV].failure_class is FailureClass.build_failed, out.results[ENV].error
    time.sleep(25)  # past the step that would commit after the trial
    api = docker_client().api
    assert api.images(all=True, filters={"label": [f"abcbench.run={run_id}"]}) == []
