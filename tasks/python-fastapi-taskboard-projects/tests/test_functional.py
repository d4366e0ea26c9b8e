"""Hidden end-to-end tests of the taskboard project endpoints (each test uses its own keys)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def create(client, key: str, **extra):
    body = {"key": key, "name": f"Project {key}"}
    body.update(extra)
    return client.post("/projects", json=body)


def add_task(client, key: str, **body) -> dict:
    body.setdefault("title", "work item")
    r = client.post(f"/projects/{key}/tasks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def finish(client, task_id: str) -> None:
    for status in ("in_progress", "in_review", "done"):
        r = client.post(f"/tasks/{task_id}/transitions", json={"to": status})
        assert r.status_code == 200, r.text


def test_create_and_get_project(client):
    r = create(client, "PCREATE", name="  Website relaunch ", description="Q3 goals")
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["key"] == "PCREATE"
    assert p["name"] == "Website relaunch"
    assert p["description"] == "Q3 goals"
    assert p["task_count"] == 0
    assert isinstance(p["created_at"], str) and p["created_at"]
    got = client.get("/projects/PCREATE")
    assert got.status_code == 200
    assert got.json() == p
    assert create(client, "PDEFAULT").json()["description"] == ""


def test_duplicate_key_conflict(client):
    assert create(client, "PDUP").status_code == 201
    r = create(client, "PDUP", name="Another")
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    assert client.get("/projects/PDUP").json()["name"] == "Project PDUP"


def test_create_validation(client):
    bad = [
        {"name": "no key"},
        {"key": "PVALID"},
        {"key": "PVALID", "name": "   "},
        {"key": "pvalid", "name": "lower"},
        {"key": "P", "name": "too short"},
        {"key": "PVALIDTOOLONG", "name": "too long"},
        {"key": "1PVALID", "name": "digit first"},
        {"key": "PVALID", "name": "x" * 121},
        {"key": "PVALID", "name": "ok", "owner": "me"},
    ]
    for body in bad:
        r = client.post("/projects", json=body)
        assert r.status_code == 422, (body, r.status_code, r.text)
    assert client.get("/projects/PVALID").status_code == 404


def test_list_projects_sorted_by_key(client):
    for key in ("PLISTC", "PLISTA", "PLISTB"):
        assert create(client, key).status_code == 201
    r = client.get("/projects")
    assert r.status_code == 200
    projects = r.json()
    assert isinstance(projects, list)
    keys = [p["key"] for p in projects]
    assert keys == sorted(keys)
    mine = [k for k in keys if k.startswith("PLIST")]
    assert mine == ["PLISTA", "PLISTB", "PLISTC"]


def test_get_unknown_and_malformed_key(client):
    r = client.get("/projects/PNOSUCH")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert client.get("/projects/bad-key").status_code == 422


def test_patch_project(client):
    assert create(client, "PPATCH", description="old").status_code == 201
    r = client.patch("/projects/PPATCH", json={"name": "Renamed"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Renamed"
    assert r.json()["description"] == "old"
    r = client.patch("/projects/PPATCH", json={"name": None, "description": None})
    assert r.status_code == 200
    assert r.json()["name"] == "Renamed"
    assert r.json()["description"] == ""
    assert client.patch("/projects/PPATCH", json={"key": "POTHER"}).status_code == 422
    assert client.patch("/projects/PPATCH", json={"name": ""}).status_code == 422
    assert client.patch("/projects/PNOPATCH", json={"name": "x"}).status_code == 404
    assert client.get("/projects/PPATCH").json()["name"] == "Renamed"


def test_task_count_follows_tasks(client):
    assert create(client, "PCOUNT").status_code == 201
    add_task(client, "PCOUNT")
    t = add_task(client, "PCOUNT")
    assert client.get("/projects/PCOUNT").json()["task_count"] == 2
    assert client.delete(f"/tasks/{t['id']}").status_code == 204
    assert client.get("/projects/PCOUNT").json()["task_count"] == 1
    listed = {p["key"]: p for p in client.get("/projects").json()}
    assert listed["PCOUNT"]["task_count"] == 1


def test_delete_blocked_by_open_tasks(client):
    assert create(client, "PDELOPEN").status_code == 201
    t1 = add_task(client, "PDELOPEN", assignee="hank")
    t2 = add_task(client, "PDELOPEN")
    assert client.delete("/projects/PDELOPEN").status_code == 409
    finish(client, t1["id"])
    assert client.delete("/projects/PDELOPEN").status_code == 409
    r = client.post(f"/tasks/{t2['id']}/transitions", json={"to": "cancelled"})
    assert r.status_code == 200
    r = client.delete("/projects/PDELOPEN")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/projects/PDELOPEN").status_code == 404
    assert client.get(f"/tasks/{t1['id']}").status_code == 404
    assert client.delete("/projects/PDELOPEN").status_code == 404


def test_stats(client):
    assert create(client, "PSTATS").status_code == 201
    a = add_task(client, "PSTATS", assignee="ivy", estimate_points=5, priority="high")
    b = add_task(client, "PSTATS", assignee="ivy", estimate_points=1)
    add_task(client, "PSTATS", estimate_points=4)
    c = add_task(client, "PSTATS", estimate_points=7, priority="urgent")
    add_task(client, "PSTATS", priority="low")  # no points
    finish(client, a["id"])
    finish(client, b["id"])
    assert client.post(f"/tasks/{c['id']}/transitions", json={"to": "cancelled"}).status_code == 200

    r = client.get("/projects/PSTATS/stats")
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["key"] == "PSTATS"
    assert s["total"] == 5
    assert s["by_status"] == {"todo": 2, "in_progress": 0, "in_review": 0, "done": 2,
                              "cancelled": 1}
    assert s["by_priority"] == {"low": 1, "medium": 2, "high": 1, "urgent": 1}
    assert s["points_total"] == 10
    assert s["points_done"] == 6
    assert s["completion_percent"] == 60.0


def test_stats_empty_and_unknown(client):
    assert create(client, "PSTEMPTY").status_code == 201
    s = client.get("/projects/PSTEMPTY/stats").json()
    assert s["total"] == 0
    assert s["points_total"] == 0 and s["points_done"] == 0
    assert s["completion_percent"] == 0.0
    assert set(s["by_status"]) == {"todo", "in_progress", "in_review", "done", "cancelled"}
    assert all(v == 0 for v in s["by_priority"].values())
    assert client.get("/projects/PSTNONE/stats").status_code == 404
