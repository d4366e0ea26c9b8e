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

    def _present(self, record: ProjectRecord) -> Project:
        return Project(key=record.key, name=record.name, description=record.description,
                       created_at=record.created_at,
                       task_count=len(self.tasks.for_project(record.key)))

    def _require(self, key: str) -> ProjectRecord:
        record = self.projects.get(key)
        if record is None:
            raise NotFoundError(f"project {key} not found")
        return record

    def create(self, data: ProjectCreate) -> Project:
        with self.store.lock:
            if self.projects.exists(data.key):
                raise ConflictError(f"project {data.key} already exists")
            record = self.projects.add(
                ProjectRecord(key=data.key, name=data.name, description=data.description))
        return self._present(record)

    def list(self) -> list[Project]:
        return [self._present(p) for p in self.projects.list()]

    def get(self, key: str) -> Project:
        return self._present(self._require(key))

    def update(self, key: str, data: ProjectUpdate) -> Project:
        changes = data.model_dump(exclude_unset=True)
        with self.store.lock:
            record = self._require(key)
            if changes.get("name") is not None:
                record.name = changes["name"]
            if "description" in changes:
                record.description = changes["description"] or ""
            record = self.projects.save(record)
        return self._present(record)

    def delete(self, key: str) -> None:
        with self.store.lock:
            self._require(key)
            open_tasks = [t for t in self.tasks.for_project(key) if Status(t.status) in OPEN_STATUSES]
            if open_tasks:
                raise ConflictError(f"project {key} still has {len(open_tasks)} open task(s)")
            self.projects.delete(key)

    def stats(self, key: str) -> ProjectStats:
        self._require(key)
        tasks = self.tasks.for_project(key)
        by_status = {s: 0 for s in Status}
        by_priority = {p: 0 for p in Priority}
        points_total = points_done = 0
        for task in tasks:
            by_status[Status(task.status)] += 1
            by_priority[Priority(task.priority)] += 1
            if task.status == Status.cancelled.value:
                continue
            points_total += task.estimate_points or 0
            if task.status == Status.done.value:
                points_done += task.estimate_points or 0
        completion = round(100.0 * points_done / points_total, 1) if points_total else 0.0
        return ProjectStats(key=key, total=len(tasks), by_status=by_status,
                            by_priority=by_priority, points_total=points_total,
                            points_done=points_done, completion_percent=completion)


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

    def create(self, key: str, data: TaskCreate) -> Task:
        # TODO: create a task in project `key` (numbered per project, starts in 'todo').
        raise NotImplementedError("TaskService.create is not implemented")

    def list(self, key: str, *, status: Status | None, priority: Priority | None,
             assignee: str | None, label: str | None) -> TaskList:
        # TODO: the project's tasks, filtered.
        raise NotImplementedError("TaskService.list is not implemented")

    def get(self, task_id: str) -> Task:
        # TODO: one task (404 when unknown).
        raise NotImplementedError("TaskService.get is not implemented")

    def update(self, task_id: str, data: TaskUpdate) -> Task:
        # TODO: partial update of an open task.
        raise NotImplementedError("TaskService.update is not implemented")

    def transition(self, task_id: str, target: Status) -> Task:
        # TODO: move the task in the workflow (see TRANSITIONS).
        raise NotImplementedError("TaskService.transition is not implemented")

    def delete(self, task_id: str) -> None:
        # TODO: delete a task.
        raise NotImplementedError("TaskService.delete is not implemented")
