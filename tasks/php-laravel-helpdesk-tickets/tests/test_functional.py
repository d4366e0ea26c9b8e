import os
import uuid

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10, headers={"Accept": "application/json"}) as c:
        yield c


def tag() -> str:
    return uuid.uuid4().hex[:10]


def make_agent(client, name="Agent") -> dict:
    response = client.post("/api/agents", json={"name": name, "email": f"agent-{tag()}@example.com"})
    assert response.status_code == 201, response.text
    return response.json()


def make_ticket(client, **fields) -> dict:
    body = {
        "subject": f"Issue {tag()}",
        "description": "Something is broken",
        "requester_email": f"user-{tag()}@example.com",
    }
    body.update(fields)
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_ticket_with_assignee(client):
    agent = make_agent(client, "Ann")
    requester = f"Requester-{tag()}@Example.COM"
    response = client.post("/api/tickets", json={
        "subject": "Printer on fire",
        "description": "Third floor, near the kitchen",
        "requester_email": requester,
        "priority": "urgent",
        "assignee_id": agent["id"],
    })
    assert response.status_code == 201
    ticket = response.json()
    assert isinstance(ticket["id"], int)
    assert ticket["subject"] == "Printer on fire"
    assert ticket["description"] == "Third floor, near the kitchen"
    assert ticket["requester_email"] == requester.lower()
    assert ticket["priority"] == "urgent"
    assert ticket["status"] == "open"
    assert ticket["assignee_id"] == agent["id"]
    assert ticket["assignee"] == {"id": agent["id"], "name": "Ann", "email": agent["email"]}
    assert ticket["comments_count"] == 0
    assert ticket["resolved_at"] is None and ticket["closed_at"] is None
    assert ticket["created_at"] and ticket["updated_at"]
    assert response.headers["location"].endswith(f"/api/tickets/{ticket['id']}")

    fetched = client.get(f"/api/tickets/{ticket['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == ticket


def test_create_defaults_and_validation(client):
    ticket = make_ticket(client)
    assert ticket["priority"] == "normal"
    assert ticket["assignee_id"] is None
    assert ticket["assignee"] is None

    response = client.post("/api/tickets", json={
        "subject": "x" * 151,
        "requester_email": "not-an-email",
        "priority": "whenever",
        "assignee_id": 987654321,
    })
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"subject", "description", "requester_email", "priority", "assignee_id"}
    assert all(isinstance(v, list) and v for v in errors.values())

    assert client.get("/api/tickets/987654321").status_code == 404


def test_list_filters_by_requester_status_priority_and_assignee(client):
    requester = f"filter-{tag()}@example.com"
    agent = make_agent(client)
    a = make_ticket(client, requester_email=requester, priority="low")
    b = make_ticket(client, requester_email=requester, priority="high", assignee_id=agent["id"])
    c = make_ticket(client, requester_email=requester.upper(), priority="high")
    closed = client.post(f"/api/tickets/{c['id']}/transitions", json={"status": "closed"})
    assert closed.status_code == 200

    response = client.get("/api/tickets", params={"requester_email": requester})
    assert response.status_code == 200
    body = response.json()
    assert [t["id"] for t in body["data"]] == [a["id"], b["id"], c["id"]]
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 3, "last_page": 1}

    high = client.get("/api/tickets", params={"requester_email": requester, "priority": "high"}).json()
    assert [t["id"] for t in high["data"]] == [b["id"], c["id"]]

    open_high = client.get("/api/tickets", params={
        "requester_email": requester, "priority": "high", "status": "open"}).json()
    assert [t["id"] for t in open_high["data"]] == [b["id"]]

    by_agent = client.get("/api/tickets", params={"assignee_id": agent["id"]}).json()
    assert [t["id"] for t in by_agent["data"]] == [b["id"]]
    assert by_agent["data"][0]["assignee"]["id"] == agent["id"]


