"""Egress against the real engine: an `archive` sandbox reaches what its allow-list names
through the trial's proxy and nothing directly; a `none` sandbox reaches nothing, the proxy
included. Servers are the test's own: on the host's loopback (127.0.0.2, so the sandbox's
`no_proxy` for 127.0.0.1 does not apply) and in a container on a bridge of the test's, which
stands for the outside world. Nothing else is contacted."""

from __future__ import annotations

import contextlib
import io
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pip
import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.egress.client_config import APT_CONF_PATH
from abcbench.egress.sandbox import SandboxEgress
from abcbench.egress.settings import effective_egress
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox import labels as L
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.hostside import HostListener, sandbox_host_address
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    Limits,
    cleanup,
    create_network,
    leftovers,
    start_container,
)
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES

pytestmark = [pytest.mark.docker]
LOOPBACK = "127.0.0.2"


class _Origin(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, name: str) -> None:
        super().__init__((LOOPBACK, 0), _Handler)
        self.name = name
        self.seen: list[tuple[str, str]] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(BaseHTTPRequestHandler):

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        name = getattr(self.server, "name", "test gateway")
        seen = getattr(self.server, "seen", [])
        seen.append((self.path, self.headers.get("User-Agent", "")))
        body = f"{name}-ok".encode()
        self.send_response(404 if "/dists/" in self.path else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def origin(name: str) -> Iterator[_Origin]:
    server = _Origin(name)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def made(run_id: str) -> Iterator[list[SandboxEgress]]:
    egresses: list[SandboxEgress] = []
    yield egresses
    for egress in egresses:
        egress.close()
    cleanup(run=run_id)
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}


def box(image: str, run_id: str, name: str, network: str, env: dict[str, str] | None = None,
        command: list[str] | None = None) -> DockerContainer:
    return start_container(ContainerRequest(
        image=image, name=f"abcbench-{run_id}-{name}", labels=L.managed(run=run_id, trial=name),
        command=command or ["sleep", "infinity"], environment=env or {},
        limits=Limits(cpus=1.0, memory_mb=256, pids=128), network=network))


def outside_server(image: str, run_id: str) -> tuple[DockerContainer, str]:
    """A web server in a container on an ordinary bridge of the test's: 'the internet' (and
    another trial's sandbox). Returns it and its address once the host can fetch from it."""
    network = create_network(f"abcbench-{run_id}-outside", L.managed(run=run_id),
                             internal=False)
    server = box(image, run_id, "outside", str(network.name), command=[
        "sh", "-c", "mkdir -p /tmp/www && echo outside-ok > /tmp/www/index.html && "
        "exec python3 -m http.server 8000 --directory /tmp/www"])
    server.container.reload()
    address = str(server.container.attrs["NetworkSettings"]["Networks"][network.name]
                  ["IPAddress"])
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://{address}:8000/", timeout=2) as reply:
                assert reply.read().strip() == b"outside-ok"
                return server, address
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def curl(sandbox: DockerContainer, args: str) -> tuple[bool, str]:
    result = sandbox.exec(f"curl -sS -m 10 {args}", timeout=30)
    return result.ok, (result.stdout + result.stderr).strip()


