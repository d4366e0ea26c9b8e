"""Application factory: wires the repository, services, routers and error handlers."""

from __future__ import annotations

from fastapi import FastAPI

from .errors import register_exception_handlers
from .repository import InMemoryStore
from .routers import health, projects, tasks


def create_app(store: InMemoryStore | None = None) -> FastAPI:
    app = FastAPI(title="taskboard", version="1.0.0")
    app.state.store = store or InMemoryStore()
    register_exception_handlers(app)
    app.include_router(health.router)
    app.include_router(projects.router)
    app.include_router(tasks.router)
    return app


app = create_app()
