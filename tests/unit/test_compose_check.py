"""A Terminal-Bench task's compose file cannot reach the host: refused at load, one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from abcbench.tasks.loader import TaskLoadError, load_task
from tests.conftest import TB_FIXTURES

TASK = "tb-word-stats"


@pytest.fixture
def task_dir(tmp_path: Path) -> Path:
    shutil.copytree(TB_FIXTURES / TASK, tmp_path / TASK)
    return tmp_path / TASK


def set_client(task_dir: Path, **fields: object) -> None:
    path = task_dir / "docker-compose.yaml"
    data = yaml.safe_load(path.read_text())
    data["services"]["client"].update(fields)
    path.write_text(yaml.safe_dump(data))


def test_the_published_shape_loads(task_dir: Path) -> None:
    set_client(task_dir, volumes=["${T_BENCH_TASK_LOGS_PATH}:${T_BENCH_CONTAINER_LOGS_PATH}",
                                  "${T_BENCH_TASK_AGENT_LOGS_PATH}:/agent-logs",
                                  "cache:/root/.cache", "./data:/data:ro", "/anonymous"])
    assert load_task(task_dir).id == TASK


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"volumes": ["/:/host"]}, "bind mount '/' is outside"),
        ({"volumes": ["../../..:/up"]}, "is outside the task folder"),
        ({"volumes": [{"type": "bind", "source": "/etc", "target": "/x"}]}, "'/etc'"),
        ({"volumes": ["${HOME}:/home"]}, "${HOME}"),
        ({"environment": ["KEY=${OPENAI_API_KEY}"]}, "${OPENAI_API_KEY}"),
        ({"command": ["sh", "-c", "echo $AWS_SECRET_ACCESS_KEY"]}, "${AWS_SECRET_ACCESS_KEY}"),
        ({"privileged": True}, "'privileged'"),
        ({"network_mode": "host"}, "network_mode: host"),
        ({"pid": "host"}, "pid: host"),
        ({"cap_add": ["SYS_ADMIN"]}, "'cap_add'"),
        ({"devices": ["/dev/sda:/dev/sda"]}, "'devices'"),
        ({"security_opt": ["seccomp=unconfined"]}, "'security_opt'"),
        ({"build": {"context": "/"}}, "'build.context'"),
        ({"build": "../.."}, "'build.context'"),
        ({"env_file": "/root/.env"}, "'env_file'"),
    ],
)
def test_host_reaching_compose_is_refused(task_dir: Path, fields: dict[str, object],
                                          expected: str) -> None:
    """Today: each of these is used as written, with the harness's whole environment."""
    set_client(task_dir, **fields)
    with pytest.raises(TaskLoadError) as info:
        load_task(task_dir)
    message = str(info.value)
    assert expected in message and "docker-compose.yaml" in message and "\n" not in message


def test_escaped_dollar_is_fine(task_dir: Path) -> None:
    set_client(task_dir, command=["sh", "-c", "echo $$HOME"])
    assert load_task(task_dir).id == TASK


def test_top_level_volume_binding_a_host_folder_is_refused(task_dir: Path) -> None:
    path = task_dir / "docker-compose.yaml"
    data = yaml.safe_load(path.read_text())
    data["volumes"] = {"v": {"driver": "local", "driver_opts": {"type": "none", "o": "bind",
                                                               "device": "/"}}}
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(TaskLoadError, match="driver_opts"):
        load_task(task_dir)


@pytest.mark.parametrize("name", ["run-tests.sh", "solution.sh", "tests", "Dockerfile"])
def test_files_the_harness_copies_may_not_link_out(task_dir: Path, tmp_path: Path,
                                                   name: str) -> None:
    """Today: `solution.sh -> <host file>` is read and written into the agent's container."""
    outside = tmp_path / "host-file"
    outside.mkdir() if name == "tests" else outside.write_text("host secret\n")
    target = task_dir / name
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.symlink_to(outside)
    with pytest.raises(TaskLoadError, match="symlink out of the task folder"):
        load_task(task_dir)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"environment": ["TEST_DIR=/tests", "OPENAI_API_KEY"]}, "'OPENAI_API_KEY'"),
        ({"environment": {"HF_TOKEN": None}}, "'HF_TOKEN'"),
        ({"environment": {"TEST_DIR": "/tests", "ANTHROPIC_API_KEY": None}},
         "'ANTHROPIC_API_KEY'"),
        ({"environment": [" AWS_SECRET_ACCESS_KEY "]}, "'AWS_SECRET_ACCESS_KEY'"),
        ({"build": {"context": ".", "args": ["GITHUB_TOKEN"]}}, "'GITHUB_TOKEN'"),
        ({"build": {"context": ".", "args": {"NPM_TOKEN": None}}}, "'NPM_TOKEN'"),
    ],
)
def test_value_less_variables_compose_would_fill_from_the_host_are_refused(
        task_dir: Path, fields: dict[str, object], expected: str) -> None:
    """Today: accepted, and docker-compose copies the harness's own value into the container
    (or the build)."""
    set_client(task_dir, **fields)
    with pytest.raises(TaskLoadError) as info:
        load_task(task_dir)
    message = str(info.value)
    assert expected in message and "no value" in message and "\n" not in message


@pytest.mark.parametrize("line", ["HF_TOKEN", "  OPENAI_API_KEY  ", "export_NOT=1\nGH_TOKEN"])
def test_an_env_file_naming_a_variable_without_a_value_is_refused(
        task_dir: Path, line: str) -> None:
    (task_dir / "task.env").write_text(f"# a comment\nTEST_DIR=/tests\n\n{line}\n")
    set_client(task_dir, env_file=["task.env"])
    with pytest.raises(TaskLoadError, match=r"'env_file' task\.env.*no value"):
        load_task(task_dir)


def test_variables_with_values_load(task_dir: Path) -> None:
    (task_dir / "task.env").write_text("A=1\nB=\n# C\n")
    set_client(task_dir, env_file="task.env",
               environment={"TEST_DIR": "${T_BENCH_TEST_DIR}", "EMPTY": "", "N": 3},
               build={"context": ".", "args": {"X": "1"}})
    assert load_task(task_dir).id == TASK
