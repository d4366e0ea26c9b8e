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


def make_event(client, **fields) -> dict:
    body = {"title": f"Event {uid()}", "starts_at": "2030-01-15T18:00:00Z", "capacity": 10}
    body.update(fields)
    response = client.post("/api/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def register(client, event_id: int, name: str = "Guest") -> dict:
    response = client.post(f"/api/events/{event_id}/registrations",
                           json={"name": name, "email": f"{uid()}@example.com"})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_event_normalizes_fields(client):
    title = f"  PHP meetup {uid()} "
    response = client.post("/api/events", json={
        "title": title,
        "starts_at": "2030-05-01T20:00:00+02:00",
        "capacity": 50,
        "location": "Room 2",
        "description": "Talks and pizza",
        "tags": ["PHP", " meetup ", "php"],
    })
    assert response.status_code == 201
    event = response.json()
    assert isinstance(event["id"], int)
    assert event["title"] == title.strip()
    assert event["starts_at"] == "2030-05-01T18:00:00Z"
    assert event["capacity"] == 50
    assert event["location"] == "Room 2"
    assert event["description"] == "Talks and pizza"
    assert event["tags"] == ["meetup", "php"]
    assert event["seats"] == {"confirmed": 0, "waitlisted": 0, "available": 50}
    assert event["created_at"] and event["updated_at"]
    assert response.headers["location"] == f"/api/events/{event['id']}"

    fetched = client.get(f"/api/events/{event['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == event


def test_create_validation(client):
    response = client.post("/api/events", json={
        "title": "ab", "starts_at": "next friday", "capacity": 0, "tags": ["ok", "Not OK!"]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"title", "starts_at", "capacity", "tags"}

    missing = client.post("/api/events", json={"description": "no title"})
    assert missing.status_code == 422
    assert {"title", "starts_at", "capacity"} <= set(missing.json()["error"]["fields"])

    as_string = client.post("/api/events", json={
        "title": "Valid title", "starts_at": "2030-01-01T10:00:00Z", "capacity": "10"})
    assert as_string.status_code == 422
    assert set(as_string.json()["error"]["fields"]) == {"capacity"}

    malformed = client.post("/api/events", content=b'{"title": ', headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "bad_request"

    defaults = make_event(client)
    assert defaults["description"] == "" and defaults["location"] == "" and defaults["tags"] == []


def test_list_filters_and_order(client):
    tag = f"t{uid()}"
    late = make_event(client, title="Late talk", starts_at="2031-03-10T18:00:00Z", tags=[tag])
    early = make_event(client, title="Early workshop", starts_at="2031-03-01T09:00:00Z", tags=[tag, "workshop"])
    middle = make_event(client, title="Middle meetup", starts_at="2031-03-05T12:00:00+01:00",
                        location="Secret Basement", tags=[tag])

    response = client.get("/api/events", params={"tag": tag.upper()})
    assert response.status_code == 200
    body = response.json()
    assert [e["id"] for e in body["items"]] == [early["id"], middle["id"], late["id"]]
    assert body["count"] == 3

    ranged = client.get("/api/events", params={
        "tag": tag, "from": "2031-03-05T11:00:00Z", "to": "2031-03-10T18:00:00Z"}).json()
    assert [e["id"] for e in ranged["items"]] == [middle["id"], late["id"]]

    searched = client.get("/api/events", params={"tag": tag, "q": "basement"}).json()
    assert [e["id"] for e in searched["items"]] == [middle["id"]]

    both = client.get("/api/events", params={"tag": tag, "q": "WORKSHOP"}).json()
    assert [e["id"] for e in both["items"]] == [early["id"]]

    assert client.get("/api/events", params={"from": "yesterday"}).status_code == 400


def test_seats_reflect_registrations(client):
    event = make_event(client, capacity=2)
    register(client, event["id"], "A")
    register(client, event["id"], "B")
    waitlisted = register(client, event["id"], "C")
    assert waitlisted["status"] == "waitlisted"

    fetched = client.get(f"/api/events/{event['id']}").json()
    assert fetched["seats"] == {"confirmed": 2, "waitlisted": 1, "available": 0}


def test_patch_fields(client):
    event = make_event(client, title="Original title", location="Hall", tags=["a"])
    response = client.patch(f"/api/events/{event['id']}", json={
        "title": "Renamed event", "starts_at": "2030-02-01T08:30:00.000Z", "location": None, "tags": ["B", "c"]})
    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "Renamed event"
    assert updated["starts_at"] == "2030-02-01T08:30:00Z"
    assert updated["location"] == ""
    assert updated["tags"] == ["b", "c"]
    assert updated["capacity"] == event["capacity"]
    assert updated["created_at"] == event["created_at"]

    invalid = client.patch(f"/api/events/{event['id']}", json={"title": None, "capacity": 20000})
    assert invalid.status_code == 422
    assert set(invalid.json()["error"]["fields"]) == {"title", "capacity"}
    assert client.get(f"/api/events/{event['id']}").json()["title"] == "Renamed event"

    assert client.patch("/api/events/987654321", json={"title": "Nobody"}).status_code == 404
    assert client.get("/api/events/987654321").status_code == 404


def test_patch_capacity_rules_promote_waitlist(client):
    event = make_event(client, capacity=1)
    first = register(client, event["id"], "First")
    second = register(client, event["id"], "Second")
    third = register(client, event["id"], "Third")
    assert [first["status"], second["status"], third["status"]] == ["confirmed", "waitlisted", "waitlisted"]

    raised = client.patch(f"/api/events/{event['id']}", json={"capacity": 2})
    assert raised.status_code == 200
    assert raised.json()["capacity"] == 2
    assert raised.json()["seats"] == {"confirmed": 2, "waitlisted": 1, "available": 0}
    assert client.get(f"/api/registrations/{second['id']}").json()["status"] == "confirmed"
    assert client.get(f"/api/registrations/{third['id']}").json()["status"] == "waitlisted"

    lowered = client.patch(f"/api/events/{event['id']}", json={"capacity": 1})
    assert lowered.status_code == 409
    assert lowered.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/events/{event['id']}").json()["capacity"] == 2


def test_delete_event_rules(client):
    empty = make_event(client)
    response = client.delete(f"/api/events/{empty['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/events/{empty['id']}").status_code == 404
    assert client.delete(f"/api/events/{empty['id']}").status_code == 404

    busy = make_event(client)
    registration = register(client, busy["id"])
    assert client.delete(f"/api/events/{busy['id']}").status_code == 409

    assert client.post(f"/api/registrations/{registration['id']}/cancel").status_code == 200
    assert client.delete(f"/api/events/{busy['id']}").status_code == 204
    assert client.get(f"/api/events/{busy['id']}").status_code == 404
