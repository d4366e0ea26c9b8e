"""Hidden tests for the ticket endpoints of the helpdesk service (TicketService)."""
import os
import uuid

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:5000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def unique(label):
    return f"{label}-{uuid.uuid4().hex[:10]}"


def make_agent(client, label, team="technical"):
    response = client.post("/api/agents", json={
        "name": f"Agent {label}", "email": f"{unique(label)}@support.example", "team": team,
    })
    assert response.status_code == 201, response.text
    return response.json()


def make_ticket(client, label, **extra):
    payload = {
        "subject": f"Issue {unique(label)}",
        "description": f"Details for {label}",
        "requesterEmail": f"{unique(label)}@customer.example",
    }
    payload.update(extra)
    response = client.post("/api/tickets", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_ticket_defaults_and_fetch(client):
    subject = f"VPN drops {unique('create')}"
    response = client.post("/api/tickets", json={
        "subject": f"  {subject}  ",
        "description": "Connection drops every 5 minutes",
        "requesterEmail": "Dana.Create@Customer.Example",
    })
    assert response.status_code == 201
    ticket = response.json()
    assert isinstance(ticket["id"], int)
    assert ticket["subject"] == subject
    assert ticket["description"] == "Connection drops every 5 minutes"
    assert ticket["requesterEmail"] == "dana.create@customer.example"
    assert ticket["priority"] == "normal"
    assert ticket["status"] == "open"
    assert ticket["assigneeId"] is None
    assert ticket["commentCount"] == 0
    assert ticket["createdAt"] and ticket["updatedAt"]
    assert response.headers["location"] == f"/api/tickets/{ticket['id']}"

    fetched = client.get(f"/api/tickets/{ticket['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["subject"] == subject
    assert fetched.json()["priority"] == "normal"


def test_create_ticket_validation(client):
    response = client.post("/api/tickets", json={
        "subject": "ab", "requesterEmail": "not-an-email", "priority": "critical",
    })
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"subject", "description", "requesterEmail", "priority"}

    wrong_type = client.post("/api/tickets", json={
        "subject": 42, "description": "x", "requesterEmail": "a@b.example",
    })
    assert wrong_type.status_code == 400
    assert "subject" in wrong_type.json()["errors"]

    malformed = client.post("/api/tickets", content=b"{not json",
                            headers={"content-type": "application/json"})
    assert malformed.status_code == 400

    ok = client.post("/api/tickets", json={
        "subject": "Urgent outage", "description": "All down",
        "requesterEmail": f"{unique('prio')}@customer.example", "priority": "urgent",
    })
    assert ok.status_code == 201
    assert ok.json()["priority"] == "urgent"


def test_get_unknown_ticket_is_404(client):
    assert client.get("/api/tickets/987654321").status_code == 404
    assert client.patch("/api/tickets/987654321", json={"priority": "low"}).status_code == 404
    assert client.post("/api/tickets/987654321/status", json={"status": "closed"}).status_code == 404
    agent = make_agent(client, "ghost")
    assert client.post("/api/tickets/987654321/assign", json={"agentId": agent["id"]}).status_code == 404
    assert client.delete("/api/tickets/987654321").status_code == 404


def test_list_filters(client):
    agent = make_agent(client, "filters")
    first = make_ticket(client, "filters-a", priority="high")
    second = make_ticket(client, "filters-b", priority="low")
    third = make_ticket(client, "filters-c", priority="high")
    assert client.post(f"/api/tickets/{first['id']}/assign", json={"agentId": agent["id"]}).status_code == 200
    assert client.post(f"/api/tickets/{third['id']}/assign", json={"agentId": agent["id"]}).status_code == 200
    assert client.post(f"/api/tickets/{third['id']}/status", json={"status": "in_progress"}).status_code == 200

    mine = client.get("/api/tickets", params={"assigneeId": agent["id"]})
    assert mine.status_code == 200
    assert [t["id"] for t in mine.json()] == [first["id"], third["id"]]

    mine_in_progress = client.get("/api/tickets", params={"assigneeId": agent["id"], "status": "in_progress"})
    assert [t["id"] for t in mine_in_progress.json()] == [third["id"]]

    mine_high_open = client.get("/api/tickets", params={"assigneeId": agent["id"], "status": "open", "priority": "high"})
    assert [t["id"] for t in mine_high_open.json()] == [first["id"]]

    low = client.get("/api/tickets", params={"priority": "low"})
    assert low.status_code == 200
    ids = [t["id"] for t in low.json()]
    assert second["id"] in ids and first["id"] not in ids
    assert all(t["priority"] == "low" for t in low.json())
    assert ids == sorted(ids)

    assert client.get("/api/tickets", params={"status": "pending"}).status_code == 400
    assert client.get("/api/tickets", params={"priority": "p1"}).status_code == 400


def test_patch_ticket(client):
    ticket = make_ticket(client, "patch")
    response = client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "urgent", "subject": "Renamed subject"})
    assert response.status_code == 200
    body = response.json()
    assert body["priority"] == "urgent"
    assert body["subject"] == "Renamed subject"
    assert body["description"] == ticket["description"]
    assert client.get(f"/api/tickets/{ticket['id']}").json()["priority"] == "urgent"

    assert client.patch(f"/api/tickets/{ticket['id']}", json={}).status_code == 400
    assert client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "asap"}).status_code == 400

    assert client.post(f"/api/tickets/{ticket['id']}/status", json={"status": "closed"}).status_code == 200
    frozen = client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "low"})
    assert frozen.status_code == 409
    assert client.get(f"/api/tickets/{ticket['id']}").json()["priority"] == "urgent"


