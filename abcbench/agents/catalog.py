"""Every agent the project knows of, runnable here or not.

Runnable agents are the classes in `registry.BUILTIN` (the installed ones listed here in
`INSTALLED`). The others are listed so that users see why `--agent aider` does not work on
this machine instead of a bare "unknown agent". The reasons were checked on the development
machines (package archives reachable: Debian, PyPI, crates; sandboxes run Debian trixie's
Python 3.13).
"""

from __future__ import annotations

from dataclasses import dataclass

from abcbench.agents.installed.base import InstalledAgent
from abcbench.agents.installed.claude_code import ClaudeCodeAgent
from abcbench.agents.installed.codex import CodexAgent
from abcbench.agents.installed.mini_swe_agent import MiniSweAgent
from abcbench.agents.installed.openhands import OpenHandsAgent

INSTALLED: tuple[type[InstalledAgent], ...] = (MiniSweAgent, ClaudeCodeAgent, CodexAgent,
                                               OpenHandsAgent)


@dataclass(frozen=True)
class UnavailableAgent:
    name: str
    description: str
    reason: str


UNAVAILABLE: tuple[UnavailableAgent, ...] = (
    UnavailableAgent(
        "aider", "aider (PyPI aider-chat)",
        "aider-chat 0.86.2 declares Requires-Python <3.13, and the sandboxes run Python 3.13"),
)


def unavailable(name: str) -> UnavailableAgent | None:
    return next((a for a in UNAVAILABLE if a.name == name), None)
