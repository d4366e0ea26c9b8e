"""Hidden tests for the helpdesk ticket workflow: transitions and comments."""

import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")


def client():
    return httpx.Client(base_url=BASE_URL, timeout=10)


def new_ticket(c, title, **extra):
    body = {"title": title, "reporter": "reporter@example.test", **extra}
    response = c.post("/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def transition(c, ticket_id, to, **extra):
    return c.post(f"/tickets/{ticket_id}/transitions", json={"to": to, **extra})


def test_full_lifecycle_open_to_closed():
    with client() as c:
        ticket = new_ticket(c, "wf-lifecycle printer jam", assignee="dana")
        tid = ticket["id"]
        assert ticket["status"] == "open"

        started = transition(c, tid, "in_progress")
        assert started.status_code == 200
        assert started.json()["id"] == tid
        assert started.json()["status"] == "in_progress"
        assert started.json()["resolution"] is None

        resolved = transition(c, tid, "resolved", resolution="  Replaced the fuser  ")
        assert resolved.status_code == 200
        assert resolved.json()["status"] == "resolved"
        assert resolved.json()["resolution"] == "Replaced the fuser"

        closed = transition(c, tid, "closed", resolution="ignored here")
        assert closed.status_code == 200
        assert closed.json()["status"] == "closed"
        assert closed.json()["resolution"] == "Replaced the fuser"

        fetched = c.get(f"/tickets/{tid}").json()
        assert fetched["status"] == "closed"
        assert fetched["resolution"] == "Replaced the fuser"
        assert fetched["title"] == "wf-lifecycle printer jam"


def test_start_requires_assignee_and_reopen_clears_resolution():
    with client() as c:
        tid = new_ticket(c, "wf-assignee vpn drops")["id"]
        unassigned = transition(c, tid, "in_progress")
        assert unassigned.status_code == 409
        assert isinstance(unassigned.json()["error"], str)
        assert c.get(f"/tickets/{tid}").json()["status"] == "open"

        assert c.patch(f"/tickets/{tid}", json={"assignee": "lee"}).status_code == 200
        assert transition(c, tid, "in_progress").json()["status"] == "in_progress"
        back = transition(c, tid, "open")
        assert back.status_code == 200
        assert back.json()["status"] == "open"
        assert back.json()["assignee"] == "lee"

        assert transition(c, tid, "in_progress").status_code == 200
        assert transition(c, tid, "resolved", resolution="Rebooted router").status_code == 200
        reopened = transition(c, tid, "in_progress")
        assert reopened.status_code == 200
        assert reopened.json()["status"] == "in_progress"
        assert reopened.json()["resolution"] is None


def test_disallowed_transitions_conflict():
    with client() as c:
        tid = new_ticket(c, "wf-disallowed monitor flicker", assignee="kim")["id"]
        for to in ("resolved", "open"):
            response = transition(c, tid, to, resolution="x")
            assert response.status_code == 409, to
            assert "error" in response.json()
        assert c.get(f"/tickets/{tid}").json()["status"] == "open"

        # open -> closed is allowed (won't fix) but needs a resolution
        missing = transition(c, tid, "closed")
        assert missing.status_code == 400
        closed = transition(c, tid, "closed", resolution="Duplicate of another ticket")
        assert closed.status_code == 200
        assert closed.json()["status"] == "closed"
        assert closed.json()["resolution"] == "Duplicate of another ticket"

        for to in ("open", "in_progress", "resolved", "closed"):
            assert transition(c, tid, to, resolution="again").status_code == 409, to
        # a closed ticket can no longer be edited either
        assert c.patch(f"/tickets/{tid}", json={"title": "renamed"}).status_code == 409


def test_transition_validation_and_not_found():
    with client() as c:
        tid = new_ticket(c, "wf-validation keyboard", assignee="ari")["id"]
        for body in ({}, {"to": "done"}, {"to": "IN_PROGRESS"}, {"to": 3}):
            response = c.post(f"/tickets/{tid}/transitions", json=body)
            assert response.status_code == 400, body
            assert "error" in response.json()
        bad_json = c.post(f"/tickets/{tid}/transitions", content=b"{to:",
                          headers={"content-type": "application/json"})
        assert bad_json.status_code == 400

        assert transition(c, tid, "in_progress").status_code == 200
        for body in ({"to": "resolved"}, {"to": "resolved", "resolution": "   "},
                     {"to": "resolved", "resolution": "r" * 501}):
            assert c.post(f"/tickets/{tid}/transitions", json=body).status_code == 400, body
        assert c.get(f"/tickets/{tid}").json()["status"] == "in_progress"

        assert transition(c, 987654321, "in_progress").status_code == 404


def test_comments_are_added_and_listed_in_order():
    with client() as c:
        tid = new_ticket(c, "wf-comments email bounce")["id"]
        first = c.post(f"/tickets/{tid}/comments", json={"author": " sam ", "body": "Seeing 550 errors"})
        assert first.status_code == 201
        comment = first.json()
        assert isinstance(comment["id"], int)
        assert comment["ticket_id"] == tid
        assert comment["author"] == "sam"
        assert comment["body"] == "Seeing 550 errors"
        assert comment["internal"] is False
        assert isinstance(comment["created_at"], str)

        second = c.post(f"/tickets/{tid}/comments", json={"author": "dana", "body": "Checking SPF", "internal": False})
        assert second.status_code == 201
        assert second.json()["id"] > comment["id"]

        listing = c.get(f"/tickets/{tid}/comments")
        assert listing.status_code == 200
        body = listing.json()
        assert body["ticket_id"] == tid
        assert [(x["author"], x["body"]) for x in body["comments"]] == [
            ("sam", "Seeing 550 errors"), ("dana", "Checking SPF"),
        ]
        assert c.get(f"/tickets/{tid}").json()["comment_count"] == 2


def test_internal_comments_hidden_by_default():
    with client() as c:
        tid = new_ticket(c, "wf-internal payroll access")["id"]
        assert c.post(f"/tickets/{tid}/comments", json={"author": "amy", "body": "Public note"}).status_code == 201
        internal = c.post(f"/tickets/{tid}/comments", json={"author": "amy", "body": "Escalate to HR", "internal": True})
        assert internal.status_code == 201
        assert internal.json()["internal"] is True

        public = c.get(f"/tickets/{tid}/comments").json()["comments"]
        assert [x["body"] for x in public] == ["Public note"]
        explicit = c.get(f"/tickets/{tid}/comments", params={"include_internal": "false"}).json()["comments"]
        assert [x["body"] for x in explicit] == ["Public note"]
        everything = c.get(f"/tickets/{tid}/comments", params={"include_internal": "true"}).json()["comments"]
        assert [(x["body"], x["internal"]) for x in everything] == [("Public note", False), ("Escalate to HR", True)]
        assert c.get(f"/tickets/{tid}/comments", params={"include_internal": "maybe"}).status_code == 400


def test_comment_validation_closed_ticket_and_not_found():
    with client() as c:
        tid = new_ticket(c, "wf-comment-errors scanner")["id"]
        for body in ({"body": "no author"}, {"author": "x"}, {"author": "  ", "body": "blank author"},
                     {"author": "x", "body": ""}, {"author": "x", "body": "b" * 5001},
                     {"author": "x", "body": "flag", "internal": "yes"}, {"author": 5, "body": "num"}):
            response = c.post(f"/tickets/{tid}/comments", json=body)
            assert response.status_code == 400, body
            assert "error" in response.json()
        assert c.get(f"/tickets/{tid}/comments").json()["comments"] == []

        assert transition(c, tid, "closed", resolution="Not reproducible").status_code == 200
        closed = c.post(f"/tickets/{tid}/comments", json={"author": "x", "body": "too late"})
        assert closed.status_code == 409
        assert c.get(f"/tickets/{tid}/comments").json()["comments"] == []

        assert c.post("/tickets/987654321/comments", json={"author": "x", "body": "y"}).status_code == 404
        assert c.get("/tickets/987654321/comments").status_code == 404