def test_assign_rules(client):
    ticket = make_ticket(client, "assign")
    agent = make_agent(client, "assign")

    assert client.post(f"/api/tickets/{ticket['id']}/assign", json={}).status_code == 400
    assert client.post(f"/api/tickets/{ticket['id']}/assign", json={"agentId": "one"}).status_code == 400
    assert client.post(f"/api/tickets/{ticket['id']}/assign", json={"agentId": 987654321}).status_code == 422

    idle = make_agent(client, "assign-idle")
    assert client.post(f"/api/agents/{idle['id']}/deactivate", json={}).status_code == 200
    assert client.post(f"/api/tickets/{ticket['id']}/assign", json={"agentId": idle["id"]}).status_code == 422

    response = client.post(f"/api/tickets/{ticket['id']}/assign", json={"agentId": agent["id"]})
    assert response.status_code == 200
    assert response.json()["assigneeId"] == agent["id"]
    assert response.json()["status"] == "open"
    assert client.get(f"/api/tickets/{ticket['id']}").json()["assigneeId"] == agent["id"]

    assert client.post(f"/api/tickets/{ticket['id']}/status", json={"status": "resolved"}).status_code == 200
    other = make_agent(client, "assign-late")
    late = client.post(f"/api/tickets/{ticket['id']}/assign", json={"agentId": other["id"]})
    assert late.status_code == 409
    assert client.get(f"/api/tickets/{ticket['id']}").json()["assigneeId"] == agent["id"]


def test_status_workflow(client):
    ticket = make_ticket(client, "workflow")
    tid = ticket["id"]

    unassigned = client.post(f"/api/tickets/{tid}/status", json={"status": "in_progress"})
    assert unassigned.status_code == 409
    assert client.post(f"/api/tickets/{tid}/status", json={"status": "waiting"}).status_code == 400
    assert client.post(f"/api/tickets/{tid}/status", json={}).status_code == 400

    agent = make_agent(client, "workflow")
    assert client.post(f"/api/tickets/{tid}/assign", json={"agentId": agent["id"]}).status_code == 200

    started = client.post(f"/api/tickets/{tid}/status", json={"status": "in_progress"})
    assert started.status_code == 200
    assert started.json()["status"] == "in_progress"

    resolved = client.post(f"/api/tickets/{tid}/status", json={"status": "resolved"})
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"

    assert client.post(f"/api/tickets/{tid}/status", json={"status": "in_progress"}).status_code == 409
    assert client.post(f"/api/tickets/{tid}/status", json={"status": "resolved"}).status_code == 409

    reopened = client.post(f"/api/tickets/{tid}/status", json={"status": "open"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"

    assert client.post(f"/api/tickets/{tid}/status", json={"status": "closed"}).status_code == 200
    for target in ("open", "in_progress", "resolved", "closed"):
        assert client.post(f"/api/tickets/{tid}/status", json={"status": target}).status_code == 409
    assert client.get(f"/api/tickets/{tid}").json()["status"] == "closed"


def test_delete_ticket(client):
    ticket = make_ticket(client, "delete")
    response = client.delete(f"/api/tickets/{ticket['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/tickets/{ticket['id']}").status_code == 404
    assert client.delete(f"/api/tickets/{ticket['id']}").status_code == 404
