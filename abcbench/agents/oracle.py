"""The oracle: applies the task's reference solution, proving the task is solvable.

It is the only privileged agent: the trial hands it an `OracleContext` (which carries the task)
because `abcbench.agents.registry` lists this very class as privileged; a subclass or any other
agent gets the ordinary context and the oracle's run refuses to work without the task.
"""

from __future__ import annotations

from pathlib import Path

from abcbench import scratch
from abcbench.agents.base import Agent, AgentContext, AgentResult, OracleContext
from abcbench.grading.tb_pane import render_pane
from abcbench.tasks.materialize import write_reference
from abcbench.tasks.model import TaskFormat

#: Where Terminal-Bench's oracle puts the task's solution.sh (agents/oracle_agent.py).
SOLUTION_PATH = "/oracle/solution.sh"


class OracleAgent(Agent):
    name = "oracle"
    description = "Applies the reference solution (native: the reference tree; TB: solution.sh)."

    def run(self, ctx: AgentContext) -> AgentResult:
        if not isinstance(ctx, OracleContext):
            return AgentResult(exit_status="error", message="only the built-in oracle is given "
                               "the task; this agent ran with an ordinary context")
        log = ctx.logs_dir / "oracle.log"
        if ctx.task.format is TaskFormat.terminal_bench:
            return self._run_solution_script(ctx, log)
        with scratch.temporary_dir("abcbench-oracle-") as tmp:
            reference = write_reference(ctx.task, Path(tmp) / "ref")
            ctx.sandbox.copy_in(reference, ctx.repo_dir)
        log.write_text(f"copied the reference repository into {ctx.repo_dir}\n", encoding="utf-8")
        return AgentResult(message="reference solution applied")

    def _run_solution_script(self, ctx: OracleContext, log: Path) -> AgentResult:
        script = ctx.task.directory / "solution.sh"
        if not script.is_file():
            return AgentResult(exit_status="error", message=f"{script} does not exist")
        ctx.sandbox.write_file(SOLUTION_PATH, script.read_bytes(), mode=0o755)
        typer = getattr(ctx.sandbox, "type_command", None)
        if typer is not None:
            # As Terminal-Bench's oracle: typed into a login shell on its pane's terminal.
            run = typer(f"bash {SOLUTION_PATH}", timeout=max(ctx.remaining_sec(), 1))
            pane = render_pane(run.output, history_limit=run.history_limit)
            log.write_text(f"exit {run.exit_code}{' (timed out)' if run.timed_out else ''}\n"
                           f"--- terminal\n{pane}", encoding="utf-8")
            ok, timed_out, code = run.exit_code == 0, run.timed_out, run.exit_code
        else:
            result = ctx.sandbox.exec(f"bash {SOLUTION_PATH}",
                                      timeout=max(ctx.remaining_sec(), 1))
            log.write_text(f"exit {result.exit_code}\n--- stdout\n{result.stdout}\n"
                           f"--- stderr\n{result.stderr}", encoding="utf-8")
            ok, timed_out, code = result.ok, result.timed_out, result.exit_code
        status = "finished" if ok else ("budget" if timed_out else "error")
        return AgentResult(exit_status=status, message=f"solution.sh exited {code}")
