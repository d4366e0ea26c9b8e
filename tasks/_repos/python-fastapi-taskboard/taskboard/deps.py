"""FastAPI dependencies: services bound to the application's store."""

from fastapi import Request

from .services import ProjectService, TaskService


def project_service(request: Request) -> ProjectService:
    return ProjectService(request.app.state.store)


def task_service(request: Request) -> TaskService:
    return TaskService(request.app.state.store)
