"""Hidden tests for the comment endpoints of the helpdesk service (CommentService)."""
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


def make_ticket(client, label):
    response = client.post("/api/tickets", json={
        "subject": f"Issue {unique(label)}",
        "description": f"Details for {label}",
        "requesterEmail": f"{unique(label)}@customer.example",
    })
    assert response.status_code == 201, response.text
    return response.json()


def set_status(client, ticket_id, status):
    response = client.post(f"/api/tickets/{ticket_id}/status", json={"status": status})
    assert response.status_code == 200, response.text


def test_add_comment(client):
    ticket = make_ticket(client, "add")
    response = client.post(f"/api/tickets/{ticket['id']}/comments",
                           json={"author": "  Riley Add  ", "body": "  Tried restarting the router.  "})
    assert response.status_code == 201
    comment = response.json()
    assert isinstance(comment["id"], int)
    assert comment["ticketId"] == ticket["id"]
    assert comment["author"] == "Riley Add"
    assert comment["body"] == "Tried restarting the router."
    assert comment["internal"] is False
    assert comment["createdAt"]
    assert response.headers["location"] == f"/api/tickets/{ticket['id']}/comments/{comment['id']}"

    note = client.post(f"/api/tickets/{ticket['id']}/comments",
                       json={"author": "Agent Kim", "body": "Escalate to network team", "internal": True})
    assert note.status_code == 201
    assert note.json()["internal"] is True

    refreshed = client.get(f"/api/tickets/{ticket['id']}").json()
    assert refreshed["commentCount"] == 2


def test_add_comment_validation(client):
    ticket = make_ticket(client, "validation")
    url = f"/api/tickets/{ticket['id']}/comments"

    missing = client.post(url, json={})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {"author", "body"}

    short_author = client.post(url, json={"author": "R", "body": "hello"})
    assert short_author.status_code == 400
    assert "author" in short_author.json()["errors"]

    blank_body = client.post(url, json={"author": "Riley", "body": "   "})
    assert blank_body.status_code == 400
    assert "body" in blank_body.json()["errors"]

    too_long = client.post(url, json={"author": "Riley", "body": "x" * 2001})
    assert too_long.status_code == 400

    bad_flag = client.post(url, json={"author": "Riley", "body": "hello", "internal": "yes"})
    assert bad_flag.status_code == 400
    assert "internal" in bad_flag.json()["errors"]

    malformed = client.post(url, content=b"[1, 2]", headers={"content-type": "application/json"})
    assert malformed.status_code == 400

    assert client.get(url).json() == []


def test_list_comments_in_order_and_hide_internal(client):
    ticket = make_ticket(client, "list")
    url = f"/api/tickets/{ticket['id']}/comments"
    first = client.post(url, json={"author": "Customer", "body": "first"}).json()
    second = client.post(url, json={"author": "Agent", "body": "second", "internal": True}).json()
    third = client.post(url, json={"author": "Customer", "body": "third", "internal": False}).json()

    everything = client.get(url)
    assert everything.status_code == 200
    assert [c["id"] for c in everything.json()] == [first["id"], second["id"], third["id"]]
    assert [c["body"] for c in everything.json()] == ["first", "second", "third"]

    explicit = client.get(url, params={"includeInternal": "true"})
    assert [c["id"] for c in explicit.json()] == [first["id"], second["id"], third["id"]]

    public = client.get(url, params={"includeInternal": "false"})
    assert public.status_code == 200
    assert [c["id"] for c in public.json()] == [first["id"], third["id"]]
    assert all(c["internal"] is False for c in public.json())

    other = make_ticket(client, "list-other")
    assert client.get(f"/api/tickets/{other['id']}/comments").json() == []


def test_unknown_ticket_is_404(client):
    url = "/api/tickets/987654321/comments"
    assert client.post(url, json={"author": "Riley", "body": "hello"}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.delete(f"{url}/1").status_code == 404


def test_closed_ticket_rejects_comments(client):
    ticket = make_ticket(client, "closed")
    url = f"/api/tickets/{ticket['id']}/comments"
    assert client.post(url, json={"author": "Riley", "body": "before close"}).status_code == 201
    set_status(client, ticket["id"], "closed")

    rejected = client.post(url, json={"author": "Riley", "body": "after close"})
    assert rejected.status_code == 409
    rejected_note = client.post(url, json={"author": "Agent", "body": "note", "internal": True})
    assert rejected_note.status_code == 409

    listed = client.get(url)
    assert listed.status_code == 200
    assert [c["body"] for c in listed.json()] == ["before close"]


def test_public_comment_reopens_resolved_ticket(client):
    ticket = make_ticket(client, "reopen")
    url = f"/api/tickets/{ticket['id']}/comments"
    set_status(client, ticket["id"], "resolved")

    note = client.post(url, json={"author": "Agent", "body": "closing notes", "internal": True})
    assert note.status_code == 201
    assert client.get(f"/api/tickets/{ticket['id']}").json()["status"] == "resolved"

    reply = client.post(url, json={"author": "Customer", "body": "Still broken!"})
    assert reply.status_code == 201
    assert client.get(f"/api/tickets/{ticket['id']}").json()["status"] == "open"

    open_ticket = make_ticket(client, "reopen-open")
    assert client.post(f"/api/tickets/{open_ticket['id']}/comments",
                       json={"author": "Customer", "body": "hello"}).status_code == 201
    assert client.get(f"/api/tickets/{open_ticket['id']}").json()["status"] == "open"


def test_delete_comment(client):
    ticket = make_ticket(client, "delete")
    url = f"/api/tickets/{ticket['id']}/comments"
    keep = client.post(url, json={"author": "Riley", "body": "keep me"}).json()
    drop = client.post(url, json={"author": "Riley", "body": "drop me"}).json()

    response = client.delete(f"{url}/{drop['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert [c["id"] for c in client.get(url).json()] == [keep["id"]]
    assert client.get(f"/api/tickets/{ticket['id']}").json()["commentCount"] == 1

    assert client.delete(f"{url}/{drop['id']}").status_code == 404

    other = make_ticket(client, "delete-other")
    assert client.delete(f"/api/tickets/{other['id']}/comments/{keep['id']}").status_code == 404
    assert [c["id"] for c in client.get(url).json()] == [keep["id"]]
