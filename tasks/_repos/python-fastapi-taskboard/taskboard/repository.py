"""Storage layer: an in-memory store behind small repository classes.

All access goes through `InMemoryStore.lock` (an RLock), so the repositories are safe under
uvicorn's thread pool (sync endpoints run in worker threads). Records are plain dataclasses;
repositories hand out copies so callers cannot mutate stored state by accident.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class ProjectRecord:
    key: str
    name: str
    description: str
    created_at: datetime = field(default_factory=utcnow)
    next_number: int = 1


@dataclass
class TaskRecord:
    project: str
    number: int
    title: str
    description: str
    status: str
    priority: str
    assignee: str | None
    labels: list[str]
    estimate_points: int | None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def id(self) -> str:
        return f"{self.project}-{self.number}"


class InMemoryStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.projects: dict[str, ProjectRecord] = {}
        self.tasks: dict[str, TaskRecord] = {}


class ProjectRepository:
    def __init__(self, store: InMemoryStore):
        self.store = store

    def add(self, record: ProjectRecord) -> ProjectRecord:
        with self.store.lock:
            self.store.projects[record.key] = replace(record)
            return replace(record)

    def get(self, key: str) -> ProjectRecord | None:
        with self.store.lock:
            record = self.store.projects.get(key)
            return replace(record) if record else None

    def exists(self, key: str) -> bool:
        with self.store.lock:
            return key in self.store.projects

    def list(self) -> list[ProjectRecord]:
        with self.store.lock:
            return [replace(p) for p in sorted(self.store.projects.values(), key=lambda p: p.key)]

    def save(self, record: ProjectRecord) -> ProjectRecord:
        with self.store.lock:
            if record.key not in self.store.projects:
                raise KeyError(record.key)
            self.store.projects[record.key] = replace(record)
            return replace(record)

    def allocate_number(self, key: str) -> int:
        """Reserve the next task number of a project (numbers are never reused)."""
        with self.store.lock:
            project = self.store.projects[key]
            number = project.next_number
            project.next_number += 1
            return number

    def delete(self, key: str) -> bool:
        with self.store.lock:
            if self.store.projects.pop(key, None) is None:
                return False
            for task_id in [t for t, rec in self.store.tasks.items() if rec.project == key]:
                del self.store.tasks[task_id]
            return True


class TaskRepository:
    def __init__(self, store: InMemoryStore):
        self.store = store

    def add(self, record: TaskRecord) -> TaskRecord:
        with self.store.lock:
            self.store.tasks[record.id] = replace(record, labels=list(record.labels))
            return replace(record, labels=list(record.labels))

    def get(self, task_id: str) -> TaskRecord | None:
        with self.store.lock:
            record = self.store.tasks.get(task_id)
            return replace(record, labels=list(record.labels)) if record else None

    def save(self, record: TaskRecord) -> TaskRecord:
        with self.store.lock:
            if record.id not in self.store.tasks:
                raise KeyError(record.id)
            self.store.tasks[record.id] = replace(record, labels=list(record.labels))
            return replace(record, labels=list(record.labels))

    def delete(self, task_id: str) -> bool:
        with self.store.lock:
            return self.store.tasks.pop(task_id, None) is not None

    def for_project(self, key: str) -> list[TaskRecord]:
        with self.store.lock:
            found = [replace(t, labels=list(t.labels))
                     for t in self.store.tasks.values() if t.project == key]
        return sorted(found, key=lambda t: t.number)
