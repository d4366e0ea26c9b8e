import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, timeout=TIMEOUT)


def create_event(c, title, capacity=10):
    r = c.post("/events", json={"title": title, "venue": "Hall R", "starts_at": "2030-04-04T19:00:00Z", "capacity": capacity})
    assert r.status_code == 201, r.text
    return r.json()


def register(c, event_id, email, name="Guest"):
    return c.post(f"/events/{event_id}/registrations", json={"name": name, "email": email})


def test_register_confirms_and_updates_event_counts():
    with client() as c:
        ev = create_event(c, "RG01", capacity=5)
        r = register(c, ev["id"], "  Ada.Lovelace@Example.COM ", name="  Ada Lovelace ")
        assert r.status_code == 201, r.text
        body = r.json()
        assert isinstance(body["id"], int) and body["id"] > 0
        assert {k: v for k, v in body.items() if k != "id"} == {
            "event_id": ev["id"],
            "name": "Ada Lovelace",
            "email": "ada.lovelace@example.com",
            "status": "confirmed",
        }
        event = c.get(f"/events/{ev['id']}").json()
        assert (event["confirmed_count"], event["waitlist_count"], event["seats_left"]) == (1, 0, 4)


def test_full_event_waitlists_in_order():
    with client() as c:
        ev = create_event(c, "RG02", capacity=2)
        statuses = [register(c, ev["id"], f"rg02-{i}@example.com").json()["status"] for i in range(4)]
        assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
        event = c.get(f"/events/{ev['id']}").json()
        assert (event["confirmed_count"], event["waitlist_count"], event["seats_left"]) == (2, 2, 0)


def test_duplicate_email_conflicts_case_insensitively():
    with client() as c:
        ev = create_event(c, "RG03")
        assert register(c, ev["id"], "rg03@example.com").status_code == 201
        dup = register(c, ev["id"], "RG03@Example.com")
        assert dup.status_code == 409
        assert dup.json()["error"] == "conflict"
        other = create_event(c, "RG03 other")
        assert register(c, other["id"], "rg03@example.com").status_code == 201
        assert c.get(f"/events/{ev['id']}/registrations").json()["count"] == 1


def test_registration_validation_and_unknown_event():
    with client() as c:
        ev = create_event(c, "RG04")
        r = c.post(f"/events/{ev['id']}/registrations", json={"name": "", "email": "not-an-email"})
        assert r.status_code == 422
        assert r.json()["error"] == "validation_failed"
        assert {f["field"] for f in r.json()["fields"]} == {"name", "email"}
        no_email = c.post(f"/events/{ev['id']}/registrations", json={"name": "Bob"})
        assert no_email.status_code == 422
        assert [f["field"] for f in no_email.json()["fields"]] == ["email"]
        assert c.post(f"/events/{ev['id']}/registrations", content=b"nope", headers={"Content-Type": "application/json"}).status_code == 400
        assert c.post(f"/events/{ev['id']}/registrations", json={"name": "B", "email": "b@example.com", "vip": True}).status_code == 400
        assert register(c, 99999999, "rg04@example.com").status_code == 404
        assert register(c, "x", "rg04@example.com").status_code == 400
        assert c.get(f"/events/{ev['id']}/registrations").json() == {"registrations": [], "count": 0}


def test_list_registrations_filters_by_status():
    with client() as c:
        ev = create_event(c, "RG05", capacity=1)
        ids = [register(c, ev["id"], f"rg05-{i}@example.com").json()["id"] for i in range(3)]
        r = c.get(f"/events/{ev['id']}/registrations")
        assert r.status_code == 200
        body = r.json()
        assert body["count"] == 3
        assert [x["id"] for x in body["registrations"]] == ids
        waiting = c.get(f"/events/{ev['id']}/registrations", params={"status": "WAITLISTED"}).json()
        assert [x["id"] for x in waiting["registrations"]] == ids[1:]
        assert waiting["count"] == 2
        confirmed = c.get(f"/events/{ev['id']}/registrations", params={"status": "confirmed"}).json()
        assert [x["email"] for x in confirmed["registrations"]] == ["rg05-0@example.com"]
        assert c.get(f"/events/{ev['id']}/registrations", params={"status": "maybe"}).status_code == 400
        assert c.get("/events/99999999/registrations").status_code == 404


def test_get_single_registration():
    with client() as c:
        ev = create_event(c, "RG06")
        other = create_event(c, "RG06 other")
        reg = register(c, ev["id"], "rg06@example.com", name="Grace").json()
        r = c.get(f"/events/{ev['id']}/registrations/{reg['id']}")
        assert r.status_code == 200
        assert r.json() == reg
        assert c.get(f"/events/{other['id']}/registrations/{reg['id']}").status_code == 404
        assert c.get(f"/events/{ev['id']}/registrations/99999999").status_code == 404
        assert c.get(f"/events/{ev['id']}/registrations/abc").status_code == 400


def test_cancelling_confirmed_promotes_first_waitlisted():
    with client() as c:
        ev = create_event(c, "RG07", capacity=1)
        first = register(c, ev["id"], "rg07-a@example.com").json()
        second = register(c, ev["id"], "rg07-b@example.com").json()
        third = register(c, ev["id"], "rg07-c@example.com").json()
        r = c.delete(f"/events/{ev['id']}/registrations/{first['id']}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["cancelled"] == first
        assert body["promoted"] == {**second, "status": "confirmed"}
        regs = c.get(f"/events/{ev['id']}/registrations").json()["registrations"]
        assert [(x["id"], x["status"]) for x in regs] == [(second["id"], "confirmed"), (third["id"], "waitlisted")]
        assert c.get(f"/events/{ev['id']}/registrations/{first['id']}").status_code == 404
        assert c.delete(f"/events/{ev['id']}/registrations/{first['id']}").status_code == 404


def test_cancelling_waitlisted_promotes_nobody():
    with client() as c:
        ev = create_event(c, "RG08", capacity=1)
        register(c, ev["id"], "rg08-a@example.com")
        waiting = register(c, ev["id"], "rg08-b@example.com").json()
        r = c.delete(f"/events/{ev['id']}/registrations/{waiting['id']}")
        assert r.status_code == 200
        assert r.json() == {"cancelled": waiting, "promoted": None}
        event = c.get(f"/events/{ev['id']}").json()
        assert (event["confirmed_count"], event["waitlist_count"], event["seats_left"]) == (1, 0, 0)
        # Re-registering after cancelling is allowed.
        again = register(c, ev["id"], "rg08-b@example.com")
        assert again.status_code == 201
        assert again.json()["status"] == "waitlisted"
