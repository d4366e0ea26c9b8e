import os

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def make_customer(client, slug):
    response = client.post("/customers", json={"name": f"Customer {slug}", "email": f"{slug}@tickets-test.example"})
    assert response.status_code == 201, response.text
    return response.json()


def make_ticket(client, customer_id, subject, **extra):
    response = client.post("/tickets", json={"customer_id": customer_id, "subject": subject, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def transition(client, ticket_id, **body):
    return client.post(f"/tickets/{ticket_id}/transition", json=body)


def test_create_ticket_with_defaults_and_show(client):
    customer = make_customer(client, "tk-create")
    response = client.post("/tickets", json={"customer_id": customer["id"], "subject": "  VPN drops every hour  ",
                                             "assignee": " Agent.Smith@Support.Example "})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert isinstance(ticket["id"], int)
    assert ticket["reference"] == "HD-%06d" % ticket["id"]
    assert ticket["customer_id"] == customer["id"]
    assert ticket["subject"] == "VPN drops every hour"
    assert ticket["description"] == ""
    assert ticket["priority"] == "normal"
    assert ticket["status"] == "open"
    assert ticket["assignee"] == "agent.smith@support.example"
    assert ticket["reopen_count"] == 0
    assert ticket["resolved_at"] is None and ticket["closed_at"] is None
    assert ticket["comments_count"] == 0

    shown = client.get(f"/tickets/{ticket['id']}")
    assert shown.status_code == 200
    assert shown.json()["subject"] == "VPN drops every hour"
    assert shown.json()["comments"] == []
    assert client.get("/tickets/99999999").status_code == 404

    assert client.get(f"/customers/{customer['id']}").json()["open_tickets"] == 1


def test_create_ticket_validation(client):
    customer = make_customer(client, "tk-validation")
    bad = client.post("/tickets", json={"customer_id": 99999999, "subject": "   ", "priority": "critical"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "validation_failed"
    assert {"customer_id", "subject", "priority"} <= set(body["details"])
    assert isinstance(body["details"]["subject"], list)

    wrong_types = client.post("/tickets", json={"customer_id": str(customer["id"]), "subject": 42})
    assert wrong_types.status_code == 422
    assert {"customer_id", "subject"} <= set(wrong_types.json()["details"])

    bad_assignee = client.post("/tickets", json={"customer_id": customer["id"], "subject": "x", "assignee": "nobody"})
    assert bad_assignee.status_code == 422
    assert "assignee" in bad_assignee.json()["details"]

    missing_customer = client.post("/tickets", json={"subject": "orphan"})
    assert missing_customer.status_code == 422
    assert "customer_id" in missing_customer.json()["details"]

    assert client.post("/tickets", content=b'["not", "an", "object"]', headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/tickets", content=b"{nope", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.get("/tickets", params={"customer_id": customer["id"]}).json()["count"] == 0


def test_list_tickets_filters_and_priority_order(client):
    customer = make_customer(client, "tk-list")
    other = make_customer(client, "tk-list-other")
    low = make_ticket(client, customer["id"], "tk-list Low printer", priority="low")
    urgent = make_ticket(client, customer["id"], "tk-list Urgent outage", priority="urgent")
    normal = make_ticket(client, customer["id"], "tk-list Normal PRINTER jam")
    urgent2 = make_ticket(client, customer["id"], "tk-list Second urgent", priority="urgent", assignee="ops@support.example")
    make_ticket(client, other["id"], "tk-list Other customer printer", priority="urgent")

    response = client.get("/tickets", params={"customer_id": customer["id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [t["id"] for t in body["tickets"]] == [urgent["id"], urgent2["id"], normal["id"], low["id"]]

    printers = client.get("/tickets", params={"customer_id": customer["id"], "q": "printer"}).json()
    assert [t["id"] for t in printers["tickets"]] == [normal["id"], low["id"]]

    urgent_only = client.get("/tickets", params={"customer_id": customer["id"], "priority": "urgent"}).json()
    assert [t["id"] for t in urgent_only["tickets"]] == [urgent["id"], urgent2["id"]]

    assigned = client.get("/tickets", params={"assignee": "OPS@support.example", "customer_id": customer["id"]}).json()
    assert [t["id"] for t in assigned["tickets"]] == [urgent2["id"]]

    assert transition(client, low["id"], status="resolved").status_code == 200
    active = client.get("/tickets", params={"customer_id": customer["id"], "status": "open,in_progress,waiting"}).json()
    assert [t["id"] for t in active["tickets"]] == [urgent["id"], urgent2["id"], normal["id"]]
    resolved = client.get("/tickets", params={"customer_id": customer["id"], "status": "resolved"}).json()
    assert [t["id"] for t in resolved["tickets"]] == [low["id"]]

    assert client.get("/tickets", params={"status": "open,archived"}).status_code == 422
    assert client.get("/tickets", params={"priority": "critical"}).status_code == 422
    assert client.get("/tickets", params={"customer_id": "abc"}).status_code == 422


def test_update_ticket_fields(client):
    customer = make_customer(client, "tk-update")
    ticket = make_ticket(client, customer["id"], "tk-update Slow disk", description="since Monday")

    response = client.patch(f"/tickets/{ticket['id']}", json={"priority": "high", "assignee": "Lead@Support.Example"})
    assert response.status_code == 200
    updated = response.json()
    assert updated["priority"] == "high"
    assert updated["assignee"] == "lead@support.example"
    assert updated["subject"] == "tk-update Slow disk"
    assert updated["description"] == "since Monday"
    assert updated["status"] == "open"

    invalid = client.patch(f"/tickets/{ticket['id']}", json={"priority": "asap", "subject": ""})
    assert invalid.status_code == 422
    assert {"priority", "subject"} <= set(invalid.json()["details"])
    assert client.get(f"/tickets/{ticket['id']}").json()["priority"] == "high"

    assert transition(client, ticket["id"], status="in_progress").status_code == 200
    unassign = client.patch(f"/tickets/{ticket['id']}", json={"assignee": None})
    assert unassign.status_code == 422
    assert "assignee" in unassign.json()["details"]

    assert transition(client, ticket["id"], status="resolved").status_code == 200
    assert transition(client, ticket["id"], status="closed").status_code == 200
    closed = client.patch(f"/tickets/{ticket['id']}", json={"priority": "low"})
    assert closed.status_code == 409
    assert closed.json()["error"] == "ticket_closed"
    assert client.patch("/tickets/99999999", json={"priority": "low"}).status_code == 404


def test_workflow_happy_path_with_reopen(client):
    customer = make_customer(client, "tk-workflow")
    ticket = make_ticket(client, customer["id"], "tk-workflow Email bounces")

    needs_assignee = transition(client, ticket["id"], status="in_progress")
    assert needs_assignee.status_code == 422
    assert "assignee" in needs_assignee.json()["details"]

    started = transition(client, ticket["id"], status="in_progress", assignee="Tier2@Support.Example", note="looking at MX records")
    assert started.status_code == 200
    body = started.json()
    assert body["status"] == "in_progress"
    assert body["assignee"] == "tier2@support.example"
    assert body["comments_count"] == 1
    assert body["comments"][0]["body"] == "looking at MX records"
    assert body["comments"][0]["internal"] is True
    assert body["comments"][0]["author"] == "tier2@support.example"

    waiting = transition(client, ticket["id"], status="waiting")
    assert waiting.status_code == 200 and waiting.json()["status"] == "waiting"

    resolved = transition(client, ticket["id"], status="resolved")
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    assert client.get(f"/customers/{customer['id']}").json()["open_tickets"] == 0

    reopened = transition(client, ticket["id"], status="open")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"
    assert reopened.json()["reopen_count"] == 1
    assert reopened.json()["resolved_at"] is None

    assert transition(client, ticket["id"], status="resolved").status_code == 200
    closed = transition(client, ticket["id"], status="closed")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert closed.json()["reopen_count"] == 1


def test_invalid_transitions(client):
    customer = make_customer(client, "tk-invalid")
    ticket = make_ticket(client, customer["id"], "tk-invalid Login loop")

    same = transition(client, ticket["id"], status="open")
    assert same.status_code == 409
    assert same.json()["error"] == "invalid_transition"
    assert same.json()["details"]["from"] == "open"
    assert same.json()["details"]["to"] == "open"
    assert same.json()["details"]["allowed"] == ["in_progress", "waiting", "resolved", "closed"]

    assert transition(client, ticket["id"], status="in_progress", assignee="a@support.example").status_code == 200
    to_closed = transition(client, ticket["id"], status="closed")
    assert to_closed.status_code == 409
    assert to_closed.json()["details"]["allowed"] == ["open", "waiting", "resolved"]

    unknown = transition(client, ticket["id"], status="archived")
    assert unknown.status_code == 422
    assert "status" in unknown.json()["details"]
    missing = client.post(f"/tickets/{ticket['id']}/transition", json={})
    assert missing.status_code == 422

    assert transition(client, ticket["id"], status="resolved").status_code == 200
    assert transition(client, ticket["id"], status="closed").status_code == 200
    final = transition(client, ticket["id"], status="open")
    assert final.status_code == 409
    assert final.json()["details"]["allowed"] == []
    assert client.get(f"/tickets/{ticket['id']}").json()["status"] == "closed"
    assert transition(client, 99999999, status="open").status_code == 404
