"""Job files: one YAML that says which agents, models, tasks, attempts and limits a run uses.

A leaderboard CI keeps one in its repository and runs `abcbench run -c job.yaml`. Agents x
models form a matrix; each cell is a run of its own (sharing images and the task selection).
Relative paths in the file are relative to the file's folder, so the job runs the same from
any working directory. API keys are never in the file: `env` names host variables whose
values are handed to the agent at run time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from abcbench.egress.allowlist import parse_pattern
from abcbench.egress.settings import EgressMode
from abcbench.errors import UserError
from abcbench.redact import redact
from abcbench.tasks.loader import MAX_FLOW_DEPTH, _flow_depth_over

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$"
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JobAgent(_Model):
    """One agent of the matrix: a registered name or an import path, its settings."""

    name: str | None = Field(default=None, description="A registered agent (`agents list`).")
    import_path: str | None = Field(default=None, description="A custom Agent: module:Class.")
    label: str | None = Field(default=None, pattern=NAME_PATTERN,
                              description="Its name in run ids (default: name or Class).")
    models: list[str | None] | None = Field(
        default=None, min_length=1,
        description="Models for this agent (null: none); default: the job's `models`.")
    kwargs: dict[str, str] = Field(default_factory=dict, description="Like --agent-kwarg.")
    env: list[Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)]] = Field(
        default_factory=list, description="Names of host environment variables given to the "
        "agent (like --agent-env NAME; values are never in the file).")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.name is None) == (self.import_path is None):
            raise ValueError("give exactly one of name or import_path")
        return self

    @property
    def key(self) -> str:
        return self.label or self.name or (self.import_path or "").rpartition(":")[2]


class JobSpec(_Model):
    """Every `abcbench run` option, plus a matrix of agents x models."""

    name: str = Field(pattern=NAME_PATTERN, description="Prefix of the run ids.")
    agents: list[JobAgent] = Field(min_length=1)
    models: list[str | None] = Field(
        default=[None], min_length=1, description="Models for agents without their own.")
    dataset: str | None = Field(default=None, description="A folder, or NAME[@VERSION].")
    tasks_dir: str | None = None
    tasks: list[str] = Field(default_factory=list, description="Task id globs (--task).")
    exclude_tasks: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)
    task_type: Literal["logic", "environment"] | None = None
    n_tasks: int | None = Field(default=None, ge=1)
    n_attempts: int = Field(default=1, ge=1)
    n_concurrent: int = Field(default=1, ge=1)
    agent_timeout_sec: float | None = Field(default=None, gt=0)
    test_timeout_sec: float | None = Field(default=None, gt=0)
    timeout_multiplier: float = Field(default=1.0, gt=0)
    max_retries: int = Field(default=2, ge=0)
    egress: EgressMode | None = Field(
        default=None, description="Like --egress: every task's sandbox egress (none, archive, "
        "full); default: each task's own.")
    egress_allow: list[str] = Field(
        default_factory=list, description="Like --egress-allow: hosts an archive sandbox may "
        "reach besides the default archives.")
    output: str = Field(default="runs", description="Parent of the run folders.")
    no_cleanup: bool = Field(default=False, description="Like --no-cleanup: keep each trial's "
                             "containers (stopped), networks and images for debugging.")

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if self.dataset is not None and self.tasks_dir is not None:
            raise ValueError("give dataset or tasks_dir, not both")
        return self

    @field_validator("egress_allow")
    @classmethod
    def _allow_patterns(cls, value: list[str]) -> list[str]:
        for entry in value:
            parse_pattern(entry)
        return value


class JobCell(_Model):
    """One run of the matrix."""

    run_id: str
    agent: JobAgent
    model: str | None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"


def expand(job: JobSpec) -> list[JobCell]:
    """Agents x models, in file order; run ids `<name>--<agent>[--<model>]`, unique."""
    cells: list[JobCell] = []
    for agent in job.agents:
        for model in (agent.models if agent.models is not None else job.models):
            run_id = "--".join([job.name, _slug(agent.key), *([_slug(model)] if model else [])])
            cells.append(JobCell(run_id=run_id[:100], agent=agent, model=model))
    seen: set[str] = set()
    for cell in cells:
        if cell.run_id in seen:
            raise UserError(f"job {job.name}: two runs would be named {cell.run_id!r}; give "
                            "the agents distinct `label`s")
        seen.add(cell.run_id)
    return cells


def agent_env(agent: JobAgent, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The named host variables' values; a missing one is bad input, before anything runs."""
    environ = dict(os.environ) if environ is None else environ
    missing = [n for n, k in enumerate(agent.env, start=1) if k not in environ]
    if missing:
        raise UserError(f"agent {agent.key}: env entry #{missing[0]} of the job file names a "
                        "variable that is not set in your environment (the name is not shown, "
                        "in case it is a key): export it")
    return {k: environ[k] for k in agent.env}