def test_archive_reaches_its_list_through_the_proxy_only_and_none_reaches_nothing(
        tester_image: str, run_id: str, made: list[SandboxEgress]) -> None:
    elsewhere, outside = outside_server(tester_image, run_id)
    with origin("allowed") as allowed, origin("other") as other:
        archive = SandboxEgress(effective_egress(
            "full", [], "archive", [f"{LOOPBACK}:{allowed.port}", f"{outside}:8000"]), "run")
        made.append(archive)
        net = archive.open_network(f"abcbench-{run_id}-archive", L.managed(run=run_id))
        sandbox = box(tester_image, run_id, "archive", str(net.name), archive.environment)
        archive.configure(sandbox)
        assert archive.proxy is not None
        proxy_url = archive.proxy.url

        # Allowed: plain GET and a CONNECT tunnel, with curl and with Python (both by env).
        assert curl(sandbox, f"http://{LOOPBACK}:{allowed.port}/hello") == (True, "allowed-ok")
        assert curl(sandbox, f"-p http://{LOOPBACK}:{allowed.port}/tunnel") == (
            True, "allowed-ok")
        py = sandbox.exec(["python3", "-c", "import urllib.request as u; print(u.urlopen("
                           f"'http://{LOOPBACK}:{allowed.port}/py', timeout=10).read().decode())"],
                          timeout=30)
        assert py.ok and py.stdout.strip() == "allowed-ok", py.stderr
        assert [p for p, _ua in allowed.seen] == ["/hello", "/tunnel", "/py"]

        # Not on the list: a 403 that names it, over GET and CONNECT; the server sees nothing.
        ok, out = curl(sandbox, f"-w ' %{{http_code}}' http://{LOOPBACK}:{other.port}/")
        assert ok and out.endswith(" 403"), out
        assert f"{LOOPBACK}:{other.port} is not on this sandbox's allow-list" in out
        ok, out = curl(sandbox, f"https://{LOOPBACK}:{other.port}/")
        assert not ok and "403" in out, out
        assert other.seen == []

        # The outside is reachable through the proxy when listed, never directly.
        assert curl(sandbox, f"http://{outside}:8000/") == (True, "outside-ok")
        ok, out = curl(sandbox, f"--noproxy '*' -m 5 http://{outside}:8000/")
        assert not ok, out

        # The model gateway's way in is the same address, and no_proxy sends it direct.
        host = sandbox_host_address(sandbox)
        assert host is not None and proxy_url.startswith(f"http://{host}:")
        gateway = HostListener(host, _Handler, "test gateway")
        try:
            assert curl(sandbox, f"{gateway.url}/v1/models") == (True, "test gateway-ok")
        finally:
            gateway.stop()

        # Another trial's container reaches the host address too, but not through this proxy.
        ok, out = curl(elsewhere, f"-x {proxy_url} http://{LOOPBACK}:{allowed.port}/")
        assert ok and "is not this proxy's sandbox" in out, out

        # apt goes through the proxy by its configuration file (sources: the test's server).
        conf = sandbox.exec(["cat", APT_CONF_PATH], timeout=30)
        assert f'Acquire::http::Proxy "{proxy_url}/";' in conf.stdout
        apt = sandbox.exec(
            f"echo 'deb [trusted=yes] http://{LOOPBACK}:{allowed.port}/debian stable main' "
            "> /tmp/egress.list && apt-get -o Dir::Etc::sourcelist=/tmp/egress.list "
            "-o Dir::Etc::sourceparts=/nonexistent -o Acquire::Retries=0 update", timeout=120)
        assert any(path.startswith("/debian/dists/stable/") and "APT" in agent
                   for path, agent in allowed.seen), (allowed.seen, apt.stdout, apt.stderr)

        # `none`: nothing outside the sandbox, not even a proxy that is listening right now.
        closed = SandboxEgress(effective_egress("archive", [], "none"), "run")
        made.append(closed)
        closed_net = closed.open_network(f"abcbench-{run_id}-none", L.managed(run=run_id))
        assert closed.proxy is None and closed.environment == {}
        isolated = box(tester_image, run_id, "none", str(closed_net.name))
        for url in (f"{proxy_url}/", f"http://{outside}:8000/"):
            ok, out = curl(isolated, f"--noproxy '*' -m 5 {url}")
            assert not ok, (url, out)
        ok, out = curl(isolated, f"-m 5 -x {proxy_url} http://{LOOPBACK}:{allowed.port}/")
        assert not ok, out

        log = archive.close()
        assert log is not None and f"refused GET {LOOPBACK}:{other.port}" in log
        assert archive.record.n_allowed >= 5 and archive.record.n_refused == 3, log
        assert archive.record.mode == "archive" and archive.record.source == "run"


class FetchesTwice(Agent):
    """Fetches each of `urls` (set by the test) from its sandbox, then stops."""

    name = "fetches-twice"
    urls: tuple[str, ...] = ()

    def run(self, ctx: AgentContext) -> AgentResult:
        codes = [ctx.sandbox.exec(f"curl -s -o /dev/null -m 10 -w '%{{http_code}}' {url}",
                                  timeout=30).stdout for url in self.urls]
        return AgentResult(exit_status="finished", message=" ".join(codes))


@pytest.mark.slow
@pytest.mark.sweep
def test_a_trial_records_its_effective_egress(tmp_path: Path, run_id: str) -> None:
    """`--egress archive` on a task whose own setting is `full`: result.json says so, with the
    allow-list and the proxy's counts, and logs/egress.log keeps its decisions."""
    with origin("allowed") as allowed, origin("other") as other:
        FetchesTwice.urls = (f"http://{LOOPBACK}:{allowed.port}/a",
                             f"http://{LOOPBACK}:{other.port}/b")
        registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
        task = registry.get("fx-quotes-logic")
        assert task.spec.sandbox.egress == "full"
        Runner(RunRequest(
            tasks=[task], agent_cls=FetchesTwice, agent_info=AgentInfo(name=FetchesTwice.name),
            output_dir=tmp_path, tasks_dir=NATIVE_FIXTURES, run_id=run_id, egress="archive",
            egress_allow=[f"{LOOPBACK}:{allowed.port}"])).execute()
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
    [result] = RunDir(tmp_path / run_id).results()
    assert allowed.seen and [p for p, _ua in allowed.seen] == ["/a"] and other.seen == []
    assert result.egress is not None
    assert (result.egress.mode, result.egress.source) == ("archive", "run")
    assert f"{LOOPBACK}:{allowed.port}" in result.egress.allow
    assert (result.egress.n_allowed, result.egress.n_refused) == (1, 1)
    assert result.logs.egress == "logs/egress.log"
    log = (tmp_path / run_id / "trials" / result.trial_name / "logs" / "egress.log").read_text()
    assert f"refused GET {LOOPBACK}:{other.port}" in log


