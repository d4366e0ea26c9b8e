"""What a run writes to disk. These keys are a public contract that CI users parse:
add fields freely, never rename or remove one without bumping `schema_version`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class FailureClass(StrEnum):
    """Why an unresolved trial failed: the first stage that went wrong."""

    agent_error = "agent_error"
    agent_timeout = "agent_timeout"
    build_failed = "build_failed"
    service_did_not_start = "service_did_not_start"
    tests_failed = "tests_failed"
    test_timeout = "test_timeout"
    no_tests = "no_tests"
    infrastructure = "infrastructure"


class Stage(StrEnum):
    setup = "setup"
    sandbox = "sandbox"
    agent = "agent"
    export = "export"
    build = "build"
    start = "start"
    tests = "tests"
    done = "done"
    cleanup = "cleanup"
    """Only in `Fault.stage`: saving logs and removing the trial's containers."""


class TestOutcome(StrEnum):
    __test__ = False  # not a pytest test class
    passed = "passed"
    failed = "failed"
    error = "error"
    skipped = "skipped"


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TestResult(Model):
    __test__ = False  # not a pytest test class

    name: str
    outcome: TestOutcome
    duration_sec: float | None = None
    message: str | None = None


class Usage(Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    cost_usd: float = Field(default=0.0, allow_inf_nan=False)
    """Finite, always: a NaN would make the result unreadable and the trial "missing"."""
    n_requests: int = 0
    n_unmetered: int = Field(
        default=0, description="Model replies that carried no usage block: the token counts "
        "above are then a lower bound, not a measurement.")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
            n_requests=self.n_requests + other.n_requests,
            n_unmetered=self.n_unmetered + other.n_unmetered,
        )


class TrialLogs(Model):
    """Paths relative to the trial directory; absent when the stage never ran."""

    agent: str | None = None
    trajectory: str | None = None
    build: str | None = None
    service: str | None = None
    tests: str | None = None
    junit: str | None = None
    submission: str | None = None
    submission_diff: str | None = None
    egress: str | None = Field(
        default=None, description="The egress proxy's decisions (egress archive only).")


class AgentInfo(Model):
    name: str
    model: str | None = None
    import_path: str | None = None
    kwargs: dict[str, str] = Field(default_factory=dict)
    env_keys: list[str] = Field(
        default_factory=list, description="Names of --agent-env variables; values never stored."
    )


class EgressRecord(Model):
    """What the agent's sandbox could reach (docs/security.md, egress)."""

    mode: str = Field(description="none, archive or full.")
    source: str = Field(description="task (its sandbox.egress) or run (--egress).")
    allow: list[str] = Field(
        default_factory=list, description="The proxy's allow-list (archive only).")
    n_allowed: int = Field(default=0, description="Connections the proxy let through.")
    n_refused: int = Field(default=0, description="Connections refused: not on the list.")
    n_failed: int = Field(default=0, description="Allowed connections that could not be made.")


class Fault(Model):
    """One fault a trial met and what the error policy (`abcbench.policy`) decided about it."""

    stage: Stage
    error: str
    rule: str = Field(description="The error-policy rule that matched (docs/error-policy.md).")
    failure_class: FailureClass | None = None
    retryable: bool = False
    at: datetime = Field(default_factory=utcnow)


