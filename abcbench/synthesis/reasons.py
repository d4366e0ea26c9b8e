"""Why a candidate was rejected: one closed set of reasons, decided from typed results.

A reason is chosen from the structure of what the harness's own calls returned (a leg's counts
and failure classes, a validation error's type, a build step's exception), never by matching
text the agent wrote.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Reason(StrEnum):
    source_unavailable = "source_unavailable"
    """The repository could not be copied or cloned."""
    language_unknown = "language_unknown"
    """No build file or source suffix names a supported language; pass --language."""
    no_candidate = "no_candidate"
    """The agent left no `.abcbench-candidate/candidate.yaml`."""
    malformed_candidate = "malformed_candidate"
    """A candidate file is missing, too large, not a regular file, or fails validation."""
    license_refused = "license_refused"
    exploration_failed = "exploration_failed"
    """The exploration trial ended in an agent or infrastructure fault."""
    dockerfile_does_not_build = "dockerfile_does_not_build"
    service_does_not_start = "service_does_not_start"
    build_refused = "build_refused"
    """`tasks new`, `tasks mask` or `tasks record` refused the candidate's choices."""
    recording_failed = "recording_failed"
    """`tasks record` could not record the scenario against the reference."""
    static_check = "static_check"
    """The task fails the static checks of `tasks check`."""
    instruction_leaks_implementation = "instruction_leaks_implementation"
    network_in_tests = "network_in_tests"
    reference_fails = "reference_fails"
    tests_do_not_fail = "tests_do_not_fail"
    """The untouched (or masked + environment) leg resolved: nothing is tested."""
    masked_does_not_build = "masked_does_not_build"
    mask_breaks_startup = "mask_breaks_startup"
    """With the stubs the service does not start: the tests never reach the masked code."""
    handler_not_exercised = "handler_not_exercised"
    """Masking this one handler alone leaves every test passing."""
    nondeterministic = "nondeterministic"
    inconclusive = "inconclusive"
    """A leg ended in an agent or infrastructure fault: nothing can be said about the tests."""


class Rejection(BaseModel):
    reason: Reason
    detail: str = Field(description="What was found, for the author: one or a few lines.")


class Rejected(Exception):
    """Raised inside the pipeline to stop one candidate; never escapes a candidate's step."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.rejection = Rejection(reason=reason, detail=detail)
