"""Hidden end-to-end tests of the loan endpoints (each test makes its own books and members)."""

import os
import zlib

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def _isbn(tag: str) -> str:
    return "978" + f"{zlib.crc32(tag.encode()):010d}"


def make_book(client, tag: str, copies: int = 1) -> dict:
    r = client.post("/books", json={"isbn": _isbn(tag), "title": f"Book {tag}",
                                    "author": f"Author {tag}", "copies": copies})
    assert r.status_code == 201, r.text
    return r.json()


def make_member(client, tag: str) -> dict:
    r = client.post("/members", json={"name": f"Member {tag}", "email": f"{tag}@example.org"})
    assert r.status_code == 201, r.text
    return r.json()


def checkout(client, book, member, loaned_on="2024-03-01"):
    return client.post("/loans", json={"book_id": book["id"], "member_id": member["id"],
                                       "loaned_on": loaned_on})


def test_checkout_creates_active_loan_with_due_date(client):
    book = make_book(client, "checkout-basic")
    member = make_member(client, "checkout-basic")
    r = checkout(client, book, member, "2024-03-01")
    assert r.status_code == 201, r.text
    loan = r.json()
    assert isinstance(loan["id"], int)
    assert loan["book_id"] == book["id"]
    assert loan["member_id"] == member["id"]
    assert loan["loaned_on"] == "2024-03-01"
    assert loan["due_on"] == "2024-03-15"
    assert loan["returned_on"] is None
    assert loan["late_fee_cents"] == 0
    assert loan["status"] == "active"

    fetched = client.get(f"/loans/{loan['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == loan

    # the copy is now on loan
    assert client.get(f"/books/{book['id']}").json()["available_copies"] == 0


def test_due_date_crosses_month_and_leap_day(client):
    book = make_book(client, "leap-due")
    member = make_member(client, "leap-due")
    r = checkout(client, book, member, "2024-02-20")
    assert r.status_code == 201, r.text
    assert r.json()["due_on"] == "2024-03-05"


def test_checkout_validation_errors(client):
    book = make_book(client, "checkout-validation")
    member = make_member(client, "checkout-validation")
    bad_bodies = [
        {"member_id": member["id"]},
        {"book_id": book["id"]},
        {"book_id": str(book["id"]), "member_id": member["id"]},
        {"book_id": book["id"], "member_id": True},
        {"book_id": book["id"], "member_id": member["id"], "loaned_on": "2024-13-40"},
        {"book_id": book["id"], "member_id": member["id"], "extra": 1},
        {"book_id": 0, "member_id": member["id"]},
    ]
    for body in bad_bodies:
        r = client.post("/loans", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert "error" in r.json()
    r = client.post("/loans", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    # nothing was created by the rejected requests
    listed = client.get("/loans", params={"member_id": member["id"]}).json()
    assert listed["count"] == 0 and listed["items"] == []


def test_checkout_unknown_book_or_member(client):
    book = make_book(client, "checkout-unknown")
    member = make_member(client, "checkout-unknown")
    r = client.post("/loans", json={"book_id": 987654321, "member_id": member["id"]})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    r = client.post("/loans", json={"book_id": book["id"], "member_id": 987654321})
    assert r.status_code == 404


def test_no_copies_available_conflict(client):
    book = make_book(client, "no-copies", copies=1)
    first = make_member(client, "no-copies-first")
    second = make_member(client, "no-copies-second")
    assert checkout(client, book, first).status_code == 201
    r = checkout(client, book, second)
    assert r.status_code == 409, r.text


def test_same_book_twice_conflict(client):
    book = make_book(client, "same-twice", copies=5)
    member = make_member(client, "same-twice")
    assert checkout(client, book, member).status_code == 201
    r = checkout(client, book, member)
    assert r.status_code == 409, r.text
    assert client.get(f"/books/{book['id']}").json()["available_copies"] == 4


def test_member_loan_limit_is_three(client):
    member = make_member(client, "limit")
    books = [make_book(client, f"limit-{i}") for i in range(4)]
    for b in books[:3]:
        assert checkout(client, b, member).status_code == 201
    r = checkout(client, books[3], member)
    assert r.status_code == 422, r.text
    assert client.get(f"/members/{member['id']}").json()["active_loans"] == 3


def test_return_on_time_has_no_fee_and_frees_copy(client):
    book = make_book(client, "return-on-time")
    member = make_member(client, "return-on-time")
    other = make_member(client, "return-on-time-other")
    loan = checkout(client, book, member, "2024-05-01").json()
    r = client.post(f"/loans/{loan['id']}/return", json={"returned_on": "2024-05-15"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["returned_on"] == "2024-05-15"
    assert body["status"] == "returned"
    assert body["late_fee_cents"] == 0
    assert client.get(f"/books/{book['id']}").json()["available_copies"] == 1
    # the freed copy can be loaned again
    assert checkout(client, book, other, "2024-05-16").status_code == 201


def test_late_return_fee(client):
    book = make_book(client, "late-return")
    member = make_member(client, "late-return")
    loan = checkout(client, book, member, "2024-01-10").json()
    assert loan["due_on"] == "2024-01-24"
    r = client.post(f"/loans/{loan['id']}/return", json={"returned_on": "2024-01-31"})
    assert r.status_code == 200, r.text
    assert r.json()["late_fee_cents"] == 7 * 25
    assert client.get(f"/loans/{loan['id']}").json()["late_fee_cents"] == 175


def test_return_errors(client):
    book = make_book(client, "return-errors")
    member = make_member(client, "return-errors")
    loan = checkout(client, book, member, "2024-06-10").json()
    r = client.post(f"/loans/{loan['id']}/return", json={"returned_on": "2024-06-01"})
    assert r.status_code == 400
    r = client.post(f"/loans/{loan['id']}/return", json={"when": "2024-06-11"})
    assert r.status_code == 400
    assert client.get(f"/loans/{loan['id']}").json()["status"] == "active"
    assert client.post(f"/loans/{loan['id']}/return",
                       json={"returned_on": "2024-06-12"}).status_code == 200
    r = client.post(f"/loans/{loan['id']}/return", json={"returned_on": "2024-06-13"})
    assert r.status_code == 409
    assert client.post("/loans/987654321/return", json={}).status_code == 404
    assert client.get("/loans/987654321").status_code == 404


def test_return_without_body_uses_today(client):
    book = make_book(client, "return-no-body")
    member = make_member(client, "return-no-body")
    loan = checkout(client, book, member, "2024-02-01").json()
    r = client.post(f"/loans/{loan['id']}/return")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "returned"
    assert body["returned_on"] is not None and body["returned_on"] >= "2024-02-01"
    assert body["late_fee_cents"] > 0  # returned long after the 2024-02-15 due date


def test_list_loans_filters(client):
    book_a = make_book(client, "filters-a", copies=3)
    book_b = make_book(client, "filters-b", copies=3)
    member = make_member(client, "filters")
    other = make_member(client, "filters-other")
    l1 = checkout(client, book_a, member, "2024-04-01").json()
    l2 = checkout(client, book_b, member, "2024-04-02").json()
    l3 = checkout(client, book_a, other, "2024-04-03").json()
    assert client.post(f"/loans/{l1['id']}/return",
                       json={"returned_on": "2024-04-05"}).status_code == 200

    r = client.get("/loans", params={"member_id": member["id"]})
    assert r.status_code == 200
    body = r.json()
    assert [x["id"] for x in body["items"]] == [l1["id"], l2["id"]]
    assert body["count"] == 2

    r = client.get("/loans", params={"member_id": member["id"], "status": "active"})
    assert [x["id"] for x in r.json()["items"]] == [l2["id"]]
    r = client.get("/loans", params={"member_id": member["id"], "status": "returned"})
    assert [x["id"] for x in r.json()["items"]] == [l1["id"]]
    r = client.get("/loans", params={"book_id": book_a["id"]})
    assert [x["id"] for x in r.json()["items"]] == [l1["id"], l3["id"]]

    assert client.get("/loans", params={"status": "lost"}).status_code == 400
    assert client.get("/loans", params={"member_id": "abc"}).status_code == 400


def test_member_loan_summary(client):
    member = make_member(client, "summary")
    b1 = make_book(client, "summary-1")
    b2 = make_book(client, "summary-2")
    l1 = checkout(client, b1, member, "2024-07-01").json()
    l2 = checkout(client, b2, member, "2024-07-02").json()
    # due 2024-07-15, returned 2024-07-19: 4 days late
    client.post(f"/loans/{l1['id']}/return", json={"returned_on": "2024-07-19"})

    r = client.get(f"/members/{member['id']}/loans")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["member"]["id"] == member["id"]
    assert body["member"]["email"] == "summary@example.org"
    assert [x["id"] for x in body["items"]] == [l1["id"], l2["id"]]
    assert body["active_count"] == 1
    assert body["total_late_fee_cents"] == 100
    assert client.get("/members/987654321/loans").status_code == 404
