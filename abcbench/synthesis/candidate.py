"""The candidate an exploring agent leaves: files in an agreed layout, validated here.

Layout, under the repository root of the exported sandbox:

    .abcbench-candidate/
      candidate.yaml   # `CandidateSpec`: name, title, framework, task type, routes, mask
      Dockerfile       # builds the repository root and starts the service on port 8080
      scenario.yaml    # the requests `tasks record` sends (abcbench/tasks/scenario.py)
      instruction.md   # the task's instruction: an endpoint specification

Every file is read with a size bound, only as a regular file inside the folder (a symlink is
refused, so the agent cannot point the harness at another file), and parsed once: the YAML with
the safe loader into pydantic models, the scenario with `tasks record`'s own loader. A fault is a
`Rejected` with a reason, never an exception that stops the batch.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from abcbench.errors import UserError
from abcbench.synthesis.reasons import Reason, Rejected
from abcbench.tasks.scaffold import FRAMEWORK_PATTERN
from abcbench.tasks.scenario import Scenario, load_scenario
from abcbench.tasks.spec import TaskType

CANDIDATE_DIR = ".abcbench-candidate"
CANDIDATE_FILE = "candidate.yaml"
DOCKERFILE = "Dockerfile"
SCENARIO = "scenario.yaml"
INSTRUCTION = "instruction.md"
CANDIDATE_FILES = (CANDIDATE_FILE, DOCKERFILE, SCENARIO, INSTRUCTION)
MAX_FILE_BYTES = 64 * 1024
NAME_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SELECTOR = re.compile(r"^[^\s:]+:[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class Handler:
    kind: Literal["function", "route"]
    selector: str


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: str = Field(pattern=r"^(?i:get|post|put|patch|delete|head|options|any)$")
    path: str = Field(pattern=r"^/", max_length=300)
    handler: str | None = Field(default=None, max_length=300,
                                description="FILE:NAME of the function that serves it.")


class MaskChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    functions: list[str] = Field(default_factory=list, max_length=8)
    routes: list[str] = Field(default_factory=list, max_length=8,
                              description="'METHOD /path' as the code registers it.")

    @field_validator("functions")
    @classmethod
    def _selectors(cls, value: list[str]) -> list[str]:
        for item in value:
            if not SELECTOR.match(item) or ".." in item.split(":")[0].split("/") \
                    or item.startswith("/"):
                raise ValueError(f"{item!r} is not FILE:NAME with a relative FILE")
        return value

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"[A-Za-z]+ /\S*", item):
                raise ValueError(f"{item!r} is not 'METHOD /path'")
        return value

    def selectors(self) -> list[str]:
        return [*self.functions, *self.routes]

    def handlers(self) -> list[Handler]:
        """Each handler as the authoring tools name it (one mask leg per entry)."""
        return [*(Handler("function", f) for f in self.functions),
                *(Handler("route", r) for r in self.routes)]


class CandidateSpec(BaseModel):
    """`candidate.yaml`: what the agent chose."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, min_length=2, max_length=40)
    title: str = Field(min_length=3, max_length=200)
    framework: str = Field(min_length=1, max_length=40)
    task_type: TaskType = TaskType.logic
    routes: list[Route] = Field(default_factory=list, max_length=200)
    mask: MaskChoice

    @field_validator("framework")
    @classmethod
    def _framework(cls, value: str) -> str:
        if not FRAMEWORK_PATTERN.match(value):
            raise ValueError("one lowercase word, e.g. flask, net-http")
        return value

    @field_validator("mask")
    @classmethod
    def _something_masked(cls, value: MaskChoice) -> MaskChoice:
        if not value.selectors():
            raise ValueError("choose at least one handler under functions or routes")
        if len(set(value.selectors())) != len(value.selectors()):
            raise ValueError("a handler is listed twice")
        return value


@dataclass(frozen=True)
class Candidate:
    spec: CandidateSpec
    dockerfile: str
    scenario: Scenario
    scenario_text: str
    instruction: str


def _read(folder: Path, name: str) -> str:
    path = folder / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise Rejected(Reason.malformed_candidate, f"{CANDIDATE_DIR}/{name} is missing") from None
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(Reason.malformed_candidate,
                       f"{CANDIDATE_DIR}/{name} is not a regular file (a link or a folder)")
    if info.st_size > MAX_FILE_BYTES:
        raise Rejected(Reason.malformed_candidate, f"{CANDIDATE_DIR}/{name} is {info.st_size} "
                       f"bytes, over the {MAX_FILE_BYTES} allowed")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(Reason.malformed_candidate,
                       f"{CANDIDATE_DIR}/{name} is not UTF-8 text") from None


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"field '{loc}': {first['msg']}"


def load_candidate(repo: Path) -> Candidate:
    """The candidate under `repo`, or `Rejected` saying what is wrong with it."""
    folder = repo / CANDIDATE_DIR
    try:
        info = folder.lstat()
    except FileNotFoundError:
        raise Rejected(Reason.no_candidate, f"the agent left no {CANDIDATE_DIR}/ folder") \
            from None
    if not stat.S_ISDIR(info.st_mode):
        raise Rejected(Reason.malformed_candidate, f"{CANDIDATE_DIR} is not a folder")
    if not (folder / CANDIDATE_FILE).exists() and not (folder / CANDIDATE_FILE).is_symlink():
        raise Rejected(Reason.no_candidate, f"the agent left no {CANDIDATE_DIR}/{CANDIDATE_FILE}")
    text = _read(folder, CANDIDATE_FILE)
    try:
        spec = CandidateSpec.model_validate(yaml.safe_load(text))
    except yaml.YAMLError:
        raise Rejected(Reason.malformed_candidate, f"{CANDIDATE_FILE} is not valid YAML") \
            from None
    except ValidationError as exc:
        raise Rejected(Reason.malformed_candidate,
                       f"{CANDIDATE_FILE}: {_first_error(exc)}") from None
    dockerfile = _read(folder, DOCKERFILE)
    scenario_text = _read(folder, SCENARIO)
    try:  # the same loader `tasks record` uses, on the same bytes
        scenario = load_scenario(folder / SCENARIO)
    except UserError as exc:
        raise Rejected(Reason.malformed_candidate, str(exc).replace(str(folder), CANDIDATE_DIR)) \
            from None
    instruction = _read(folder, INSTRUCTION)
    if len(instruction.strip()) < 80:
        raise Rejected(Reason.malformed_candidate,
                       f"{INSTRUCTION} is {len(instruction.strip())} characters: too short to "
                       "specify an endpoint")
    return Candidate(spec, dockerfile, scenario, scenario_text, instruction)
