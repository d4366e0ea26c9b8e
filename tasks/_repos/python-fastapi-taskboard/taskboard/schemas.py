"""Request and response models. FastAPI answers 422 when a request does not fit them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

ProjectKey = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=5000)]
Assignee = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{1,31}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True,
                                         pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$"),
                  AfterValidator(str.lower)]


class Priority(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"


class Status(str, Enum):
    todo = "todo"
    in_progress = "in_progress"
    in_review = "in_review"
    done = "done"
    cancelled = "cancelled"


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- projects -------------------------------------------------------------------------------

class ProjectCreate(StrictModel):
    key: ProjectKey
    name: Name
    description: Description = ""


class ProjectUpdate(StrictModel):
    name: Name | None = None
    description: Description | None = None


class Project(BaseModel):
    key: str
    name: str
    description: str
    created_at: datetime
    task_count: int = 0


class ProjectStats(BaseModel):
    key: str
    total: int
    by_status: dict[Status, int]
    by_priority: dict[Priority, int]
    points_total: int
    points_done: int
    completion_percent: float


# ---- tasks ----------------------------------------------------------------------------------

def _unique_labels(labels: list[str]) -> list[str]:
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(label)
    return seen


class TaskCreate(StrictModel):
    title: Title
    description: Description = ""
    priority: Priority = Priority.medium
    assignee: Assignee | None = None
    labels: Annotated[list[Label], Field(max_length=10)] = []
    estimate_points: Annotated[int, Field(ge=0, le=100)] | None = None

    _dedupe = field_validator("labels")(classmethod(lambda cls, v: _unique_labels(v)))


class TaskUpdate(StrictModel):
    title: Title | None = None
    description: Description | None = None
    priority: Priority | None = None
    assignee: Assignee | None = None
    labels: Annotated[list[Label], Field(max_length=10)] | None = None
    estimate_points: Annotated[int, Field(ge=0, le=100)] | None = None

    _dedupe = field_validator("labels")(
        classmethod(lambda cls, v: None if v is None else _unique_labels(v)))


class Transition(StrictModel):
    to: Status


class Task(BaseModel):
    id: str
    project: str
    number: int
    title: str
    description: str
    status: Status
    priority: Priority
    assignee: str | None
    labels: list[str]
    estimate_points: int | None
    created_at: datetime
    updated_at: datetime


class TaskList(BaseModel):
    items: list[Task]
    total: int
