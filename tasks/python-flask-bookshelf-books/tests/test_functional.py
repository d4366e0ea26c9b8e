"""Hidden end-to-end tests of the /books endpoints (each test makes its own books)."""

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


def make_book(client, tag: str, **extra) -> dict:
    body = {"isbn": _isbn(tag), "title": f"Title {tag}", "author": f"Author {tag}"}
    body.update(extra)
    r = client.post("/books", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_book_returns_full_object(client):
    isbn = _isbn("create-full")
    r = client.post("/books", json={"isbn": isbn, "title": "  The Left Hand of Darkness ",
                                    "author": "Ursula K. Le Guin", "year": 1969, "copies": 3})
    assert r.status_code == 201, r.text
    book = r.json()
    assert isinstance(book["id"], int)
    assert book["isbn"] == isbn
    assert book["title"] == "The Left Hand of Darkness"
    assert book["author"] == "Ursula K. Le Guin"
    assert book["year"] == 1969
    assert book["copies"] == 3
    assert book["available_copies"] == 3
    assert isinstance(book["created_at"], str) and book["created_at"]

    got = client.get(f"/books/{book['id']}")
    assert got.status_code == 200
    assert got.json() == book


def test_create_defaults_and_isbn_normalization(client):
    r = client.post("/books", json={"isbn": "0-306-40615-2", "title": "Defaults",
                                    "author": "Norm Alizer"})
    assert r.status_code == 201, r.text
    book = r.json()
    assert book["isbn"] == "0306406152"
    assert book["copies"] == 1
    assert book["available_copies"] == 1
    assert book["year"] is None
    # a duplicate, written differently, is still the same ISBN
    dup = client.post("/books", json={"isbn": "0306406152", "title": "Other", "author": "X"})
    assert dup.status_code == 409
    assert "error" in dup.json()


def test_create_validation(client):
    good = {"isbn": _isbn("create-validation"), "title": "Valid", "author": "Someone"}
    cases = [
        {k: v for k, v in good.items() if k != "title"},
        {k: v for k, v in good.items() if k != "isbn"},
        {**good, "title": "   "},
        {**good, "author": 42},
        {**good, "isbn": "12345"},
        {**good, "copies": 0},
        {**good, "copies": 101},
        {**good, "copies": True},
        {**good, "year": "1999"},
        {**good, "year": 1200},
        {**good, "publisher": "Nobody"},
        {**good, "title": "x" * 201},
    ]
    for body in cases:
        r = client.post("/books", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert "error" in r.json()
    r = client.post("/books", content=b'"just a string"', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    # none of the invalid requests created the book
    r = client.post("/books", json=good)
    assert r.status_code == 201


def test_get_unknown_book_is_404(client):
    r = client.get("/books/987654321")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_search_by_author_and_text_with_pagination(client):
    author = "Zelda Searchwright"
    ids = [make_book(client, f"search-{i}", author=author, title=f"Lighthouse Chronicle {i}")["id"]
           for i in range(3)]
    make_book(client, "search-other", author="Someone Else", title="Unrelated Lighthouse")

    r = client.get("/books", params={"author": "zelda searchwright"})
    assert r.status_code == 200
    body = r.json()
    assert [b["id"] for b in body["items"]] == ids
    assert body["total"] == 3
    assert body["limit"] == 20 and body["offset"] == 0

    r = client.get("/books", params={"author": author, "limit": 2, "offset": 1})
    body = r.json()
    assert [b["id"] for b in body["items"]] == ids[1:]
    assert body["total"] == 3
    assert body["limit"] == 2 and body["offset"] == 1

    r = client.get("/books", params={"q": "lighthouse chronicle"})
    assert [b["id"] for b in r.json()["items"]] == ids
    r = client.get("/books", params={"q": "searchwRIGHT"})
    assert r.json()["total"] == 3
    assert all("available_copies" in b for b in r.json()["items"])


def test_search_rejects_bad_pagination(client):
    for params in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"offset": -1}):
        r = client.get("/books", params=params)
        assert r.status_code == 400, params


def test_patch_updates_fields(client):
    book = make_book(client, "patch-fields", year=2001, copies=2)
    r = client.patch(f"/books/{book['id']}", json={"title": "Renamed", "copies": 5, "year": None})
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["title"] == "Renamed"
    assert updated["copies"] == 5
    assert updated["available_copies"] == 5
    assert updated["year"] is None
    assert updated["isbn"] == book["isbn"]
    assert updated["author"] == book["author"]
    assert client.get(f"/books/{book['id']}").json()["title"] == "Renamed"


def test_patch_errors(client):
    book = make_book(client, "patch-errors")
    assert client.patch(f"/books/{book['id']}", json={}).status_code == 400
    assert client.patch(f"/books/{book['id']}", json={"isbn": _isbn("x")}).status_code == 400
    assert client.patch(f"/books/{book['id']}", json={"copies": None}).status_code == 400
    assert client.patch(f"/books/{book['id']}", json={"title": ""}).status_code == 400
    assert client.patch("/books/987654321", json={"title": "Ghost"}).status_code == 404
    assert client.get(f"/books/{book['id']}").json()["title"] == book["title"]


def test_copies_cannot_drop_below_loaned(client):
    book = make_book(client, "copies-below", copies=3)
    members = []
    for i in range(2):
        r = client.post("/members", json={"name": f"Reader {i}", "email": f"copies-below-{i}@example.org"})
        assert r.status_code == 201
        members.append(r.json())
    for m in members:
        r = client.post("/loans", json={"book_id": book["id"], "member_id": m["id"],
                                        "loaned_on": "2024-01-01"})
        assert r.status_code == 201, r.text
    assert client.get(f"/books/{book['id']}").json()["available_copies"] == 1
    assert client.patch(f"/books/{book['id']}", json={"copies": 1}).status_code == 409
    r = client.patch(f"/books/{book['id']}", json={"copies": 2})
    assert r.status_code == 200
    assert r.json()["available_copies"] == 0


def test_delete_book(client):
    book = make_book(client, "delete-me")
    r = client.delete(f"/books/{book['id']}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(f"/books/{book['id']}").status_code == 404
    assert client.delete(f"/books/{book['id']}").status_code == 404


def test_delete_loaned_book_conflict(client):
    book = make_book(client, "delete-loaned")
    r = client.post("/members", json={"name": "Borrower", "email": "delete-loaned@example.org"})
    member = r.json()
    loan = client.post("/loans", json={"book_id": book["id"], "member_id": member["id"],
                                       "loaned_on": "2024-02-01"}).json()
    assert client.delete(f"/books/{book['id']}").status_code == 409
    client.post(f"/loans/{loan['id']}/return", json={"returned_on": "2024-02-03"})
    # still has loan history
    assert client.delete(f"/books/{book['id']}").status_code == 409
    assert client.get(f"/books/{book['id']}").status_code == 200
