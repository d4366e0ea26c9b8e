"""Errors the user can act on. The CLI prints their message as one line and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: a malformed task, an unknown agent or id, an unreachable Docker engine.

    The message must name the file, field or value at fault and say what to do next.
    """


class HarnessError(Exception):
    """A fault of the harness itself (not the agent, not the task): exit code 1."""


class InfrastructureFault(Exception):
    """A fault outside the sandbox and outside the agent's control (the Docker engine, the
    model provider, the host). The error policy (`abcbench.policy`) decides whether it is
    retried; it never counts against the agent under evaluation."""


class ModelEndpointUnavailable(InfrastructureFault):
    """The model provider could not be reached or kept failing after retries (5xx, 429,
    connection errors): an outage, not the model's answer."""
