import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, timeout=TIMEOUT)


def event_body(title, venue="Main Hall", starts_at="2030-05-01T18:00:00Z", capacity=10, **extra):
    return {"title": title, "venue": venue, "starts_at": starts_at, "capacity": capacity, **extra}


def create(c, title, **kw):
    r = c.post("/events", json=event_body(title, **kw))
    assert r.status_code == 201, r.text
    return r.json()


def register(c, event_id, email):
    r = c.post(f"/events/{event_id}/registrations", json={"name": "Guest", "email": email})
    assert r.status_code == 201, r.text
    return r.json()


def test_create_event_returns_view_with_counts():
    with client() as c:
        r = c.post(
            "/events",
            json=event_body("  Go meetup EV01 ", venue=" Room 4 ", starts_at="2030-06-01T20:30:00+02:00",
                            capacity=25, tags=["Go", " backend ", "go"]),
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert isinstance(body["id"], int) and body["id"] > 0
        assert {k: v for k, v in body.items() if k != "id"} == {
            "title": "Go meetup EV01",
            "venue": "Room 4",
            "starts_at": "2030-06-01T18:30:00Z",
            "capacity": 25,
            "tags": ["go", "backend"],
            "confirmed_count": 0,
            "waitlist_count": 0,
            "seats_left": 25,
        }
        fetched = c.get(f"/events/{body['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == body


def test_create_event_validation():
    with client() as c:
        r = c.post("/events", json={"title": " ", "venue": "", "starts_at": "next friday", "capacity": 0})
        assert r.status_code == 422
        body = r.json()
        assert body["error"] == "validation_failed"
        assert {f["field"] for f in body["fields"]} == {"title", "venue", "starts_at", "capacity"}
        missing = c.post("/events", json={"title": "EV02 no capacity", "venue": "X", "starts_at": "2030-01-01T00:00:00Z"})
        assert missing.status_code == 422
        assert [f["field"] for f in missing.json()["fields"]] == ["capacity"]
        too_big = c.post("/events", json=event_body("EV02 huge", capacity=10001))
        assert too_big.status_code == 422
        bad_json = c.post("/events", content=b'{"title": ', headers={"Content-Type": "application/json"})
        assert bad_json.status_code == 400
        assert bad_json.json()["error"] == "bad_request"
        wrong_type = c.post("/events", json=event_body("EV02 typed", capacity="ten"))
        assert wrong_type.status_code == 400
        unknown = c.post("/events", json=event_body("EV02 unknown", organiser="me"))
        assert unknown.status_code == 400


def test_get_event_errors():
    with client() as c:
        assert c.get("/events/99999999").status_code == 404
        assert c.get("/events/99999999").json()["error"] == "not_found"
        bad = c.get("/events/abc")
        assert bad.status_code == 400
        assert bad.json()["error"] == "bad_request"
        assert c.get("/events/0").status_code == 400


def test_list_filters_and_orders_by_start():
    with client() as c:
        venue = "Venue EV04"
        late = create(c, "EV04 late", venue=venue, starts_at="2030-09-01T10:00:00Z", tags=["workshop"])
        early = create(c, "EV04 early", venue=venue, starts_at="2030-08-01T10:00:00Z", tags=["talk"])
        same_a = create(c, "EV04 same a", venue=venue, starts_at="2030-08-15T10:00:00Z", tags=["talk", "workshop"])
        same_b = create(c, "EV04 same b", venue=venue, starts_at="2030-08-15T10:00:00Z")
        create(c, "EV04 elsewhere", venue="Other EV04", starts_at="2030-08-01T09:00:00Z", tags=["workshop"])
        r = c.get("/events", params={"venue": "venue ev04"})
        assert r.status_code == 200
        body = r.json()
        assert [e["id"] for e in body["events"]] == [early["id"], same_a["id"], same_b["id"], late["id"]]
        assert body["count"] == 4
        tagged = c.get("/events", params={"venue": venue, "tag": "WORKSHOP"}).json()
        assert [e["id"] for e in tagged["events"]] == [same_a["id"], late["id"]]
        empty = c.get("/events", params={"venue": "Nowhere EV04"}).json()
        assert empty == {"events": [], "count": 0}
        assert c.get("/events", params={"available": "maybe"}).status_code == 400


def test_list_available_skips_full_events():
    with client() as c:
        venue = "Venue EV05"
        full = create(c, "EV05 full", venue=venue, capacity=1)
        open_ = create(c, "EV05 open", venue=venue, capacity=2)
        register(c, full["id"], "ev05-a@example.com")
        register(c, open_["id"], "ev05-b@example.com")
        all_events = c.get("/events", params={"venue": venue}).json()["events"]
        assert {e["id"]: e["seats_left"] for e in all_events} == {full["id"]: 0, open_["id"]: 1}
        available = c.get("/events", params={"venue": venue, "available": "true"}).json()
        assert [e["id"] for e in available["events"]] == [open_["id"]]
        assert available["events"][0]["confirmed_count"] == 1


def test_replace_event_updates_all_fields():
    with client() as c:
        ev = create(c, "EV06 original", tags=["a"])
        r = c.put(f"/events/{ev['id']}", json=event_body("EV06 renamed", venue="Annex", starts_at="2031-01-02T03:04:05Z", capacity=3))
        assert r.status_code == 200, r.text
        assert r.json() == {
            "id": ev["id"],
            "title": "EV06 renamed",
            "venue": "Annex",
            "starts_at": "2031-01-02T03:04:05Z",
            "capacity": 3,
            "tags": [],
            "confirmed_count": 0,
            "waitlist_count": 0,
            "seats_left": 3,
        }
        assert c.get(f"/events/{ev['id']}").json()["title"] == "EV06 renamed"
        invalid = c.put(f"/events/{ev['id']}", json=event_body("", capacity=3))
        assert invalid.status_code == 422
        assert c.put("/events/99999999", json=event_body("EV06 ghost")).status_code == 404


def test_capacity_cannot_drop_below_confirmed_and_raise_promotes_waitlist():
    with client() as c:
        ev = create(c, "EV07 capacity", capacity=2)
        regs = [register(c, ev["id"], f"ev07-{i}@example.com") for i in range(4)]
        assert [r["status"] for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
        shrink = c.put(f"/events/{ev['id']}", json=event_body("EV07 capacity", capacity=1))
        assert shrink.status_code == 409
        assert shrink.json()["error"] == "conflict"
        assert c.get(f"/events/{ev['id']}").json()["capacity"] == 2
        grow = c.put(f"/events/{ev['id']}", json=event_body("EV07 capacity", capacity=3))
        assert grow.status_code == 200
        body = grow.json()
        assert (body["confirmed_count"], body["waitlist_count"], body["seats_left"]) == (3, 1, 0)
        statuses = c.get(f"/events/{ev['id']}/registrations").json()["registrations"]
        assert [r["status"] for r in statuses] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
        assert statuses[2]["id"] == regs[2]["id"]


def test_delete_event_removes_it_and_its_registrations():
    with client() as c:
        ev = create(c, "EV08 delete")
        register(c, ev["id"], "ev08@example.com")
        r = c.delete(f"/events/{ev['id']}")
        assert r.status_code == 204
        assert r.content == b""
        assert c.get(f"/events/{ev['id']}").status_code == 404
        assert c.get(f"/events/{ev['id']}/registrations").status_code == 404
        assert c.delete(f"/events/{ev['id']}").status_code == 404
        assert c.delete("/events/nope").status_code == 400