def _wheel(name: str, version: str) -> bytes:
    """A minimal pure-Python wheel: what pip needs to accept a download."""
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": b"",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: abcbench-test\nRoot-Is-Purelib: true\n"
                         b"Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"]
                                      ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buf.getvalue()


class _Index(BaseHTTPRequestHandler):
    """A PEP 503 simple index with one project, `egressprobe`."""

    wheel = _wheel("egressprobe", "1.0")
    seen: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(self.path)
        filename = "egressprobe-1.0-py3-none-any.whl"
        if self.path.rstrip("/") == "/simple/egressprobe":
            body, kind = (f'<html><body><a href="/files/{filename}">{filename}</a>'
                          "</body></html>").encode(), "text/html"
        elif self.path == f"/files/{filename}":
            body, kind = self.wheel, "application/octet-stream"
        else:
            body, kind = b"not here", "text/plain"
        self.send_response(200 if kind != "text/plain" else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.sweep
def test_pip_downloads_through_the_proxy_by_its_environment(
        tester_image: str, run_id: str, made: list[SandboxEgress]) -> None:
    """The host's own pip (copied in: the recipe images have none until apt installs it)
    against the test's index on the host's loopback, with nothing but the proxy variables."""
    index = ThreadingHTTPServer((LOOPBACK, 0), _Index)
    index.daemon_threads = True
    threading.Thread(target=index.serve_forever, daemon=True).start()
    port = int(index.server_address[1])
    try:
        egress = SandboxEgress(effective_egress("archive", [f"{LOOPBACK}:{port}"]), "task")
        made.append(egress)
        net = egress.open_network(f"abcbench-{run_id}-pip", L.managed(run=run_id))
        sandbox = box(tester_image, run_id, "pip", str(net.name), egress.environment)
        sandbox.copy_in(Path(pip.__file__).parent.parent / "pip", "/opt/host-pip/pip")
        result = sandbox.exec(
            "PYTHONPATH=/opt/host-pip python3 -m pip download --no-deps --no-cache-dir "
            f"--disable-pip-version-check --index-url http://{LOOPBACK}:{port}/simple/ "
            "-d /tmp/dl egressprobe && ls /tmp/dl", timeout=180)
        assert result.ok, result.stdout[-2000:] + result.stderr[-2000:]
        assert "egressprobe-1.0-py3-none-any.whl" in result.stdout
        assert "/files/egressprobe-1.0-py3-none-any.whl" in _Index.seen
        egress.close()
        assert egress.record.n_allowed >= 2 and egress.record.n_refused == 0
    finally:
        index.shutdown()
        index.server_close()


@pytest.mark.slow
@pytest.mark.sweep
def test_an_installed_agent_works_in_an_archive_sandbox(tmp_path: Path, run_id: str) -> None:
    """Codex in an `archive` sandbox: it reaches the model gateway on the bridge's host address
    (its proxy variables must not send it to the proxy) and solves the task."""
    from abcbench.agents.installed.codex import CodexAgent
    from abcbench.agents.verify import solving_route
    from abcbench.paths import bundled_tasks_dir
    from abcbench.testing.model_server import ModelServer
    from abcbench.testing.script import Script
    from tests.agents.agent_helpers import agent_requests, bundled_task

    task = bundled_task("python-flask-bookshelf-loans")
    with ModelServer(Script(routes=[solving_route(task, CodexAgent)])) as server:
        Runner(RunRequest(
            tasks=[task], agent_cls=CodexAgent,
            agent_info=AgentInfo(name=CodexAgent.name, model="openai/gpt-5",
                                 kwargs={"base_url": server.base_url},
                                 env_keys=["OPENAI_API_KEY"]),
            agent_env={"OPENAI_API_KEY": "sk-egress-test"}, output_dir=tmp_path,
            tasks_dir=bundled_tasks_dir(), run_id=run_id, egress="archive")).execute()
        requests = agent_requests(server)
    [result] = RunDir(tmp_path / run_id).results()
    assert result.egress is not None and result.egress.mode == "archive"
    assert result.resolved, (result.failure_class, result.error)
    assert requests and result.usage.n_requests == len(requests)
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
