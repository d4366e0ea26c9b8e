import os
import uuid

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def uid() -> str:
    return uuid.uuid4().hex[:10]


def make_event(client, capacity: int) -> dict:
    response = client.post("/api/events", json={
        "title": f"Event {uid()}", "starts_at": "2030-06-01T18:00:00Z", "capacity": capacity})
    assert response.status_code == 201, response.text
    return response.json()


def register(client, event_id: int, name: str = "Guest", email: str | None = None) -> httpx.Response:
    return client.post(f"/api/events/{event_id}/registrations",
                       json={"name": name, "email": email or f"{uid()}@example.com"})


def test_register_confirmed_until_full_then_waitlisted(client):
    event = make_event(client, capacity=2)
    email = f"Ann.{uid()}@Example.com"
    first = register(client, event["id"], "  Ann Lee ", email)
    assert first.status_code == 201
    body = first.json()
    assert isinstance(body["id"], int)
    assert body["event_id"] == event["id"]
    assert body["name"] == "Ann Lee"
    assert body["email"] == email.lower()
    assert body["status"] == "confirmed"
    assert body["checked_in_at"] is None
    assert body["waitlist_position"] is None
    assert body["created_at"]
    assert first.headers["location"] == f"/api/registrations/{body['id']}"

    second = register(client, event["id"]).json()
    third = register(client, event["id"]).json()
    fourth = register(client, event["id"]).json()
    assert second["status"] == "confirmed"
    assert third["status"] == "waitlisted" and third["waitlist_position"] == 1
    assert fourth["status"] == "waitlisted" and fourth["waitlist_position"] == 2

    seats = client.get(f"/api/events/{event['id']}").json()["seats"]
    assert seats == {"confirmed": 2, "waitlisted": 2, "available": 0}

    fetched = client.get(f"/api/registrations/{fourth['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == fourth


def test_register_validation_duplicates_and_unknown_event(client):
    event = make_event(client, capacity=5)
    invalid = client.post(f"/api/events/{event['id']}/registrations", json={"name": "   ", "email": "not-an-email"})
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"name", "email"}

    missing = client.post(f"/api/events/{event['id']}/registrations", json={})
    assert missing.status_code == 422
    assert set(missing.json()["error"]["fields"]) == {"name", "email"}

    malformed = client.post(f"/api/events/{event['id']}/registrations", content=b"[1, 2",
                            headers={"content-type": "application/json"})
    assert malformed.status_code == 400

    email = f"dup-{uid()}@example.com"
    assert register(client, event["id"], "Dup", email).status_code == 201
    again = register(client, event["id"], "Dup again", email.upper())
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    other_event = make_event(client, capacity=5)
    assert register(client, other_event["id"], "Dup", email).status_code == 201

    assert register(client, 987654321).status_code == 404
    assert client.get("/api/registrations/987654321").status_code == 404


def test_list_registrations_with_status_filter(client):
    event = make_event(client, capacity=1)
    a = register(client, event["id"], "A").json()
    b = register(client, event["id"], "B").json()
    c = register(client, event["id"], "C").json()
    assert client.post(f"/api/registrations/{c['id']}/cancel").status_code == 200

    everything = client.get(f"/api/events/{event['id']}/registrations")
    assert everything.status_code == 200
    data = everything.json()
    assert [r["id"] for r in data["items"]] == [a["id"], b["id"], c["id"]]
    assert [r["status"] for r in data["items"]] == ["confirmed", "waitlisted", "cancelled"]
    assert data["count"] == 3

    waitlisted = client.get(f"/api/events/{event['id']}/registrations", params={"status": "waitlisted"}).json()
    assert [r["id"] for r in waitlisted["items"]] == [b["id"]]
    assert waitlisted["items"][0]["waitlist_position"] == 1

    cancelled = client.get(f"/api/events/{event['id']}/registrations", params={"status": "cancelled"}).json()
    assert [r["id"] for r in cancelled["items"]] == [c["id"]]
    assert cancelled["items"][0]["waitlist_position"] is None

    assert client.get(f"/api/events/{event['id']}/registrations", params={"status": "maybe"}).status_code == 400
    assert client.get("/api/events/987654321/registrations").status_code == 404


def test_cancel_confirmed_promotes_oldest_waitlisted(client):
    event = make_event(client, capacity=1)
    holder = register(client, event["id"], "Holder").json()
    next_in_line = register(client, event["id"], "Next").json()
    last = register(client, event["id"], "Last").json()
    assert last["waitlist_position"] == 2

    response = client.post(f"/api/registrations/{holder['id']}/cancel")
    assert response.status_code == 200
    body = response.json()
    assert body["registration"]["id"] == holder["id"]
    assert body["registration"]["status"] == "cancelled"
    assert body["promoted"]["id"] == next_in_line["id"]
    assert body["promoted"]["status"] == "confirmed"
    assert body["promoted"]["waitlist_position"] is None

    assert client.get(f"/api/registrations/{last['id']}").json()["waitlist_position"] == 1
    assert client.get(f"/api/events/{event['id']}").json()["seats"] == {"confirmed": 1, "waitlisted": 1, "available": 0}

    again = client.post(f"/api/registrations/{holder['id']}/cancel")
    assert again.status_code == 409
    assert client.post("/api/registrations/987654321/cancel").status_code == 404


def test_cancel_waitlisted_promotes_nobody_and_allows_reregistration(client):
    event = make_event(client, capacity=1)
    register(client, event["id"], "Holder")
    email = f"again-{uid()}@example.com"
    waiting = register(client, event["id"], "Waiting", email).json()
    assert waiting["status"] == "waitlisted"

    response = client.post(f"/api/registrations/{waiting['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["promoted"] is None
    assert response.json()["registration"]["status"] == "cancelled"

    back = register(client, event["id"], "Waiting", email)
    assert back.status_code == 201
    assert back.json()["status"] == "waitlisted"
    assert back.json()["waitlist_position"] == 1


def test_check_in_rules(client):
    event = make_event(client, capacity=1)
    confirmed = register(client, event["id"], "Confirmed").json()
    waiting = register(client, event["id"], "Waiting").json()

    response = client.post(f"/api/registrations/{confirmed['id']}/check-in")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == confirmed["id"]
    assert body["status"] == "confirmed"
    assert body["checked_in_at"] is not None
    assert body["checked_in_at"].endswith("Z")

    assert client.post(f"/api/registrations/{confirmed['id']}/check-in").status_code == 409
    assert client.post(f"/api/registrations/{waiting['id']}/check-in").status_code == 409
    assert client.post(f"/api/registrations/{confirmed['id']}/cancel").status_code == 409
    assert client.get(f"/api/registrations/{confirmed['id']}").json()["checked_in_at"] == body["checked_in_at"]
    assert client.post("/api/registrations/987654321/check-in").status_code == 404


def test_cancelled_registration_cannot_check_in(client):
    event = make_event(client, capacity=3)
    registration = register(client, event["id"]).json()
    assert client.post(f"/api/registrations/{registration['id']}/cancel").status_code == 200
    response = client.post(f"/api/registrations/{registration['id']}/check-in")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/events/{event['id']}").json()["seats"]["available"] == 3
