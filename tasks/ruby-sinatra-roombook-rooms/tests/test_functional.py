import os

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:4567").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def create_room(client, **fields):
    response = client.post("/rooms", json=fields)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_room_normalizes_and_defaults(client):
    response = client.post(
        "/rooms", json={"name": "  rm-create Atlas  ", "capacity": 12, "features": ["Projector", "whiteboard", "projector "]}
    )
    assert response.status_code == 201, response.text
    room = response.json()
    assert isinstance(room["id"], int)
    assert room["name"] == "rm-create Atlas"
    assert room["capacity"] == 12
    assert room["floor"] == 0
    assert room["features"] == ["projector", "whiteboard"]
    assert isinstance(room["created_at"], str)

    fetched = client.get(f"/rooms/{room['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == room


def test_duplicate_room_name_is_a_conflict(client):
    create_room(client, name="rm-dup Borealis", capacity=4)
    duplicate = client.post("/rooms", json={"name": "RM-DUP borealis", "capacity": 6})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"] == "conflict"


def test_create_room_validation(client):
    bad = client.post("/rooms", json={"capacity": 0, "floor": "two", "features": "tv"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "validation_failed"
    assert {"name", "capacity", "floor", "features"} <= set(body["details"])

    too_big = client.post("/rooms", json={"name": "rm-validation huge", "capacity": 501})
    assert too_big.status_code == 422
    assert "capacity" in too_big.json()["details"]

    text_capacity = client.post("/rooms", json={"name": "rm-validation text", "capacity": "10"})
    assert text_capacity.status_code == 422

    not_object = client.post("/rooms", json=["rm-validation list"])
    assert not_object.status_code == 400
    malformed = client.post("/rooms", content=b"{oops", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400

    names = [r["name"] for r in client.get("/rooms").json()["rooms"]]
    assert "rm-validation huge" not in names
    assert "rm-validation text" not in names


def test_get_unknown_room_is_404(client):
    assert client.get("/rooms/987654321").status_code == 404
    response = client.get("/rooms/not-a-number")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_list_rooms_with_filters(client):
    small = create_room(client, name="rm-list small", capacity=2, features=["phone"])
    large = create_room(client, name="rm-list large", capacity=40, features=["Stage", "phone"])
    medium = create_room(client, name="rm-list medium", capacity=10, features=["stage"])

    everything = client.get("/rooms")
    assert everything.status_code == 200
    body = everything.json()
    assert body["count"] == len(body["rooms"])
    ids = [r["id"] for r in body["rooms"]]
    assert {small["id"], large["id"], medium["id"]} <= set(ids)
    assert ids == sorted(ids)

    big = client.get("/rooms", params={"min_capacity": 10}).json()["rooms"]
    big_ids = {r["id"] for r in big}
    assert {large["id"], medium["id"]} <= big_ids
    assert small["id"] not in big_ids
    assert all(r["capacity"] >= 10 for r in big)

    staged = client.get("/rooms", params={"feature": "STAGE", "min_capacity": 20}).json()["rooms"]
    staged_ids = {r["id"] for r in staged}
    assert large["id"] in staged_ids
    assert medium["id"] not in staged_ids and small["id"] not in staged_ids
    assert all("stage" in r["features"] for r in staged)

    assert client.get("/rooms", params={"min_capacity": "many"}).status_code == 422
    assert client.get("/rooms", params={"min_capacity": 0}).status_code == 422


def test_patch_room_updates_only_given_fields(client):
    room = create_room(client, name="rm-patch Cedar", capacity=8, floor=3, features=["tv"])
    create_room(client, name="rm-patch Taken", capacity=8)

    response = client.patch(f"/rooms/{room['id']}", json={"capacity": 16, "features": ["Whiteboard"]})
    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "rm-patch Cedar"
    assert updated["capacity"] == 16
    assert updated["floor"] == 3
    assert updated["features"] == ["whiteboard"]
    assert client.get(f"/rooms/{room['id']}").json()["capacity"] == 16

    renamed = client.patch(f"/rooms/{room['id']}", json={"name": "rm-patch CEDAR"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "rm-patch CEDAR"

    conflict = client.patch(f"/rooms/{room['id']}", json={"name": "rm-patch taken"})
    assert conflict.status_code == 409

    invalid = client.patch(f"/rooms/{room['id']}", json={"capacity": -1, "floor": None})
    assert invalid.status_code == 422
    assert {"capacity", "floor"} <= set(invalid.json()["details"])
    assert client.get(f"/rooms/{room['id']}").json()["capacity"] == 16

    assert client.patch("/rooms/987654321", json={"capacity": 3}).status_code == 404


def test_delete_room(client):
    room = create_room(client, name="rm-delete Dune", capacity=5)
    response = client.delete(f"/rooms/{room['id']}")
    assert response.status_code == 204
    assert client.get(f"/rooms/{room['id']}").status_code == 404
    assert client.delete(f"/rooms/{room['id']}").status_code == 404


def test_delete_room_with_confirmed_booking_is_a_conflict(client):
    room = create_room(client, name="rm-delete Busy", capacity=5)
    booked = client.post(
        f"/rooms/{room['id']}/bookings",
        json={"title": "Sync", "organizer": "lead@example.com", "attendees": 3,
              "starts_at": "2032-01-05T09:00:00Z", "ends_at": "2032-01-05T10:00:00Z"},
    )
    assert booked.status_code == 201
    response = client.delete(f"/rooms/{room['id']}")
    assert response.status_code == 409
    assert response.json()["details"]["confirmed_bookings"] == 1
    assert client.get(f"/rooms/{room['id']}").status_code == 200

    assert client.post(f"/bookings/{booked.json()['id']}/cancel").status_code == 200
    assert client.delete(f"/rooms/{room['id']}").status_code == 204
