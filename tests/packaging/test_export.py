"""`abcbench tasks export --format terminal-bench`: the exported folder is a Terminal-Bench
task whose solution reproduces the reference, and (Docker) it runs under Terminal-Bench
semantics with the oracle resolving and nop failing."""

from __future__ import annotations

import base64
import importlib.util
import io
import os
import re
import subprocess
import tarfile
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from abcbench.hashing import hash_tree
from abcbench.paths import bundled_tasks_dir, harness_dir
from abcbench.tasks.export import HARBOR, export_task, export_terminal_bench
from abcbench.tasks.materialize import write_reference, write_starting_state
from abcbench.tasks.model import TaskFormat
from abcbench.tasks.registry import TaskRegistry
from tests.unit.test_cli_output import cli

TASK = "python-flask-bookshelf-loans"


@pytest.fixture(scope="module")
def registry() -> TaskRegistry:
    return TaskRegistry.from_dir(bundled_tasks_dir())


def deploy_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "abc_deploy", harness_dir() / "export" / "abc_deploy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exported_folder_is_a_terminal_bench_task(tmp_path: Path,
                                                  registry: TaskRegistry) -> None:
    native = registry.get(TASK)
    dest = export_terminal_bench(native, tmp_path)
    exported = TaskRegistry.from_dir(tmp_path).get(TASK)
    assert exported.format is TaskFormat.terminal_bench
    assert (exported.language, exported.framework, exported.task_type) == (
        native.language, native.framework, native.task_type)
    assert exported.instruction == native.instruction
    assert sorted(p.name for p in (dest / "tests").glob("test_*.py")) == sorted(
        p.name for p in native.tests_dir.glob("test_*.py"))
    assert "COPY tests" not in (dest / "Dockerfile").read_text()  # hidden from the agent
    assert hash_tree(dest / "repo") == hash_tree(write_starting_state(native, tmp_path / "s"))
    with pytest.raises(Exception, match="already exists"):
        export_terminal_bench(native, tmp_path)


def test_solution_writes_the_reference_back(tmp_path: Path, registry: TaskRegistry) -> None:
    native = registry.get(TASK)
    dest = export_terminal_bench(native, tmp_path / "out")
    script = (dest / "solution.sh").read_text()
    payload = re.search(r"<<'ABC_SOLUTION'.*?\n(.*)\nABC_SOLUTION", script, re.S)
    assert payload is not None
    repo = dest / "repo"
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(payload.group(1)))) as tar:
        tar.extractall(repo, filter="data")
    assert hash_tree(repo) == hash_tree(write_reference(native, tmp_path / "ref"))


def test_dockerfile_interpreter_reads_the_instructions_it_follows() -> None:
    m = deploy_module()
    lines = m.logical_lines("FROM x\n# note\nENV A=1 \\\n    B=\"two words\"\nRUN echo $A\n"
                            "CMD [\"python3\", \"-m\", \"app\"]\n")
    assert [w for w, _ in lines] == ["FROM", "ENV", "RUN", "CMD"]
    assert m.assignments(lines[1][1], {}) == {"A": "1", "B": "two words"}
    assert m.assignments("PATH=$HOME/bin:${X}", {"HOME": "/h", "X": "y"}) == {"PATH": "/h/bin:y"}
    assert m.assignments("LEGACY some value", {}) == {"LEGACY": "some value"}
    assert m.command(lines[3][1]) == ["python3", "-m", "app"]
    assert m.command("node server.js") == ["/bin/sh", "-c", "node server.js"]


def test_interpreter_copies_like_docker(tmp_path: Path) -> None:
    m = deploy_module()
    ctx = tmp_path / "ctx"
    (ctx / "src" / "pkg").mkdir(parents=True)
    (ctx / "src" / "pkg" / "a.py").write_text("a")
    (ctx / "package.json").write_text("{}")
    work = tmp_path / "work"
    work.mkdir()
    m.copy(["src"], "./src", ctx, str(work))
    m.copy(["package.json"], "./", ctx, str(work))
    m.copy(["."], ".", ctx, str(tmp_path / "all"))
    assert (work / "src" / "pkg" / "a.py").read_text() == "a"
    assert (work / "package.json").is_file()
    assert (tmp_path / "all" / "src" / "pkg" / "a.py").is_file()
    with pytest.raises(SystemExit, match="outside the build context"):
        m.copy(["../outside"], ".", ctx, str(work))
    # COPY --from=<stage>: from the same filesystem, where the earlier stage wrote it
    m.copy([str(work / "package.json")], str(tmp_path / "bin") + "/", ctx, "/", True)
    assert (tmp_path / "bin" / "package.json").is_file()


