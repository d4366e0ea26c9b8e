"""Business rules: project lifecycle, task creation/editing and the task workflow."""

from __future__ import annotations

from dataclasses import replace

from .errors import ConflictError, InvalidTransitionError, NotFoundError
from .repository import (InMemoryStore, ProjectRecord, ProjectRepository, TaskRecord,
                         TaskRepository, utcnow)
from .schemas import (Priority, Project, ProjectCreate, ProjectStats, ProjectUpdate, Status,
                      Task, TaskCreate, TaskList, TaskUpdate)

OPEN_STATUSES = {Status.todo, Status.in_progress, Status.in_review}

# Allowed workflow moves: from-status -> statuses it may move to.
TRANSITIONS: dict[Status, set[Status]] = {
    Status.todo: {Status.in_progress, Status.cancelled},
    Status.in_progress: {Status.todo, Status.in_review, Status.cancelled},
    Status.in_review: {Status.in_progress, Status.done, Status.cancelled},
    Status.done: {Status.todo},
    Status.cancelled: {Status.todo},
}


class ProjectService:
    def __init__(self, store: InMemoryStore):
        self.store = store
        self.projects = ProjectRepository(store)
        self.tasks = TaskRepository(store)

    def create(self, data: ProjectCreate) -> Project:
        # TODO: create a project (409 when the key is taken).
        raise NotImplementedError("ProjectService.create is not implemented")

    def list(self) -> list[Project]:
        # TODO: all projects ordered by key.
        raise NotImplementedError("ProjectService.list is not implemented")

    def get(self, key: str) -> Project:
        # TODO: one project with its task count.
        raise NotImplementedError("ProjectService.get is not implemented")

    def update(self, key: str, data: ProjectUpdate) -> Project:
        # TODO: rename / re-describe a project.
        raise NotImplementedError("ProjectService.update is not implemented")

    def delete(self, key: str) -> None:
        # TODO: delete a project that has no open task.
        raise NotImplementedError("ProjectService.delete is not implemented")

    def stats(self, key: str) -> ProjectStats:
        # TODO: counts by status / priority and story points.
        raise NotImplementedError("ProjectService.stats is not implemented")


class TaskService:
    def __init__(self, store: InMemoryStore):
        self.store = store
        self.projects = ProjectRepository(store)
        self.tasks = TaskRepository(store)

    @staticmethod
    def present(record: TaskRecord) -> Task:
        return Task(id=record.id, project=record.project, number=record.number,
                    title=record.title, description=record.description,
                    status=Status(record.status), priority=Priority(record.priority),
                    assignee=record.assignee, labels=list(record.labels),
                    estimate_points=record.estimate_points, created_at=record.created_at,
                    updated_at=record.updated_at)

    def _require(self, task_id: str) -> TaskRecord:
        record = self.tasks.get(task_id)
        if record is None:
            raise NotFoundError(f"task {task_id} not found")
        return record

    def create(self, key: str, data: TaskCreate) -> Task:
        with self.store.lock:
            if not self.projects.exists(key):
                raise NotFoundError(f"project {key} not found")
            number = self.projects.allocate_number(key)
            record = self.tasks.add(TaskRecord(
                project=key, number=number, title=data.title, description=data.description,
                status=Status.todo.value, priority=data.priority.value, assignee=data.assignee,
                labels=list(data.labels), estimate_points=data.estimate_points,
            ))
        return self.present(record)

    def list(self, key: str, *, status: Status | None, priority: Priority | None,
             assignee: str | None, label: str | None) -> TaskList:
        if not self.projects.exists(key):
            raise NotFoundError(f"project {key} not found")
        records = self.tasks.for_project(key)
        if status is not None:
            records = [t for t in records if t.status == status.value]
        if priority is not None:
            records = [t for t in records if t.priority == priority.value]
        if assignee is not None:
            records = [t for t in records if t.assignee == assignee]
        if label is not None:
            wanted = label.strip().lower()
            records = [t for t in records if wanted in t.labels]
        return TaskList(items=[self.present(t) for t in records], total=len(records))

    def get(self, task_id: str) -> Task:
        return self.present(self._require(task_id))

    def update(self, task_id: str, data: TaskUpdate) -> Task:
        changes = data.model_dump(exclude_unset=True)
        with self.store.lock:
            record = self._require(task_id)
            if Status(record.status) not in OPEN_STATUSES:
                raise ConflictError(f"task {task_id} is {record.status} and cannot be edited")
            for name in ("title", "priority", "labels"):
                if changes.get(name) is not None:
                    value = changes[name]
                    setattr(record, name, value.value if isinstance(value, Priority) else value)
            if "description" in changes:
                record.description = changes["description"] or ""
            if "assignee" in changes:
                if changes["assignee"] is None and record.status != Status.todo.value:
                    raise ConflictError("only a task in 'todo' can be unassigned")
                record.assignee = changes["assignee"]
            if "estimate_points" in changes:
                record.estimate_points = changes["estimate_points"]
            record = self.tasks.save(replace(record, updated_at=utcnow()))
        return self.present(record)

    def transition(self, task_id: str, target: Status) -> Task:
        with self.store.lock:
            record = self._require(task_id)
            current = Status(record.status)
            if target not in TRANSITIONS[current]:
                raise InvalidTransitionError(
                    f"cannot move task {task_id} from {current.value} to {target.value}")
            if target is Status.in_progress and record.assignee is None:
                raise ConflictError("a task needs an assignee before work can start")
            record = self.tasks.save(replace(record, status=target.value, updated_at=utcnow()))
        return self.present(record)

    def delete(self, task_id: str) -> None:
        with self.store.lock:
            if not self.tasks.delete(task_id):
                raise NotFoundError(f"task {task_id} not found")
