"""Task endpoints: /projects/{key}/tasks and /tasks/{task_id}[...]."""

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse

from ..deps import task_service
from ..schemas import Priority, Status, Task, TaskCreate, TaskList, TaskUpdate, Transition
from ..services import TaskService

router = APIRouter(tags=["tasks"])

KeyPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}$", description="project key, e.g. WEB")
TaskIdPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*$", description="task id, e.g. WEB-12")


def _not_implemented() -> JSONResponse:
    return JSONResponse(status_code=501,
                        content={"detail": "not implemented", "code": "not_implemented"})


# TODO: implement the task endpoints described in the instruction:
#   POST   /projects/{key}/tasks
#   GET    /projects/{key}/tasks
#   GET    /tasks/{task_id}
#   PATCH  /tasks/{task_id}
#   POST   /tasks/{task_id}/transitions
#   DELETE /tasks/{task_id}


@router.post("/projects/{key}/tasks")
def create_task(key: str):
    return _not_implemented()


@router.get("/projects/{key}/tasks")
def list_tasks(key: str):
    return _not_implemented()


@router.get("/tasks/{task_id}")
def get_task(task_id: str):
    return _not_implemented()


@router.patch("/tasks/{task_id}")
def update_task(task_id: str):
    return _not_implemented()


@router.post("/tasks/{task_id}/transitions")
def transition_task(task_id: str):
    return _not_implemented()


@router.delete("/tasks/{task_id}")
def delete_task(task_id: str):
    return _not_implemented()