def test_interpreter_runs_stages_in_place(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    m = deploy_module()
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "main.txt").write_text("built")
    out = tmp_path / "out"
    (ctx / "Dockerfile").write_text(
        f"FROM abcbench/rust AS build\nWORKDIR {tmp_path}/src\nENV STAGE=one\n"
        f"COPY main.txt ./\nRUN cp main.txt {tmp_path}/artifact && test \"$STAGE\" = one\n"
        f"CMD [\"never\"]\n"
        f"FROM abcbench/base\nCOPY --from=build {tmp_path}/artifact {out}/artifact\n"
        f"RUN test -z \"$STAGE\"\nCMD [\"serve\", \"--port\", \"8080\"]\n")
    argv, workdir = m.build(ctx / "Dockerfile", ctx, dict(os.environ))
    assert argv == ["serve", "--port", "8080"] and workdir == "/"
    assert (out / "artifact").read_text() == "built"


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.sweep
def test_exported_task_runs_with_terminal_bench_semantics(tmp_path: Path, run_id: str) -> None:
    proc = cli("tasks", "export", str(tmp_path / "tb"), "-t", TASK, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for agent, expected in (("oracle", "yes"), ("nop", "no")):
        run = cli("run", "--agent", agent, "--tasks-dir", str(tmp_path / "tb"), "--run-id",
                  f"{run_id}-{agent}", "-o", str(tmp_path / "runs"), "--format", "md",
                  cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"| {TASK}__1 | python | logic | {expected} |" in run.stdout, run.stdout


def test_harbor_layout(tmp_path: Path, registry: TaskRegistry) -> None:
    native = registry.get(TASK)
    dest = export_task(native, tmp_path, HARBOR)
    assert (dest / "instruction.md").read_text().strip() == native.instruction.strip()
    config = tomllib.loads((dest / "task.toml").read_text())
    assert config["agent"]["timeout_sec"] == native.agent_timeout_sec
    assert config["verifier"]["timeout_sec"] == native.test_timeout_sec
    assert config["metadata"]["tags"][:3] == ["python", "flask", "logic"]
    assert len(set(config["metadata"]["tags"])) == len(config["metadata"]["tags"])
    assert (dest / "environment" / "repo").is_dir() and (dest / "solution/solve.sh").is_file()
    assert "/logs/verifier/reward.txt" in (dest / "tests" / "test.sh").read_text()


def _docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check,
                          timeout=900)


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.sweep
def test_harbor_task_rewards_the_oracle_not_nop(tmp_path: Path, registry: TaskRegistry,
                                                run_id: str) -> None:
    """Harbor's protocol by hand: build environment/, (oracle) run solution/solve.sh, copy
    tests/ to /tests, run test.sh, read /logs/verifier/reward.txt."""
    dest = export_task(registry.get(TASK), tmp_path, HARBOR)
    image = f"abcbench-trial/{run_id}-harbor:latest"
    _docker("build", "-q", "--label", "abcbench.managed=true", "--label",
            f"abcbench.run={run_id}", "--label", "abcbench.kind=trial", "-t", image,
            str(dest / "environment"))
    try:
        for agent, reward in (("oracle", "1"), ("nop", "0")):
            name = f"{run_id}-{agent}"
            _docker("run", "-d", "--name", name, "--label", "abcbench.managed=true",
                    "--label", f"abcbench.run={run_id}", image, "sleep", "infinity")
            try:
                if agent == "oracle":
                    _docker("cp", str(dest / "solution"), f"{name}:/solution")
                    _docker("exec", name, "bash", "/solution/solve.sh")
                _docker("cp", str(dest / "tests"), f"{name}:/tests")
                _docker("exec", name, "bash", "/tests/test.sh", check=False)
                got = _docker("exec", name, "cat", "/logs/verifier/reward.txt").stdout.strip()
                assert got == reward, (agent, got)
            finally:
                _docker("rm", "-f", name, check=False)
    finally:
        _docker("rmi", "-f", image, check=False)
