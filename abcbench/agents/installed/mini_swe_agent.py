"""mini-swe-agent (PyPI `mini-swe-agent`), run headless inside the sandbox.

Install: its package and the runtime dependencies of its headless path (litellm and friends;
not the TUI or `datasets` extras) as a host-built bundle for the sandbox's python3.
Run: harness/agents/mini_swe_agent/run_mini.py with mini's default prompts, its `bash` tool
executing in the repository, a wall-time limit just inside the budget.
Model and key: `--model` (a bare name is sent as `openai/<name>` through litellm's
OpenAI-compatible route) at the model gateway's base URL, with the trial's gateway token as
OPENAI_API_KEY; the provider's key stays on the host. Told its time budget and step limit.
Read back: mini's trajectory JSON (/tmp/abcbench-agent/trajectory.json, copied to
agent/mini-swe-agent-log.json with secrets redacted, and converted to ATIF as
agent/trajectory.json) for its exit status and steps; tokens and cost are the gateway's.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from abcbench.agents.atif import Builder
from abcbench.agents.atif_convert import from_mini
from abcbench.agents.base import AgentContext
from abcbench.agents.installed.base import (
    STOP_MARGIN_SEC,
    InstalledAgent,
    ReadBack,
    budget_note,
    quote,
)
from abcbench.agents.installed.bundle import BundleSpec
from abcbench.llm.client import parse_usage
from abcbench.results.models import Usage

VERSION = "2.4.6"
LITELLM = "litellm==1.110.2"
EXIT_STATUS = {
    "Submitted": "finished",
    "TimeExceeded": "budget",
    "LimitsExceeded": "turn_limit",
    "RepeatedFormatError": "malformed_output",  # its model's replies kept failing to parse
}


class MiniSweAgent(InstalledAgent):
    name = "mini-swe-agent"
    wire = "chat"
    version = VERSION
    shell_tool: ClassVar[tuple[str, str, dict[str, str]]] = ("bash", "command", {})
    description = (f"mini-swe-agent {VERSION} (bash-only agent over litellm), installed in the "
                   "sandbox from a host-built, cached bundle; needs python3 (apt-installed "
                   "when the sandbox image lacks it).")
    bundle: ClassVar[BundleSpec] = BundleSpec(
        name="mini-swe-agent",
        requirements=(LITELLM, "tenacity", "rich", "platformdirs", "jinja2", "pydantic",
                      "requests", "pyyaml", "python-dotenv"),
        no_deps=(f"mini-swe-agent=={VERSION}",),
    )
    harness_subdir: ClassVar[str] = "mini_swe_agent"

    def run_config(self, ctx: AgentContext, base_url: str) -> dict[str, Any]:
        budget = ctx.remaining_sec() - STOP_MARGIN_SEC
        steps = int(self.kwargs.get("step_limit", "100"))
        return {
            "model": self.litellm_model(),
            "base_url": base_url + "/v1",
            "task": budget_note(ctx, budget - 20, steps),
            "repo_dir": ctx.repo_dir,
            "trajectory": self.trajectory_path,
            "step_limit": steps,
            "wall_time_limit_seconds": max(int(budget - 20), 1),
            "command_timeout": int(self.kwargs.get("command_timeout", "180")),
            "retry_attempts": int(self.kwargs.get("retry_attempts", "10")),
        }

    def command(self, config_path: str) -> str:
        return quote("python3", f"{self.install_dir}/harness/run_mini.py", config_path)

    def to_atif(self, text: str) -> Builder:
        return from_mini(json.loads(text), VERSION, self.model)

    def read_back(self, text: str) -> ReadBack:
        trajectory = json.loads(text)
        info = trajectory.get("info") or {}
        usage = Usage()
        steps = 0
        for message in trajectory.get("messages") or []:
            extra = message.get("extra") if isinstance(message, dict) else None
            response = extra.get("response") if isinstance(extra, dict) else None
            if isinstance(response, dict):
                usage = usage + parse_usage(response.get("usage"))
                steps += 1
        model = self.model or ""
        priced = self.prices.priced(model, usage)
        reported = (info.get("model_stats") or {}).get("instance_cost") or 0.0
        if priced.cost_usd == 0.0 and self.prices.lookup(model) is None and reported:
            priced = priced.model_copy(update={"cost_usd": round(float(reported), 8)})
        raw_status = str(info.get("exit_status") or "")
        return ReadBack(exit_status=EXIT_STATUS.get(raw_status, "error"), usage=priced,
                        n_steps=steps, message=f"mini-swe-agent exit status: {raw_status}")