def test_sort_by_priority_and_pagination(client):
    requester = f"pages-{tag()}@example.com"
    ids = {}
    for priority in ["low", "urgent", "normal", "high", "urgent"]:
        ticket = make_ticket(client, requester_email=requester, priority=priority)
        ids.setdefault(priority, []).append(ticket["id"])

    expected = ids["urgent"] + ids["high"] + ids["normal"] + ids["low"]
    everything = client.get("/api/tickets", params={"requester_email": requester, "sort": "priority"}).json()
    assert [t["id"] for t in everything["data"]] == expected

    page1 = client.get("/api/tickets", params={
        "requester_email": requester, "sort": "priority", "per_page": 2, "page": 1}).json()
    page3 = client.get("/api/tickets", params={
        "requester_email": requester, "sort": "priority", "per_page": 2, "page": 3}).json()
    assert [t["id"] for t in page1["data"]] == expected[:2]
    assert [t["id"] for t in page3["data"]] == expected[4:]
    assert page3["meta"] == {"page": 3, "per_page": 2, "total": 5, "last_page": 3}

    beyond = client.get("/api/tickets", params={"requester_email": requester, "per_page": 2, "page": 9}).json()
    assert beyond["data"] == []
    assert beyond["meta"]["total"] == 5


def test_list_rejects_invalid_parameters(client):
    response = client.get("/api/tickets", params={"status": "sleeping", "per_page": 500, "sort": "name"})
    assert response.status_code == 422
    assert {"status", "per_page", "sort"} <= set(response.json()["errors"])

    assert client.get("/api/tickets", params={"page": 0}).status_code == 422
    assert client.get("/api/tickets", params={"priority": "meh"}).status_code == 422


def test_patch_updates_fields_and_assignment(client):
    agent = make_agent(client, "Bea")
    ticket = make_ticket(client, subject="Old subject", priority="low")

    response = client.patch(f"/api/tickets/{ticket['id']}", json={
        "subject": "New subject", "priority": "urgent", "assignee_id": agent["id"]})
    assert response.status_code == 200
    updated = response.json()
    assert updated["subject"] == "New subject"
    assert updated["priority"] == "urgent"
    assert updated["assignee"] == {"id": agent["id"], "name": "Bea", "email": agent["email"]}
    assert updated["description"] == ticket["description"]
    assert updated["status"] == "open"

    unassigned = client.patch(f"/api/tickets/{ticket['id']}", json={"assignee_id": None})
    assert unassigned.status_code == 200
    assert unassigned.json()["assignee_id"] is None
    assert unassigned.json()["assignee"] is None
    assert client.get(f"/api/tickets/{ticket['id']}").json()["subject"] == "New subject"


def test_patch_rules_and_validation(client):
    agent = make_agent(client)
    ticket = make_ticket(client, assignee_id=agent["id"])

    status = client.patch(f"/api/tickets/{ticket['id']}", json={"status": "closed"})
    assert status.status_code == 422
    assert "status" in status.json()["errors"]

    invalid = client.patch(f"/api/tickets/{ticket['id']}", json={"subject": "", "priority": "soon"})
    assert invalid.status_code == 422
    assert {"subject", "priority"} <= set(invalid.json()["errors"])

    started = client.post(f"/api/tickets/{ticket['id']}/transitions", json={"status": "in_progress"})
    assert started.status_code == 200
    assert client.patch(f"/api/tickets/{ticket['id']}", json={"assignee_id": None}).status_code == 409

    other = make_ticket(client)
    assert client.post(f"/api/tickets/{other['id']}/transitions", json={"status": "closed"}).status_code == 200
    assert client.patch(f"/api/tickets/{other['id']}", json={"subject": "too late"}).status_code == 409
    assert client.get(f"/api/tickets/{other['id']}").json()["subject"] == other["subject"]

    assert client.patch("/api/tickets/987654321", json={"subject": "x"}).status_code == 404


def test_delete_ticket_and_comments_count(client):
    ticket = make_ticket(client)
    comment = client.post(f"/api/tickets/{ticket['id']}/comments",
                          json={"author_email": "helper@example.com", "body": "Looking into it"})
    assert comment.status_code == 201
    assert client.get(f"/api/tickets/{ticket['id']}").json()["comments_count"] == 1

    response = client.delete(f"/api/tickets/{ticket['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/tickets/{ticket['id']}").status_code == 404
    assert client.delete(f"/api/tickets/{ticket['id']}").status_code == 404
    assert client.get(f"/api/tickets/{ticket['id']}/comments").status_code == 404
