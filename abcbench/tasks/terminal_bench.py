"""The Terminal-Bench task layout, in which the published ABC-Bench dataset is distributed.

A task directory holds `task.yaml` (instruction, difficulty, timeouts, parser), a `Dockerfile`,
a `docker-compose.yaml` whose `client` service is the agent's container, `run-tests.sh`,
`solution.sh` and `tests/`. Such tasks run with that format's own semantics (see
`abcbench.trial.terminal_bench`). Unknown keys are kept, not refused: the published files carry extra ones.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

TB_REQUIRED_FILES = ("docker-compose.yaml", "run-tests.sh")


class TerminalBenchSpec(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    instruction: str = Field(min_length=1)
    difficulty: str = "medium"
    category: str = "backend"
    tags: list[str] = Field(default_factory=list)
    parser_name: str = "pytest"
    # Terminal-Bench's own defaults, for a task.yaml that names no timeouts.
    max_agent_timeout_sec: float = Field(default=360, gt=0)
    max_test_timeout_sec: float = Field(default=60, gt=0)
    run_tests_in_same_shell: bool = False
    estimated_duration_sec: float | None = None
    author_email: str | None = None
    # ABC-Bench metadata, when the dataset carries it.
    language: str | None = None
    framework: str | None = None
    task_type: str | None = None
