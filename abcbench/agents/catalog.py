"""Every agent the project knows of, runnable here or not, with whether it was verified.

Runnable agents are the classes in `registry.BUILTIN`. The others are listed so that users see
why `--agent claude-code` does not work on this machine instead of a bare "unknown agent".
The reasons were checked on the development machines (package archives reachable: Debian,
PyPI, crates; sandboxes run Debian trixie's Python 3.13).
"""

from __future__ import annotations

from dataclasses import dataclass

NPM_UNREACHABLE = "its installer needs the npm registry, which is unreachable from this machine"


@dataclass(frozen=True)
class UnavailableAgent:
    name: str
    description: str
    reason: str


UNAVAILABLE: tuple[UnavailableAgent, ...] = (
    UnavailableAgent("claude-code", "Anthropic's Claude Code CLI (npm @anthropic-ai/claude-code)",
                     NPM_UNREACHABLE),
    UnavailableAgent("codex", "OpenAI's Codex CLI (npm @openai/codex)", NPM_UNREACHABLE),
    UnavailableAgent(
        "aider", "aider (PyPI aider-chat)",
        "aider-chat 0.86.2 declares Requires-Python <3.13, and the sandboxes run Python 3.13"),
    UnavailableAgent(
        "openhands", "OpenHands (PyPI openhands-ai)",
        "openhands-ai 0.9.8 pins pyarrow==17.0.0 and tree-sitter==0.21.3, which have no wheels "
        "for the sandboxes' Python 3.13; its headless mode also wants its own Docker runtime, "
        "and sandboxes get no Docker socket"),
)


def unavailable(name: str) -> UnavailableAgent | None:
    return next((a for a in UNAVAILABLE if a.name == name), None)
