import os

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:4567").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def make_room(client, name, capacity=6):
    response = client.post("/rooms", json={"name": name, "capacity": capacity, "features": ["screen"]})
    assert response.status_code == 201, response.text
    return response.json()


def booking(title, start, end, attendees=3, organizer="ops@example.com"):
    return {"title": title, "organizer": organizer, "attendees": attendees, "starts_at": start, "ends_at": end}


def test_create_booking_returns_normalized_booking(client):
    room = make_room(client, "bk-create-room")
    response = client.post(
        f"/rooms/{room['id']}/bookings",
        json=booking("Planning", "2031-03-10T11:00:00+02:00", "2031-03-10T12:30:00+02:00", attendees=5),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["room_id"] == room["id"]
    assert body["title"] == "Planning"
    assert body["organizer"] == "ops@example.com"
    assert body["attendees"] == 5
    assert body["starts_at"] == "2031-03-10T09:00:00Z"
    assert body["ends_at"] == "2031-03-10T10:30:00Z"
    assert body["duration_minutes"] == 90
    assert body["status"] == "confirmed"
    assert body["cancelled_at"] is None

    fetched = client.get(f"/bookings/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["starts_at"] == "2031-03-10T09:00:00Z"
    assert fetched.json()["status"] == "confirmed"


def test_overlapping_booking_is_rejected_but_adjacent_is_allowed(client):
    room = make_room(client, "bk-overlap-room")
    first = client.post(f"/rooms/{room['id']}/bookings", json=booking("First", "2031-03-11T09:00:00Z", "2031-03-11T10:00:00Z"))
    assert first.status_code == 201
    first_id = first.json()["id"]

    clash = client.post(f"/rooms/{room['id']}/bookings", json=booking("Clash", "2031-03-11T09:45:00Z", "2031-03-11T10:15:00Z"))
    assert clash.status_code == 409
    assert clash.json()["error"] == "conflict"
    assert clash.json()["details"]["conflicting_booking_id"] == first_id

    inside = client.post(f"/rooms/{room['id']}/bookings", json=booking("Inside", "2031-03-11T09:15:00Z", "2031-03-11T09:30:00Z"))
    assert inside.status_code == 409

    before = client.post(f"/rooms/{room['id']}/bookings", json=booking("Before", "2031-03-11T08:00:00Z", "2031-03-11T09:00:00Z"))
    after = client.post(f"/rooms/{room['id']}/bookings", json=booking("After", "2031-03-11T10:00:00Z", "2031-03-11T11:00:00Z"))
    assert before.status_code == 201
    assert after.status_code == 201

    other_room = make_room(client, "bk-overlap-other-room")
    elsewhere = client.post(f"/rooms/{other_room['id']}/bookings", json=booking("Elsewhere", "2031-03-11T09:00:00Z", "2031-03-11T10:00:00Z"))
    assert elsewhere.status_code == 201


def test_booking_validation_errors(client):
    room = make_room(client, "bk-validation-room", capacity=4)
    url = f"/rooms/{room['id']}/bookings"

    too_many = client.post(url, json=booking("Crowd", "2031-03-12T09:00:00Z", "2031-03-12T10:00:00Z", attendees=5))
    assert too_many.status_code == 422
    assert too_many.json()["error"] == "validation_failed"
    assert "attendees" in too_many.json()["details"]

    off_grid = client.post(url, json=booking("Odd", "2031-03-12T09:10:00Z", "2031-03-12T10:00:00Z"))
    assert off_grid.status_code == 422
    assert "starts_at" in off_grid.json()["details"]

    reversed_times = client.post(url, json=booking("Backwards", "2031-03-12T11:00:00Z", "2031-03-12T10:00:00Z"))
    assert reversed_times.status_code == 422
    assert "ends_at" in reversed_times.json()["details"]

    too_long = client.post(url, json=booking("Marathon", "2031-03-12T08:00:00Z", "2031-03-12T12:15:00Z"))
    assert too_long.status_code == 422
    assert "ends_at" in too_long.json()["details"]

    too_early = client.post(url, json=booking("Dawn", "2031-03-12T06:00:00Z", "2031-03-12T07:30:00Z"))
    assert too_early.status_code == 422
    assert "starts_at" in too_early.json()["details"]

    missing = client.post(url, json={"organizer": "not-an-email", "attendees": 2, "starts_at": "tomorrow", "ends_at": "2031-03-12T10:00:00Z"})
    assert missing.status_code == 422
    details = missing.json()["details"]
    assert {"title", "organizer", "starts_at"} <= set(details)

    malformed = client.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400

    unknown_room = client.post("/rooms/99999999/bookings", json=booking("Ghost", "2031-03-12T09:00:00Z", "2031-03-12T10:00:00Z"))
    assert unknown_room.status_code == 404

    listing = client.get(f"/rooms/{room['id']}/bookings")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0


def test_cancel_booking_frees_the_slot(client):
    room = make_room(client, "bk-cancel-room")
    url = f"/rooms/{room['id']}/bookings"
    created = client.post(url, json=booking("Retro", "2031-03-13T15:00:00Z", "2031-03-13T16:00:00Z"))
    assert created.status_code == 201
    booking_id = created.json()["id"]

    cancelled = client.post(f"/bookings/{booking_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"] is not None
    assert client.get(f"/bookings/{booking_id}").json()["status"] == "cancelled"

    again = client.post(f"/bookings/{booking_id}/cancel")
    assert again.status_code == 409

    rebooked = client.post(url, json=booking("Retro again", "2031-03-13T15:00:00Z", "2031-03-13T16:00:00Z"))
    assert rebooked.status_code == 201

    assert client.post("/bookings/99999999/cancel").status_code == 404
    assert client.get("/bookings/99999999").status_code == 404


def test_list_bookings_filters_by_date_and_status(client):
    room = make_room(client, "bk-list-room")
    url = f"/rooms/{room['id']}/bookings"
    late = client.post(url, json=booking("Late", "2031-03-14T17:00:00Z", "2031-03-14T18:00:00Z")).json()
    early = client.post(url, json=booking("Early", "2031-03-14T08:00:00Z", "2031-03-14T09:00:00Z")).json()
    next_day = client.post(url, json=booking("Next day", "2031-03-15T08:00:00Z", "2031-03-15T09:00:00Z")).json()
    dropped = client.post(url, json=booking("Dropped", "2031-03-14T12:00:00Z", "2031-03-14T13:00:00Z")).json()
    assert client.post(f"/bookings/{dropped['id']}/cancel").status_code == 200

    everything = client.get(url)
    assert everything.status_code == 200
    assert everything.json()["count"] == 4
    assert [b["id"] for b in everything.json()["bookings"]] == [early["id"], dropped["id"], late["id"], next_day["id"]]

    day = client.get(url, params={"date": "2031-03-14"})
    assert day.status_code == 200
    assert [b["id"] for b in day.json()["bookings"]] == [early["id"], dropped["id"], late["id"]]

    confirmed = client.get(url, params={"date": "2031-03-14", "status": "confirmed"})
    assert [b["id"] for b in confirmed.json()["bookings"]] == [early["id"], late["id"]]
    assert confirmed.json()["count"] == 2

    cancelled = client.get(url, params={"status": "cancelled"})
    assert [b["id"] for b in cancelled.json()["bookings"]] == [dropped["id"]]

    assert client.get(url, params={"date": "14/03/2031"}).status_code == 422
    assert client.get(url, params={"status": "pending"}).status_code == 422
    assert client.get("/rooms/99999999/bookings").status_code == 404


def test_availability_lists_free_gaps_of_the_day(client):
    room = make_room(client, "bk-availability-room")
    url = f"/rooms/{room['id']}/bookings"
    assert client.post(url, json=booking("A", "2031-03-16T09:00:00Z", "2031-03-16T10:00:00Z")).status_code == 201
    assert client.post(url, json=booking("B", "2031-03-16T10:00:00Z", "2031-03-16T11:30:00Z")).status_code == 201
    assert client.post(url, json=booking("C", "2031-03-16T18:00:00Z", "2031-03-16T21:00:00Z")).status_code == 201
    cancelled = client.post(url, json=booking("D", "2031-03-16T13:00:00Z", "2031-03-16T14:00:00Z")).json()
    assert client.post(f"/bookings/{cancelled['id']}/cancel").status_code == 200

    response = client.get(f"/rooms/{room['id']}/availability", params={"date": "2031-03-16"})
    assert response.status_code == 200
    body = response.json()
    assert body["room_id"] == room["id"]
    assert body["date"] == "2031-03-16"
    assert body["opens_at"] == "2031-03-16T07:00:00Z"
    assert body["closes_at"] == "2031-03-16T21:00:00Z"
    assert body["free"] == [
        {"starts_at": "2031-03-16T07:00:00Z", "ends_at": "2031-03-16T09:00:00Z", "minutes": 120},
        {"starts_at": "2031-03-16T11:30:00Z", "ends_at": "2031-03-16T18:00:00Z", "minutes": 390},
    ]
    assert body["free_minutes"] == 510

    empty_day = client.get(f"/rooms/{room['id']}/availability", params={"date": "2031-03-17"})
    assert empty_day.status_code == 200
    assert empty_day.json()["free"] == [
        {"starts_at": "2031-03-17T07:00:00Z", "ends_at": "2031-03-17T21:00:00Z", "minutes": 840}
    ]
    assert empty_day.json()["free_minutes"] == 840

    assert client.get(f"/rooms/{room['id']}/availability").status_code == 422
    assert client.get(f"/rooms/{room['id']}/availability", params={"date": "2031-13-45"}).status_code == 422
    assert client.get("/rooms/99999999/availability", params={"date": "2031-03-16"}).status_code == 404
