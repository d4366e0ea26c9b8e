"""The terminal Terminal-Bench mode types into, against the real engine: a login shell on a
160x40 tty, as tb's tmux pane has (abcbench.sandbox.tty)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from abcbench.grading.tb_pane import render_pane
from abcbench.sandbox import labels as L
from abcbench.sandbox.container import DockerContainer
from abcbench.sandbox.lifecycle import ContainerRequest, cleanup, safe_name, start_container

pytestmark = pytest.mark.docker

TESTER = "abcbench/tester:latest"


@pytest.fixture
def client(run_id: str) -> Iterator[DockerContainer]:
    try:
        yield start_container(ContainerRequest(
            image=TESTER, name=safe_name("abcbench", run_id, "tty"),
            labels=L.managed(run=run_id, role="sandbox"), command=["sleep", "infinity"],
            # An image's ENV PATH: the login shell's /etc/profile resets it, as under tb.
            environment={"PATH": "/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                 "/usr/bin:/sbin:/bin", "FROM_IMAGE": "kept"},
            working_dir="/srv"))
    finally:
        cleanup(run=run_id)


def test_a_login_shell_on_a_160x40_tty(client: DockerContainer) -> None:
    client.exec("echo 'export FROM_BASHRC=read' >> /root/.bashrc", timeout=30)
    run = client.type_command(
        'echo "path=$PATH"; echo "vars=$FROM_BASHRC $FROM_IMAGE $TERM $TERM_PROGRAM"; '
        'stty size; pwd; python3 -c "import sys; print(sys.stdout.isatty())"; false',
        timeout=60, user="root", pane=1)
    pane = render_pane(run.output, history_limit=run.history_limit)
    assert "path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" in pane
    assert "vars=read kept tmux-256color tmux\n" in pane
    assert "\n40 160\n/srv\nTrue\n" in pane
    assert pane.startswith("root@"), "the pane starts with the shell's prompt"
    assert (run.exit_code, run.timed_out, run.history_limit) == (1, False, 2000)


def test_a_timeout_ends_every_process_of_the_terminal(client: DockerContainer) -> None:
    run = client.type_command("sleep 300 & sleep 301", timeout=3, user="root")
    assert run.timed_out and run.exit_code is None
    left = client.exec("ps -eo args", timeout=30).stdout
    assert "sleep 300" not in left and "sleep 301" not in left, left
