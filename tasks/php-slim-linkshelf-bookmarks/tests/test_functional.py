import os
import uuid

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_collection(client, prefix: str) -> int:
    response = client.post("/collections", json={"name": unique(prefix)})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def make_bookmark(client, collection_id: int, **fields) -> dict:
    body = {"url": f"https://example.org/{uuid.uuid4().hex}", "title": "Untitled"}
    body.update(fields)
    response = client.post(f"/collections/{collection_id}/bookmarks", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_bookmark_returns_normalized_resource(client):
    cid = make_collection(client, "create")
    url = f"https://example.org/create/{uuid.uuid4().hex}"
    response = client.post(
        f"/collections/{cid}/bookmarks",
        json={"url": url, "title": "  Slim routing guide ", "notes": "read later",
              "tags": ["PHP", " web ", "php", "routing"]},
    )
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["collection_id"] == cid
    assert body["url"] == url
    assert body["title"] == "Slim routing guide"
    assert body["notes"] == "read later"
    assert body["read"] is False
    assert body["tags"] == ["php", "routing", "web"]
    assert body["created_at"] and body["updated_at"]
    assert response.headers["location"] == f"/bookmarks/{body['id']}"

    fetched = client.get(f"/bookmarks/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body

    collection = client.get(f"/collections/{cid}").json()
    assert collection["bookmark_count"] == 1


def test_create_defaults_and_unknown_collection(client):
    cid = make_collection(client, "defaults")
    body = make_bookmark(client, cid, title="Only required fields")
    assert body["notes"] == ""
    assert body["tags"] == []
    assert body["read"] is False

    missing = client.post("/collections/99999999/bookmarks",
                          json={"url": "https://example.org/x", "title": "x"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_create_validation_errors(client):
    cid = make_collection(client, "invalid")
    response = client.post(
        f"/collections/{cid}/bookmarks",
        json={"url": "ftp://example.org/file", "title": "   ", "tags": ["ok", "not valid!"]},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["details"]) == {"url", "title", "tags"}

    missing = client.post(f"/collections/{cid}/bookmarks", json={"notes": "no url"})
    assert missing.status_code == 422
    assert {"url", "title"} <= set(missing.json()["error"]["details"])

    wrong_type = client.post(f"/collections/{cid}/bookmarks",
                             json={"url": "https://example.org/t", "title": "t", "tags": "php"})
    assert wrong_type.status_code == 422
    assert "tags" in wrong_type.json()["error"]["details"]

    malformed = client.post(f"/collections/{cid}/bookmarks", content=b"{not json",
                            headers={"content-type": "application/json"})
    assert malformed.status_code == 400

    listing = client.get("/bookmarks", params={"collection_id": cid}).json()
    assert listing["count"] == 0


def test_duplicate_url_conflicts_only_within_collection(client):
    first = make_collection(client, "dup-a")
    second = make_collection(client, "dup-b")
    url = f"https://example.org/dup/{uuid.uuid4().hex}"
    make_bookmark(client, first, url=url, title="one")

    again = client.post(f"/collections/{first}/bookmarks", json={"url": url, "title": "two"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    elsewhere = client.post(f"/collections/{second}/bookmarks", json={"url": url, "title": "three"})
    assert elsewhere.status_code == 201


def test_list_filters(client):
    cid = make_collection(client, "filters")
    tag = unique("t")[:30]
    a = make_bookmark(client, cid, title="Deep dive into SQLite", tags=[tag, "db"])
    b = make_bookmark(client, cid, title="Cooking pasta", notes="about sqlite? no", tags=["food"])
    c = make_bookmark(client, cid, title="Linux tips", tags=[tag])
    assert client.patch(f"/bookmarks/{c['id']}", json={"read": True}).status_code == 200

    everything = client.get("/bookmarks", params={"collection_id": cid})
    assert everything.status_code == 200
    data = everything.json()
    assert [item["id"] for item in data["items"]] == [a["id"], b["id"], c["id"]]
    assert data["count"] == 3

    by_tag = client.get("/bookmarks", params={"collection_id": cid, "tag": tag.upper()}).json()
    assert [item["id"] for item in by_tag["items"]] == [a["id"], c["id"]]

    by_text = client.get("/bookmarks", params={"collection_id": cid, "q": "sqlite"}).json()
    assert [item["id"] for item in by_text["items"]] == [a["id"], b["id"]]

    unread = client.get("/bookmarks", params={"collection_id": cid, "read": "false"}).json()
    assert [item["id"] for item in unread["items"]] == [a["id"], b["id"]]

    read_tagged = client.get("/bookmarks", params={"tag": tag, "read": "true"}).json()
    assert [item["id"] for item in read_tagged["items"]] == [c["id"]]
    assert read_tagged["count"] == 1

    assert client.get("/bookmarks", params={"read": "maybe"}).status_code == 400
    assert client.get("/bookmarks", params={"collection_id": "abc"}).status_code == 400
    assert client.get("/bookmarks", params={"collection_id": 99999999}).json() == {"items": [], "count": 0}


def test_patch_updates_fields_and_tags(client):
    cid = make_collection(client, "patch")
    bm = make_bookmark(client, cid, title="Before", notes="n", tags=["keep", "old"])

    response = client.patch(f"/bookmarks/{bm['id']}",
                            json={"title": "After", "read": True, "tags": ["New", "keep"]})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "After"
    assert body["read"] is True
    assert body["tags"] == ["keep", "new"]
    assert body["notes"] == "n"
    assert body["url"] == bm["url"]
    assert body["created_at"] == bm["created_at"]

    cleared = client.patch(f"/bookmarks/{bm['id']}", json={"tags": [], "notes": None})
    assert cleared.status_code == 200
    assert cleared.json()["tags"] == []
    assert cleared.json()["notes"] == ""
    assert cleared.json()["title"] == "After"

    assert client.get(f"/bookmarks/{bm['id']}").json()["tags"] == []


def test_patch_validation_conflict_and_missing(client):
    cid = make_collection(client, "patch-bad")
    first = make_bookmark(client, cid, title="first")
    second = make_bookmark(client, cid, title="second")

    invalid = client.patch(f"/bookmarks/{first['id']}", json={"title": "", "read": "yes"})
    assert invalid.status_code == 422
    assert set(invalid.json()["error"]["details"]) == {"title", "read"}
    assert client.get(f"/bookmarks/{first['id']}").json()["title"] == "first"

    conflict = client.patch(f"/bookmarks/{second['id']}", json={"url": first["url"]})
    assert conflict.status_code == 409

    same = client.patch(f"/bookmarks/{first['id']}", json={"url": first["url"]})
    assert same.status_code == 200

    assert client.patch("/bookmarks/99999999", json={"title": "x"}).status_code == 404
    assert client.get("/bookmarks/99999999").status_code == 404


def test_delete_bookmark_updates_lists_and_tags(client):
    cid = make_collection(client, "delete")
    tag = unique("del")[:30]
    bm = make_bookmark(client, cid, tags=[tag])
    other = make_bookmark(client, cid, tags=[tag])

    tags = client.get("/tags", params={"collection_id": cid}).json()["items"]
    assert tags == [{"tag": tag, "count": 2}]

    response = client.delete(f"/bookmarks/{bm['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/bookmarks/{bm['id']}").status_code == 404
    assert client.delete(f"/bookmarks/{bm['id']}").status_code == 404

    listing = client.get("/bookmarks", params={"collection_id": cid}).json()
    assert [item["id"] for item in listing["items"]] == [other["id"]]
    assert client.get("/tags", params={"collection_id": cid}).json()["items"] == [{"tag": tag, "count": 1}]
    assert client.get(f"/collections/{cid}").json()["bookmark_count"] == 1
