"""Errors the user can act on. The CLI prints their message as one line and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: a malformed task, an unknown agent or id, an unreachable Docker engine.

    The message must name the file, field or value at fault and say what to do next.
    """


class HarnessError(Exception):
    """A fault of the harness itself (not the agent, not the task): exit code 1."""
