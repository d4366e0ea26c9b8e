import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, timeout=TIMEOUT)


def collection(c, name):
    r = c.post("/collections", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def add(c, cid, url, **extra):
    return c.post(f"/collections/{cid}/bookmarks", json={"url": url, **extra})


def test_create_bookmark_normalises_url_title_and_tags():
    with client() as c:
        cid = collection(c, "BM01 reading")
        r = add(c, cid, "  HTTPS://Go.DEV/doc/effective_go#names ", title="  Effective Go ", tags=["Go", " style ", "go"])
        assert r.status_code == 201, r.text
        body = r.json()
        assert isinstance(body["id"], int) and body["id"] > 0
        assert {k: v for k, v in body.items() if k != "id"} == {
            "collection_id": cid,
            "url": "https://go.dev/doc/effective_go",
            "title": "Effective Go",
            "tags": ["go", "style"],
        }
        assert r.headers["location"] == f"/bookmarks/{body['id']}"
        fetched = c.get(f"/bookmarks/{body['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == body


def test_title_defaults_to_host_and_empty_path_becomes_slash():
    with client() as c:
        cid = collection(c, "BM02 defaults")
        r = add(c, cid, "http://Example.ORG")
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["url"] == "http://example.org/"
        assert body["title"] == "example.org"
        assert body["tags"] == []
        assert c.get(f"/collections/{cid}").json()["bookmark_count"] == 1


def test_create_validation_and_errors():
    with client() as c:
        cid = collection(c, "BM03 validation")
        r = add(c, cid, "ftp://files.example.com/x", title="x" * 201, tags=["ok", "not ok!"])
        assert r.status_code == 422
        body = r.json()
        assert body["error"] == "validation_failed"
        assert {f["field"] for f in body["fields"]} == {"url", "title", "tags"}
        missing = c.post(f"/collections/{cid}/bookmarks", json={"title": "no url"})
        assert missing.status_code == 422
        assert [f["field"] for f in missing.json()["fields"]] == ["url"]
        assert add(c, cid, "/relative/path").status_code == 422
        too_many = add(c, cid, "https://example.com/many", tags=[f"t{i}" for i in range(9)])
        assert too_many.status_code == 422
        assert c.post(f"/collections/{cid}/bookmarks", content=b"{", headers={"Content-Type": "application/json"}).status_code == 400
        assert add(c, cid, "https://example.com/u", rating=5).status_code == 400
        assert add(c, cid, "https://example.com/t", tags="go").status_code == 400
        nf = add(c, 99999999, "https://example.com/")
        assert nf.status_code == 404
        assert nf.json()["error"] == "not_found"
        assert add(c, "abc", "https://example.com/").status_code == 400
        assert c.get(f"/collections/{cid}/bookmarks").json() == {"bookmarks": [], "count": 0}


def test_duplicate_url_in_same_collection_conflicts():
    with client() as c:
        first = collection(c, "BM04 one")
        second = collection(c, "BM04 two")
        assert add(c, first, "https://bm04.example.com/page#top").status_code == 201
        dup = add(c, first, "HTTPS://BM04.example.com/page")
        assert dup.status_code == 409
        assert dup.json()["error"] == "conflict"
        assert add(c, second, "https://bm04.example.com/page").status_code == 201
        assert c.get(f"/collections/{first}/bookmarks").json()["count"] == 1


def test_list_collection_bookmarks_in_order_with_tag_filter():
    with client() as c:
        cid = collection(c, "BM05 list")
        other = collection(c, "BM05 other")
        a = add(c, cid, "https://bm05.example.com/a", tags=["db"]).json()
        b = add(c, cid, "https://bm05.example.com/b", tags=["web", "db"]).json()
        add(c, other, "https://bm05.example.com/c", tags=["db"])
        r = c.get(f"/collections/{cid}/bookmarks")
        assert r.status_code == 200
        assert r.json() == {"bookmarks": [a, b], "count": 2}
        web = c.get(f"/collections/{cid}/bookmarks", params={"tag": "WEB"}).json()
        assert web == {"bookmarks": [b], "count": 1}
        assert c.get("/collections/99999999/bookmarks").status_code == 404
        assert c.get("/collections/zero/bookmarks").status_code == 400


def test_get_bookmark_errors():
    with client() as c:
        r = c.get("/bookmarks/99999999")
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"
        assert c.get("/bookmarks/-4").status_code == 400
        assert c.get("/bookmarks/abc").json()["error"] == "bad_request"


def test_patch_retitles_retags_and_moves():
    with client() as c:
        src = collection(c, "BM07 src")
        dst = collection(c, "BM07 dst")
        bm = add(c, src, "https://bm07.example.com/", title="Old", tags=["a"]).json()
        r = c.patch(f"/bookmarks/{bm['id']}", json={"title": " New title ", "tags": ["B", "c"]})
        assert r.status_code == 200, r.text
        assert r.json() == {**bm, "title": "New title", "tags": ["b", "c"]}
        moved = c.patch(f"/bookmarks/{bm['id']}", json={"collection_id": dst})
        assert moved.status_code == 200
        assert moved.json()["collection_id"] == dst
        assert moved.json()["title"] == "New title"
        assert c.get(f"/collections/{src}/bookmarks").json()["count"] == 0
        assert c.get(f"/collections/{dst}/bookmarks").json()["count"] == 1
        cleared = c.patch(f"/bookmarks/{bm['id']}", json={"tags": []})
        assert cleared.status_code == 200
        assert cleared.json()["tags"] == []


def test_patch_errors_leave_bookmark_unchanged():
    with client() as c:
        cid = collection(c, "BM08 a")
        other = collection(c, "BM08 b")
        bm = add(c, cid, "https://bm08.example.com/x", title="Keep").json()
        add(c, other, "https://bm08.example.com/x")
        assert c.patch(f"/bookmarks/{bm['id']}", json={"title": "   "}).status_code == 422
        assert c.patch(f"/bookmarks/{bm['id']}", json={"tags": ["bad tag"]}).status_code == 422
        assert c.patch(f"/bookmarks/{bm['id']}", json={"url": "https://other.example.com/"}).status_code == 400
        assert c.patch(f"/bookmarks/{bm['id']}", json={"collection_id": 99999999}).status_code == 404
        clash = c.patch(f"/bookmarks/{bm['id']}", json={"collection_id": other})
        assert clash.status_code == 409
        assert c.patch("/bookmarks/99999999", json={"title": "x"}).status_code == 404
        assert c.get(f"/bookmarks/{bm['id']}").json() == bm


def test_delete_bookmark():
    with client() as c:
        cid = collection(c, "BM09 delete")
        bm = add(c, cid, "https://bm09.example.com/").json()
        assert c.delete(f"/collections/{cid}").status_code == 409
        r = c.delete(f"/bookmarks/{bm['id']}")
        assert r.status_code == 204
        assert r.content == b""
        assert c.get(f"/bookmarks/{bm['id']}").status_code == 404
        assert c.delete(f"/bookmarks/{bm['id']}").status_code == 404
        assert c.delete(f"/collections/{cid}").status_code == 204
