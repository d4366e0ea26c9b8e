"""Errors the user can act on. The CLI prints their message as one line and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: a malformed task, an unknown agent or id, an unreachable Docker engine.

    The message must name the file, field or value at fault and say what to do next.
    """


class HarnessError(Exception):
    """A fault of the harness itself (not the agent, not the task): exit code 1."""


class Cancelled(Exception):
    """The run is stopping (Ctrl-C, SIGTERM): whatever waited gives up; no verdict."""


class InfrastructureFault(Exception):
    """A fault outside the sandbox and outside the agent's control (the Docker engine, the
    model provider, the host). The error policy (`abcbench.policy`) decides whether it is
    retried; it never counts against the agent under evaluation."""


class ModelEndpointUnavailable(InfrastructureFault):
    """The model provider could not be reached or kept failing after retries (5xx, 429,
    connection errors): an outage, not the model's answer."""


class EngineFault(InfrastructureFault):
    """The Docker engine failed a call the harness made itself (a build, a container or network
    it creates): raised at that call from the engine's answer, with its HTTP status. Only this
    type (never a phrase in a message) makes a fault the engine's: text written by an agent, a
    build step or a service can imitate any engine message."""

    def __init__(self, message: str, *, status_code: int | None = None,
                 operation: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.operation = operation


class EngineUnreachable(EngineFault, UserError):
    """The engine did not answer at all (connection refused, reset or timed out). A command
    run by hand reports it as bad input (start the engine); a trial retries it."""