class TrialResult(Model):
    schema_version: int = SCHEMA_VERSION
    run_id: str
    trial_name: str
    task_id: str
    task_hash: str
    attempt: int
    agent: AgentInfo
    language: str
    framework: str
    task_type: str
    category: str
    resolved: bool = False
    failure_class: FailureClass | None = None
    stage_reached: Stage = Stage.setup
    error: str | None = None
    agent_timed_out: bool = False
    agent_exit_status: str | None = Field(
        default=None, description="How the agent ended by its own account: finished, gave_up, "
        "turn_limit, budget, malformed_output, cost_limit, error (None: it never returned).")
    tests: list[TestResult] = Field(default_factory=list)
    n_tests: int = 0
    n_passed: int = 0
    timings: dict[str, float] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    logs: TrialLogs = Field(default_factory=TrialLogs)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    retries: int = Field(default=0, description="Infrastructure retries before this result.")
    previous_errors: list[str] = Field(
        default_factory=list, description="The infrastructure errors that were retried."
    )
    retryable: bool = Field(
        default=False, description="The error policy allows another attempt at this trial."
    )
    failure_rule: str | None = Field(
        default=None, description="The error-policy rule that decided `failure_class`."
    )
    faults: list[Fault] = Field(
        default_factory=list,
        description="Every fault met, in order; one after the verdict is recorded only here.",
    )
    cleanup_error: str | None = Field(
        default=None, description="A fault while saving logs or cleaning up (verdict kept)."
    )
    retry_causes: list[Fault] = Field(
        default_factory=list, description="The fault that ended each earlier, retried attempt."
    )
    node: str | None = Field(
        default=None, description="The Docker host that ran the trial: the host name for the "
        "local executor, `ray:<node id>` for a Ray node.")
    egress: EgressRecord | None = Field(
        default=None, description="The sandbox's egress (None: not set by the harness, as "
        "for Terminal-Bench tasks, whose compose file decides).")


class RunSummary(Model):
    n_trials: int = 0
    n_resolved: int = 0
    accuracy: float = 0.0
    n_infrastructure_errors: int = 0
    usage: Usage = Field(default_factory=Usage)
    failure_classes: dict[str, int] = Field(default_factory=dict)
    infrastructure_rate: float = Field(
        default=0.0, description="Share of planned trials that ended in `infrastructure`.")
    n_unreadable: int = Field(
        default=0, description="Planned trials whose result file exists but cannot be read.")


class RunStatus(StrEnum):
    running = "running"
    completed = "completed"
    interrupted = "interrupted"
    failed = "failed"


class TaskRef(Model):
    id: str
    hash: str
    # What reports need about a task that has no result (None in runs made before they were).
    language: str | None = None
    framework: str | None = None
    task_type: str | None = None
    category: str | None = None


class RunSettings(Model):
    n_attempts: int = 1
    n_concurrent: int = 1
    agent_timeout_sec: float | None = None
    test_timeout_sec: float | None = None
    tasks_dir: str
    task_filters: list[str] = Field(default_factory=list)
    max_retries: int = 2
    max_infra_rate: float = Field(
        default=0.1, description="Above this share of infrastructure failures the run fails.")
    timeout_multiplier: float = Field(
        default=1.0, description="Every task's agent and test timeout was multiplied by this "
        "(a resume applies it again).")
    egress: str | None = Field(
        default=None, description="--egress: every task's sandbox egress (None: each task's "
        "own).")
    egress_allow: list[str] = Field(
        default_factory=list, description="--egress-allow: hosts added to every archive "
        "sandbox's allow-list.")
    no_cleanup: bool = Field(
        default=False, description="The trials' containers were kept, stopped, with their "
        "networks and images (`abcbench cleanup --run RUN` removes them).")


class Provenance(Model):
    harness_version: str
    git_revision: str | None = None
    python: str
    packages: dict[str, str] = Field(default_factory=dict)
    docker_server: str | None = None
    images: dict[str, str] = Field(default_factory=dict)
    hostname: str | None = None


class RunManifest(Model):
    schema_version: int = SCHEMA_VERSION
    run_id: str
    status: RunStatus = RunStatus.running
    created_at: datetime = Field(default_factory=utcnow)
    resumed_at: list[datetime] = Field(default_factory=list)
    finished_at: datetime | None = None
    agent: AgentInfo
    settings: RunSettings
    tasks: list[TaskRef] = Field(default_factory=list)
    trials: list[str] = Field(default_factory=list, description="Every planned trial name.")
    provenance: Provenance
    summary: RunSummary = Field(default_factory=RunSummary)
    regraded_from: str | None = Field(
        default=None, description="The run whose submissions this run re-graded."
    )
    provenance_history: list[Provenance] = Field(
        default_factory=list,
        description="One record per session (the start, then each resume), oldest first; "
        "`provenance` stays the first.")
