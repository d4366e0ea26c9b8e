"""Hidden end-to-end tests of the event endpoints (each test makes its own venue)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_venue(client, tag, capacity=300):
    r = client.post("/venues", json={"name": f"Venue {tag}", "city": "Trondheim", "capacity": capacity})
    assert r.status_code == 201, r.text
    return r.json()


def make_event(client, venue, title="Show", starts_at="2030-06-01T19:30:00Z", price=1500, **extra):
    body = {"venue_id": venue["id"], "title": title, "starts_at": starts_at, "price_cents": price, **extra}
    r = client.post("/events", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_event_defaults(client):
    venue = make_venue(client, "ev-create", capacity=250)
    r = client.post("/events", json={"venue_id": venue["id"], "title": "  Opening night ",
                                     "starts_at": "2030-03-14T20:00:00Z", "price_cents": 4200})
    assert r.status_code == 201, r.text
    e = r.json()
    assert isinstance(e["id"], int)
    assert r.headers["location"] == f"/events/{e['id']}"
    assert e["venue_id"] == venue["id"]
    assert e["title"] == "Opening night"
    assert e["starts_at"] == "2030-03-14T20:00:00Z"
    assert e["price_cents"] == 4200
    assert e["capacity"] == 250
    assert e["status"] == "draft"
    assert e["tickets_sold"] == 0
    assert e["tickets_available"] == 250
    assert isinstance(e["created_at"], str) and isinstance(e["updated_at"], str)
    r = client.get(f"/events/{e['id']}")
    assert r.status_code == 200
    assert r.json() == e


def test_create_event_capacity_rules(client):
    venue = make_venue(client, "ev-capacity", capacity=100)
    e = make_event(client, venue, capacity=40)
    assert e["capacity"] == 40 and e["tickets_available"] == 40
    r = client.post("/events", json={"venue_id": venue["id"], "title": "Too big",
                                     "starts_at": "2030-03-14T20:00:00Z", "price_cents": 0, "capacity": 101})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "capacity_exceeds_venue"
    r = client.post("/events", json={"venue_id": 99999999, "title": "Nowhere",
                                     "starts_at": "2030-03-14T20:00:00Z", "price_cents": 0})
    assert r.status_code == 404, r.text


@pytest.mark.parametrize("change", [
    {"venue_id": None},
    {"title": None},
    {"title": "   "},
    {"starts_at": "2030-03-14 20:00:00"},
    {"starts_at": "2030-02-30T20:00:00Z"},
    {"starts_at": "2030-03-14T20:00:00+02:00"},
    {"price_cents": -1},
    {"price_cents": "100"},
    {"price_cents": True},
    {"capacity": 0},
    {"capacity": 2.5},
    {"genre": "jazz"},
])
def test_create_event_validation(client, change):
    venue = make_venue(client, f"ev-valid-{sorted(change.items())!r}")
    body = {"venue_id": venue["id"], "title": "Valid", "starts_at": "2030-03-14T20:00:00Z", "price_cents": 100}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post("/events", json=body)
    assert r.status_code == 400, r.text
    assert "error" in r.json()
    assert client.get("/events", params={"venue_id": venue["id"]}).json()["count"] == 0


def test_list_events_filters_and_order(client):
    venue = make_venue(client, "ev-list")
    late = make_event(client, venue, title="Late", starts_at="2031-09-01T20:00:00Z")
    early = make_event(client, venue, title="Early", starts_at="2031-01-10T18:00:00Z")
    mid = make_event(client, venue, title="Mid", starts_at="2031-05-05T19:00:00Z")
    same = make_event(client, venue, title="Mid too", starts_at="2031-05-05T19:00:00Z")
    assert client.post(f"/events/{mid['id']}/publish").status_code == 200

    r = client.get("/events", params={"venue_id": venue["id"]})
    assert r.status_code == 200, r.text
    assert [e["id"] for e in r.json()["items"]] == [early["id"], mid["id"], same["id"], late["id"]]
    assert r.json()["count"] == 4
    r = client.get("/events", params={"venue_id": venue["id"], "status": "on_sale"})
    assert [e["id"] for e in r.json()["items"]] == [mid["id"]]
    r = client.get("/events", params={"venue_id": venue["id"], "from": "2031-05-05T19:00:00Z",
                                      "to": "2031-09-01T20:00:00Z"})
    assert [e["id"] for e in r.json()["items"]] == [mid["id"], same["id"], late["id"]]
    r = client.get("/events", params={"venue_id": venue["id"], "to": "2031-05-05T18:59:59Z"})
    assert [e["id"] for e in r.json()["items"]] == [early["id"]]
    for bad in [{"status": "sold"}, {"venue_id": "x"}, {"from": "yesterday"}, {"to": "2031-13-01T00:00:00Z"}]:
        assert client.get("/events", params=bad).status_code == 400, bad


def test_publish_and_state_errors(client):
    venue = make_venue(client, "ev-publish")
    e = make_event(client, venue)
    r = client.post(f"/events/{e['id']}/publish")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "on_sale"
    assert client.get(f"/events/{e['id']}").json()["status"] == "on_sale"
    r = client.post(f"/events/{e['id']}/publish")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_event_state"
    assert client.post("/events/99999999/publish").status_code == 404
    assert client.get("/events/99999999").status_code == 404
    assert client.get("/events/abc").status_code == 400
    assert client.post("/events/0/cancel").status_code == 400


def test_patch_event_rules(client):
    venue = make_venue(client, "ev-patch", capacity=50)
    e = make_event(client, venue, capacity=20, price=1000)
    r = client.patch(f"/events/{e['id']}", json={"title": "Renamed", "price_cents": 1200,
                                                "starts_at": "2030-07-01T18:00:00Z"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["title"], body["price_cents"], body["starts_at"]) == ("Renamed", 1200, "2030-07-01T18:00:00Z")
    assert client.patch(f"/events/{e['id']}", json={}).json()["title"] == "Renamed"
    assert client.patch(f"/events/{e['id']}", json={"capacity": 51}).status_code == 422
    assert client.patch(f"/events/{e['id']}", json={"venue_id": 1}).status_code == 400
    assert client.patch(f"/events/{e['id']}", json={"starts_at": "soon"}).status_code == 400
    assert client.patch("/events/99999999", json={"title": "X"}).status_code == 404

    assert client.post(f"/events/{e['id']}/publish").status_code == 200
    r = client.post(f"/events/{e['id']}/bookings", json={"customer_email": "patch@example.org", "quantity": 5})
    assert r.status_code == 201, r.text
    r = client.patch(f"/events/{e['id']}", json={"price_cents": 900})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "price_locked"
    r = client.patch(f"/events/{e['id']}", json={"price_cents": 1200, "title": "Same price"})
    assert r.status_code == 200, r.text
    r = client.patch(f"/events/{e['id']}", json={"capacity": 4})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "capacity_below_sold"
    r = client.patch(f"/events/{e['id']}", json={"capacity": 5})
    assert r.status_code == 200
    assert r.json()["tickets_available"] == 0
    assert r.json()["title"] == "Same price"


def test_cancel_event_cancels_bookings(client):
    venue = make_venue(client, "ev-cancel")
    e = make_event(client, venue, capacity=30)
    assert client.post(f"/events/{e['id']}/publish").status_code == 200
    bookings = []
    for i, qty in enumerate([2, 3, 1]):
        r = client.post(f"/events/{e['id']}/bookings", json={"customer_email": f"c{i}@example.org", "quantity": qty})
        assert r.status_code == 201, r.text
        bookings.append(r.json())
    assert client.post(f"/bookings/{bookings[2]['id']}/cancel").status_code == 200
    assert client.get(f"/events/{e['id']}").json()["tickets_sold"] == 5

    r = client.post(f"/events/{e['id']}/cancel")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cancelled_bookings"] == 2
    assert body["event"]["id"] == e["id"]
    assert body["event"]["status"] == "cancelled"
    assert body["event"]["tickets_sold"] == 0
    for b in bookings[:2]:
        got = client.get(f"/bookings/{b['id']}").json()
        assert got["status"] == "cancelled"
        assert isinstance(got["cancelled_at"], str) and got["cancelled_at"]

    assert client.post(f"/events/{e['id']}/cancel").status_code == 409
    r = client.patch(f"/events/{e['id']}", json={"title": "Back on"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_event_state"
    assert client.post(f"/events/{e['id']}/publish").status_code == 409


def test_cancel_draft_event(client):
    venue = make_venue(client, "ev-cancel-draft")
    e = make_event(client, venue)
    r = client.post(f"/events/{e['id']}/cancel")
    assert r.status_code == 200, r.text
    assert r.json()["cancelled_bookings"] == 0
    assert r.json()["event"]["status"] == "cancelled"
    r = client.get("/events", params={"venue_id": venue["id"], "status": "cancelled"})
    assert [x["id"] for x in r.json()["items"]] == [e["id"]]
    assert client.post("/events/99999999/cancel").status_code == 404
