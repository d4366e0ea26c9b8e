"""Hostile agents inside the sandbox: resource abuse, disk, export, the network, symlinks."""

from __future__ import annotations

import json
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import abcbench.sandbox.container as container_module
from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.results.models import FailureClass
from tests.chaos.conftest import apply_reference, chaos_run

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]

SMALL = {"resources": {"memory_mb": 256, "pids": 256, "cpus": 1.0}}


def record(ctx: AgentContext, **facts: Any) -> None:
    path = ctx.logs_dir / "probe.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**data, **facts}))


def facts(run_dir: Path, task_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "trials" / f"{task_id}__1" / "agent" /
                                       "probe.json").read_text())
    return data


class ResourceAbuse(Agent):
    """Fork bomb, memory hog, 200 MB of output, a SIGTERM-proof sleeper; then the real fix."""

    name = "chaos-resources"

    def run(self, ctx: AgentContext) -> AgentResult:
        box = ctx.sandbox
        t = time.monotonic()
        box.exec("bomb() { bomb | bomb & }; bomb", timeout=10)
        alive = box.exec("echo alive", timeout=30)
        record(ctx, bomb_sec=round(time.monotonic() - t, 1), after_bomb=alive.stdout.strip(),
               procs_after_bomb=len(box.exec("ps -e -o pid=", timeout=30).stdout.split()))
        hog = box.exec("python3 -c 'b = bytearray(1 << 30); print(len(b))'", timeout=60)
        record(ctx, hog_exit=hog.exit_code)
        t = time.monotonic()
        flood = box.exec("head -c 200000000 /dev/zero | tr '\\0' x", timeout=120)
        record(ctx, flood_sec=round(time.monotonic() - t, 1), flood_kept=len(flood.stdout),
               flood_truncated=flood.truncated)
        t = time.monotonic()
        stubborn = box.exec("trap '' TERM; sleep 300", timeout=2)
        record(ctx, sigterm_sec=round(time.monotonic() - t, 1),
               sigterm_timed_out=stubborn.timed_out,
               sleepers=box.exec("pgrep -c -x sleep || true", timeout=30).stdout.strip())
        apply_reference(ctx)
        return AgentResult()


def test_resource_abuse_stays_in_the_sandbox(chaos_dir: Path, run_id: str) -> None:
    out = chaos_run(chaos_dir, run_id, ResourceAbuse, ["fx-quotes-logic"],
                    overrides={"fx-quotes-logic": SMALL}, wall_limit_sec=240,
                    probe="fork bomb, 1 GiB hog, 200 MB output, SIGTERM ignored")
    result = out.results["fx-quotes-logic"]
    assert result.resolved, result.error  # the sandbox recovered enough to apply the fix
    seen = facts(out.run_dir, "fx-quotes-logic")
    assert seen["after_bomb"] == "alive"
    assert seen["procs_after_bomb"] <= 5  # init, sleep infinity, sh, timeout, ps
    assert seen["bomb_sec"] < 30
    assert seen["hog_exit"] == 137, "the memory limit killed the hog"
    assert seen["flood_truncated"] and seen["flood_kept"] < 2 * 1024 * 1024
    assert seen["sigterm_timed_out"] and seen["sigterm_sec"] < 15
    assert seen["sleepers"] == "1", "only the container's own `sleep infinity` is left"


class FillsTheDisk(Agent):
    name = "chaos-disk"

    def run(self, ctx: AgentContext) -> AgentResult:
        one = ctx.sandbox.exec("dd if=/dev/zero of=/tmp/one bs=1M count=1000 status=none",
                               timeout=60)
        record(ctx, one_file=one.stderr.strip())  # one file stops at the budget (RLIMIT_FSIZE)
        result = ctx.sandbox.exec("for i in $(seq 30); do dd if=/dev/zero of=/tmp/fill$i bs=1M "
                                  "count=100 status=none; done", timeout=90)
        record(ctx, dd_exit=result.exit_code)
        time.sleep(5)  # the budget is checked every few seconds
        ctx.sandbox.exec("true", timeout=10)
        return AgentResult()


@pytest.mark.sweep
def test_disk_filler_is_stopped_at_its_budget(chaos_dir: Path, run_id: str) -> None:
    out = chaos_run(chaos_dir, run_id, FillsTheDisk, ["fx-quotes-logic"],
                    overrides={"fx-quotes-logic": {"resources": {"disk_mb": 300}}},
                    probe="dd 1 GB in one file, then 30 x 100 MB, against a 300 MB disk budget")
    result = out.results["fx-quotes-logic"]
    assert result.failure_class is FailureClass.agent_error
    assert result.error is not None and "disk budget" in result.error


