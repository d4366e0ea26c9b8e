"""Hidden end-to-end tests of the taskboard task endpoints (each test makes its own project)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_project(client, key: str) -> dict:
    r = client.post("/projects", json={"key": key, "name": f"Project {key}"})
    assert r.status_code == 201, r.text
    return r.json()


def make_task(client, key: str, **body) -> dict:
    body.setdefault("title", "Some work")
    r = client.post(f"/projects/{key}/tasks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def move(client, task_id: str, to: str):
    return client.post(f"/tasks/{task_id}/transitions", json={"to": to})


def test_create_task_defaults_and_numbering(client):
    make_project(client, "TCREATE")
    t1 = make_task(client, "TCREATE", title="  First task  ")
    assert t1["id"] == "TCREATE-1"
    assert t1["project"] == "TCREATE"
    assert t1["number"] == 1
    assert t1["title"] == "First task"
    assert t1["description"] == ""
    assert t1["status"] == "todo"
    assert t1["priority"] == "medium"
    assert t1["assignee"] is None
    assert t1["labels"] == []
    assert t1["estimate_points"] is None
    assert t1["created_at"] and t1["updated_at"]

    t2 = make_task(client, "TCREATE", title="Second", priority="urgent", assignee="ann.lee",
                   labels=["Backend", "API", "backend"], estimate_points=8,
                   description="details")
    assert t2["id"] == "TCREATE-2" and t2["number"] == 2
    assert t2["priority"] == "urgent"
    assert t2["assignee"] == "ann.lee"
    assert t2["labels"] == ["backend", "api"]
    assert t2["estimate_points"] == 8
    assert t2["description"] == "details"

    got = client.get("/tasks/TCREATE-2")
    assert got.status_code == 200
    assert got.json() == t2
    assert client.get("/projects/TCREATE").json()["task_count"] == 2


def test_numbers_are_per_project_and_never_reused(client):
    make_project(client, "TNUMA")
    make_project(client, "TNUMB")
    a1 = make_task(client, "TNUMA")
    b1 = make_task(client, "TNUMB")
    a2 = make_task(client, "TNUMA")
    assert (a1["id"], b1["id"], a2["id"]) == ("TNUMA-1", "TNUMB-1", "TNUMA-2")
    r = client.delete("/tasks/TNUMA-2")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/tasks/TNUMA-2").status_code == 404
    assert make_task(client, "TNUMA")["id"] == "TNUMA-3"
    assert client.delete("/tasks/TNUMA-2").status_code == 404


def test_create_validation_and_unknown_project(client):
    make_project(client, "TVALID")
    bad = [
        {},
        {"title": "   "},
        {"title": "ok", "priority": "critical"},
        {"title": "ok", "assignee": "Bad Name"},
        {"title": "ok", "labels": ["has space"]},
        {"title": "ok", "labels": [f"l{i}" for i in range(11)]},
        {"title": "ok", "estimate_points": 101},
        {"title": "ok", "estimate_points": -1},
        {"title": "ok", "status": "done"},
    ]
    for body in bad:
        r = client.post("/projects/TVALID/tasks", json=body)
        assert r.status_code == 422, (body, r.status_code, r.text)
    assert client.get("/projects/TVALID/tasks").json()["total"] == 0
    r = client.post("/projects/NOSUCHPRJ/tasks", json={"title": "x"})
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert client.post("/projects/lower/tasks", json={"title": "x"}).status_code == 422


def test_list_tasks_with_filters(client):
    make_project(client, "TLIST")
    t1 = make_task(client, "TLIST", title="a", priority="high", assignee="bob", labels=["ui"])
    t2 = make_task(client, "TLIST", title="b", priority="low", assignee="bob", labels=["api", "UI"])
    t3 = make_task(client, "TLIST", title="c", priority="high", labels=["api"])
    assert move(client, t1["id"], "in_progress").status_code == 200

    r = client.get("/projects/TLIST/tasks")
    assert r.status_code == 200
    body = r.json()
    assert [t["id"] for t in body["items"]] == [t1["id"], t2["id"], t3["id"]]
    assert body["total"] == 3

    def ids(**params):
        res = client.get("/projects/TLIST/tasks", params=params)
        assert res.status_code == 200, res.text
        assert res.json()["total"] == len(res.json()["items"])
        return [t["id"] for t in res.json()["items"]]

    assert ids(status="todo") == [t2["id"], t3["id"]]
    assert ids(status="in_progress") == [t1["id"]]
    assert ids(priority="high") == [t1["id"], t3["id"]]
    assert ids(assignee="bob", priority="low") == [t2["id"]]
    assert ids(label="UI") == [t1["id"], t2["id"]]
    assert ids(label="api", priority="high") == [t3["id"]]
    assert ids(assignee="nobody") == []
    assert client.get("/projects/TLIST/tasks", params={"status": "blocked"}).status_code == 422
    assert client.get("/projects/NOSUCHLST/tasks").status_code == 404


def test_workflow_happy_path_and_assignee_rule(client):
    make_project(client, "TFLOW")
    task = make_task(client, "TFLOW", title="flow")
    r = move(client, task["id"], "in_progress")
    assert r.status_code == 409  # no assignee yet
    assert client.get(f"/tasks/{task['id']}").json()["status"] == "todo"

    r = client.patch(f"/tasks/{task['id']}", json={"assignee": "carol"})
    assert r.status_code == 200 and r.json()["assignee"] == "carol"
    for status in ("in_progress", "in_review", "in_progress", "in_review", "done"):
        r = move(client, task["id"], status)
        assert r.status_code == 200, (status, r.text)
        assert r.json()["status"] == status
    # reopen
    r = move(client, task["id"], "todo")
    assert r.status_code == 200 and r.json()["status"] == "todo"


def test_invalid_transitions(client):
    make_project(client, "TBADMOVE")
    task = make_task(client, "TBADMOVE", assignee="dave")
    for target in ("done", "in_review", "todo"):
        r = move(client, task["id"], target)
        assert r.status_code == 409, (target, r.text)
        assert r.json()["code"] == "invalid_transition"
    assert move(client, task["id"], "cancelled").status_code == 200
    assert move(client, task["id"], "in_progress").status_code == 409
    assert move(client, task["id"], "todo").status_code == 200
    assert move(client, task["id"], "finished").status_code == 422
    assert client.post(f"/tasks/{task['id']}/transitions", json={}).status_code == 422
    assert move(client, "TBADMOVE-99", "cancelled").status_code == 404


def test_patch_semantics(client):
    make_project(client, "TPATCH")
    task = make_task(client, "TPATCH", title="orig", description="d", priority="low",
                     labels=["one"], estimate_points=3, assignee="erin")
    r = client.patch(f"/tasks/{task['id']}", json={"title": None, "priority": "high",
                                                   "labels": ["Two", "two", "three"],
                                                   "description": None,
                                                   "estimate_points": None})
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["title"] == "orig"
    assert t["priority"] == "high"
    assert t["labels"] == ["two", "three"]
    assert t["description"] == ""
    assert t["estimate_points"] is None
    assert t["assignee"] == "erin"
    assert t["created_at"] == task["created_at"]
    # unassigning works while todo
    r = client.patch(f"/tasks/{task['id']}", json={"assignee": None})
    assert r.status_code == 200 and r.json()["assignee"] is None
    assert client.patch(f"/tasks/{task['id']}", json={"points": 3}).status_code == 422
    assert client.patch("/tasks/TPATCH-42", json={"title": "x"}).status_code == 404


def test_unassign_in_progress_and_edit_closed_tasks_conflict(client):
    make_project(client, "TCLOSED")
    task = make_task(client, "TCLOSED", assignee="frank")
    assert move(client, task["id"], "in_progress").status_code == 200
    r = client.patch(f"/tasks/{task['id']}", json={"assignee": None, "title": "changed"})
    assert r.status_code == 409
    assert client.get(f"/tasks/{task['id']}").json()["title"] == task["title"]
    assert client.get(f"/tasks/{task['id']}").json()["assignee"] == "frank"

    assert move(client, task["id"], "cancelled").status_code == 200
    r = client.patch(f"/tasks/{task['id']}", json={"title": "too late"})
    assert r.status_code == 409
    assert client.get(f"/tasks/{task['id']}").json()["title"] == task["title"]


def test_stats_reflect_task_changes(client):
    make_project(client, "TSTATS")
    a = make_task(client, "TSTATS", assignee="gina", estimate_points=5, priority="high")
    make_task(client, "TSTATS", estimate_points=3)
    c = make_task(client, "TSTATS", estimate_points=2)
    for s in ("in_progress", "in_review", "done"):
        assert move(client, a["id"], s).status_code == 200
    assert move(client, c["id"], "cancelled").status_code == 200
    stats = client.get("/projects/TSTATS/stats").json()
    assert stats["total"] == 3
    assert stats["by_status"]["done"] == 1
    assert stats["by_status"]["todo"] == 1
    assert stats["by_status"]["cancelled"] == 1
    assert stats["by_priority"]["high"] == 1
    assert stats["points_total"] == 8
    assert stats["points_done"] == 5
    assert stats["completion_percent"] == 62.5


def test_get_task_errors(client):
    assert client.get("/tasks/NOSUCH-1").status_code == 404
    assert client.get("/tasks/bad-id").status_code == 422
    assert client.get("/tasks/ABC-0").status_code == 422
