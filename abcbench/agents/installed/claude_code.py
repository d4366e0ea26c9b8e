"""Claude Code (Anthropic's coding agent CLI), headless in the sandbox.

Install: the `claude` executable bundled in the PyPI wheel `claude-agent-sdk` (no npm, no
Node: it is a self-contained binary), copied from the host cache. Run:
`claude -p PROMPT --output-format stream-json --verbose --dangerously-skip-permissions
--model M` in the repository, as root with `IS_SANDBOX=1` (without it Claude Code refuses to
skip permissions as root), `ANTHROPIC_BASE_URL` at the model gateway and the trial token as
`ANTHROPIC_API_KEY`. Every model alias it might use for side tasks points at `--model`, and
nonessential traffic (telemetry, update checks) is off: the sandbox has nothing else to reach.
`--agent-kwarg step_limit=N` becomes `--max-turns N`.
Read back: the stream-json log (agent/claude-stream.jsonl); its final `result` event gives
the exit status and turns. Tokens and cost are the gateway's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from abcbench.agents.atif import Builder
from abcbench.agents.atif_convert import from_claude
from abcbench.agents.installed.base import ReadBack, json_lines
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import WheelBinarySpec
from abcbench.gateway.session import TrialSession
from abcbench.llm.client import parse_usage
from abcbench.results.models import Usage

SDK_VERSION = "0.2.189"
CLI_VERSION = "2.1.332"


class ClaudeCodeAgent(BinaryAgent):
    name = "claude-code"
    wire = "anthropic"
    version = CLI_VERSION
    shell_tool: ClassVar[tuple[str, str, dict[str, str]]] = (
        "Bash", "command", {"description": "run a command"})
    description = (f"Claude Code {CLI_VERSION} (the `claude` binary from PyPI claude-agent-sdk "
                   f"{SDK_VERSION}), headless in the sandbox; Anthropic Messages API.")
    wheel: ClassVar[WheelBinarySpec] = WheelBinarySpec(
        name="claude-code", requirement=f"claude-agent-sdk=={SDK_VERSION}",
        members=(("claude_agent_sdk/_bundled/claude", "bin/claude"),))
    log_name: ClassVar[str] = "claude-stream.jsonl"
    model_prefix: ClassVar[str] = "anthropic/"

    def agent_env(self, session: TrialSession) -> dict[str, str]:
        model = self.tool_model()
        return {
            "ANTHROPIC_BASE_URL": session.base_url,
            "ANTHROPIC_API_KEY": session.token,
            "IS_SANDBOX": "1",
            "HOME": f"{self.work_dir}/home",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_TELEMETRY": "1",
            "DISABLE_ERROR_REPORTING": "1",
            "ANTHROPIC_SMALL_FAST_MODEL": model,
            "ANTHROPIC_DEFAULT_HAIKU_MODEL": model,
            "ANTHROPIC_DEFAULT_SONNET_MODEL": model,
            "ANTHROPIC_DEFAULT_OPUS_MODEL": model,
        }

    def argv(self, config: dict[str, Any], session: TrialSession) -> list[str]:
        argv = [self.bin("claude"), "--output-format", "stream-json", "--verbose",
                "--dangerously-skip-permissions", "--model", config["model"]]
        if self.kwargs.get("step_limit"):
            argv += ["--max-turns", str(int(self.kwargs["step_limit"]))]
        return [*argv, "-p"]

    def to_atif(self, text: str) -> Builder:
        return from_claude(json_lines(text), CLI_VERSION, self.tool_model())

    def read_back(self, text: str) -> ReadBack:
        events = json_lines(text)
        result = next((e for e in reversed(events) if e.get("type") == "result"), None)
        if result is None:
            return ReadBack("error", Usage(), 0, "Claude Code ended without a result event")
        subtype = str(result.get("subtype") or "")
        if subtype == "success" and not result.get("is_error"):
            status = "finished"
        elif subtype == "error_max_turns":
            status = "turn_limit"
        else:
            status = "error"
        usage = parse_usage(result.get("usage")) if isinstance(result.get("usage"), dict) \
            else Usage()
        message = str(result.get("result") or subtype)[:300]
        return ReadBack(status, usage, int(result.get("num_turns") or 0),
                        f"claude-code {subtype}: {message}")
