"""Task endpoints: /projects/{key}/tasks and /tasks/{task_id}[...]."""

from fastapi import APIRouter, Depends, Path, Query, Response

from ..deps import task_service
from ..schemas import Priority, Status, Task, TaskCreate, TaskList, TaskUpdate, Transition
from ..services import TaskService

router = APIRouter(tags=["tasks"])

KeyPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}$", description="project key, e.g. WEB")
TaskIdPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*$", description="task id, e.g. WEB-12")


@router.post("/projects/{key}/tasks", status_code=201, response_model=Task)
def create_task(body: TaskCreate, key: str = KeyPath,
                service: TaskService = Depends(task_service)):
    return service.create(key, body)


@router.get("/projects/{key}/tasks", response_model=TaskList)
def list_tasks(key: str = KeyPath,
               status: Status | None = Query(default=None),
               priority: Priority | None = Query(default=None),
               assignee: str | None = Query(default=None, max_length=32),
               label: str | None = Query(default=None, max_length=30),
               service: TaskService = Depends(task_service)):
    return service.list(key, status=status, priority=priority, assignee=assignee, label=label)


@router.get("/tasks/{task_id}", response_model=Task)
def get_task(task_id: str = TaskIdPath, service: TaskService = Depends(task_service)):
    return service.get(task_id)


@router.patch("/tasks/{task_id}", response_model=Task)
def update_task(body: TaskUpdate, task_id: str = TaskIdPath,
                service: TaskService = Depends(task_service)):
    return service.update(task_id, body)


@router.post("/tasks/{task_id}/transitions", response_model=Task)
def transition_task(body: Transition, task_id: str = TaskIdPath,
                    service: TaskService = Depends(task_service)):
    return service.transition(task_id, body.to)


@router.delete("/tasks/{task_id}", status_code=204)
def delete_task(task_id: str = TaskIdPath, service: TaskService = Depends(task_service)):
    service.delete(task_id)
    return Response(status_code=204)