MAX_JOB_BYTES = 1 << 20
"""A job file lists agents, models and options: a few KiB. Anything larger is refused unread
(50 MB took PyYAML 6 minutes and 200 MB of memory)."""


def load_job(path: Path) -> JobSpec:
    """Parse and validate a job file; any problem is one line naming the file and field.

    No error quotes a value of the file: an `env` entry, a kwarg or a mistyped line may be a
    key. Errors name the field, the line and what is expected."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_JOB_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"job file {path} does not exist") from None
    except OSError as exc:
        raise UserError(f"cannot read job file {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_JOB_BYTES:
        raise UserError(f"job file {path} is larger than {MAX_JOB_BYTES >> 20} MiB; a job file "
                        "lists agents, models and options")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"job file {path} is not valid UTF-8 (byte {exc.start})") from None
    if _flow_depth_over(text, MAX_FLOW_DEPTH):
        raise UserError(f"job file {path} nests more than {MAX_FLOW_DEPTH} levels of [ or {{")
    try:
        data: Any = yaml.safe_load(text)
    except RecursionError:
        raise UserError(f"job file {path} is nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise UserError(f"job file {path} is not valid YAML{where}: fix the syntax (the text "
                        "is not shown, in case it holds a key)") from None
    try:
        return JobSpec.model_validate(data if data is not None else {})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise UserError(f"job file {path}: {_where(err['loc'])}: {_message(err)} "
                        "(`abcbench schema job` prints the format)") from None


def _field_names() -> frozenset[str]:
    return frozenset({*JobSpec.model_fields, *JobAgent.model_fields})


_KEY_LIKE = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
"""A mapping key shown in an error (a misspelt field); anything else may be a pasted key."""


def _where(loc: tuple[int | str, ...]) -> str:
    """The error's location; a mapping key of the file that does not look like a field name
    is not shown."""
    names = _field_names()
    parts = [str(p) if isinstance(p, int) or p in names or _KEY_LIKE.match(p) else "[key]"
             for p in loc]
    return ".".join(parts) or "(top level)"


QUOTABLE_FIELDS = frozenset({"egress_allow"})
"""Fields whose values are settings, never credentials: their errors may quote the entry."""


def _message(err: Any) -> str:
    """Pydantic's message with every string of the offending input removed (a validator's
    message may quote it), through the one redaction function."""
    leaves: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            leaves.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(str(key))
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    given = err.get("input")
    message = str(err["msg"])
    if isinstance(given, dict):  # a model's own check: its message names fields, not values
        return message
    if err["loc"] and err["loc"][0] in QUOTABLE_FIELDS:
        return redact(message)  # host patterns; a URL's credentials are still removed
    collect(given)
    return redact(message, leaves)


def resolve_path(job_file: Path, value: str | None) -> Path | None:
    """A path from the job file, relative to the file's folder."""
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (job_file.parent / path)


def job_schema() -> dict[str, Any]:
    return JobSpec.model_json_schema()


def record_job(run_file: Path, job_file: Path, job: JobSpec, cell: JobCell) -> None:
    """Add the job (the whole spec and this run's cell) to the run's `run.json`."""
    import json
    import tempfile

    data = json.loads(run_file.read_text(encoding="utf-8"))
    data["job"] = {"file": str(job_file), "name": job.name, "run_id": cell.run_id,
                   "agent": cell.agent.key, "model": cell.model,
                   "spec": job.model_dump(mode="json")}
    fd, tmp = tempfile.mkstemp(prefix=f".{run_file.name}.", dir=run_file.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, run_file)
