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


def make_agent(client) -> dict:
    response = client.post("/api/agents", json={"name": "Agent", "email": f"agent-{tag()}@example.com"})
    assert response.status_code == 201, response.text
    return response.json()


def make_ticket(client, assigned: bool = False) -> dict:
    body = {"subject": f"Issue {tag()}", "description": "Broken",
            "requester_email": f"user-{tag()}@example.com"}
    if assigned:
        body["assignee_id"] = make_agent(client)["id"]
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def move(client, ticket_id: int, status: str) -> httpx.Response:
    return client.post(f"/api/tickets/{ticket_id}/transitions", json={"status": status})


def test_full_lifecycle_sets_timestamps(client):
    ticket = make_ticket(client, assigned=True)

    started = move(client, ticket["id"], "in_progress")
    assert started.status_code == 200
    assert started.json()["status"] == "in_progress"
    assert started.json()["id"] == ticket["id"]
    assert started.json()["assignee_id"] == ticket["assignee_id"]

    resolved = move(client, ticket["id"], "resolved")
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["status"] == "resolved"
    assert body["resolved_at"] is not None
    assert body["closed_at"] is None

    closed = move(client, ticket["id"], "closed")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert closed.json()["resolved_at"] == body["resolved_at"]

    fetched = client.get(f"/api/tickets/{ticket['id']}").json()
    assert fetched["status"] == "closed"
    assert client.get(f"/api/tickets/{ticket['id']}/transitions").json()["allowed"] == []


def test_illegal_transitions_conflict(client):
    ticket = make_ticket(client)

    assert move(client, ticket["id"], "open").status_code == 409          # same status
    unassigned = move(client, ticket["id"], "in_progress")                # needs an assignee
    assert unassigned.status_code == 409
    assert unassigned.json()["message"]

    assert move(client, ticket["id"], "on_hold").status_code == 200
    assert move(client, ticket["id"], "resolved").status_code == 409      # on_hold -> resolved
    assert client.get(f"/api/tickets/{ticket['id']}").json()["status"] == "on_hold"

    assert move(client, ticket["id"], "open").status_code == 200
    assert move(client, ticket["id"], "closed").status_code == 200
    for target in ["open", "resolved", "in_progress"]:
        assert move(client, ticket["id"], target).status_code == 409       # closed is final


def test_transition_validation_and_missing_ticket(client):
    ticket = make_ticket(client)
    bad = move(client, ticket["id"], "done")
    assert bad.status_code == 422
    assert "status" in bad.json()["errors"]

    empty = client.post(f"/api/tickets/{ticket['id']}/transitions", json={})
    assert empty.status_code == 422
    assert "status" in empty.json()["errors"]

    assert move(client, 987654321, "closed").status_code == 404
    assert client.get(f"/api/tickets/{ticket['id']}").json()["status"] == "open"


def test_reopen_clears_resolved_at(client):
    ticket = make_ticket(client)
    assert move(client, ticket["id"], "resolved").json()["resolved_at"] is not None

    reopened = move(client, ticket["id"], "open")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"
    assert reopened.json()["resolved_at"] is None


def test_comments_create_and_list_with_visibility(client):
    ticket = make_ticket(client)
    first = client.post(f"/api/tickets/{ticket['id']}/comments",
                        json={"author_email": "Helper@Example.com", "body": "Have you tried turning it off?"})
    assert first.status_code == 201
    data = first.json()
    assert data["ticket_status"] == "open"
    comment = data["comment"]
    assert isinstance(comment["id"], int)
    assert comment["ticket_id"] == ticket["id"]
    assert comment["author_email"] == "helper@example.com"
    assert comment["body"] == "Have you tried turning it off?"
    assert comment["internal"] is False
    assert comment["created_at"]

    second = client.post(f"/api/tickets/{ticket['id']}/comments",
                         json={"author_email": "lead@example.com", "body": "Escalate if needed", "internal": True})
    assert second.status_code == 201
    assert second.json()["comment"]["internal"] is True

    everything = client.get(f"/api/tickets/{ticket['id']}/comments")
    assert everything.status_code == 200
    assert [c["id"] for c in everything.json()["data"]] == [comment["id"], second.json()["comment"]["id"]]
    assert client.get(f"/api/tickets/{ticket['id']}/comments", params={"visibility": "all"}).json() == everything.json()

    public = client.get(f"/api/tickets/{ticket['id']}/comments", params={"visibility": "public"}).json()
    assert [c["id"] for c in public["data"]] == [comment["id"]]
    assert client.get(f"/api/tickets/{ticket['id']}/comments", params={"visibility": "secret"}).status_code == 422

    assert client.get(f"/api/tickets/{ticket['id']}").json()["comments_count"] == 2


def test_comment_validation_and_missing_ticket(client):
    ticket = make_ticket(client)
    response = client.post(f"/api/tickets/{ticket['id']}/comments",
                           json={"author_email": "nope", "internal": "yes"})
    assert response.status_code == 422
    assert {"author_email", "body", "internal"} <= set(response.json()["errors"])
    assert client.get(f"/api/tickets/{ticket['id']}/comments").json()["data"] == []

    assert client.post("/api/tickets/987654321/comments",
                       json={"author_email": "a@example.com", "body": "hi"}).status_code == 404
    assert client.get("/api/tickets/987654321/comments").status_code == 404


def test_requester_reply_reopens_resolved_ticket(client):
    ticket = make_ticket(client)
    assert move(client, ticket["id"], "resolved").status_code == 200

    internal = client.post(f"/api/tickets/{ticket['id']}/comments", json={
        "author_email": ticket["requester_email"], "body": "note to self", "internal": True})
    assert internal.status_code == 201
    assert internal.json()["ticket_status"] == "resolved"

    other = client.post(f"/api/tickets/{ticket['id']}/comments", json={
        "author_email": "someone-else@example.com", "body": "thanks!"})
    assert other.json()["ticket_status"] == "resolved"

    reply = client.post(f"/api/tickets/{ticket['id']}/comments", json={
        "author_email": ticket["requester_email"].upper(), "body": "Still broken"})
    assert reply.status_code == 201
    assert reply.json()["ticket_status"] == "open"

    fetched = client.get(f"/api/tickets/{ticket['id']}").json()
    assert fetched["status"] == "open"
    assert fetched["resolved_at"] is None
    assert fetched["comments_count"] == 3


def test_closed_ticket_rejects_comments(client):
    ticket = make_ticket(client)
    assert move(client, ticket["id"], "closed").status_code == 200
    response = client.post(f"/api/tickets/{ticket['id']}/comments",
                           json={"author_email": "late@example.com", "body": "hello?"})
    assert response.status_code == 409
    assert client.get(f"/api/tickets/{ticket['id']}/comments").json()["data"] == []
