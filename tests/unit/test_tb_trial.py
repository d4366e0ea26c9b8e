"""Terminal-Bench mode's verdicts, without Docker: a fake client container prints what a real
run-tests.sh would, and the real agent phase, parser and verdict of the trial judge it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.images.manager import ImageManager
from abcbench.results.models import AgentInfo, FailureClass, Stage
from abcbench.results.store import RunDir
from abcbench.sandbox.base import ExecResult
from abcbench.sandbox.compose import collect_bind_mount
from abcbench.sandbox.tty import TerminalRun
from abcbench.tasks.loader import load_task
from abcbench.trial.base import TrialSpec
from abcbench.trial.terminal_bench import TerminalBenchTrial
from tests.conftest import TB_FIXTURES

HEADER = "=========================== short test summary info ============================"
PASS_AND_XFAIL = f"{HEADER}\nPASSED test_outputs.py::test_a\nXFAIL test_outputs.py::test_b - bug\n"
ALL_SKIPPED = f"{HEADER}\nSKIPPED [2] test_outputs.py:4: needs a GPU\n=== 2 skipped ===\n"
HEADER_ONLY = f"{HEADER}\n"
TWO_SESSIONS = (f"{HEADER}\nPASSED t.py::test_a\n=== 1 passed ===\n"
                f"{HEADER}\nFAILED t.py::test_b[a b] - assert 1 == 2\n=== 1 failed ===\n")
PASSING = f"{HEADER}\nPASSED test_outputs.py::test_a\n=== 1 passed ===\n"


class FakeClient:
    """Stands in for the client container: records the commands typed into its terminal and
    answers with what a tty shows (`\n` as `\r\n`)."""

    def __init__(self, test_output: str, timed_out: bool = False) -> None:
        self.test_output = test_output
        self.timed_out = timed_out
        self.commands: list[Any] = []
        self.container = type("C", (), {"attrs": {"Config": {"WorkingDir": "/app"}}})()

    def exec(self, command: Any, **_kwargs: Any) -> ExecResult:
        raise AssertionError(f"Terminal-Bench mode types commands, it does not exec {command}")

    def type_command(self, command: str, *, timeout: float, user: str | None = None,
                     pane: int = 0) -> TerminalRun:
        self.commands.append((command, user))
        shown = f"root@abc:/app# {command}\n{self.test_output}".replace("\n", "\r\n")
        return TerminalRun(shown.encode(), 2000, None if self.timed_out else 0, self.timed_out,
                           0.1)

    def copy_in(self, src: Path, dest: str) -> None:
        pass

    def write_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None:
        pass


class Finishes(Agent):
    name = "finishes"

    def run(self, ctx: AgentContext) -> AgentResult:
        return AgentResult()


class RunsOutOfTime(Agent):
    name = "runs-out-of-time"

    def run(self, ctx: AgentContext) -> AgentResult:
        return AgentResult(exit_status="budget", message="out of time")


class NoComposeTrial(TerminalBenchTrial):
    """The real agent phase and test judging, with the compose project replaced by a fake."""

    client: FakeClient

    def _execute(self) -> None:
        with self._phase(Stage.agent):
            self._run_agent(self.client, "/app")  # type: ignore[arg-type]
        with self._phase(Stage.tests):
            self._run_tests(self.client)  # type: ignore[arg-type]

    def _collect_and_clean(self) -> None:
        pass


def trial(tmp_path: Path, output: str, agent: type[Agent] = Finishes,
          timed_out: bool = False) -> NoComposeTrial:
    spec = TrialSpec(run_id="r", task=load_task(TB_FIXTURES / "tb-word-stats"), attempt=1,
                     agent_cls=agent, agent_info=AgentInfo(name=agent.name))
    made = NoComposeTrial(spec, RunDir(tmp_path), ImageManager())
    made.client = FakeClient(output, timed_out)
    return made


@pytest.mark.parametrize(("output", "resolved", "n_passed"), [
    (PASS_AND_XFAIL, True, 2),   # XFAIL passes in Terminal-Bench
    (ALL_SKIPPED, True, 1),      # so does SKIPPED, read from its "SKIPPED [n] file:line" line
    (HEADER_ONLY, True, 0),      # and a summary with nothing in it
    (TWO_SESSIONS, False, 1),    # the second session's failure (an id with a space) counts
    ("collected 0 items\n", False, 0),  # no summary: Terminal-Bench's parse error
])
def test_terminal_bench_verdicts(tmp_path: Path, output: str, resolved: bool,
                                 n_passed: int) -> None:
    result = trial(tmp_path, output).run()
    assert (result.resolved, result.n_passed) == (resolved, n_passed), result.error
    assert (result.failure_class is None) == resolved


def test_tests_run_and_count_after_an_agent_timeout(tmp_path: Path) -> None:
    made = trial(tmp_path, PASSING, agent=RunsOutOfTime)
    result = made.run()
    assert result.agent_timed_out
    assert len(made.client.commands) == 1, "the tests ran"
    assert result.resolved, "Terminal-Bench resolves a timed-out agent whose tests pass"


def test_test_timeout_is_unresolved_unless_the_agent_failed_first(tmp_path: Path) -> None:
    alone = trial(tmp_path / "a", PASSING, timed_out=True).run()
    assert (alone.resolved, alone.failure_class) == (False, FailureClass.test_timeout)
    after_agent = trial(tmp_path / "b", PASSING, agent=RunsOutOfTime, timed_out=True).run()
    assert after_agent.resolved, "Terminal-Bench parses the partial output after an agent fault"


def test_tests_are_typed_as_terminal_bench_types_them_as_root(tmp_path: Path) -> None:
    made = trial(tmp_path, PASSING)
    made.run()
    assert made.client.commands == [("bash /tests/run-tests.sh", "root")]


ESC = "\x1b"
COLOURED = (f"{ESC}[1m{HEADER}{ESC}[0m\n{ESC}[32mPASSED{ESC}[0m t.py::test_a\n"
            f"{ESC}[31mFAILED{ESC}[0m t.py::test_b - assert 1 == 2\n")


@pytest.mark.parametrize(("output", "resolved", "n_tests"), [
    # Colour codes are rendered away: the FAILED line is read (it was a false pass).
    (COLOURED, False, 2),
    # A line overwritten after a carriage return is gone from the pane.
    (f"{PASSING}ERROR stale-cache: warming up\rcache ready{ESC}[K\n", True, 1),
    # A line longer than the pane's 160 columns wraps; its second row is read on its own.
    (f"{PASSING}retry log: {'.' * 149}FAILED mirror::sync - will retry\n", False, 2),
    # More than tmux's 2,000 lines of history after the header: it is gone, a parse error.
    (PASSING + "".join(f"log line {i}\n" for i in range(2100)), False, 0),
    (PASSING + "".join(f"log line {i}\n" for i in range(1700)), True, 1),
])
def test_the_parser_reads_what_the_pane_shows(tmp_path: Path, output: str, resolved: bool,
                                              n_tests: int) -> None:
    result = trial(tmp_path, output).run()
    assert (result.resolved, result.n_tests) == (resolved, n_tests), result.error
    if n_tests == 0:
        assert result.failure_class is FailureClass.no_tests


def test_default_timeouts_are_terminal_bench_defaults(tmp_path: Path) -> None:
    task_dir = tmp_path / "tb-no-timeouts"
    shutil.copytree(TB_FIXTURES / "tb-word-stats", task_dir)
    yaml_path = task_dir / "task.yaml"
    yaml_path.write_text("\n".join(line for line in yaml_path.read_text().splitlines()
                                   if not line.startswith("max_")) + "\n")
    task = load_task(task_dir)
    assert (task.agent_timeout_sec, task.test_timeout_sec) == (360, 60)


def test_mount_collection_never_follows_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("host file")
    mount = tmp_path / "mount"
    (mount / "sub").mkdir(parents=True)
    (mount / "run.log").symlink_to(victim)
    (mount / "sub" / "escape").symlink_to(tmp_path)
    (mount / "sub" / "note.txt").write_text("agent wrote this")
    os.mkfifo(mount / "pipe")
    skipped = collect_bind_mount(mount, tmp_path / "copy")
    assert (tmp_path / "copy" / "sub" / "note.txt").read_text() == "agent wrote this"
    assert not (tmp_path / "copy" / "run.log").exists()
    assert not (tmp_path / "copy" / "sub" / "escape").exists()
    assert not (tmp_path / "copy" / "pipe").exists()
    assert len(skipped) == 3
    assert victim.read_text() == "host file"


def test_mount_collection_is_capped(tmp_path: Path) -> None:
    mount = tmp_path / "mount"
    mount.mkdir()
    for i in range(5):
        (mount / f"f{i}").write_bytes(b"x" * 100)
    skipped = collect_bind_mount(mount, tmp_path / "copy", max_bytes=250, max_files=10)
    copied = sorted(p.name for p in (tmp_path / "copy").iterdir())
    assert copied == ["f0", "f1", "f2"]
    assert (tmp_path / "copy" / "f2").stat().st_size == 50
    assert len(skipped) == 2


def test_harness_agent_folder_is_not_the_containers_mount(tmp_path: Path) -> None:
    """The agent is root in the client container and owns what is bind-mounted there."""
    made = trial(tmp_path, PASSING)
    made.dir.mkdir(parents=True, exist_ok=True)
    env = made._compose_env()
    try:
        mounted = {Path(env["T_BENCH_TASK_AGENT_LOGS_PATH"]).resolve(),
                   Path(env["T_BENCH_TASK_LOGS_PATH"]).resolve()}
        run_dir = tmp_path.resolve()
        assert all(run_dir not in p.parents for p in mounted), mounted
    finally:
        made._collect_mounts()
