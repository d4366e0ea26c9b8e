from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/health")
def health(request: Request) -> dict:
    store = request.app.state.store
    with store.lock:
        projects = len(store.projects)
    return {"status": "ok", "service": "taskboard", "projects": projects}
