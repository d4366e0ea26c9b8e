"""`abcbench tasks new`: --from, --project, --health-path, contained paths, next commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.run.task_check import check_tasks
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import NATIVE_FIXTURES

QUOTES = NATIVE_FIXTURES / "_repos" / "quotes"


def new(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = CliRunner().invoke(app, ["tasks", "new", *args, "--tasks-dir",
                                   str(tmp_path / "tasks")])
    return out.exit_code, out.output


def test_new_from_folder_then_mask_passes_the_static_check(tmp_path: Path) -> None:
    source = tmp_path / "realworld-go"
    shutil.copytree(QUOTES, source)
    code, output = new(tmp_path, "py-quotes-create", "-l", "python", "-f", "http.server",
                       "--from", str(source), "--port", "8000", "--health-path", "/health")
    assert code == 0, output
    tasks = (tmp_path / "tasks").resolve()
    flat = output.replace("\n", " ")
    for step in ("tasks mask py-quotes-create", "tasks record py-quotes-create",
                 "tasks check py-quotes-create"):
        assert f"{step}" in flat and f"--tasks-dir {tasks}" in flat
    repo = tasks / "_repos" / "realworld-go"
    assert (repo / "server.py").read_bytes() == (QUOTES / "server.py").read_bytes()
    task_dir = tasks / "py-quotes-create"
    spec = yaml.safe_load((task_dir / "task.yaml").read_text())
    assert spec["repository"]["project"] == "realworld-go"
    assert spec["service"]["health_path"] == "/health"
    assert not (task_dir / "masked").exists()
    assert '/health", timeout=10)\n    assert r.status_code == 200' in \
        (task_dir / "tests" / "test_connectivity.py").read_text()
    out = CliRunner().invoke(app, ["tasks", "mask", "py-quotes-create", "--function",
                                   "server.py:create_quote", "--tasks-dir", str(tasks)])
    assert out.exit_code == 0, out.output
    [check] = check_tasks(TaskRegistry.from_dir(tasks).all(), tasks, tmp_path / "runs", 1, 1,
                          static_only=True)
    assert len(check.problems) == 1 and "still the template" in check.problems[0]
    (task_dir / "instruction.md").write_text(
        "# Quotes\n\nImplement `POST /quotes` in `/app/realworld-go/server.py`: it stores a "
        "quote {text, author} and answers 201 with it and its id.\n\nThe service must listen on "
        "port 8000.\n")
    [check] = check_tasks(TaskRegistry.from_dir(tasks).all(), tasks, tmp_path / "runs", 1, 1,
                          static_only=True)
    assert check.problems == []


def test_new_from_a_git_url_and_defaults_without_health_path(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    shutil.copytree(QUOTES, origin)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=origin, check=True)
    subprocess.run([*git, "add", "-A"], cwd=origin, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=origin, check=True)
    code, output = new(tmp_path, "py-quotes-env", "-l", "python", "-f", "http.server",
                       "--type", "environment", "--from", f"file://{origin}",
                       "--project", "quotes", "--repo", "quotes-src")
    assert code == 0, output
    repo = tmp_path / "tasks" / "_repos" / "quotes-src"
    assert (repo / "server.py").is_file() and not (repo / ".git").exists()
    task_dir = tmp_path / "tasks" / "py-quotes-env"
    spec = yaml.safe_load((task_dir / "task.yaml").read_text())
    assert spec["repository"]["project"] == "quotes"
    assert spec["repository"]["mask"]["remove"] == ["Dockerfile"]
    assert "health_path" not in spec["service"]
    instruction = (task_dir / "instruction.md").read_text()
    assert "abcbench images show python" in instruction
    assert "frameworks the repository uses" not in instruction


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    cases = [
        ("x-one", "-l", "go", "-f", "net http", "--repo", "r"),
        ("x-two", "-l", "go", "-f", "net-http", "--repo", "../../escape"),
        ("x-three", "-l", "go", "-f", "net-http"),
        ("x-four", "-l", "go", "-f", "net-http", "--from", str(tmp_path / "missing")),
        ("x-five", "-l", "go", "-f", "net-http", "--repo", "r", "--health-path", "health"),
        ("x-six", "-l", "cobol", "-f", "x", "--repo", "r"),
    ]
    for args in cases:
        code, output = new(tmp_path, *args)
        assert code == 2, (args, output)
        assert len(output.strip().splitlines()) <= 2, output
    assert not (tmp_path / "escape").exists()
    assert not list((tmp_path / "tasks").glob("x-*")) if (tmp_path / "tasks").exists() else True


def test_help_texts_name_every_option() -> None:
    out = CliRunner().invoke(app, ["tasks", "new", "--help"], env={"COLUMNS": "200"})
    for flag in ("--from", "--repo", "--project", "--health-path", "--tasks-dir", "--port",
                 "--type", "--framework", "--language"):
        line = next(line for line in out.output.splitlines() if flag in line)
        assert len(line.split(flag, 1)[1].strip(" │")) > 12, line


def test_an_upstream_dockerfile_that_cannot_build_here_is_named(tmp_path: Path) -> None:
    source = tmp_path / "upstream"
    shutil.copytree(QUOTES, source)
    (source / "Dockerfile").write_text(
        "FROM python:3.12-slim AS base\n"
        "RUN --mount=type=cache,target=/root/.cache \\\n    pip install httpx\n"
        "FROM base\nADD https://example.invalid/x.tgz /x.tgz\n")
    code, output = new(tmp_path, "py-quotes-up", "-l", "python", "-f", "http.server",
                       "--from", str(source), "--port", "8000")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "line 1: FROM python:3.12-slim" in flat and "abcbench/python" in flat
    assert "line 2: RUN --mount" in flat
    assert "line 5: ADD https://example.invalid/x.tgz" in flat
    assert "FROM base" not in flat  # an earlier stage is fine


def test_a_go_module_path_is_the_working_directory(tmp_path: Path) -> None:
    source = tmp_path / "notes"
    source.mkdir()
    (source / "go.mod").write_text("// the notes API\nmodule   \"github.com/acme/notes\" "
                                   "// its import path\n\ngo 1.22\n")
    (source / "main.go").write_text("package main\n\nfunc main() {}\n")
    code, output = new(tmp_path, "go-notes-create", "-l", "go", "-f", "net-http",
                       "--from", str(source), "--port", "8080")
    assert code == 0, output
    dockerfile = (tmp_path / "tasks" / "_repos" / "notes" / "Dockerfile").read_text()
    assert "WORKDIR /gopath/src/github.com/acme/notes\n" in dockerfile
    assert "RUN go build -o /usr/local/bin/notes ." in dockerfile
