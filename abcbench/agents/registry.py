"""Agents by name, or any `Agent` subclass by import path (`module:Class`)."""

from __future__ import annotations

import importlib

from abcbench.agents.base import Agent
from abcbench.agents.catalog import INSTALLED, unavailable
from abcbench.agents.nop import NopAgent
from abcbench.agents.oracle import OracleAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.errors import UserError
from abcbench.results.models import AgentInfo

_CLASSES: tuple[type[Agent], ...] = (OracleAgent, NopAgent, ToolCallingAgent, *INSTALLED)
BUILTIN: dict[str, type[Agent]] = {cls.name: cls for cls in _CLASSES}
PRIVILEGED: frozenset[type[Agent]] = frozenset({OracleAgent})
"""Agents handed the task (reference, tests): the built-in oracle and nothing else. Decided by
class identity here, so no class can claim privilege by subclassing or by an attribute."""


def is_privileged(cls: type[Agent]) -> bool:
    # `tasks check`'s own agent (it restores the reference's environment files) is privileged
    # too, by identity; it is not in BUILTIN, so `run --agent` cannot name it.
    from abcbench.run.check_agents import ReferenceEnvironmentAgent

    return cls in PRIVILEGED or cls is ReferenceEnvironmentAgent


def agent_class(name: str | None, import_path: str | None = None) -> type[Agent]:
    if import_path:
        module_name, _, attr = import_path.partition(":")
        if not module_name or not attr:
            raise UserError(f"--agent-import-path {import_path!r}: expected 'module:Class'")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise UserError(f"--agent-import-path {import_path!r}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, Agent)):
            raise UserError(f"--agent-import-path {import_path!r} is not an abcbench Agent class")
        return cls
    if name is None:
        raise UserError("give --agent NAME or --agent-import-path module:Class")
    missing = unavailable(name)
    if missing is not None:
        raise UserError(f"agent {name!r} is not available on this machine: {missing.reason}")
    try:
        return BUILTIN[name]
    except KeyError:
        raise UserError(
            f"unknown agent {name!r}; known: {', '.join(sorted(BUILTIN))} "
            "(or --agent-import-path module:Class)"
        ) from None


def recorded_agent_class(info: AgentInfo) -> type[Agent]:
    """The agent class a run recorded (by import path when it had one)."""
    return agent_class(None if info.import_path else info.name, info.import_path)


def parse_kv(pairs: list[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for position, pair in enumerate(pairs, start=1):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            # A malformed pair may be a key pasted without its name: never echo it.
            raise UserError(f"{flag} #{position}: expected KEY=VALUE (the text is not shown, "
                            "in case it holds a key)")
        out[key] = value
    return out