class SparseExport(Agent):
    name = "chaos-sparse"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec(f"truncate -s 100M {ctx.repo_dir}/big.bin", timeout=30)
        apply_reference(ctx)
        return AgentResult()


@pytest.mark.sweep
def test_sparse_file_does_not_amplify_into_the_host(chaos_dir: Path, run_id: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A 100 MB sparse file uses no disk in the sandbox but exports at full size: the export
    cap (1 GiB by default, 64 MiB here to keep the probe quick) refuses it."""
    monkeypatch.setattr(container_module, "EXPORT_MAX_BYTES", 64 * 1024 * 1024)
    out = chaos_run(chaos_dir, run_id, SparseExport, ["fx-quotes-logic"],
                    probe="100 MB sparse file in the repository (export cap set to 64 MiB)")
    result = out.results["fx-quotes-logic"]
    submission = out.run_dir / "trials" / "fx-quotes-logic__1" / "submission"
    assert not (submission / "big.bin").exists()
    assert result.failure_class is FailureClass.agent_error
    assert result.error is not None and "too large" in result.error


_PEERS: dict[str, str] = {}
_PEERS_LOCK = threading.Lock()


class ProbesPeers(Agent):
    """Serves on :8000 in its sandbox, then tries to reach the other trial's sandbox."""

    name = "chaos-peers"

    def run(self, ctx: AgentContext) -> AgentResult:
        box = ctx.sandbox
        box.exec("setsid python3 -m http.server 8000 >/dev/null 2>&1 < /dev/null &", timeout=10)
        me = box.exec("hostname -i", timeout=10).stdout.split()[0]
        with _PEERS_LOCK:
            _PEERS[me] = me
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_PEERS) < 2:
            time.sleep(0.5)
        others = [ip for ip in _PEERS.values() if ip != me]
        own = box.exec("python3 -c \"import urllib.request as u; "
                       "u.urlopen('http://127.0.0.1:8000/', timeout=3)\"", timeout=20)
        reached = []
        for ip in others:  # only addresses of the containers this test created
            probe = box.exec(f"python3 -c \"import urllib.request as u; "
                             f"print(u.urlopen('http://{ip}:8000/', timeout=3).status)\"",
                             timeout=20)
            if probe.ok:
                reached.append(ip)
        record(ctx, me=me, others=others, reached=reached, own_ok=own.ok)
        time.sleep(2)  # keep serving while the other trial probes us
        return AgentResult()


def test_sandboxes_cannot_reach_each_other(chaos_dir: Path, run_id: str) -> None:
    _PEERS.clear()
    ids = ["fx-quotes-env", "fx-quotes-logic"]
    out = chaos_run(chaos_dir, run_id, ProbesPeers, ids, n_concurrent=2,
                    probe="two concurrent sandboxes probe each other's :8000")
    for task_id in ids:
        seen = facts(out.run_dir, task_id)
        assert seen["own_ok"], "the probe itself works (own server answers)"
        assert seen["others"], "the other trial's address was known"
        assert seen["reached"] == [], f"{task_id} reached {seen['reached']}"
    assert out.results["fx-quotes-env"].failure_class is FailureClass.build_failed
    assert out.results["fx-quotes-logic"].failure_class is FailureClass.tests_failed


class PlantsSymlinks(Agent):
    """Links to host paths everywhere the harness later reads or writes, then the real fix."""

    name = "chaos-symlinks"

    def run(self, ctx: AgentContext) -> AgentResult:
        apply_reference(ctx)
        repo = ctx.repo_dir
        ctx.sandbox.exec(
            f"cd {repo} && ln -s /etc/hostname leak && ln -s ../../../../../../../tmp up && "
            "mkdir -p sub && ln -s .. sub/parent && ln -s sub/parent/.. chain && "
            "ln -s server.py Dockerfile.abcbench && ln -s / logs && ln -s /tmp submission && "
            "rm -rf .git && ln -s /etc .git", timeout=30)
        ctx.sandbox.write_file(f"{repo}/Dockerfile", (
            "FROM abcbench/tester\nWORKDIR /srv/quotes\nCOPY . .\nEXPOSE 8000\n"
            'CMD ["python3", "server.py"]\n'))
        return AgentResult()


@pytest.mark.sweep
def test_planted_symlinks_stay_inside(chaos_dir: Path, run_id: str) -> None:
    out = chaos_run(chaos_dir, run_id, PlantsSymlinks, ["fx-quotes-env"],
                    probe="symlinks to host paths in every folder the harness touches")
    result = out.results["fx-quotes-env"]
    assert result.resolved, result.error
    submission = out.run_dir / "trials" / "fx-quotes-env__1" / "submission"
    for path in submission.rglob("*"):
        if path.is_symlink():
            assert path.resolve().is_relative_to(submission.resolve()), path
    assert (submission / "server.py").is_file() and not (submission / "server.py").is_symlink()


