"""Project endpoints: /projects, /projects/{key}, /projects/{key}/stats."""

from fastapi import APIRouter, Depends, Path, Response
from fastapi.responses import JSONResponse

from ..deps import project_service
from ..schemas import Project, ProjectCreate, ProjectStats, ProjectUpdate
from ..services import ProjectService

router = APIRouter(prefix="/projects", tags=["projects"])

KeyPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}$", description="project key, e.g. WEB")


def _not_implemented() -> JSONResponse:
    return JSONResponse(status_code=501,
                        content={"detail": "not implemented", "code": "not_implemented"})


# TODO: implement the project endpoints described in the instruction:
#   POST   /projects
#   GET    /projects
#   GET    /projects/{key}
#   PATCH  /projects/{key}
#   DELETE /projects/{key}
#   GET    /projects/{key}/stats


@router.post("")
def create_project():
    return _not_implemented()


@router.get("")
def list_projects():
    return _not_implemented()


@router.get("/{key}")
def get_project(key: str):
    return _not_implemented()


@router.patch("/{key}")
def update_project(key: str):
    return _not_implemented()


@router.delete("/{key}")
def delete_project(key: str):
    return _not_implemented()


@router.get("/{key}/stats")
def project_stats(key: str):
    return _not_implemented()
