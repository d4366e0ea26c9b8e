"""Codex CLI (OpenAI's coding agent), headless in the sandbox.

Install: the `codex` executable (and its `rg`) from the PyPI wheel `openai-codex-cli-bin`,
copied from the host cache. Run: `codex exec --json --skip-git-repo-check
--dangerously-bypass-approvals-and-sandbox` in the repository, with a model provider
`abcbench` defined on the command line (`wire_api="responses"`, base URL at the model gateway,
key from `OPENAI_API_KEY`, which holds the trial token) and `CODEX_HOME` outside the
repository.
Read back: the `--json` event log (agent/codex-events.jsonl): `turn.completed` is a finished
run, `turn.failed`/`error` an error; commands and file changes are its steps. Tokens and cost
are the gateway's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from abcbench.agents.atif import Builder
from abcbench.agents.atif_convert import from_codex
from abcbench.agents.installed.base import ReadBack, json_lines
from abcbench.agents.installed.binary import BinaryAgent
from abcbench.agents.installed.bundle import WheelBinarySpec
from abcbench.gateway.session import TrialSession
from abcbench.llm.client import parse_usage
from abcbench.results.models import Usage

VERSION = "0.163.0"
STEP_ITEMS = frozenset({"command_execution", "file_change", "mcp_tool_call", "web_search"})


class CodexAgent(BinaryAgent):
    name = "codex"
    wire = "responses"
    version = VERSION
    shell_tool: ClassVar[tuple[str, str, dict[str, str]]] = ("exec_command", "cmd", {})
    description = (f"OpenAI Codex CLI {VERSION} (the `codex` binary from PyPI "
                   "openai-codex-cli-bin), headless in the sandbox; OpenAI Responses API.")
    wheel: ClassVar[WheelBinarySpec] = WheelBinarySpec(
        name="codex", requirement=f"openai-codex-cli-bin=={VERSION}",
        members=(("codex_cli_bin/bin/codex", "bin/codex"),
                 ("codex_cli_bin/codex-path/rg", "path/rg")))
    log_name: ClassVar[str] = "codex-events.jsonl"
    model_prefix: ClassVar[str] = "openai/"

    def agent_env(self, session: TrialSession) -> dict[str, str]:
        return {
            "OPENAI_API_KEY": session.token,
            "CODEX_HOME": f"{self.work_dir}/codex-home",  # the install folder is read-only
            "HOME": f"{self.work_dir}/home",
            "PATH": f"{self.install_dir}/path:/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                    "/usr/bin:/sbin:/bin",
        }

    def argv(self, config: dict[str, Any], session: TrialSession) -> list[str]:
        provider = (f'model_providers.abcbench={{name="abcbench",base_url="{config["base_url"]}'
                    f'/v1",env_key="OPENAI_API_KEY",wire_api="responses"}}')
        return ["sh", "-c", 'mkdir -p "$CODEX_HOME" && exec "$0" "$@"', self.bin("codex"),
                "exec", "--json", "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox", "-c", "model_provider=abcbench",
                "-c", provider, "-m", config["model"]]

    def to_atif(self, text: str) -> Builder:
        return from_codex(json_lines(text), VERSION, self.tool_model())

    def read_back(self, text: str) -> ReadBack:
        events = json_lines(text)
        steps = sum(1 for e in events if e.get("type") == "item.completed"
                    and (e.get("item") or {}).get("type") in STEP_ITEMS)
        usage = Usage()
        for event in events:
            if event.get("type") == "turn.completed" and isinstance(event.get("usage"), dict):
                usage = usage + parse_usage(event["usage"])
        kinds = [e.get("type") for e in events]
        if "turn.completed" in kinds and "turn.failed" not in kinds:
            return ReadBack("finished", usage, steps, "codex: turn completed")
        failure: dict[str, Any] = next(
            (e for e in reversed(events) if e.get("type") in ("turn.failed", "error")), {})
        detail = failure.get("message") or (failure.get("error") or {}).get("message") or \
            "no turn.completed event"
        return ReadBack("error", usage, steps, f"codex: {str(detail)[:300]}")
