"""OpenHands (PyPI `openhands-ai`), its CodeAct agent run headless inside the sandbox.

Which OpenHands: ABC-Bench's published numbers come from Terminal-Bench's `--agent openhands`,
which runs openhands-ai's CodeActAgent through `openhands.core.main` with the *local* runtime
(no Docker). openhands-ai 1.6.0 is the last release that ships that agent and entry point (1.7
to 1.11 keep only the V1 web app server); `openhands-sdk` is the V1 agent, a different prompt
and tool set. So this is openhands-ai 1.6.0, CodeActAgent, local runtime.

Install: the whole dependency set pinned in harness/agents/openhands/requirements.lock (from
the poetry.lock inside the openhands-ai wheel), as binary wheels for the sandbox's Python 3.13
plus two pure-Python wheels built on the host, with bytecode; unpacked under
/opt/abcbench/agents/openhands and run by a venv interpreter named `openhands-python` (so the
agent's shell keeps the sandbox's own `python3` and no PYTHONPATH). The local runtime's shell
needs tmux: apt-installed when the image lacks it.
Run: harness/agents/openhands/run_openhands.py, with Terminal-Bench/Harbor's settings (local
runtime, no browsing, no prompt extensions, auto-lint on, auto-continue user replies), litellm
at the model gateway (`--model gpt-4o` and `openai/gpt-4o` go through litellm's OpenAI route),
the trial token as LLM_API_KEY. It stops itself (as Ctrl-C would) just before the budget.
Read back: every event of the run, from OpenHands' local file store, as
agent/openhands-events.jsonl; its final state gives the exit status. Tokens are the gateway's.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from abcbench.agents.atif import Builder
from abcbench.agents.atif_convert import from_openhands
from abcbench.agents.base import AgentContext
from abcbench.agents.installed.base import (
    STOP_MARGIN_SEC,
    InstalledAgent,
    ReadBack,
    budget_note,
    json_lines,
    quote,
    setup_timeout,
)
from abcbench.agents.installed.bundle import BundleSpec
from abcbench.gateway.session import TrialSession
from abcbench.results.models import Usage
from abcbench.sandbox.base import ExecResult

VERSION = "1.6.0"
SELF_STOP_SEC = 30.0
"""How long before the exec's hard timeout the runner stops itself, so that OpenHands can
close its runtime and the events can be collected."""
SETTINGS = {
    # as Terminal-Bench and Harbor run it
    "RUNTIME": "local",
    "SKIP_DEPENDENCY_CHECK": "1",
    "RUN_AS_OPENHANDS": "false",
    "SU_TO_USER": "false",
    "AGENT_ENABLE_BROWSING": "false",
    "ENABLE_BROWSER": "false",
    "AGENT_ENABLE_PROMPT_EXTENSIONS": "false",
    "SANDBOX_ENABLE_AUTO_LINT": "true",
    "FILE_STORE": "local",
    # nothing to fetch from the internet
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "DISABLE_VSCODE_PLUGIN": "true",
}


class OpenHandsAgent(InstalledAgent):
    name = "openhands"
    wire = "chat"
    version = VERSION
    shell_tool: ClassVar[tuple[str, str, dict[str, str]]] = (
        "execute_bash", "command", {"security_risk": "LOW"})
    finish_tool: ClassVar[tuple[str, str]] = ("finish", "message")
    description = (f"OpenHands {VERSION} (PyPI openhands-ai): its CodeAct agent with the local "
                   "runtime, headless in the sandbox as Terminal-Bench runs it for ABC-Bench; "
                   "OpenAI chat completions through litellm.")
    bundle: ClassVar[BundleSpec] = BundleSpec(
        name="openhands", requirements=(), lock="agents/openhands/requirements.lock",
        source_wheels=("pylatexenc==2.10", "func-timeout==4.3.5"), precompile=True)
    harness_subdir: ClassVar[str] = "openhands"
    apt_tools: ClassVar[tuple[str, ...]] = ("tmux",)

    @property
    def store(self) -> str:
        return f"{self.work_dir}/openhands-store"

    @property
    def python(self) -> str:
        return f"{self.install_dir}/venv/bin/openhands-python"

    @property
    def trajectory_path(self) -> str:
        return f"{self.work_dir}/openhands-events.jsonl"

    @property
    def local_log_name(self) -> str:
        return "openhands-events.jsonl"

    def _install(self, ctx: AgentContext) -> None:
        super()._install(ctx)
        # A venv over the sandbox's python3 whose interpreter has a name of its own: OpenHands
        # puts its interpreter's folder first on the agent shell's PATH.
        venv = f"{self.install_dir}/venv"
        script = (
            'set -e; py=$(command -v python3); real=$(readlink -f "$py"); '
            'ver=$(python3 -c \'import sys; print("%d.%d" % sys.version_info[:2])\'); '
            f'mkdir -p {venv}/bin {venv}/lib/python$ver; '
            f'ln -sfn {self.install_dir}/site {venv}/lib/python$ver/site-packages; '
            f'ln -sf "$py" {self.python}; '
            'printf "home = %s\\ninclude-system-site-packages = false\\n" '
            f'"$(dirname "$real")" > {venv}/pyvenv.cfg; '
            f'{self.python} -c "import sys; print(sys.prefix)"')
        made = ctx.sandbox.exec(["bash", "-c", script], timeout=setup_timeout(ctx))
        self._log(ctx.logs_dir / "setup.log", "openhands venv", made)
        if not made.ok:
            raise RuntimeError("could not set up the OpenHands interpreter (see setup.log)")

    def run_config(self, ctx: AgentContext, base_url: str) -> dict[str, Any]:
        budget = ctx.remaining_sec() - STOP_MARGIN_SEC
        steps = self.kwargs.get("step_limit")
        model = self.litellm_model()
        return {
            "config_file": f"{self.work_dir}/config.toml",
            "model": model,
            "base_url": base_url + "/v1" if model.startswith("openai/") else base_url,
            "task": budget_note(ctx, budget - SELF_STOP_SEC, int(steps) if steps else None),
            "repo_dir": ctx.repo_dir,
            "max_iterations": int(steps or 500),  # OpenHands' own default
            "wall_time_limit_seconds": max(budget - SELF_STOP_SEC, 1.0),
            "retry_attempts": int(self.kwargs.get("retry_attempts", "4")),
            "enable_jupyter": self.kwargs.get("enable_jupyter", "false").lower() == "true",
            "trajectory": f"{self.work_dir}/openhands-trajectory.json",
            "status": f"{self.work_dir}/openhands-status.json",
            "sid": "abcbench",
        }

    def agent_env(self, session: TrialSession) -> dict[str, str]:
        return {**SETTINGS, "FILE_STORE_PATH": self.store, "LLM_API_KEY": session.token,
                "HOME": f"{self.work_dir}/home"}

    def command(self, config_path: str) -> str:
        return quote(self.python, f"{self.install_dir}/harness/run_openhands.py", config_path)

    def _execute(self, ctx: AgentContext, session: TrialSession) -> ExecResult:
        config = self.run_config(ctx, session.base_url)
        self.prompt = config["task"]
        config_path = f"{self.work_dir}/run-config.json"
        ctx.sandbox.write_file(config_path, json.dumps(config, indent=2))
        ctx.sandbox.exec(["mkdir", "-p", f"{self.work_dir}/home"], timeout=30)
        timeout = max(ctx.remaining_sec() - STOP_MARGIN_SEC, 1.0)
        command = f"{self.command(config_path)} < /dev/null"
        result = ctx.sandbox.exec(command, timeout=timeout, cwd=ctx.repo_dir,
                                  env=self.agent_env(session), output_limit=4 * 1024 * 1024)
        self._log(ctx.logs_dir / "run.log", command, result)
        collected = ctx.sandbox.exec(["bash", "-c", self._collect_script(config)],
                                     timeout=max(min(ctx.remaining_sec() - 1, 30), 1))
        self._log(ctx.logs_dir / "run.log", "collect events", collected)
        return result

    def _collect_script(self, config: dict[str, Any]) -> str:
        """Every event file of the run, in id order, one JSON object a line, then the runner's
        final status (absent when it was killed)."""
        out, status = self.trajectory_path, config["status"]
        return (f': > {out}; for dir in $(find {self.store} -type d -name events 2>/dev/null); '
                'do for f in $(ls "$dir" | grep -E "^[0-9]+\\.json$" | sort -n); do '
                f'cat "$dir/$f"; echo; done >> {out}; done; '
                f'if [ -s {status} ]; then printf \'{{"abcbench_status": %s}}\\n\' '
                f'"$(cat {status})" >> {out}; fi')

    def to_atif(self, text: str) -> Builder:
        return from_openhands(json_lines(text), VERSION, self.litellm_model())

    def read_back(self, text: str) -> ReadBack:
        lines = json_lines(text)
        status = next((e["abcbench_status"] for e in reversed(lines)
                       if isinstance(e.get("abcbench_status"), dict)), None)
        events = [e for e in lines if "abcbench_status" not in e]
        steps = len({_response_id(e) for e in events if e.get("source") == "agent"
                     and e.get("tool_call_metadata")} | {
            e.get("id") for e in events if e.get("source") == "agent"
            and e.get("action") == "message"})
        if status is None:
            return ReadBack("error", Usage(), steps, "OpenHands did not report a final state "
                            "(killed?); see agent/run.log")
        state = str(status.get("agent_state") or "").rsplit(".", 1)[-1].lower()
        error = str(status.get("last_error") or "")
        if status.get("stopped_at_wall_time"):
            exit_status = "budget"
        elif state == "finished":
            exit_status = "finished"
        elif "maximum iteration" in error.lower():
            exit_status = "turn_limit"
        elif "stuck in a loop" in error.lower() or "stuck" in error.lower():
            exit_status = "gave_up"
        else:
            exit_status = "error"
        detail = f"openhands ended in state {state or 'unknown'}"
        return ReadBack(exit_status, Usage(), steps,
                        f"{detail}: {error[:300]}" if error else detail)


def _response_id(event: dict[str, Any]) -> str:
    meta = event.get("tool_call_metadata") or {}
    response = meta.get("model_response") or {}
    return str(response.get("id") or meta.get("tool_call_id") or event.get("id"))
