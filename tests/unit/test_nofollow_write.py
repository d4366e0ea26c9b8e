"""Harness logs written into a folder the agent controls never go through its links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from abcbench.tasks.safepaths import PathEscapeError, write_text_nofollow


@pytest.fixture
def host(tmp_path: Path) -> Path:
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "bashrc").write_text("original\n")
    return tmp_path / "host"


@pytest.fixture
def agent_dir(tmp_path: Path) -> Path:
    (tmp_path / "agent").mkdir()
    return tmp_path / "agent"


def test_plain_write_and_append(agent_dir: Path) -> None:
    write_text_nofollow(agent_dir, "run.log", "one\n")
    write_text_nofollow(agent_dir, "run.log", "two\n", append=True)
    write_text_nofollow(agent_dir, "sub/deeper/x.log", "x")
    assert (agent_dir / "run.log").read_text() == "one\ntwo\n"
    assert (agent_dir / "sub" / "deeper" / "x.log").read_text() == "x"


@pytest.mark.parametrize("append", [False, True])
def test_link_at_the_file_is_replaced(agent_dir: Path, host: Path, append: bool) -> None:
    (agent_dir / "agent-error.log").symlink_to(host / "bashrc")
    write_text_nofollow(agent_dir, "agent-error.log", "trace\n", append=append)
    assert (host / "bashrc").read_text() == "original\n"
    assert not (agent_dir / "agent-error.log").is_symlink()
    assert (agent_dir / "agent-error.log").read_text() == "trace\n"


def test_link_on_the_way_is_replaced(agent_dir: Path, host: Path) -> None:
    (agent_dir / "logs").symlink_to(host)
    write_text_nofollow(agent_dir, "logs/bashrc", "trace\n")
    assert (host / "bashrc").read_text() == "original\n"
    assert (agent_dir / "logs" / "bashrc").read_text() == "trace\n"


def test_fifo_does_not_block(agent_dir: Path) -> None:
    os.mkfifo(agent_dir / "run.log")
    write_text_nofollow(agent_dir, "run.log", "ok\n", append=True)
    assert (agent_dir / "run.log").read_text() == "ok\n"


def test_folder_in_the_way_is_replaced(agent_dir: Path) -> None:
    (agent_dir / "run.log").mkdir()
    (agent_dir / "run.log" / "inner").write_text("x")
    write_text_nofollow(agent_dir, "run.log", "ok\n")
    assert (agent_dir / "run.log").read_text() == "ok\n"


@pytest.mark.parametrize("rel", ["../escape.log", "/etc/x", ""])
def test_paths_that_leave_the_folder_are_refused(agent_dir: Path, rel: str) -> None:
    with pytest.raises(PathEscapeError):
        write_text_nofollow(agent_dir, rel, "x")
