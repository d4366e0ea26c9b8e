"""Hidden tests for the event endpoints (/events, /events/{id}) of the meetups service."""

import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")


def client():
    return httpx.Client(base_url=BASE_URL, timeout=10)


def create_event(c, name, venue, starts_at="2031-05-20T18:30", capacity=10):
    response = c.post("/events", json={"name": name, "venue": venue, "starts_at": starts_at, "capacity": capacity})
    assert response.status_code == 201, response.text
    return response.json()


def register(c, event_id, name, email):
    response = c.post(f"/events/{event_id}/registrations", json={"name": name, "email": email})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_and_get_event():
    with client() as c:
        response = c.post("/events", json={
            "name": "  Kotlin coroutines deep dive ", "venue": " Room Create ",
            "starts_at": "2031-03-14T19:00", "capacity": 40,
        })
        assert response.status_code == 201
        event = response.json()
        assert isinstance(event["id"], int)
        assert event == {
            "id": event["id"], "name": "Kotlin coroutines deep dive", "venue": "Room Create",
            "starts_at": "2031-03-14T19:00", "capacity": 40,
            "registered_count": 0, "waitlist_count": 0, "seats_left": 40,
        }
        fetched = c.get(f"/events/{event['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == event


def test_create_event_validation():
    with client() as c:
        valid = {"name": "Validation night", "venue": "Room Val", "starts_at": "2031-01-10T18:00", "capacity": 5}
        overrides = [
            {"name": None}, {"name": "   "}, {"name": "n" * 121}, {"venue": None}, {"venue": ""},
            {"starts_at": None}, {"starts_at": "2031-01-10 18:00"}, {"starts_at": "2031-01-10T18:00:00"},
            {"starts_at": "2031-02-30T10:00"}, {"starts_at": "tomorrow"}, {"capacity": None},
            {"capacity": 0}, {"capacity": 10001}, {"capacity": "5"}, {"capacity": 2.5},
        ]
        for override in overrides:
            body = {**valid, **override}
            body = {k: v for k, v in body.items() if v is not None}
            response = c.post("/events", json=body)
            assert response.status_code == 400, override
            assert isinstance(response.json()["error"], str), override
        malformed = c.post("/events", content=b'{"name": ', headers={"content-type": "application/json"})
        assert malformed.status_code == 400
        assert c.get("/events", params={"venue": "Room Val"}).json()["events"] == []


def test_get_unknown_event_is_404():
    with client() as c:
        response = c.get("/events/987654321")
        assert response.status_code == 404
        assert "error" in response.json()
        assert c.get("/events/not-a-number").status_code == 404


def test_list_filters_and_ordering():
    with client() as c:
        late = create_event(c, "List late", "Room List", starts_at="2031-06-02T09:00")
        early = create_event(c, "List early", "Room List", starts_at="2031-06-01T20:00")
        same_time = create_event(c, "List same time", "room list", starts_at="2031-06-02T09:00")
        create_event(c, "Elsewhere", "Room List Annex", starts_at="2031-06-01T08:00")

        response = c.get("/events", params={"venue": "ROOM LIST"})
        assert response.status_code == 200
        body = response.json()
        assert [e["id"] for e in body["events"]] == [early["id"], late["id"], same_time["id"]]
        assert body["count"] == 3
        assert body["events"][0] == early

        from_second = c.get("/events", params={"venue": "Room List", "from": "2031-06-02"}).json()
        assert [e["id"] for e in from_second["events"]] == [late["id"], same_time["id"]]
        assert from_second["count"] == 2

        everything = c.get("/events").json()["events"]
        starts = [(e["starts_at"], e["id"]) for e in everything]
        assert starts == sorted(starts)

        assert c.get("/events", params={"from": "06/02/2031"}).status_code == 400


def test_update_event_replaces_fields():
    with client() as c:
        event = create_event(c, "Update me", "Room Upd", starts_at="2031-07-01T18:00", capacity=3)
        response = c.put(f"/events/{event['id']}", json={
            "name": "Updated talk", "venue": "Room Upd 2", "starts_at": "2031-07-02T19:15", "capacity": 8,
        })
        assert response.status_code == 200
        assert response.json() == {
            "id": event["id"], "name": "Updated talk", "venue": "Room Upd 2", "starts_at": "2031-07-02T19:15",
            "capacity": 8, "registered_count": 0, "waitlist_count": 0, "seats_left": 8,
        }
        assert c.get(f"/events/{event['id']}").json()["name"] == "Updated talk"

        partial = c.put(f"/events/{event['id']}", json={"name": "Only a name"})
        assert partial.status_code == 400
        assert c.get(f"/events/{event['id']}").json()["name"] == "Updated talk"

        missing = c.put("/events/987654321", json={
            "name": "x", "venue": "y", "starts_at": "2031-07-02T19:15", "capacity": 8,
        })
        assert missing.status_code == 404


def test_capacity_changes_respect_registrations():
    with client() as c:
        event = create_event(c, "Capacity talk", "Room Cap", capacity=2)
        eid = event["id"]
        register(c, eid, "Ann", "ann.cap@example.test")
        register(c, eid, "Bob", "bob.cap@example.test")
        waiting = register(c, eid, "Cid", "cid.cap@example.test")
        assert waiting["status"] == "waitlisted"

        shown = c.get(f"/events/{eid}").json()
        assert (shown["registered_count"], shown["waitlist_count"], shown["seats_left"]) == (2, 1, 0)

        body = {"name": "Capacity talk", "venue": "Room Cap", "starts_at": "2031-05-20T18:30"}
        too_small = c.put(f"/events/{eid}", json={**body, "capacity": 1})
        assert too_small.status_code == 409
        assert "error" in too_small.json()
        assert c.get(f"/events/{eid}").json()["capacity"] == 2

        grown = c.put(f"/events/{eid}", json={**body, "capacity": 4})
        assert grown.status_code == 200
        assert (grown.json()["registered_count"], grown.json()["waitlist_count"], grown.json()["seats_left"]) == (3, 0, 1)
        confirmed = c.get(f"/events/{eid}/registrations", params={"status": "confirmed"}).json()["registrations"]
        assert [r["email"] for r in confirmed] == ["ann.cap@example.test", "bob.cap@example.test", "cid.cap@example.test"]


def test_delete_event():
    with client() as c:
        empty = create_event(c, "Delete empty", "Room Del")
        response = c.delete(f"/events/{empty['id']}")
        assert response.status_code == 204
        assert response.content == b""
        assert c.get(f"/events/{empty['id']}").status_code == 404
        assert c.delete(f"/events/{empty['id']}").status_code == 404

        busy = create_event(c, "Delete busy", "Room Del")
        reg = register(c, busy["id"], "Dee", "dee.del@example.test")
        blocked = c.delete(f"/events/{busy['id']}")
        assert blocked.status_code == 409
        assert "error" in blocked.json()
        assert c.get(f"/events/{busy['id']}").status_code == 200

        assert c.delete(f"/events/{busy['id']}/registrations/{reg['id']}").status_code == 200
        assert c.delete(f"/events/{busy['id']}").status_code == 204
        assert c.get(f"/events/{busy['id']}/registrations").status_code == 404
