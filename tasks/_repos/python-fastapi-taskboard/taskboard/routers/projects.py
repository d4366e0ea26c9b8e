"""Project endpoints: /projects, /projects/{key}, /projects/{key}/stats."""

from fastapi import APIRouter, Depends, Path, Response

from ..deps import project_service
from ..schemas import Project, ProjectCreate, ProjectStats, ProjectUpdate
from ..services import ProjectService

router = APIRouter(prefix="/projects", tags=["projects"])

KeyPath = Path(pattern=r"^[A-Z][A-Z0-9]{1,9}$", description="project key, e.g. WEB")


@router.post("", status_code=201, response_model=Project)
def create_project(body: ProjectCreate, service: ProjectService = Depends(project_service)):
    return service.create(body)


@router.get("", response_model=list[Project])
def list_projects(service: ProjectService = Depends(project_service)):
    return service.list()


@router.get("/{key}", response_model=Project)
def get_project(key: str = KeyPath, service: ProjectService = Depends(project_service)):
    return service.get(key)


@router.patch("/{key}", response_model=Project)
def update_project(body: ProjectUpdate, key: str = KeyPath,
                   service: ProjectService = Depends(project_service)):
    return service.update(key, body)


@router.delete("/{key}", status_code=204)
def delete_project(key: str = KeyPath, service: ProjectService = Depends(project_service)):
    service.delete(key)
    return Response(status_code=204)


@router.get("/{key}/stats", response_model=ProjectStats)
def project_stats(key: str = KeyPath, service: ProjectService = Depends(project_service)):
    return service.stats(key)
