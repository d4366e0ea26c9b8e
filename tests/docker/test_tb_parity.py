"""Terminal-Bench mode against the real engine gives the verdicts `tb run` gives.

EXPECTED was recorded from `python bench/tb_parity.py` (which runs `tb run`, Terminal-Bench
TB_VERSION below, and `abcbench run --dataset` on tests/fixtures/terminal_bench, oracle and
nop); the numbers are what `tb run` said: is_resolved and passed/parsed tests. Re-record them
with that script if Terminal-Bench or a fixture changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.nop import NopAgent
from abcbench.agents.oracle import OracleAgent
from abcbench.results.models import AgentInfo, TrialResult
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.tb_reference import TB_VERSION
from tests.conftest import TB_FIXTURES

pytestmark = [pytest.mark.docker, pytest.mark.slow]

NOTHING = {"containers": [], "networks": [], "trial_images": []}
assert TB_VERSION == "0.2.18", "EXPECTED below was recorded with terminal-bench 0.2.18"

#: (agent, task) -> (resolved, passed, parsed), from `tb run` (terminal-bench 0.2.18), recorded
#: 2026-12-08 with bench/tb_parity.py (34 of 34 verdicts and every parsed test agreed). The
#: all-skipped task parses as one test: pytest folds both skips into "SKIPPED [2] ...". A parse
#: error (no summary header on the pane) is (False, 0, 0).
EXPECTED: dict[tuple[str, str], tuple[bool, int, int]] = {
    ("oracle", "tb-agent-timeout"): (True, 1, 1),
    ("oracle", "tb-all-skipped"): (True, 1, 1),
    ("oracle", "tb-bashrc-env"): (True, 2, 2),
    ("oracle", "tb-color-flag"): (True, 2, 2),
    ("oracle", "tb-color-force"): (True, 2, 2),
    ("oracle", "tb-color-py"): (True, 2, 2),
    ("oracle", "tb-cr-progress"): (True, 2, 2),
    ("oracle", "tb-env-path"): (False, 0, 0),
    ("oracle", "tb-long-line"): (False, 2, 3),
    ("oracle", "tb-param-space"): (True, 3, 3),
    ("oracle", "tb-scrollback"): (False, 0, 0),
    ("oracle", "tb-skip-one"): (True, 3, 3),
    ("oracle", "tb-solution-login"): (True, 2, 2),
    ("oracle", "tb-stderr-report"): (True, 1, 1),
    ("oracle", "tb-two-sessions"): (True, 3, 3),
    ("oracle", "tb-word-stats"): (True, 5, 5),
    ("oracle", "tb-xfail"): (True, 2, 2),
    ("nop", "tb-agent-timeout"): (False, 0, 1),
    ("nop", "tb-all-skipped"): (True, 1, 1),
    ("nop", "tb-bashrc-env"): (False, 0, 2),
    ("nop", "tb-color-flag"): (False, 0, 2),
    ("nop", "tb-color-force"): (False, 0, 2),
    ("nop", "tb-color-py"): (False, 0, 2),
    ("nop", "tb-cr-progress"): (False, 0, 2),
    ("nop", "tb-env-path"): (False, 0, 0),
    ("nop", "tb-long-line"): (False, 0, 3),
    ("nop", "tb-param-space"): (False, 1, 3),
    ("nop", "tb-scrollback"): (False, 0, 0),
    ("nop", "tb-skip-one"): (False, 1, 3),
    ("nop", "tb-solution-login"): (False, 0, 2),
    ("nop", "tb-stderr-report"): (False, 0, 1),
    ("nop", "tb-two-sessions"): (False, 1, 3),
    ("nop", "tb-word-stats"): (False, 2, 5),
    ("nop", "tb-xfail"): (False, 1, 2),
}


def run_all(tmp_path: Path, run_id: str, agent_cls: type[Agent],
            tasks: list[str] | None = None) -> dict[str, TrialResult]:
    registry = TaskRegistry.from_dir(TB_FIXTURES)
    selected = [registry.get(t) for t in tasks] if tasks else registry.all()
    request = RunRequest(tasks=selected, agent_cls=agent_cls,
                         agent_info=AgentInfo(name=agent_cls.name), output_dir=tmp_path,
                         tasks_dir=TB_FIXTURES, run_id=run_id, n_concurrent=2)
    Runner(request).execute()
    assert leftovers(run=run_id) == NOTHING
    return {r.task_id: r for r in RunDir(tmp_path / run_id).results()}


#: One task of each kind the terminal decides, for CI (the whole table is the sweep below):
#: coloured summary lines (on main before the terminal: nothing parsed, a false pass with nop),
#: a summary pushed out of tmux's history (main: resolved) and PYTHONPATH from ~/.bashrc
#: (main: an import error).
REPRESENTATIVE = {"nop": ["tb-color-force"], "oracle": ["tb-scrollback", "tb-bashrc-env"]}


@pytest.mark.parametrize("agent_cls", [OracleAgent, NopAgent], ids=["oracle", "nop"])
def test_representative_verdicts_are_terminal_bench_verdicts(
        tmp_path: Path, run_id: str, agent_cls: type[Agent]) -> None:
    tasks = REPRESENTATIVE[agent_cls.name]
    results = run_all(tmp_path, run_id, agent_cls, tasks)
    got = {(agent_cls.name, t): (r.resolved, r.n_passed, r.n_tests) for t, r in results.items()}
    assert got == {(agent_cls.name, t): EXPECTED[(agent_cls.name, t)] for t in tasks}


@pytest.mark.parametrize("agent_cls", [OracleAgent, NopAgent], ids=["oracle", "nop"])
@pytest.mark.sweep
def test_verdicts_are_terminal_bench_verdicts(tmp_path: Path, run_id: str,
                                              agent_cls: type[Agent]) -> None:
    results = run_all(tmp_path, run_id, agent_cls)
    got = {(agent_cls.name, task): (r.resolved, r.n_passed, r.n_tests)
           for task, r in results.items()}
    expected = {k: v for k, v in EXPECTED.items() if k[0] == agent_cls.name}
    assert got == expected
    if agent_cls is OracleAgent:
        timed_out = results["tb-agent-timeout"]
        assert timed_out.agent_timed_out and timed_out.resolved


class PlantsSymlinks(Agent):
    """A hostile agent: symlinks in every folder bind-mounted from the host, then a crash
    (so the harness writes agent-error.log)."""

    name = "plants-symlinks"
    victim = "/nonexistent"

    def run(self, ctx: AgentContext) -> AgentResult:
        names = ["agent-error.log", "run.log", "oracle.log", "trajectory.json"]
        script = "; ".join(
            [f"ln -sf {self.victim} /agent-logs/{n}" for n in names]
            + [f"ln -sf {self.victim} /logs/{n}" for n in ("tests.log", "agent.log")]
            + ["ln -sfn / /agent-logs/root", "echo planted > /agent-logs/note.txt"])
        result = ctx.sandbox.exec(script, timeout=30)
        assert result.exit_code == 0, result.stderr
        raise RuntimeError("the agent crashed after planting its links")


def test_planted_symlinks_never_redirect_harness_files(tmp_path: Path, run_id: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("host file\n")
    PlantsSymlinks.victim = str(victim)
    result = run_all(tmp_path / "runs", run_id, PlantsSymlinks, ["tb-xfail"])["tb-xfail"]
    assert victim.read_text() == "host file\n", "a harness file was written through a link"
    trial = tmp_path / "runs" / run_id / "trials" / "tb-xfail__1"
    error_log = trial / "agent" / "agent-error.log"
    assert error_log.is_file() and not error_log.is_symlink()
    assert "planting its links" in error_log.read_text()
    assert not [p for p in trial.rglob("*") if p.is_symlink()], "no link is copied back"
    assert (trial / "logs" / "agent-logs" / "note.txt").read_text() == "planted\n"
    assert "symlink, not followed" in (trial / "logs" / "mounts-skipped.log").read_text()
    assert result.failure_class is not None and result.failure_class.value == "agent_error"
