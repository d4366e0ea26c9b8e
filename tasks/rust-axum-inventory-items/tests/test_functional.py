"""Hidden end-to-end tests of the inventory item endpoints (each test uses its own SKUs)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def create(client, sku: str, **extra):
    body = {"sku": sku, "name": f"Item {sku}", "unit_price_cents": 500}
    body.update(extra)
    return client.post("/items", json=body)


def test_create_and_get_item(client):
    r = create(client, "ITM-CREATE", name="  Hex bolt M6  ", unit_price_cents=25, reorder_level=100)
    assert r.status_code == 201, r.text
    item = r.json()
    assert item == {"sku": "ITM-CREATE", "name": "Hex bolt M6", "unit_price_cents": 25,
                    "reorder_level": 100, "on_hand": 0, "reserved": 0, "available": 0,
                    "low_stock": True}
    got = client.get("/items/ITM-CREATE")
    assert got.status_code == 200
    assert got.json() == item
    r = create(client, "ITM-DEFAULT", unit_price_cents=0)
    assert r.status_code == 201
    assert r.json()["reorder_level"] == 0
    assert r.json()["low_stock"] is True


def test_duplicate_sku_conflict(client):
    assert create(client, "ITM-DUP").status_code == 201
    r = create(client, "ITM-DUP", name="Other")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict"
    assert client.get("/items/ITM-DUP").json()["name"] == "Item ITM-DUP"


def test_create_validation(client):
    good = {"sku": "ITM-VALID", "name": "Valid", "unit_price_cents": 100}
    bad = [
        {k: v for k, v in good.items() if k != "sku"},
        {k: v for k, v in good.items() if k != "name"},
        {k: v for k, v in good.items() if k != "unit_price_cents"},
        {**good, "sku": "itm-lower"},
        {**good, "sku": "AB"},
        {**good, "sku": "9ITM"},
        {**good, "sku": "ITM_UNDERSCORE"},
        {**good, "sku": "I" * 33},
        {**good, "name": "   "},
        {**good, "name": "n" * 121},
        {**good, "unit_price_cents": -1},
        {**good, "unit_price_cents": 100000001},
        {**good, "unit_price_cents": "100"},
        {**good, "reorder_level": -1},
        {**good, "on_hand": 5},
    ]
    for body in bad:
        r = client.post("/items", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert "error" in r.json()
    r = client.post("/items", content=b"[]", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert client.get("/items/ITM-VALID").status_code == 404


def test_get_unknown_item(client):
    r = client.get("/items/ITM-NO-SUCH")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_list_items_sorted_and_low_stock_filter(client):
    for sku in ("ITM-LIST-C", "ITM-LIST-A", "ITM-LIST-B"):
        assert create(client, sku, reorder_level=5).status_code == 201
    # stock A above its reorder level
    assert client.post("/items/ITM-LIST-A/receive", json={"quantity": 6}).status_code == 201

    r = client.get("/items")
    assert r.status_code == 200
    body = r.json()
    skus = [i["sku"] for i in body["items"]]
    assert body["count"] == len(skus)
    assert skus == sorted(skus)
    assert [s for s in skus if s.startswith("ITM-LIST-")] == ["ITM-LIST-A", "ITM-LIST-B", "ITM-LIST-C"]

    low = client.get("/items", params={"low_stock": "true"}).json()
    low_skus = [i["sku"] for i in low["items"]]
    assert "ITM-LIST-A" not in low_skus
    assert "ITM-LIST-B" in low_skus and "ITM-LIST-C" in low_skus
    assert all(i["low_stock"] for i in low["items"])
    everything = client.get("/items", params={"low_stock": "false"}).json()
    assert "ITM-LIST-A" in [i["sku"] for i in everything["items"]]
    assert client.get("/items", params={"low_stock": "maybe"}).status_code == 400


def test_patch_item(client):
    assert create(client, "ITM-PATCH", reorder_level=3).status_code == 201
    client.post("/items/ITM-PATCH/receive", json={"quantity": 4})
    r = client.patch("/items/ITM-PATCH", json={"unit_price_cents": 750, "name": " Renamed "})
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["unit_price_cents"] == 750
    assert item["name"] == "Renamed"
    assert item["reorder_level"] == 3
    assert item["on_hand"] == 4
    assert item["low_stock"] is False
    r = client.patch("/items/ITM-PATCH", json={"reorder_level": 4, "name": None})
    assert r.status_code == 200
    assert r.json()["name"] == "Renamed"
    assert r.json()["low_stock"] is True
    assert client.get("/items/ITM-PATCH").json()["reorder_level"] == 4


def test_patch_errors(client):
    assert create(client, "ITM-PERR").status_code == 201
    for body in ({}, {"name": None}, {"sku": "ITM-OTHER"}, {"on_hand": 3},
                 {"unit_price_cents": -5}, {"name": ""}):
        r = client.patch("/items/ITM-PERR", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
    assert client.patch("/items/ITM-NO-PATCH", json={"name": "x"}).status_code == 404
    assert client.get("/items/ITM-PERR").json()["name"] == "Item ITM-PERR"


def test_delete_item(client):
    assert create(client, "ITM-DEL").status_code == 201
    r = client.delete("/items/ITM-DEL")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/items/ITM-DEL").status_code == 404
    assert client.delete("/items/ITM-DEL").status_code == 404
    # the SKU can be created again
    assert create(client, "ITM-DEL").status_code == 201


def test_delete_blocked_by_stock(client):
    assert create(client, "ITM-DSTOCK").status_code == 201
    assert client.post("/items/ITM-DSTOCK/receive", json={"quantity": 2}).status_code == 201
    assert client.delete("/items/ITM-DSTOCK").status_code == 409
    o = client.post("/orders", json={"customer": "items-delete",
                                     "lines": [{"sku": "ITM-DSTOCK", "quantity": 2}]}).json()
    assert client.delete("/items/ITM-DSTOCK").status_code == 409
    assert client.post(f"/orders/{o['id']}/ship").status_code == 200
    it = client.get("/items/ITM-DSTOCK").json()
    assert (it["on_hand"], it["reserved"]) == (0, 0)
    assert client.delete("/items/ITM-DSTOCK").status_code == 204