class FakesTheVerdict(Agent):
    """Plants a conftest that passes everything, a pytest.ini and a JUnit file; no fix."""

    name = "chaos-fake-verdict"

    def run(self, ctx: AgentContext) -> AgentResult:
        repo = ctx.repo_dir
        ctx.sandbox.write_file(f"{repo}/conftest.py", (
            "import pytest\n@pytest.hookimpl(hookwrapper=True)\n"
            "def pytest_runtest_makereport(item, call):\n    out = yield\n"
            "    out.get_result().outcome = 'passed'\n"))
        ctx.sandbox.write_file(f"{repo}/pytest.ini", "[pytest]\naddopts = -p no:junitxml\n")
        ctx.sandbox.write_file(f"{repo}/junit.xml", (
            '<testsuite tests="1"><testcase classname="t" name="test_ok"/></testsuite>'))
        ctx.sandbox.write_file(f"{repo}/results/junit.xml", (
            '<testsuite tests="1"><testcase classname="t" name="test_ok"/></testsuite>'))
        return AgentResult()


@pytest.mark.sweep
def test_fake_verdict_files_in_the_repository_change_nothing(chaos_dir: Path,
                                                             run_id: str) -> None:
    out = chaos_run(chaos_dir, run_id, FakesTheVerdict, ["fx-quotes-logic"],
                    probe="fake conftest.py, pytest.ini and JUnit in the repository")
    result = out.results["fx-quotes-logic"]
    assert not result.resolved
    assert result.failure_class is FailureClass.tests_failed
    assert result.n_tests > 1 and result.n_passed < result.n_tests


class KillsPidOne(Agent):
    """Applies the fix, then kills PID 1 and everything else: the init ignores the SIGKILL
    from inside its namespace, `kill -9 -1` ends `sleep infinity` and with it the container,
    racing the export (judged if the export won, the agent's failure otherwise)."""

    name = "chaos-pid1"

    def run(self, ctx: AgentContext) -> AgentResult:
        apply_reference(ctx)
        ctx.sandbox.exec("kill -9 1; kill -9 -1", timeout=10)
        return AgentResult()


class DeletesItsRepository(Agent):
    name = "chaos-rm-repo"

    def run(self, ctx: AgentContext) -> AgentResult:
        ctx.sandbox.exec(f"rm -rf {ctx.repo_dir}", timeout=30)
        return AgentResult()


@pytest.mark.parametrize("agent", [KillsPidOne, DeletesItsRepository])
@pytest.mark.sweep
def test_agent_breaking_its_sandbox_is_its_own_failure(chaos_dir: Path, run_id: str,
                                                       agent: type[Agent]) -> None:
    out = chaos_run(chaos_dir, run_id, agent, ["fx-quotes-logic"], probe=agent.name)
    result = out.results["fx-quotes-logic"]
    assert result.failure_class is not FailureClass.infrastructure, result.error
    if agent is DeletesItsRepository:
        assert not result.resolved


class ProbesTheHost(Agent):
    """Fetches a listener on all the host's addresses through the sandbox's default gateway."""

    name = "chaos-host"
    port = 0

    def run(self, ctx: AgentContext) -> AgentResult:
        route = ctx.sandbox.exec("awk 'NR > 1 && $2 == \"00000000\" {print $3}' /proc/net/route",
                                 timeout=10).stdout.split()
        gateway = ".".join(str(int(route[0][i:i + 2], 16)) for i in (6, 4, 2, 0)) if route \
            else "none"
        probe = ctx.sandbox.exec(f"python3 -c \"import urllib.request as u; "
                                 f"u.urlopen('http://{gateway}:{self.port}/', timeout=3)\"",
                                 timeout=20)
        record(ctx, gateway=gateway, reached=probe.ok)
        return AgentResult()


@pytest.mark.parametrize("egress", ["none", "full"])
@pytest.mark.sweep
def test_egress_none_sandbox_reaches_nothing(chaos_dir: Path, run_id: str, egress: str) -> None:
    """`none` reaches nothing, not even the host; `full` (the default, documented residual
    risk) reaches host services listening on all addresses, which also proves the probe."""
    server = ThreadingHTTPServer(("0.0.0.0", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ProbesTheHost.port = int(server.server_address[1])
    try:
        out = chaos_run(chaos_dir, run_id, ProbesTheHost, ["fx-quotes-env"],
                        overrides={"fx-quotes-env": {"sandbox": {"egress": egress}}},
                        probe=f"egress {egress}: the sandbox fetches a host listener")
    finally:
        server.shutdown()
    seen = facts(out.run_dir, "fx-quotes-env")
    assert seen["reached"] is (egress == "full"), seen
    assert out.results["fx-quotes-env"].failure_class is FailureClass.build_failed
