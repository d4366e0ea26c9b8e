"""Hidden tests for registrations (/events/{id}/registrations...) of the meetups service."""

import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")


def client():
    return httpx.Client(base_url=BASE_URL, timeout=10)


def create_event(c, name, capacity):
    response = c.post("/events", json={
        "name": name, "venue": "Registration Hall", "starts_at": "2032-02-02T18:00", "capacity": capacity,
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def register(c, event_id, name, email):
    return c.post(f"/events/{event_id}/registrations", json={"name": name, "email": email})


def test_register_confirmed():
    with client() as c:
        eid = create_event(c, "reg-confirm", 5)
        response = register(c, eid, "  Grace Hopper ", "  Grace.Hopper@Example.TEST ")
        assert response.status_code == 201
        body = response.json()
        assert isinstance(body["id"], int)
        assert body == {
            "id": body["id"], "event_id": eid, "name": "Grace Hopper", "email": "grace.hopper@example.test",
            "status": "confirmed", "waitlist_position": None,
        }
        event = c.get(f"/events/{eid}").json()
        assert (event["registered_count"], event["waitlist_count"], event["seats_left"]) == (1, 0, 4)


def test_full_event_puts_people_on_waitlist():
    with client() as c:
        eid = create_event(c, "reg-waitlist", 1)
        first = register(c, eid, "Ada", "ada.wl@example.test").json()
        second = register(c, eid, "Alan", "alan.wl@example.test")
        third = register(c, eid, "Edsger", "edsger.wl@example.test")
        assert first["status"] == "confirmed"
        assert second.status_code == 201 and third.status_code == 201
        assert (second.json()["status"], second.json()["waitlist_position"]) == ("waitlisted", 1)
        assert (third.json()["status"], third.json()["waitlist_position"]) == ("waitlisted", 2)
        assert third.json()["id"] > second.json()["id"] > first["id"]
        event = c.get(f"/events/{eid}").json()
        assert (event["registered_count"], event["waitlist_count"], event["seats_left"]) == (1, 2, 0)


def test_duplicate_email_conflicts_until_cancelled():
    with client() as c:
        eid = create_event(c, "reg-duplicate", 3)
        reg = register(c, eid, "Linus", "linus.dup@example.test").json()
        again = register(c, eid, "Linus T", "LINUS.DUP@example.test")
        assert again.status_code == 409
        assert "error" in again.json()

        other_eid = create_event(c, "reg-duplicate-other", 3)
        assert register(c, other_eid, "Linus", "linus.dup@example.test").status_code == 201

        assert c.delete(f"/events/{eid}/registrations/{reg['id']}").status_code == 200
        back = register(c, eid, "Linus", "linus.dup@example.test")
        assert back.status_code == 201
        assert back.json()["status"] == "confirmed"
        assert back.json()["id"] != reg["id"]


def test_registration_validation_and_unknown_event():
    with client() as c:
        eid = create_event(c, "reg-validation", 3)
        for body in ({"email": "no.name@example.test"}, {"name": "No Email"}, {"name": "  ", "email": "a@b.test"},
                     {"name": "Bad", "email": "not-an-email"}, {"name": "Bad", "email": "a@b"},
                     {"name": "Bad", "email": "a b@c.test"}, {"name": "n" * 101, "email": "long@b.test"},
                     {"name": 42, "email": "num@b.test"}):
            response = c.post(f"/events/{eid}/registrations", json=body)
            assert response.status_code == 400, body
            assert "error" in response.json(), body
        malformed = c.post(f"/events/{eid}/registrations", content=b"{", headers={"content-type": "application/json"})
        assert malformed.status_code == 400
        assert c.get(f"/events/{eid}/registrations").json()["registrations"] == []

        missing = register(c, 987654321, "Nobody", "nobody@example.test")
        assert missing.status_code == 404
        assert "error" in missing.json()


def test_list_registrations_with_status_filter():
    with client() as c:
        eid = create_event(c, "reg-list", 2)
        ids = [register(c, eid, f"Person {i}", f"person{i}.list@example.test").json()["id"] for i in range(4)]
        assert c.delete(f"/events/{eid}/registrations/{ids[1]}").status_code == 200
        # ids[2] was promoted into the freed seat; ids[3] is still waiting

        response = c.get(f"/events/{eid}/registrations")
        assert response.status_code == 200
        body = response.json()
        assert body["event_id"] == eid
        assert [(r["id"], r["status"]) for r in body["registrations"]] == [
            (ids[0], "confirmed"), (ids[1], "cancelled"), (ids[2], "confirmed"), (ids[3], "waitlisted"),
        ]
        assert body["registrations"][3]["waitlist_position"] == 1

        confirmed = c.get(f"/events/{eid}/registrations", params={"status": "confirmed"}).json()["registrations"]
        assert [r["id"] for r in confirmed] == [ids[0], ids[2]]
        cancelled = c.get(f"/events/{eid}/registrations", params={"status": "cancelled"}).json()["registrations"]
        assert [r["id"] for r in cancelled] == [ids[1]]

        assert c.get(f"/events/{eid}/registrations", params={"status": "pending"}).status_code == 400
        assert c.get("/events/987654321/registrations").status_code == 404


def test_cancel_promotes_first_waitlisted():
    with client() as c:
        eid = create_event(c, "reg-cancel", 1)
        seat = register(c, eid, "Barbara", "barbara.cx@example.test").json()
        w1 = register(c, eid, "Ken", "ken.cx@example.test").json()
        w2 = register(c, eid, "Dennis", "dennis.cx@example.test").json()

        response = c.delete(f"/events/{eid}/registrations/{seat['id']}")
        assert response.status_code == 200
        body = response.json()
        assert body["cancelled"] == {**seat, "status": "cancelled", "waitlist_position": None}
        assert body["promoted"] == {**w1, "status": "confirmed", "waitlist_position": None}

        remaining = c.get(f"/events/{eid}/registrations", params={"status": "waitlisted"}).json()["registrations"]
        assert [(r["id"], r["waitlist_position"]) for r in remaining] == [(w2["id"], 1)]

        # cancelling a waitlisted registration promotes nobody
        cancel_waiting = c.delete(f"/events/{eid}/registrations/{w2['id']}")
        assert cancel_waiting.status_code == 200
        assert cancel_waiting.json()["promoted"] is None
        assert cancel_waiting.json()["cancelled"]["status"] == "cancelled"
        event = c.get(f"/events/{eid}").json()
        assert (event["registered_count"], event["waitlist_count"], event["seats_left"]) == (1, 0, 0)


def test_cancel_errors():
    with client() as c:
        eid = create_event(c, "reg-cancel-errors", 2)
        other = create_event(c, "reg-cancel-errors-other", 2)
        reg = register(c, eid, "Margaret", "margaret.ce@example.test").json()

        assert c.delete(f"/events/{other}/registrations/{reg['id']}").status_code == 404
        assert c.delete(f"/events/{eid}/registrations/987654321").status_code == 404
        assert c.delete(f"/events/987654321/registrations/{reg['id']}").status_code == 404

        assert c.delete(f"/events/{eid}/registrations/{reg['id']}").status_code == 200
        again = c.delete(f"/events/{eid}/registrations/{reg['id']}")
        assert again.status_code == 409
        assert "error" in again.json()


def test_raising_capacity_promotes_waitlist_in_order():
    with client() as c:
        eid = create_event(c, "reg-grow", 1)
        register(c, eid, "P1", "p1.grow@example.test")
        w = [register(c, eid, f"W{i}", f"w{i}.grow@example.test").json() for i in range(3)]
        assert [r["waitlist_position"] for r in w] == [1, 2, 3]

        grown = c.put(f"/events/{eid}", json={
            "name": "reg-grow", "venue": "Registration Hall", "starts_at": "2032-02-02T18:00", "capacity": 3,
        })
        assert grown.status_code == 200
        regs = c.get(f"/events/{eid}/registrations").json()["registrations"]
        assert [(r["email"], r["status"], r["waitlist_position"]) for r in regs] == [
            ("p1.grow@example.test", "confirmed", None),
            ("w0.grow@example.test", "confirmed", None),
            ("w1.grow@example.test", "confirmed", None),
            ("w2.grow@example.test", "waitlisted", 1),
        ]
